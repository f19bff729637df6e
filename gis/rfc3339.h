/* RFC 3339 timestamps ("2024-05-01T12:00:00Z", "...+03:00"), checked in C
 * so that a bad date is the client's 400/422 and never PostgreSQL's error. */
#ifndef POLIS_RFC3339_H
#define POLIS_RFC3339_H

/* 1 when s is a complete RFC 3339 date-time with a real calendar date,
 * hours 00-23, minutes and seconds 00-59 (60 for a leap second), optional
 * fraction and a "Z" or "+hh:mm"/"-hh:mm" offset; 0 otherwise. */
int rfc3339_valid(const char *s);

#endif
