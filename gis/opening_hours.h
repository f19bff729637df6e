/* OSM opening_hours (https://wiki.openstreetmap.org/wiki/Key:opening_hours)
 * validation: a documented subset, the forms a tourism office writes. Pure
 * C, no allocation; unit-tested (tests/unit/test_opening_hours.c).
 *
 * Accepted:
 *   value    = "24/7" | rule { sep rule }       sep: ";" or "," or "||"
 *   rule     = [months [":"]] [days] [times] [state] [comment], not empty;
 *              "24/7" may stand where the times stand
 *   months   = month [day] ["-" month [day] | "-" day] { "," ... }
 *              month Jan..Dec, day 1..31 (checked against the month)
 *   days     = day-item { "," day-item }, day-item: Mo..Su ["-" Mo..Su]
 *              ["[" n {"," n} "]"] (n 1..5 or -1..-5, or n-n), PH, SH;
 *              a holiday may be followed by a space and weekdays ("SH Mo-Fr")
 *   times    = span { "," span }, span: HH:MM "-" HH:MM ["+"] | HH:MM "+"
 *              hours have two digits; a start is 00:00..24:00, an end up
 *              to 48:00 ("22:00-26:00"); an end before the start runs past
 *              midnight ("22:00-02:00")
 *   state    = off | closed | open | unknown
 *   comment  = "..." (no quote inside)
 * Not accepted (an error says what was expected): years, week numbers,
 * sunrise/sunset and other variable times, easter, "Mo-Fr:" with a colon
 * after weekdays, one-digit hours, an empty rule (a trailing ";"). */
#ifndef POLIS_OPENING_HOURS_H
#define POLIS_OPENING_HOURS_H

#include <stddef.h>

/* Returns 0 when s is valid. Otherwise returns -1 and writes into err a
 * message with the 1-based character position, what was expected and what
 * was found: at 7: expected a time like 09:00, found "9am". */
int opening_hours_check(const char *s, char *err, size_t errlen);

#endif
