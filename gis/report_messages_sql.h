/* SQL on messages between a reporter and the department
 * (sql/014_report_messages.sql). VIEWER is the three parameters of
 * gis/reports_sql.h (user id|NULL, admin, staff departments); the secret
 * digest makes an anonymous caller the reporter. */
#ifndef POLIS_REPORT_MESSAGES_SQL_H
#define POLIS_REPORT_MESSAGES_SQL_H

#define REPORT_MESSAGE_MAX_CHARS 5000

/* The parameters of both statements: $1 report id, $2..$4 VIEWER, $5 secret
 * digest|NULL, and for REPORT_MESSAGE_POST_SQL $6 the body. */
enum report_message_param {
    REPORT_MESSAGE_P_REPORT_ID,
    REPORT_MESSAGE_P_VIEWER, /* the three VIEWER parameters from here */
    REPORT_MESSAGE_P_SECRET_DIGEST = REPORT_MESSAGE_P_VIEWER + 3,
    REPORT_MESSAGE_LIST_NPARAMS,
    REPORT_MESSAGE_P_BODY = REPORT_MESSAGE_LIST_NPARAMS,
    REPORT_MESSAGE_POST_NPARAMS
};

/* The first columns of both statements' row. */
enum report_message_access_col {
    REPORT_MESSAGE_VISIBLE, /* boolean: the report is visible to the caller */
    REPORT_MESSAGE_PARTY,   /* boolean: the caller is a party of the thread */
    REPORT_MESSAGE_ACCESS_NCOLS
};

/* Stores the message when the caller is a party (the reporter, staff of the
 * report's department, an admin); a trigger delivers it to the other
 * party's inbox. Zero rows when the report does not exist; else one row. */
extern const char REPORT_MESSAGE_POST_SQL[];
enum report_message_post_col {
    REPORT_MESSAGE_POST_ID = REPORT_MESSAGE_ACCESS_NCOLS, /* the message's id|NULL */
    REPORT_MESSAGE_POST_AT,                              /* when|NULL */
    REPORT_MESSAGE_POST_FROM,                            /* reporter|staff|NULL */
};

/* Zero rows when the report does not exist; else one row. Staff messages
 * carry the department; the staff member's name only when the caller is
 * staff of the department or an admin. */
extern const char REPORT_MESSAGE_LIST_SQL[];
enum report_message_list_col {
    REPORT_MESSAGE_LIST_THREAD = REPORT_MESSAGE_ACCESS_NCOLS, /* json|NULL unless party */
};

#endif
