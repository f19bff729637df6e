/* Pieces every event route shares: the categories, the TOURISM parameters
 * of gis/events_sql.h, the id in the path, the one 403 and 404 answers. */
#ifndef POLIS_EVENT_ACCESS_H
#define POLIS_EVENT_ACCESS_H

#include "http/exchange.h"

/* The category codes, NULL-terminated (sql/016_events.sql checks the same). */
extern const char *const event_categories[];

/* The TOURISM parameters of gis/events_sql.h: admin, departments, served
 * municipality. An API key without the staff scope acts as a citizen. */
void event_tourism_args(struct exchange *ex, const char *out[3]);

/* The event id of the path, or 0 after answering 400 (with the other
 * errors ex->query holds). */
long event_path_id(struct exchange *ex);

/* The detail of a 404 about an event: printf, its id as a long. */
#define EVENT_MISSING "there is no event with id %ld"

/* 404 naming the event of the path (routes with {id} only). */
void event_not_found(struct exchange *ex);

/* 403: only the tourism office and admins manage events. */
void event_not_tourism(struct exchange *ex);

#endif
