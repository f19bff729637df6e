/* SQL reading the audit log (sql/004_accounts.sql). Rows are written by
 * the statements that make the changes, in the same statement. */
#ifndef POLIS_AUDIT_SQL_H
#define POLIS_AUDIT_SQL_H

/* $1 list entries older than this id (0 from the newest), $2 rows to
 * return. Rows newest first. */
extern const char AUDIT_PAGE_SQL[];
enum audit_page_col {
    AUDIT_PAGE_ID,
    AUDIT_PAGE_ENTRY, /* entry json */
};

#endif
