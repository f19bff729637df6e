#include "notify/change_feed.h"

#include <stdlib.h>
#include <string.h>

void change_feed_init(struct change_feed *f, int64_t start_id)
{
    memset(f, 0, sizeof *f);
    f->low = f->high = start_id;
}

void change_feed_free(struct change_feed *f)
{
    free(f->gaps);
    free(f->seen);
    memset(f, 0, sizeof *f);
}

int64_t change_feed_after(const struct change_feed *f)
{
    return f->low;
}

int change_feed_has_gaps(const struct change_feed *f)
{
    return f->ngaps > 0;
}

size_t change_feed_id_index(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t seen_index(const struct change_feed *f, int64_t id)
{
    return change_feed_id_index(f->seen, f->nseen, id);
}

static size_t gap_index(const struct change_feed *f, int64_t id)
{
    size_t lo = 0, hi = f->ngaps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->gaps[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need)
        ncap *= 2;
    void *n = realloc(*arr, ncap * elem);
    if (!n)
        return -1;
    *arr = n;
    *cap = ncap;
    return 0;
}

int change_feed_take(struct change_feed *f, int64_t id)
{
    if (id <= f->low)
        return 0;
    size_t at = seen_index(f, id);
    if (at < f->nseen && f->seen[at] == id)
        return 0;
    size_t g = gap_index(f, id);
    if (g < f->ngaps && f->gaps[g].id == id) { /* a late commit fills its gap */
        memmove(&f->gaps[g], &f->gaps[g + 1], (f->ngaps - g - 1) * sizeof *f->gaps);
        f->ngaps--;
    }
    if (grow((void **)&f->seen, &f->seen_cap, f->nseen + 1, sizeof *f->seen))
        return -1;
    memmove(&f->seen[at + 1], &f->seen[at], (f->nseen - at) * sizeof *f->seen);
    f->seen[at] = id;
    f->nseen++;
    if (id > f->high)
        f->high = id;
    return 1;
}

/* the ids between low and high that were neither read nor are gaps yet
 * become gaps, open until every transaction before until_xid has ended */
static void record_new_gaps(struct change_feed *f, uint64_t until_xid)
{
    size_t s = 0;
    for (int64_t id = f->low + 1; id < f->high; id++) {
        while (s < f->nseen && f->seen[s] < id)
            s++;
        if (s < f->nseen && f->seen[s] == id)
            continue;
        size_t g = gap_index(f, id);
        if (g < f->ngaps && f->gaps[g].id == id)
            continue;
        if (f->ngaps >= CHANGE_FEED_MAX_GAPS ||
            grow((void **)&f->gaps, &f->gaps_cap, f->ngaps + 1, sizeof *f->gaps))
            return; /* too many at once (a large rollback): the rest are given up */
        memmove(&f->gaps[g + 1], &f->gaps[g], (f->ngaps - g) * sizeof *f->gaps);
        f->gaps[g].id = id;
        f->gaps[g].until_xid = until_xid;
        f->ngaps++;
    }
}

void change_feed_end_read(struct change_feed *f, uint64_t snapshot_xmin, uint64_t snapshot_xmax)
{
    record_new_gaps(f, snapshot_xmax);
    size_t kept = 0;
    for (size_t i = 0; i < f->ngaps; i++)
        if (f->gaps[i].until_xid > snapshot_xmin)
            f->gaps[kept++] = f->gaps[i];
    f->ngaps = kept;
    /* a gap held open for long (a transaction elsewhere that never ends)
     * must not hold unbounded memory: give up the oldest */
    while (f->ngaps && f->nseen > CHANGE_FEED_MAX_SEEN) {
        memmove(&f->gaps[0], &f->gaps[1], (f->ngaps - 1) * sizeof *f->gaps);
        f->ngaps--;
        int64_t settled = f->ngaps ? f->gaps[0].id - 1 : f->high;
        size_t drop = seen_index(f, settled + 1);
        if (drop)
            memmove(f->seen, f->seen + drop, (f->nseen - drop) * sizeof *f->seen);
        f->nseen -= drop;
    }
    f->low = f->ngaps ? f->gaps[0].id - 1 : f->high;
    size_t drop = seen_index(f, f->low + 1);
    if (drop) /* f->seen is NULL while nothing was ever seen */
        memmove(f->seen, f->seen + drop, (f->nseen - drop) * sizeof *f->seen);
    f->nseen -= drop;
}
