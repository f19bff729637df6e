/* GET /api/v1/documents/{id}: a signed document polis issued (an answer or
 * a receipt), as the PDF file stored when it was issued, for its addressee
 * (the application's applicant), staff of the application's department and
 * admins; for anyone else it does not exist (404). Saved under a name made
 * of its protocol number; never sniffed, never cached by others. The file is
 * read whole (a letter: tens of kilobytes, from the page cache in practice). */
#include "services/application_steps_sql.h"
#include "api/application_steps.h"
#include "http/identity.h"
#include "http/polis.h"
#include "http/respond.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define DOCUMENT_MAX_BYTES (64L << 20)

/* Reads POLIS_VAR/documents/name whole into the request pool. */
static char *read_document(struct exchange *ex, const char *name, size_t *len)
{
    const char *path = exchange_printf(ex, "%s/documents/%s", ex->app->cfg.var_dir, name);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    struct stat st;
    char *buf = NULL;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        st.st_size <= DOCUMENT_MAX_BYTES) {
        buf = h2o_mem_alloc_pool(&ex->req->pool, (size_t)st.st_size);
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        *len = got;
        if (got != (size_t)st.st_size)
            buf = NULL;
    }
    if (fd >= 0)
        close(fd);
    return buf;
}

static void document_found(struct exchange *ex, PGresult *res)
{
    if (respond_db_failure_or_missing(ex->req, res, "there is no document %s",
                                      ex->path_params[0]))
        return;
    size_t len = 0;
    char *pdf = read_document(ex, PQgetvalue(res, 0, DOCUMENT_FILE_NAME), &len);
    if (!pdf) {
        fprintf(stderr, "polis: document %s: its file %s cannot be read\n", ex->path_params[0],
                PQgetvalue(res, 0, DOCUMENT_FILE_NAME));
        respond_problem(ex->req, 500, "about:blank", "Internal Server Error", NULL,
                        "the file of document %s cannot be read", ex->path_params[0]);
        return;
    }
    respond_private(ex->req);
    respond_header(ex->req, "x-content-type-options", "nosniff");
    respond_header(ex->req, "content-disposition",
                   exchange_printf(ex, "attachment; filename=\"%s\"",
                                   PQgetvalue(res, 0, DOCUMENT_FILE_DOWNLOAD)));
    respond_bytes(ex->req, 200, "application/pdf", pdf, len);
}

void api_documents_get(struct exchange *ex)
{
    long id;
    if (respond_bad_path_id(ex->req, &ex->query, ex->path_params[0], "document", &id))
        return;
    const char *args[DOCUMENT_FILE_NPARAMS] = {exchange_printf(ex, "%ld", id)};
    identity_viewer_args(ex, args + DOCUMENT_FILE_P_VIEWER_USER);
    exchange_query_prepared(ex, DOCUMENT_FILE_SQL, DOCUMENT_FILE_NPARAMS, args, document_found);
}
