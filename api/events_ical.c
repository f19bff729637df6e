/* GET /api/v1/events.ics: the published events as an iCalendar feed
 * (api/ical_format.h writes the lines). */
#include "gis/event_recurrence.h"
#include "gis/events_sql.h"
#include "api/api.h"
#include "api/event_access.h"
#include "api/lang_map.h"
#include "api/ical_format.h"
#include "http/respond.h"

#include <stdio.h>
#include <string.h>

#define CT_CALENDAR "text/calendar; charset=utf-8"

/* ---- GET /api/v1/events.ics ---- */

/* The host part of UIDs: of POLIS_PUBLIC_URL when set (stable whatever
 * address a client used), else of the request. */
static const char *uid_host(struct exchange *ex)
{
    const char *url = ex->app->cfg.public_url;
    const char *h;
    size_t n;
    if (url && *url && (h = strstr(url, "://"))) {
        h += 3;
        n = strcspn(h, ":/");
    } else {
        h = ex->req->authority.base;
        n = strcspn(h, ":/");
        if (n > ex->req->authority.len)
            n = ex->req->authority.len;
    }
    return exchange_printf(ex, "%.*s", (int)n, h);
}

static void ical_done(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure(ex->req, res))
        return;
    struct ical_writer w;
    ical_init(&w);
    ical_line(&w, "BEGIN", "VCALENDAR");
    ical_line(&w, "VERSION", "2.0");
    ical_line(&w, "PRODID", "-//polis//events " POLIS_VERSION "//EN");
    ical_line(&w, "CALSCALE", "GREGORIAN");
    ical_line(&w, "METHOD", "PUBLISH");
    ical_text(&w, "X-WR-CALNAME", "polis events");
    ical_line(&w, "X-WR-TIMEZONE", EVENT_TZID_DEFAULT);
    ical_vtimezone(&w, EVENT_TZID_DEFAULT);
    const char *host = uid_host(ex);
    char name[96], value[128];
    for (int i = 0; i < PQntuples(res); i++) {
        const char *tzid = PQgetvalue(res, i, EVENT_ICAL_TZID);
        ical_line(&w, "BEGIN", "VEVENT");
        snprintf(value, sizeof value, "event-%s@%s", PQgetvalue(res, i, EVENT_ICAL_ID), host);
        ical_line(&w, "UID", value);
        ical_line(&w, "DTSTAMP", PQgetvalue(res, i, EVENT_ICAL_DTSTAMP));
        snprintf(name, sizeof name, "DTSTART;TZID=%s", tzid);
        ical_line(&w, name, PQgetvalue(res, i, EVENT_ICAL_START));
        snprintf(name, sizeof name, "DTEND;TZID=%s", tzid);
        ical_line(&w, name, PQgetvalue(res, i, EVENT_ICAL_END));
        if (!PQgetisnull(res, i, EVENT_ICAL_RRULE))
            ical_line(&w, "RRULE", PQgetvalue(res, i, EVENT_ICAL_RRULE));
        ical_text(&w, "SUMMARY", PQgetvalue(res, i, EVENT_ICAL_SUMMARY));
        ical_text(&w, "DESCRIPTION", PQgetvalue(res, i, EVENT_ICAL_DESCRIPTION));
        ical_text(&w, "LOCATION", PQgetvalue(res, i, EVENT_ICAL_LOCATION));
        snprintf(value, sizeof value, "%s;%s", PQgetvalue(res, i, EVENT_ICAL_LAT),
                 PQgetvalue(res, i, EVENT_ICAL_LON));
        ical_line(&w, "GEO", value);
        if (!PQgetisnull(res, i, EVENT_ICAL_URL))
            ical_line(&w, "URL", PQgetvalue(res, i, EVENT_ICAL_URL));
        ical_text(&w, "CATEGORIES", PQgetvalue(res, i, EVENT_ICAL_CATEGORY));
        ical_line(&w, "END", "VEVENT");
    }
    ical_line(&w, "END", "VCALENDAR");
    if (w.text.failed) {
        ical_free(&w);
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "out of memory");
        return;
    }
    respond_header(ex->req, "content-disposition", "inline; filename=\"events.ics\"");
    respond_bytes(ex->req, 200, CT_CALENDAR, w.text.buf, w.text.len);
    ical_free(&w);
}

void api_events_ical(struct exchange *ex)
{
    static const char *const allowed[] = {"lang", NULL};
    params_allow_only(&ex->query, allowed);
    const char *lang = params_get(&ex->query, "lang");
    if (lang && !lang_code_ok(lang))
        params_error(&ex->query, "lang", "a language code such as el or en", lang);
    if (respond_params_problem(ex->req, &ex->query))
        return;
    const char *args[] = {lang ? lang : "el"};
    exchange_query_prepared(ex, EVENT_ICAL_SQL, 1, args, ical_done);
}
