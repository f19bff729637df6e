/* SQL on the protocol book (sql/041_protocol.sql): the next number of the
 * year, taken in the statement that writes what it numbers; staff's
 * registration of what arrived at the counter, by phone, post or e-mail;
 * and the book's pages. */
#ifndef POLIS_PROTOCOL_SQL_H
#define POLIS_PROTOCOL_SQL_H

#include "common/audit_actor.h"

/* The protocol year: the calendar year in Greece. */
#define PROTOCOL_YEAR "extract(year FROM now() AT TIME ZONE 'Europe/Athens')::int"

/* The CTE `num` (municipality_id, year, number) that takes the next number
 * of the year for the municipality of the one row of `source` (a CTE with a
 * column municipality_id). The counter row stays locked until the
 * transaction ends, so concurrent registrations queue on it and commit in
 * number order; a rollback gives the number back. When source is empty no
 * number is taken. */
#define PROTOCOL_TAKE_NUMBER(source)                                                          \
    " num AS (INSERT INTO protocol_counters AS c (municipality_id, year, last_number)"        \
    "   SELECT municipality_id, " PROTOCOL_YEAR ", 1 FROM " source                            \
    "   ON CONFLICT (municipality_id, year) DO UPDATE SET last_number = c.last_number + 1"    \
    "   RETURNING municipality_id, year, last_number AS number)"

/* An entry e as JSON: "protocol_number" is N/YYYY. */
#define PROTOCOL_ENTRY_JSON(e)                                                                \
    "jsonb_build_object('id', " e ".id, 'protocol_number', " e ".number || '/' || " e ".year," \
    " 'number', " e ".number, 'year', " e ".year, 'direction', " e ".direction,"              \
    " 'registered_at', " e ".registered_at,"                                                  \
    " 'date', (" e ".registered_at AT TIME ZONE 'Europe/Athens')::date,"                      \
    " 'subject', " e ".subject, 'correspondent', " e ".correspondent,"                        \
    " 'channel', " e ".channel, 'application_id', " e ".application_id,"                      \
    " 'registered_by', " e ".registered_by_label)"

/* Registers an entry that did not come through the web: its number, the
 * entry and its audit_log row, in one statement. One row. */
extern const char PROTOCOL_REGISTER_SQL[];
enum protocol_register_param {
    PROTOCOL_REGISTER_P_MUNICIPALITY, /* the served municipality's code */
    PROTOCOL_REGISTER_P_DIRECTION,    /* incoming | outgoing */
    PROTOCOL_REGISTER_P_SUBJECT,
    PROTOCOL_REGISTER_P_CORRESPONDENT, /* sender (incoming) or recipient (outgoing) */
    PROTOCOL_REGISTER_P_CHANNEL,       /* counter | phone | post | email */
    PROTOCOL_REGISTER_P_ACTOR,         /* the four actor parameters from here */
    PROTOCOL_REGISTER_NPARAMS = PROTOCOL_REGISTER_P_ACTOR + AUDIT_ACTOR_NPARAMS
};
enum protocol_register_col {
    PROTOCOL_REGISTER_JSON, /* the entry|NULL when the municipality is not loaded */
};

/* A page of the book, newest first, and the entries per channel of every
 * page (the year and direction filters only), for the share of requests
 * that arrived electronically. One row. */
extern const char PROTOCOL_LIST_SQL[];
enum protocol_list_param {
    PROTOCOL_LIST_P_MUNICIPALITY,
    PROTOCOL_LIST_P_YEAR,      /* |NULL */
    PROTOCOL_LIST_P_DIRECTION, /* |NULL */
    PROTOCOL_LIST_P_CHANNEL,   /* |NULL */
    PROTOCOL_LIST_P_AFTER,     /* the id to continue below, 0: from the newest */
    PROTOCOL_LIST_P_LIMIT,
    PROTOCOL_LIST_NPARAMS
};
enum protocol_list_col {
    PROTOCOL_LIST_ITEMS,    /* json array */
    PROTOCOL_LIST_MORE,     /* boolean: another page follows */
    PROTOCOL_LIST_LAST_ID,  /* the last id shown */
    PROTOCOL_LIST_CHANNELS, /* json object {channel: entries} */
};

#endif
