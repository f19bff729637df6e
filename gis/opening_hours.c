/* A recursive-descent check of the opening_hours subset in opening_hours.h.
 * Each reader returns 1 when it read its construct, 0 when the text there
 * is not that construct (nothing consumed), -1 after recording an error. */
#include "gis/opening_hours.h"

#include <stdio.h>
#include <string.h>

struct oh {
    const char *s;
    size_t i;
    char *err;
    size_t errlen;
};

static const char *const weekdays[] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const int month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* Records "at N: expected X, found "Y"" for the text at o->i; returns -1. */
static int fail(struct oh *o, const char *expected)
{
    size_t pos = 1;
    for (size_t k = 0; k < o->i; k++)
        if (((unsigned char)o->s[k] & 0xC0) != 0x80)
            pos++;
    const char *at = o->s + o->i;
    if (!*at) {
        snprintf(o->err, o->errlen, "at %zu: expected %s, found the end of the text", pos,
                 expected);
        return -1;
    }
    size_t n = strcspn(at, " ;,");
    if (n == 0)
        n = 1;
    if (n > 20)
        n = 20;
    while (n < strlen(at) && ((unsigned char)at[n] & 0xC0) == 0x80)
        n++; /* whole characters only */
    snprintf(o->err, o->errlen, "at %zu: expected %s, found \"%.*s\"", pos, expected, (int)n,
             at);
    return -1;
}

static char peek(const struct oh *o, size_t ahead)
{
    for (size_t k = 0; k < ahead; k++)
        if (!o->s[o->i + k])
            return '\0';
    return o->s[o->i + ahead];
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Moves past c when it comes next; 1 when it did. */
static int skip_char(struct oh *o, char c)
{
    if (o->s[o->i] != c)
        return 0;
    o->i++;
    return 1;
}

static void skip_spaces(struct oh *o)
{
    while (o->s[o->i] == ' ')
        o->i++;
}

/* The index of the word of list (n entries) at o->i, not followed by a
 * letter, or -1. */
static int word_at(const struct oh *o, const char *const *list, int n)
{
    for (int k = 0; k < n; k++) {
        size_t len = strlen(list[k]);
        if (!strncmp(o->s + o->i, list[k], len) && !is_alpha(o->s[o->i + len]))
            return k;
    }
    return -1;
}

static int take(struct oh *o, const char *word)
{
    size_t len = strlen(word);
    if (strncmp(o->s + o->i, word, len) || is_alpha(o->s[o->i + len]))
        return 0;
    o->i += len;
    return 1;
}

/* Up to max_digits digits as a number, or -1 (nothing consumed). */
static int number(struct oh *o, int max_digits)
{
    int v = 0, n = 0;
    while (n < max_digits && is_digit(peek(o, (size_t)n)))
        v = v * 10 + (peek(o, (size_t)n++) - '0');
    if (n == 0 || is_digit(peek(o, (size_t)n)))
        return -1;
    o->i += (size_t)n;
    return v;
}

/* ---- times ---- */

static int looks_like_time(const struct oh *o)
{
    return is_digit(peek(o, 0));
}

/* HH:MM with HH <= max_hour (and max_hour only with :00); minutes in *out. */
static int clock(struct oh *o, int max_hour, int *out)
{
    const char *p = o->s + o->i;
    if (!(is_digit(p[0]) && is_digit(p[1]) && p[2] == ':' && is_digit(p[3]) &&
          is_digit(p[4]) && !is_digit(p[5])))
        return fail(o, "a time like 09:00");
    int h = (p[0] - '0') * 10 + (p[1] - '0'), m = (p[3] - '0') * 10 + (p[4] - '0');
    if (m > 59 || h > max_hour || (h == max_hour && m > 0))
        return fail(o, max_hour == 24 ? "a time from 00:00 to 24:00"
                                      : "a time from 00:00 to 48:00");
    o->i += 5;
    *out = h * 60 + m;
    return 1;
}

/* HH:MM-HH:MM[+] or HH:MM+ */
static int span(struct oh *o)
{
    int from = 0, to = 0; /* set by clock() on success; zero keeps -O3 quiet */
    if (clock(o, 24, &from) < 0)
        return -1;
    if (skip_char(o, '+'))
        return 1;
    if (!skip_char(o, '-'))
        return fail(o, "\"-\" and the closing time, as in 09:00-17:00");
    if (clock(o, 48, &to) < 0)
        return -1;
    if (to == from) {
        o->i -= 5;
        return fail(o, "a closing time different from the opening time");
    }
    if (to > 24 * 60 && to - 24 * 60 >= from) {
        o->i -= 5;
        return fail(o, "an end past midnight before the start (at most 24 hours)");
    }
    skip_char(o, '+');
    return 1;
}

/* span {"," span}: a comma followed by a time continues the list, any other
 * comma separates rules and is left to the caller. */
static int times(struct oh *o)
{
    if (span(o) < 0)
        return -1;
    while (o->s[o->i] == ',') {
        size_t save = o->i;
        o->i++;
        skip_spaces(o);
        if (!looks_like_time(o)) {
            o->i = save;
            break;
        }
        if (span(o) < 0)
            return -1;
    }
    return 1;
}

/* ---- weekdays and holidays ---- */

/* "[" n {"," n} "]", n 1..5 or -1..-5, or n-n */
static int nth(struct oh *o)
{
    o->i++; /* '[' */
    for (;;) {
        size_t at = o->i;
        int neg = o->s[o->i] == '-';
        o->i += (size_t)neg;
        int v = number(o, 1);
        if (v < 1 || v > 5) {
            o->i = at;
            return fail(o, "a week of the month from 1 to 5 (or -1 to -5)");
        }
        if (!neg && o->s[o->i] == '-' && is_digit(peek(o, 1))) {
            o->i++;
            int w = number(o, 1);
            if (w < v || w > 5)
                return fail(o, "the end of a range of weeks, up to 5");
        }
        if (skip_char(o, ']'))
            return 1;
        if (!skip_char(o, ','))
            return fail(o, "\",\" or \"]\"");
    }
}

static int is_holiday(const struct oh *o)
{
    static const char *const holidays[] = {"PH", "SH"};
    return word_at(o, holidays, 2) >= 0;
}

/* Mo[-Su][[n]] | PH | SH */
static int day_item(struct oh *o)
{
    if (is_holiday(o)) {
        o->i += 2;
        return 1;
    }
    if (word_at(o, weekdays, 7) < 0)
        return fail(o, "a weekday (Mo, Tu, We, Th, Fr, Sa, Su) or PH or SH");
    o->i += 2;
    if (skip_char(o, '-')) {
        if (word_at(o, weekdays, 7) < 0)
            return fail(o, "a weekday ending the range (Mo, Tu, We, Th, Fr, Sa, Su)");
        o->i += 2;
    }
    if (o->s[o->i] == '[')
        return nth(o);
    return 1;
}

static int looks_like_day(const struct oh *o)
{
    return word_at(o, weekdays, 7) >= 0 || is_holiday(o);
}

static int days(struct oh *o)
{
    for (;;) {
        int holiday = is_holiday(o);
        if (day_item(o) < 0)
            return -1;
        size_t save = o->i;
        if (o->s[o->i] == ',') {
            o->i++;
            skip_spaces(o);
            if (looks_like_day(o))
                continue;
            o->i = save; /* a comma between rules */
            break;
        }
        /* "SH Mo-Fr": a holiday, a space, then weekdays */
        if (holiday && o->s[o->i] == ' ') {
            skip_spaces(o);
            if (word_at(o, weekdays, 7) >= 0)
                continue;
            o->i = save;
        }
        break;
    }
    if (o->s[o->i] == ':')
        return fail(o, "a space between the days and the times (OSM writes Mo-Fr 09:00-17:00)");
    return 1;
}

/* ---- months ---- */

static int looks_like_month(const struct oh *o)
{
    return word_at(o, months, 12) >= 0;
}

/* A day of month m after a space, when one follows: 1 read, 0 none. */
static int month_day(struct oh *o, int m)
{
    if (o->s[o->i] != ' ' || !is_digit(peek(o, 1)))
        return 0;
    /* "Jan 10:00-..." and "Jan 24/7" are a month and a time, not a day */
    size_t digits = is_digit(peek(o, 2)) ? 2 : 1;
    if (peek(o, digits + 1) == ':' || peek(o, digits + 1) == '/')
        return 0;
    o->i++;
    size_t at = o->i;
    int d = number(o, 2);
    if (d < 1 || d > month_days[m]) {
        o->i = at;
        char what[64];
        snprintf(what, sizeof what, "a day of %s from 1 to %d", months[m], month_days[m]);
        return fail(o, what);
    }
    return 1;
}

/* Jan [d] [-Mar [d] | -d] */
static int month_item(struct oh *o)
{
    int m = word_at(o, months, 12);
    if (m < 0)
        return fail(o, "a month (Jan .. Dec)");
    o->i += 3;
    int has_day = month_day(o, m);
    if (has_day < 0)
        return -1;
    if (!skip_char(o, '-'))
        return 1;
    if (has_day && is_digit(o->s[o->i])) {
        int d = number(o, 2);
        if (d < 1 || d > month_days[m])
            return fail(o, "a day of the same month ending the range");
        return 1;
    }
    int m2 = word_at(o, months, 12);
    if (m2 < 0)
        return fail(o, "a month (Jan .. Dec) ending the range");
    o->i += 3;
    if (has_day)
        return month_day(o, m2) == 1 ? 1 : fail(o, "a day of the month ending the range");
    return month_day(o, m2) < 0 ? -1 : 1;
}

static int month_list(struct oh *o)
{
    for (;;) {
        if (month_item(o) < 0)
            return -1;
        size_t save = o->i;
        if (o->s[o->i] != ',')
            break;
        o->i++;
        skip_spaces(o);
        if (!looks_like_month(o)) {
            o->i = save;
            break;
        }
    }
    skip_char(o, ':'); /* "Apr-Oct: Mo-Su ..." */
    return 1;
}

/* ---- rules ---- */

static int at_rule_end(const struct oh *o)
{
    char c = o->s[o->i];
    return c == '\0' || c == ';' || c == ',' || (c == '|' && peek(o, 1) == '|');
}

static int comment(struct oh *o)
{
    size_t start = o->i;
    o->i++;
    while (o->s[o->i] && o->s[o->i] != '"')
        o->i++;
    if (!o->s[o->i]) {
        o->i = start;
        return fail(o, "a comment closed with a quote (\")");
    }
    o->i++;
    return 1;
}

/* One rule: its parts (have: bit 1 months, 2 days, 4 times, 8 state, 16
 * comment) each at most once and in this order, separated by spaces. */
static int rule(struct oh *o)
{
    static const char *const states[] = {"off", "closed", "open", "unknown"};
    int have = 0;
    skip_spaces(o);
    if (at_rule_end(o))
        return fail(o, "a rule such as Mo-Fr 09:00-17:00");
    while (!at_rule_end(o)) {
        if (have && o->s[o->i] != ' ')
            return fail(o, "a space, \";\" or \",\" between the parts of a rule");
        skip_spaces(o);
        if (at_rule_end(o))
            break;
        int r;
        if (!(have & 31) && looks_like_month(o))
            r = month_list(o), have |= 1;
        else if (!(have & 30) && looks_like_day(o))
            r = days(o), have |= 2;
        else if (!(have & 28) && take(o, "24/7"))
            r = 1, have |= 4;
        else if (!(have & 28) && looks_like_time(o))
            r = times(o), have |= 4;
        else if (!(have & 24) && word_at(o, states, 4) >= 0)
            o->i += strlen(states[word_at(o, states, 4)]), r = 1, have |= 8;
        else if (!(have & 16) && o->s[o->i] == '"')
            r = comment(o), have |= 16;
        else if (have & 4)
            return fail(o, "off, closed, a comment or the end of the rule after the times");
        else if (have & 2)
            return fail(o, "a time like 09:00");
        else
            return fail(o, "a month (Jan), a weekday (Mo), PH, a time like 09:00, 24/7, off "
                           "or a comment");
        if (r < 0)
            return -1;
    }
    return 1;
}

int opening_hours_check(const char *s, char *err, size_t errlen)
{
    struct oh o = {s, 0, err, errlen};
    if (errlen)
        err[0] = '\0';
    if (!s || !*s) {
        snprintf(err, errlen, "at 1: expected opening hours such as Mo-Fr 09:00-17:00, found "
                              "the end of the text");
        return -1;
    }
    for (;;) {
        if (rule(&o) < 0)
            return -1;
        if (!s[o.i])
            return 0;
        o.i += s[o.i] == '|' ? 2 : 1; /* ";" "," "||" */
        skip_spaces(&o);
    }
}
