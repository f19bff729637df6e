/* Which inbox rows the process has delivered, for a reader that reads
 * "every row with an id above low" on each wake (notify/change_feed_sql.h).
 *
 * Identity ids are taken when a row is inserted, not when it commits: a
 * transaction can commit id 7 after id 8 was read. So low only moves past
 * an id that was read, or that can no longer appear. An id missing below
 * the highest one read (a gap) was taken by a transaction that had started
 * before the read's snapshot; once every such transaction has ended (the
 * snapshot xmin of a later read is at or past the first read's xmax), the
 * id was rolled back or deleted, and is given up. Until then, each read
 * starts again below the oldest gap, and ids read twice are recognised and
 * not delivered again. This relies on the transaction having its xid when
 * it takes the id: true of the inbox triggers (the history or message row
 * was written first); a plain INSERT INTO inbox as a transaction's first
 * write takes the id a moment before its xid, a window of microseconds in
 * which a read could give up the id too early. No h2o, no libpq: the
 * caller runs the query. */
#ifndef POLIS_CHANGE_FEED_H
#define POLIS_CHANGE_FEED_H

#include <stddef.h>
#include <stdint.h>

/* Bounds of the memory kept for a gap that stays open (a transaction
 * elsewhere that runs for long): beyond them the oldest gap is given up. */
#define CHANGE_FEED_MAX_GAPS 4096
#define CHANGE_FEED_MAX_SEEN 65536

struct change_feed_gap {
    int64_t id;
    uint64_t until_xid; /* resolved once no transaction older than this runs */
};

struct change_feed {
    int64_t low;                  /* every id up to this one is settled */
    struct change_feed_gap *gaps; /* ids above low not read yet, ascending */
    size_t ngaps, gaps_cap;
    int64_t *seen;                /* ids above low read and delivered, ascending */
    size_t nseen, seen_cap;
    int64_t high;                 /* the highest id read */
};

/* Starts after start_id (rows up to it are not news). */
void change_feed_init(struct change_feed *f, int64_t start_id);
void change_feed_free(struct change_feed *f);

/* Where the next read starts: ids above this one. */
int64_t change_feed_after(const struct change_feed *f);

/* A row id a read returned (in ascending order): 1 when it is news (and
 * from now on delivered), 0 when it was delivered already. -1: out of
 * memory (the row is not recorded; treat it as news). */
int change_feed_take(struct change_feed *f, int64_t id);

/* After the rows of one read: its snapshot's xmin and xmax. Records the
 * ids missing below the highest one read as gaps, gives up the gaps no
 * running transaction can still fill, and moves low. */
void change_feed_end_read(struct change_feed *f, uint64_t snapshot_xmin, uint64_t snapshot_xmax);

/* 1 while some id below the highest read may still commit: the caller
 * should read again now and then even without a wake. */
int change_feed_has_gaps(const struct change_feed *f);

/* The index of the first element >= id in ids (n, ascending). */
size_t change_feed_id_index(const int64_t *ids, size_t n, int64_t id);

#endif
