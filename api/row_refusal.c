#include "api/row_refusal.h"
#include "http/respond.h"

static int is_true(const PGresult *res, int column)
{
    return PQgetvalue(res, 0, column)[0] == 't';
}

int row_refused_or_missing(struct exchange *ex, const PGresult *res, int may_column,
                           int exists_column, void (*forbidden)(struct exchange *ex),
                           void (*missing)(struct exchange *ex))
{
    if (respond_db_failure(ex->req, res))
        return 1;
    if (!is_true(res, may_column)) {
        forbidden(ex);
        return 1;
    }
    if (!is_true(res, exists_column)) {
        missing(ex);
        return 1;
    }
    return 0;
}
