/* polis signing demo-cert DIR: a self-signed key and certificate for
 * signing answer documents (services/pdf_sign.h) in a demo or a test,
 * written as DIR/signing-key.pem (mode 0600) and DIR/signing-cert.pem; point
 * POLIS_SIGNING_KEY and POLIS_SIGNING_CERT at them. The key is ECDSA P-256,
 * the certificate's CN the municipality's name (--name, else the served
 * municipality's name_el from the database), valid for three years. A PDF
 * reader shows such a signature as valid but its signer as unknown: a
 * municipality signs with the certificate its trust service gave it. */
#include "cli/cli.h"
#include "cli/commands.h"
#include "gis/municipality_sql.h"
#include "http/config.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CMD "polis signing demo-cert"
#define VALID_DAYS (3 * 365)

static void usage(FILE *out)
{
    fprintf(out,
            "usage: polis signing demo-cert DIR [--name NAME]\n"
            "\n"
            "Writes a self-signed ECDSA P-256 key and certificate for signing answer\n"
            "documents into DIR/signing-key.pem (mode 0600) and DIR/signing-cert.pem (for\n"
            "POLIS_SIGNING_KEY and POLIS_SIGNING_CERT). The certificate's CN is NAME, or\n"
            "the served municipality's Greek name from POLIS_DATABASE_URL. Existing files\n"
            "are never overwritten. For demos and tests: readers show the signature as\n"
            "valid and its signer as unknown.\n");
}

/* The served municipality's name_el, from its boundary row. */
static int municipality_name(char *name, size_t len)
{
    struct polis_config cfg;
    if (cli_config(CMD, &cfg))
        return -1;
    PGconn *db = cli_connect(CMD);
    if (!db)
        return -1;
    const char *args[] = {cfg.municipality};
    PGresult *res = PQexecParams(db, MUNICIPALITY_GET_SQL, 1, NULL, args, NULL, NULL, 0);
    json_t *m = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1
                    ? json_loads(PQgetvalue(res, 0, MUNICIPALITY_GET_JSON), 0, NULL)
                    : NULL;
    const char *el = json_string_value(json_object_get(m, "name_el"));
    int rc = el ? 0 : -1;
    if (el)
        snprintf(name, len, "%s", el);
    else
        fprintf(stderr, "%s: the served municipality %s is not loaded (%s); give --name\n", CMD,
                cfg.municipality, PQresultStatus(res) == PGRES_TUPLES_OK
                                      ? "polis demo load"
                                      : PQresultErrorMessage(res));
    json_decref(m);
    PQclear(res);
    PQfinish(db);
    return rc;
}

static int add_ext(X509 *x, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    int ok = e && X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    return ok;
}

/* A self-signed certificate of key for name. */
static X509 *self_signed(EVP_PKEY *key, const char *name)
{
    X509 *x = X509_new();
    unsigned char serial[16];
    BIGNUM *bn = NULL;
    int ok = x && RAND_bytes(serial, sizeof serial) == 1;
    serial[0] &= 0x7f; /* positive */
    ok = ok && (bn = BN_bin2bn(serial, sizeof serial, NULL)) &&
         BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) && X509_set_version(x, 2) &&
         X509_gmtime_adj(X509_getm_notBefore(x), 0) &&
         X509_gmtime_adj(X509_getm_notAfter(x), (long)VALID_DAYS * 86400) &&
         X509_set_pubkey(x, key);
    X509_NAME *n = x ? X509_get_subject_name(x) : NULL;
    ok = ok && X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"GR", -1,
                                          -1, 0) &&
         X509_NAME_add_entry_by_txt(n, "O", MBSTRING_UTF8,
                                    (const unsigned char *)"polis demo (not for real documents)",
                                    -1, -1, 0) &&
         X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)name, -1, -1,
                                    0) &&
         X509_set_issuer_name(x, n) &&
         add_ext(x, NID_basic_constraints, "critical,CA:FALSE") &&
         add_ext(x, NID_key_usage, "critical,digitalSignature,nonRepudiation") &&
         add_ext(x, NID_subject_key_identifier, "hash") && X509_sign(x, key, EVP_sha256()) > 0;
    BN_free(bn);
    if (!ok) {
        X509_free(x);
        return NULL;
    }
    return x;
}

/* Creates path with mode (never an existing file) and writes the PEM. */
static int write_pem(const char *path, mode_t mode, EVP_PKEY *key, X509 *cert)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "%s: %s: %s\n", CMD, path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int ok = key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL)
                 : PEM_write_X509(f, cert);
    ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "%s: writing %s failed\n", CMD, path);
        unlink(path);
    }
    return ok ? 0 : -1;
}

static int demo_cert(const char *dir, const char *name)
{
    char key_path[4096], cert_path[4096];
    if (snprintf(key_path, sizeof key_path, "%s/signing-key.pem", dir) >= (int)sizeof key_path ||
        snprintf(cert_path, sizeof cert_path, "%s/signing-cert.pem", dir) >=
            (int)sizeof cert_path) {
        fprintf(stderr, "%s: the directory name is too long\n", CMD);
        return 2;
    }
    if (access(key_path, F_OK) == 0 || access(cert_path, F_OK) == 0) {
        fprintf(stderr, "%s: %s or %s exists already; not overwritten\n", CMD, key_path,
                cert_path);
        return 1;
    }
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = key ? self_signed(key, name) : NULL;
    int rc = 1;
    if (!cert) {
        char why[256] = "unknown reason";
        ERR_error_string_n(ERR_get_error(), why, sizeof why);
        fprintf(stderr, "%s: making the key and certificate failed: %s\n", CMD, why);
    } else if (write_pem(key_path, 0600, key, NULL) == 0) {
        if (write_pem(cert_path, 0644, NULL, cert) == 0) {
            fprintf(stderr, "%s: wrote %s and %s (CN=%s)\n", CMD, key_path, cert_path, name);
            rc = 0;
        } else {
            unlink(key_path);
        }
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    return rc;
}

int cmd_signing(int argc, char **argv)
{
    if (cli_help(argc, argv, 1, usage))
        return 0;
    if (cli_subcommand("polis signing", argc, argv, "demo-cert", usage))
        return 2;
    const char *dir = NULL, *name = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--name") && i + 1 < argc && *argv[i + 1])
            name = argv[++i];
        else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, "%s: unexpected \"%s\"\n\n", CMD, argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!dir) {
        usage(stderr);
        return 2;
    }
    char from_db[512];
    if (!name) {
        if (municipality_name(from_db, sizeof from_db))
            return 1;
        name = from_db;
    }
    return demo_cert(dir, name);
}
