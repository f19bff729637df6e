/* Writing iCalendar (RFC 5545) text: content lines ending in CRLF, folded
 * at 75 octets without splitting a UTF-8 character, TEXT values escaped,
 * and the VTIMEZONE of each zone events accept. The events feed
 * (api/events.c) builds a VCALENDAR with it. */
#ifndef POLIS_ICAL_FORMAT_H
#define POLIS_ICAL_FORMAT_H

#include "common/textbuf.h"

#include <stddef.h>

/* A growing buffer of iCalendar text (textbuf_append: text.failed is set
 * when memory ran out; everything written after that is dropped). */
struct ical_writer {
    struct textbuf text;
};

void ical_init(struct ical_writer *w);
void ical_free(struct ical_writer *w);

/* One content line "name:value" (name may carry parameters:
 * "DTSTART;TZID=Europe/Athens"), value written as given, folded. */
void ical_line(struct ical_writer *w, const char *name, const char *value);

/* The same for a TEXT value: \ ; , and newlines escaped, other control
 * characters dropped. Nothing is written when text is NULL or empty. */
void ical_text(struct ical_writer *w, const char *name, const char *text);

/* The VTIMEZONE component of tzid. Returns 0, or -1 when there is none for
 * that zone (event_tzid_supported says which are accepted). */
int ical_vtimezone(struct ical_writer *w, const char *tzid);

#endif
