/* The change feed's cursor (notify/change_feed.h) as the reader sees it
 * across reads: rows that commit out of id order are delivered once, late;
 * an id no transaction can still fill is given up; a read that returns a
 * row again does not deliver it again. Snapshots are given as (xmin, xmax):
 * xmin the oldest running transaction, xmax the next one to start. */
#include "check.h"
#include "notify/change_feed.h"

/* one read: the ids it returned (0-terminated) and its snapshot; how many
 * were news */
static int read_rows(struct change_feed *f, const long long *ids, uint64_t xmin, uint64_t xmax)
{
    int news = 0;
    for (; *ids; ids++)
        news += change_feed_take(f, *ids) == 1;
    change_feed_end_read(f, xmin, xmax);
    return news;
}

int main(void)
{
    struct change_feed f;
    change_feed_init(&f, 10);
    CHECK_INT(change_feed_after(&f), 10);

    /* ids 11 and 12 in order, nothing running: all settled */
    CHECK_INT(read_rows(&f, (const long long[]){11, 12, 0}, 100, 100), 2);
    CHECK_INT(change_feed_after(&f), 12);
    CHECK(!change_feed_has_gaps(&f));

    /* 14 commits before 13 while transaction 100 still runs: 13 stays in view */
    CHECK_INT(read_rows(&f, (const long long[]){14, 0}, 100, 102), 1);
    CHECK(change_feed_has_gaps(&f));
    CHECK_INT(change_feed_after(&f), 12);

    /* the next read starts below 13 and returns 14 again: only 13 is news */
    CHECK_INT(read_rows(&f, (const long long[]){13, 14, 0}, 101, 102), 1);
    CHECK(!change_feed_has_gaps(&f));
    CHECK_INT(change_feed_after(&f), 14);

    /* 15 rolled back: given up once every transaction before the read's
     * xmax (103) has ended, not before */
    CHECK_INT(read_rows(&f, (const long long[]){16, 0}, 102, 103), 1);
    CHECK_INT(change_feed_after(&f), 14);
    CHECK_INT(read_rows(&f, (const long long[]){16, 0}, 102, 104), 0);
    CHECK_INT(change_feed_after(&f), 14);
    CHECK_INT(read_rows(&f, (const long long[]){16, 0}, 103, 104), 0);
    CHECK(!change_feed_has_gaps(&f));
    CHECK_INT(change_feed_after(&f), 16);

    /* an id at or below the cursor is never news */
    CHECK_INT(change_feed_take(&f, 16), 0);
    CHECK_INT(change_feed_take(&f, 3), 0);

    /* two gaps, filled in reverse order */
    CHECK_INT(read_rows(&f, (const long long[]){19, 0}, 200, 205), 1);
    CHECK_INT(change_feed_after(&f), 16);
    CHECK_INT(read_rows(&f, (const long long[]){18, 19, 0}, 200, 206), 1);
    CHECK_INT(change_feed_after(&f), 16);
    CHECK_INT(read_rows(&f, (const long long[]){17, 18, 19, 0}, 206, 206), 1);
    CHECK_INT(change_feed_after(&f), 19);

    change_feed_free(&f);
    return check_summary();
}
