/* Route handlers, one file per API (server/api_*.c). The route table that
 * maps paths to them is server/routes.c. */
#ifndef POLIS_API_H
#define POLIS_API_H

#include "server/exchange.h"

/* api_health.c */
void api_healthz(struct exchange *ex);
void api_readyz(struct exchange *ex);
void api_metrics(struct exchange *ex);

/* api_boundaries.c */
void api_boundaries_list(struct exchange *ex);
void api_boundaries_get(struct exchange *ex);
void api_locate(struct exchange *ex);

/* api_auth.c */
void api_auth_register(struct exchange *ex);
void api_auth_confirm(struct exchange *ex);
void api_auth_login(struct exchange *ex);
void api_auth_logout(struct exchange *ex);
void api_me(struct exchange *ex);

/* api_index.c */
void api_index(struct exchange *ex);

#endif
