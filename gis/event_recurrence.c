#include "gis/event_recurrence.h"

#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Iterations after which an expansion gives up (a rule that yields nothing
 * in the window, e.g. FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30, must not spin). */
#define EXPAND_MAX_STEPS 200000

int event_tzid_supported(const char *tzid)
{
    return tzid && !strcmp(tzid, EVENT_TZID_DEFAULT);
}

static const char *const parts_supported[] = {"FREQ",       "INTERVAL", "COUNT", "UNTIL", "BYDAY",
                                              "BYMONTHDAY", "BYMONTH",  "WKST",  NULL};

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* UNTIL=20261231T235959Z: RFC 3339 into out (room for 21 bytes). */
static int until_parse(const char *v, char *out)
{
    if (strlen(v) != 16 || v[8] != 'T' || v[15] != 'Z' || !digits(v, 8) || !digits(v + 9, 6))
        return -1;
    int mo = (v[4] - '0') * 10 + (v[5] - '0'), d = (v[6] - '0') * 10 + (v[7] - '0');
    int h = (v[9] - '0') * 10 + (v[10] - '0'), mi = (v[11] - '0') * 10 + (v[12] - '0');
    int s = (v[13] - '0') * 10 + (v[14] - '0');
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
        return -1;
    snprintf(out, 21, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", v, v + 4, v + 6, v + 9, v + 11, v + 13);
    return 0;
}

/* 1 when a BYDAY list has a position (1MO, -1SU). */
static int byday_has_position(const char *v)
{
    for (const char *p = v; *p; p++)
        if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+')
            return 1;
    return 0;
}

int event_rrule_check(const char *rrule, char *until_utc, char *err, size_t errlen)
{
    char buf[EVENT_RRULE_MAX + 1], seen[16] = "", freq[16] = "";
    int has_count = 0, has_until = 0;
    char until[21] = "";
    const char *byday = NULL;
    if (until_utc)
        until_utc[0] = '\0';
    if (strlen(rrule) > EVENT_RRULE_MAX) {
        snprintf(err, errlen, "an RRULE of at most %d bytes", EVENT_RRULE_MAX);
        return -1;
    }
    if (!strncmp(rrule, "RRULE:", 6)) {
        snprintf(err, errlen, "the value without \"RRULE:\" in front, e.g. FREQ=WEEKLY;COUNT=4");
        return -1;
    }
    size_t len = strlen(rrule);
    if (!len || rrule[0] == ';' || rrule[len - 1] == ';' || strstr(rrule, ";;")) {
        snprintf(err, errlen, "NAME=VALUE parts separated by single ';', e.g. FREQ=WEEKLY;COUNT=4");
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", rrule);
    char *save = NULL;
    for (char *part = strtok_r(buf, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(part, '=');
        if (!eq || eq == part || !eq[1]) {
            snprintf(err, errlen, "NAME=VALUE parts separated by ';'; \"%.40s\" is not one", part);
            return -1;
        }
        *eq = '\0';
        const char *name = part, *value = eq + 1;
        int k = 0;
        while (parts_supported[k] && strcmp(parts_supported[k], name))
            k++;
        if (!parts_supported[k]) {
            snprintf(err, errlen, "%.40s is not supported (supported: FREQ, INTERVAL, COUNT, "
                     "UNTIL, BYDAY, BYMONTHDAY, BYMONTH, WKST)", name);
            return -1;
        }
        if (seen[k]) {
            snprintf(err, errlen, "%s given more than once", name);
            return -1;
        }
        seen[k] = 1;
        if (!strcmp(name, "FREQ")) {
            if (strcmp(value, "DAILY") && strcmp(value, "WEEKLY") && strcmp(value, "MONTHLY") &&
                strcmp(value, "YEARLY")) {
                snprintf(err, errlen, "FREQ=%.20s is not supported (DAILY, WEEKLY, MONTHLY or "
                         "YEARLY)", value);
                return -1;
            }
            snprintf(freq, sizeof freq, "%s", value);
        } else if (!strcmp(name, "COUNT")) {
            long n = strtol(value, NULL, 10);
            if (!digits(value, strlen(value)) || strlen(value) > 4 || n < 1 ||
                n > EVENT_OCCURRENCES_MAX) {
                snprintf(err, errlen, "COUNT from 1 to %d, found %.20s", EVENT_OCCURRENCES_MAX,
                         value);
                return -1;
            }
            has_count = 1;
        } else if (!strcmp(name, "INTERVAL")) {
            long n = strtol(value, NULL, 10);
            if (!digits(value, strlen(value)) || strlen(value) > 3 || n < 1 || n > 365) {
                snprintf(err, errlen, "INTERVAL from 1 to 365, found %.20s", value);
                return -1;
            }
        } else if (!strcmp(name, "UNTIL")) {
            if (until_parse(value, until) < 0) {
                snprintf(err, errlen, "UNTIL as a UTC date-time such as 20261231T235959Z "
                         "(RFC 5545, since DTSTART has a TZID), found %.20s", value);
                return -1;
            }
            has_until = 1;
        } else if (!strcmp(name, "BYDAY")) {
            byday = value;
        }
    }
    if (!freq[0]) {
        snprintf(err, errlen, "a FREQ part (DAILY, WEEKLY, MONTHLY or YEARLY)");
        return -1;
    }
    if (has_count && has_until) {
        snprintf(err, errlen, "COUNT or UNTIL, not both (RFC 5545)");
        return -1;
    }
    /* RFC 5545 3.3.10: BYMONTHDAY not with WEEKLY; a BYDAY position only
     * with MONTHLY and YEARLY (libical iterates such rules wrongly) */
    if (seen[5] && !strcmp(freq, "WEEKLY")) {
        snprintf(err, errlen, "no BYMONTHDAY with FREQ=WEEKLY (RFC 5545)");
        return -1;
    }
    if (byday && byday_has_position(byday) && strcmp(freq, "MONTHLY") && strcmp(freq, "YEARLY")) {
        snprintf(err, errlen, "BYDAY with a position (such as 1MO or -1SU) only with "
                 "FREQ=MONTHLY or YEARLY");
        return -1;
    }
    icalerror_clear_errno();
    struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
    if (r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR) {
        snprintf(err, errlen, "a valid RRULE; libical rejects it (%s)",
                 icalerror_strerror(icalerrno));
        icalerror_clear_errno();
        return -1;
    }
    if (until_utc)
        memcpy(until_utc, until, sizeof until);
    return 0;
}

static int local_parse(const char *s, struct icaltimetype *t)
{
    int y, mo, d, h, mi, sec;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &tail) != 6)
        return -1;
    *t = icaltime_null_time();
    t->year = y, t->month = mo, t->day = d;
    t->hour = h, t->minute = mi, t->second = sec;
    t->is_date = 0;
    return 0;
}

static void local_format(struct icaltimetype t, event_local_time out)
{
    snprintf(out, EVENT_LOCAL_LEN, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)t.year % 10000u,
             (unsigned)t.month % 100u, (unsigned)t.day % 100u, (unsigned)t.hour % 100u,
             (unsigned)t.minute % 100u, (unsigned)t.second % 100u);
}

/* now + days as a floating time (UTC wall clock: a few hours off the local
 * one, which does not matter for a window of years). */
static struct icaltimetype shifted(time_t now, int days)
{
    time_t t = now + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    struct icaltimetype r = icaltime_null_time();
    r.year = tm.tm_year + 1900, r.month = tm.tm_mon + 1, r.day = tm.tm_mday;
    r.hour = tm.tm_hour, r.minute = tm.tm_min, r.second = tm.tm_sec;
    return r;
}

int event_rrule_expand(const char *rrule, const char *dtstart, time_t now, int max,
                       event_local_time *out, int *complete, char *err, size_t errlen)
{
    struct icaltimetype start;
    *complete = 1;
    if (local_parse(dtstart, &start) < 0) {
        snprintf(err, errlen, "a local start YYYY-MM-DD HH:MM:SS, found %.30s", dtstart);
        return -1;
    }
    if (!rrule) {
        if (max < 1)
            return 0;
        local_format(start, out[0]);
        return 1;
    }
    char until[21];
    if (event_rrule_check(rrule, until, err, errlen) < 0)
        return -1;
    icalerror_clear_errno();
    struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
    /* UNTIL is UTC and DTSTART floating: stop a day after it on the wall
     * clock here; the exact cut is PostgreSQL's (gis/events_sql.c) */
    struct icaltimetype stop = shifted(now, EVENT_HORIZON_DAYS);
    int stop_is_until = 0;
    if (until[0]) {
        struct icaltimetype u = r.until;
        u.zone = NULL;
        icaltime_adjust(&u, 1, 0, 0, 0);
        r.until = icaltime_null_time();
        if (icaltime_compare(u, stop) < 0) {
            stop = u;
            stop_is_until = 1;
        }
    }
    struct icaltimetype keep_from = shifted(now, -EVENT_KEEP_PAST_DAYS);
    icalrecur_iterator *it = icalrecur_iterator_new(r, start);
    if (!it) {
        snprintf(err, errlen, "a rule libical can expand from this start (%s)",
                 icalerror_strerror(icalerrno));
        icalerror_clear_errno();
        return -1;
    }
    int n = 0, first = 1;
    for (int step = 0; step < EXPAND_MAX_STEPS; step++) {
        struct icaltimetype t = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(t))
            break;
        if (first && icaltime_compare(t, start) != 0) {
            event_local_time f;
            local_format(t, f);
            snprintf(err, errlen, "starts_at to be the rule's first occurrence (RFC 5545 counts "
                     "DTSTART as one); the rule starts on %s", f);
            icalrecur_iterator_free(it);
            return -1;
        }
        first = 0;
        if (icaltime_compare(t, stop) > 0) {
            *complete = stop_is_until;
            break;
        }
        if (icaltime_compare(t, keep_from) < 0)
            continue;
        if (n == max) {
            *complete = 0;
            break;
        }
        local_format(t, out[n++]);
        if (step == EXPAND_MAX_STEPS - 1)
            *complete = 0;
    }
    icalrecur_iterator_free(it);
    if (first) {
        snprintf(err, errlen, "a rule with at least one occurrence");
        return -1;
    }
    return n;
}

char *event_local_times_literal(const event_local_time *times, int n)
{
    /* each: quote, 19 characters, quote, comma */
    char *s = malloc((size_t)n * (EVENT_LOCAL_LEN + 3) + 3);
    if (!s)
        return NULL;
    char *p = s;
    *p++ = '{';
    for (int i = 0; i < n; i++) {
        if (i)
            *p++ = ',';
        p += sprintf(p, "\"%s\"", times[i]);
    }
    *p++ = '}';
    *p = '\0';
    return s;
}
