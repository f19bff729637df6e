/* The SQL of the mailbox change feed: what the process's one reader of new
 * inbox rows runs on a wake (all users at once), and what one stream runs
 * when it resumes after a Last-Event-ID. Each entry is the JSON object
 * GET /api/v1/me/inbox lists (the view inbox_entries, sql/024_inbox_stream.sql)
 * with its owner's unread count added as "unread". */
#ifndef POLIS_CHANGE_FEED_SQL_H
#define POLIS_CHANGE_FEED_SQL_H

/* No parameters. One row: the highest inbox id so far (0 when none). */
extern const char FEED_START_SQL[];
enum feed_start_col {
    FEED_START_MAX_ID,
};

/* $1 read inbox ids above this one, $2 at most this many rows. Rows in id
 * order; always at least one: when no inbox row is new, one row whose id is
 * NULL still carries the snapshot bounds (every row carries the same). */
extern const char FEED_READ_SQL[];
enum feed_read_param {
    FEED_READ_AFTER,
    FEED_READ_LIMIT,
    FEED_READ_NPARAMS,
};
enum feed_read_col {
    FEED_READ_SNAPSHOT_XMIN, /* the oldest transaction still running (xid8 as text) */
    FEED_READ_SNAPSHOT_XMAX, /* the first transaction not yet started (xid8 as text) */
    FEED_READ_ID,            /* inbox id, or NULL */
    FEED_READ_USER_ID,       /* whose mailbox */
    FEED_READ_DATA,          /* the entry as JSON text, with "unread" */
};

/* $1 user id, $2 inbox id the client saw last. Rows in id order: every
 * entry of the user after it. */
extern const char STREAM_RESUME_SQL[];
enum stream_resume_param {
    STREAM_RESUME_USER,
    STREAM_RESUME_AFTER,
    STREAM_RESUME_NPARAMS,
};
enum stream_resume_col {
    STREAM_RESUME_ID,
    STREAM_RESUME_DATA,
};

#endif
