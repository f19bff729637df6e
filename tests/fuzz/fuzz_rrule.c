/* Event RRULEs (gis/event_recurrence.c): the check, then, for a rule it
 * accepts, the expansion with libical, which must end (EXPAND_MAX_STEPS)
 * with at most max local times. A refusal becomes a field error whose
 * "expected" is the check's message (as in api/events.c), which must
 * be complete: the message quotes the rule, cut to a number of bytes. */
#include "gis/event_recurrence.h"
#include "http/params.h"
#include "tests/fuzz/field_errors.h"

#define MAX 50

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * EVENT_RRULE_MAX)
        return 0;
    char *rrule = fuzz_cstr(data, size);
    char err[256], until[21]; /* as api/events.c */
    if (event_rrule_check(rrule, until, err, sizeof err) < 0) {
        FUZZ_CHECK(err[0] && memchr(err, '\0', sizeof err), "refused without a reason");
        json_t *errors = NULL;
        field_error_append(&errors, "rrule", err, rrule);
        fuzz_check_field_errors(errors);
        json_decref(errors);
        free(rrule);
        return 0;
    }
    FUZZ_CHECK(memchr(until, '\0', sizeof until), "UNTIL not terminated");
    static event_local_time out[MAX];
    int complete;
    /* a Monday 19:00, expanded at 2026-01-01T00:00:00Z */
    int n = event_rrule_expand(rrule, "2026-03-02 19:00:00", 1767225600, MAX, out, &complete,
                               err, sizeof err);
    FUZZ_CHECK(n >= -1 && n <= MAX, "%d occurrences", n);
    for (int i = 0; i < n; i++)
        FUZZ_CHECK(strlen(out[i]) == EVENT_LOCAL_LEN - 1, "occurrence %d: %s", i, out[i]);
    if (n > 0) {
        char *literal = event_local_times_literal(out, n);
        FUZZ_CHECK(literal && literal[0] == '{', "no array literal");
        free(literal);
    }
    free(rrule);
    return 0;
}
