#include "api/actor.h"

#include <string.h>

void actor_args(struct exchange *ex, const char *out[AUDIT_ACTOR_NPARAMS])
{
    const struct identity *who = &ex->who;
    out[0] = who->user_id ? exchange_printf(ex, "%ld", who->user_id) : NULL;
    out[1] = who->key_id ? exchange_printf(ex, "%ld", who->key_id) : NULL;
    out[2] = who->email ? who->email : "anonymous";
    out[3] = strcmp(ex->client_ip, "unknown") ? ex->client_ip : NULL;
}
