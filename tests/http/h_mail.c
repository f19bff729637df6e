#include "h_mail.h"

#include <stdlib.h>
#include <string.h>

char *hm_wait_value(PGconn *db, const char *sql, const char *arg, const char *expected)
{
    const char *p[] = {arg};
    char *v = NULL;
    for (long long end = h_now_ms() + H_EVENT_DEADLINE_MS; h_now_ms() < end; h_sleep_ms(100)) {
        free(v);
        v = h_pg_value(db, sql, 1, p);
        if (v && !strcmp(v, expected))
            break;
    }
    return v;
}
