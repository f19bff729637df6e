#include "api/ical_format.h"

#include <stdlib.h>
#include <string.h>

#define FOLD_OCTETS 75

void ical_init(struct ical_writer *w)
{
    memset(w, 0, sizeof *w);
}

void ical_free(struct ical_writer *w)
{
    free(w->text.buf);
    memset(w, 0, sizeof *w);
}

static void put(struct ical_writer *w, const char *s, size_t n)
{
    textbuf_append(&w->text, s, n);
}

/* Writes the logical line s (without CRLF) folded: at most 75 octets per
 * physical line, a continuation line starting with one space (which counts
 * toward its 75), breaks only before the first byte of a UTF-8 character. */
static void put_folded(struct ical_writer *w, const char *s, size_t n)
{
    size_t room = FOLD_OCTETS;
    while (n > room) {
        size_t cut = room;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        put(w, s, cut);
        put(w, "\r\n ", 3);
        s += cut;
        n -= cut;
        room = FOLD_OCTETS - 1;
    }
    put(w, s, n);
    put(w, "\r\n", 2);
}

void ical_line(struct ical_writer *w, const char *name, const char *value)
{
    size_t nl = strlen(name), vl = strlen(value);
    char small[512];
    char *line = nl + vl + 2 <= sizeof small ? small : malloc(nl + vl + 2);
    if (!line) {
        w->text.failed = 1;
        return;
    }
    memcpy(line, name, nl);
    line[nl] = ':';
    memcpy(line + nl + 1, value, vl);
    put_folded(w, line, nl + 1 + vl);
    if (line != small)
        free(line);
}

void ical_text(struct ical_writer *w, const char *name, const char *text)
{
    if (!text || !*text)
        return;
    char *esc = malloc(strlen(text) * 2 + 1), *p = esc;
    if (!esc) {
        w->text.failed = 1;
        return;
    }
    for (const char *s = text; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == ';' || c == ',') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c == '\r' && s[1] == '\n') {
            continue; /* CRLF: the \n writes it */
        } else if (c == '\n' || c == '\r') {
            *p++ = '\\';
            *p++ = 'n';
        } else if (c < 0x20 || c == 0x7f) {
            continue; /* RFC 5545 allows no other control characters */
        } else {
            *p++ = (char)c;
        }
    }
    *p = '\0';
    ical_line(w, name, esc);
    free(esc);
}

/* Zones with the EU rule (since 1996: summer time from the last Sunday of
 * March to the last Sunday of October, switching at 01:00 UTC). DTSTART of
 * each rule is the local time of the switch before it happens. */
static const struct eu_zone {
    const char *tzid, *std_name, *dst_name, *std_offset, *dst_offset;
    const char *dst_start, *std_start;
} eu_zones[] = {
    {"Europe/Athens", "EET", "EEST", "+0200", "+0300", "19810329T030000", "19961027T040000"},
};

/* One observance (DAYLIGHT or STANDARD) of a VTIMEZONE: the offsets it
 * switches from and to, its name, the first switch and the rule. */
static void put_observance(struct ical_writer *w, const char *kind, const char *from,
                           const char *to, const char *name, const char *start,
                           const char *rrule)
{
    ical_line(w, "BEGIN", kind);
    ical_line(w, "TZOFFSETFROM", from);
    ical_line(w, "TZOFFSETTO", to);
    ical_line(w, "TZNAME", name);
    ical_line(w, "DTSTART", start);
    ical_line(w, "RRULE", rrule);
    ical_line(w, "END", kind);
}

int ical_vtimezone(struct ical_writer *w, const char *tzid)
{
    for (size_t i = 0; i < sizeof eu_zones / sizeof eu_zones[0]; i++) {
        const struct eu_zone *z = &eu_zones[i];
        if (strcmp(z->tzid, tzid))
            continue;
        ical_line(w, "BEGIN", "VTIMEZONE");
        ical_line(w, "TZID", z->tzid);
        put_observance(w, "DAYLIGHT", z->std_offset, z->dst_offset, z->dst_name, z->dst_start,
                       "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
        put_observance(w, "STANDARD", z->dst_offset, z->std_offset, z->std_name, z->std_start,
                       "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
        ical_line(w, "END", "VTIMEZONE");
        return 0;
    }
    return -1;
}
