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

/* api_account.c */
void api_auth_password(struct exchange *ex);
void api_auth_reset_request(struct exchange *ex);
void api_auth_reset(struct exchange *ex);
void api_me_export(struct exchange *ex);
void api_me_delete(struct exchange *ex);

/* api_keys.c */
void api_me_keys_create(struct exchange *ex);
void api_me_keys_list(struct exchange *ex);
void api_me_keys_delete(struct exchange *ex);
void api_admin_user_keys_create(struct exchange *ex);

/* api_admin.c */
void api_admin_users_list(struct exchange *ex);
void api_admin_users_create(struct exchange *ex);
void api_admin_audit(struct exchange *ex);

/* api_tiles.c */
void api_tiles_catalog(struct exchange *ex);
void api_tiles_tilejson(struct exchange *ex);
void api_tiles_get(struct exchange *ex);

/* api_index.c */
void api_index(struct exchange *ex);

#endif
