/* iCalendar writer: CRLF line ends, folding at 75 octets without splitting
 * a UTF-8 character, TEXT escaping, and a VTIMEZONE libical reads back with
 * the right offsets either side of the DST change. */
#include "check.h"
#include "api/ical_format.h"

#include <libical/ical.h>
#include <stdlib.h>

/* Every physical line ends in CRLF, has at most 75 octets and no split
 * UTF-8 character; continuation lines start with one space. */
static int lines_ok(const char *s)
{
    while (*s) {
        const char *crlf = strstr(s, "\r\n");
        if (!crlf || crlf - s > 75)
            return 0;
        for (const char *p = s; p < crlf; p++)
            if (*p == '\n' || *p == '\r')
                return 0;
        /* a line may not start with a UTF-8 continuation byte (after the space) */
        const char *first = *s == ' ' ? s + 1 : s;
        if (first < crlf && ((unsigned char)*first & 0xC0) == 0x80)
            return 0;
        s = crlf + 2;
    }
    return 1;
}

/* the text with folding undone */
static char *unfold(const char *s)
{
    char *out = malloc(strlen(s) + 1), *p = out;
    while (*s) {
        if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ')
            s += 3;
        else
            *p++ = *s++;
    }
    *p = '\0';
    return out;
}

int main(void)
{
    struct ical_writer w;
    ical_init(&w);
    ical_line(&w, "BEGIN", "VCALENDAR");
    CHECK_STR(w.text.buf, "BEGIN:VCALENDAR\r\n");
    ical_free(&w);

    /* escaping */
    ical_init(&w);
    ical_text(&w, "SUMMARY", "a\\b;c,d\ne\r\nf\x01g");
    CHECK_STR(w.text.buf, "SUMMARY:a\\\\b\\;c\\,d\\ne\\nfg\r\n");
    ical_text(&w, "DESCRIPTION", NULL);
    ical_text(&w, "DESCRIPTION", "");
    CHECK_STR(w.text.buf, "SUMMARY:a\\\\b\\;c\\,d\\ne\\nfg\r\n");
    ical_free(&w);

    /* folding Greek text (2 octets a letter) at 75 octets, never inside a
     * character, and unfolding gives the line back */
    const char *greek = "Αγορά παραγωγών κάθε Σάββατο στην πλατεία Ελευθερίας, με τοπικά "
                        "προϊόντα, τυριά, μέλι και κρασί από τις Σέρρες και τα χωριά τους";
    ical_init(&w);
    ical_text(&w, "SUMMARY", greek);
    CHECK(lines_ok(w.text.buf));
    CHECK(strstr(w.text.buf, "\r\n ") != NULL);
    char *u = unfold(w.text.buf);
    char want[1024];
    snprintf(want, sizeof want, "SUMMARY:%s\r\n", greek);
    /* commas escaped */
    char *q = want, *o = want;
    char esc[1024];
    o = esc;
    for (q = want; *q; q++) {
        if (*q == ',')
            *o++ = '\\';
        *o++ = *q;
    }
    *o = '\0';
    CHECK_STR(u, esc);
    free(u);
    ical_free(&w);

    /* exactly 75 octets: no fold; 76: one */
    char line75[80];
    memset(line75, 'x', 73);
    line75[73] = '\0';
    ical_init(&w);
    ical_line(&w, "X", line75); /* "X:" + 73 = 75 */
    CHECK(strlen(w.text.buf) == 77 && !strstr(w.text.buf, "\r\n "));
    ical_line(&w, "Y", strcat(line75, "y"));
    CHECK(strstr(w.text.buf, "\r\n y\r\n") != NULL);
    CHECK(lines_ok(w.text.buf));
    ical_free(&w);

    /* the VTIMEZONE as libical reads it: 2026-10-17 19:00 is +03:00,
     * 2026-10-31 19:00 is +02:00 in Europe/Athens */
    ical_init(&w);
    CHECK_INT(ical_vtimezone(&w, "Mars/Olympus"), -1);
    CHECK_INT(w.text.len, 0);
    CHECK_INT(ical_vtimezone(&w, "Europe/Athens"), 0);
    CHECK(lines_ok(w.text.buf));
    icalcomponent *c = icalcomponent_new_from_string(w.text.buf);
    CHECK(c != NULL);
    if (c) {
        icaltimezone *z = icaltimezone_new();
        CHECK(icaltimezone_set_component(z, c));
        CHECK_STR(icaltimezone_get_tzid(z), "Europe/Athens");
        struct icaltimetype t = icaltime_from_string("20261017T190000");
        int dst = 0;
        CHECK(icaltimezone_get_utc_offset(z, &t, &dst) == 3 * 3600);
        CHECK_INT(dst, 1);
        t = icaltime_from_string("20261031T190000");
        CHECK(icaltimezone_get_utc_offset(z, &t, &dst) == 2 * 3600);
        CHECK_INT(dst, 0);
        t = icaltime_from_string("20270328T050000");
        CHECK(icaltimezone_get_utc_offset(z, &t, &dst) == 3 * 3600);
        icaltimezone_free(z, 1); /* frees c too */
    }
    ical_free(&w);
    return check_summary();
}
