/* SQL on messages between a reporter and the department
 * (sql/014_report_messages.sql). VIEWER is the three parameters of
 * gis/reports_sql.h (user id|NULL, admin, staff departments); the secret
 * digest makes an anonymous caller the reporter. */
#ifndef POLIS_REPORT_MESSAGES_SQL_H
#define POLIS_REPORT_MESSAGES_SQL_H

#define REPORT_MESSAGE_MAX_CHARS 5000

/* $1 report id, $2..$4 VIEWER, $5 secret digest|NULL, $6 body. Stores the
 * message when the caller is a party (the reporter, staff of the report's
 * department, an admin); a trigger delivers it to the other party's inbox.
 * Zero rows when the report does not exist; else one row (visible to the
 * caller, party, message id|NULL, at|NULL, from: reporter|staff|NULL). */
extern const char REPORT_MESSAGE_POST_SQL[];

/* $1 report id, $2..$4 VIEWER, $5 secret digest|NULL. Zero rows when the
 * report does not exist; else one row (visible, party, thread json|NULL
 * unless party). Staff messages carry the department; the staff member's
 * name only when the caller is staff of the department or an admin. */
extern const char REPORT_MESSAGE_LIST_SQL[];

#endif
