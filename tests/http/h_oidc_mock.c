#include "h_oidc_mock.h"

#include "auth/base64url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CODES 64
#define REQUEST_MAX 65536

struct code {
    char code[32], nonce[128], challenge[128], redirect_uri[512];
    int used;
};

static struct {
    pthread_mutex_t lock;
    int fd;
    char base[64];
    EVP_PKEY *key, *other_key;
    struct mock_person who;
    enum mock_fault fault;
    struct code codes[MAX_CODES];
    int ncodes;
    int verifier_refusals, jwks_fetches;
} M = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* ---- small helpers ---- */

static char *b64(const unsigned char *p, size_t len)
{
    char *out = malloc(base64url_size(len));
    base64url_encode(p, len, out);
    return out;
}

static char *b64_bn(EVP_PKEY *key, const char *name)
{
    BIGNUM *bn = NULL;
    EVP_PKEY_get_bn_param(key, name, &bn);
    int n = BN_num_bytes(bn);
    unsigned char *bytes = malloc((size_t)n);
    BN_bn2bin(bn, bytes);
    char *out = b64(bytes, (size_t)n);
    free(bytes);
    BN_free(bn);
    return out;
}

/* A query or form parameter, decoded (malloc'd), or NULL. */
static char *param(const char *query, const char *name)
{
    size_t nlen = strlen(name);
    for (const char *p = query; p && *p;) {
        const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
        if ((size_t)(end - p) > nlen && !strncmp(p, name, nlen) && p[nlen] == '=') {
            int outlen = 0;
            char *d = curl_easy_unescape(NULL, p + nlen + 1, (int)(end - p - nlen - 1), &outlen);
            char *copy = strdup(d);
            curl_free(d);
            for (char *c = copy; *c; c++) /* form encoding: + is a space */
                if (*c == '+')
                    *c = ' ';
            return copy;
        }
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

static void reply(int fd, int status, const char *extra_headers, const char *body)
{
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n%s\r\n",
                     status, strlen(body), extra_headers ? extra_headers : "");
    if (write(fd, head, (size_t)n) < 0 || write(fd, body, strlen(body)) < 0)
        return;
}

static void reply_json(int fd, int status, json_t *j)
{
    char *text = json_dumps(j, JSON_COMPACT);
    reply(fd, status, NULL, text);
    free(text);
    json_decref(j);
}

/* ---- the id_token ---- */

static char *sign_jwt(json_t *claims, EVP_PKEY *key, const char *kid, int corrupt)
{
    json_t *header = json_pack("{s:s,s:s,s:s}", "alg", "RS256", "typ", "JWT", "kid", kid);
    char *h = json_dumps(header, JSON_COMPACT), *c = json_dumps(claims, JSON_COMPACT);
    char *hb = b64((unsigned char *)h, strlen(h)), *cb = b64((unsigned char *)c, strlen(c));
    size_t inlen = strlen(hb) + strlen(cb) + 2;
    char *input = malloc(inlen);
    snprintf(input, inlen, "%s.%s", hb, cb);
    unsigned char sig[1024];
    size_t siglen = sizeof sig;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key);
    EVP_DigestSign(md, sig, &siglen, (unsigned char *)input, strlen(input));
    EVP_MD_CTX_free(md);
    if (corrupt)
        sig[siglen / 2] ^= 0x01;
    char *sb = b64(sig, siglen);
    size_t outlen = inlen + strlen(sb) + 2;
    char *out = malloc(outlen);
    snprintf(out, outlen, "%s.%s", input, sb);
    free(h), free(c), free(hb), free(cb), free(input), free(sb);
    json_decref(header);
    return out;
}

static char *id_token(const struct code *c)
{
    time_t now = time(NULL);
    enum mock_fault f = M.fault;
    json_t *claims = json_pack(
        "{s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:b}", "iss", M.base, "sub", M.who.subject, "aud",
        f == MOCK_WRONG_AUDIENCE ? "someone-else" : MOCK_CLIENT_ID, "iat",
        (json_int_t)(f == MOCK_EXPIRED ? now - 7200 : now), "exp",
        (json_int_t)(f == MOCK_EXPIRED ? now - 3600 : now + 300), "nonce",
        f == MOCK_WRONG_NONCE ? "not-the-nonce-polis-sent" : c->nonce, "name", M.who.name,
        "email", M.who.email, "email_verified", 1);
    char *t = f == MOCK_OTHER_KEY ? sign_jwt(claims, M.other_key, "k-unknown", 0)
                                  : sign_jwt(claims, M.key, "k1", f == MOCK_BAD_SIGNATURE);
    json_decref(claims);
    return t;
}

/* ---- the endpoints ---- */

static void authorize(int fd, const char *query)
{
    char *redirect = param(query, "redirect_uri"), *state = param(query, "state"),
         *nonce = param(query, "nonce"), *challenge = param(query, "code_challenge"),
         *method = param(query, "code_challenge_method"), *client = param(query, "client_id"),
         *type = param(query, "response_type");
    if (!redirect || !state || !nonce || !challenge || !method || strcmp(method, "S256") ||
        !client || strcmp(client, MOCK_CLIENT_ID) || !type || strcmp(type, "code") ||
        M.ncodes == MAX_CODES) {
        reply_json(fd, 400, json_pack("{s:s}", "error", "invalid_request"));
    } else {
        struct code *c = &M.codes[M.ncodes];
        snprintf(c->code, sizeof c->code, "code-%d-%ld", M.ncodes, (long)time(NULL));
        snprintf(c->nonce, sizeof c->nonce, "%s", nonce);
        snprintf(c->challenge, sizeof c->challenge, "%s", challenge);
        snprintf(c->redirect_uri, sizeof c->redirect_uri, "%s", redirect);
        M.ncodes++;
        char location[2048];
        char *st = curl_easy_escape(NULL, state, 0);
        snprintf(location, sizeof location, "Location: %s?code=%s&state=%s\r\n", redirect,
                 c->code, st);
        curl_free(st);
        reply(fd, 302, location, "{}");
    }
    free(redirect), free(state), free(nonce), free(challenge), free(method), free(client);
    free(type);
}

static int basic_ok(const char *authorization)
{
    /* client_secret_basic: both form-urlencoded, then user:pass in base64 */
    char *id = curl_easy_escape(NULL, MOCK_CLIENT_ID, 0),
         *secret = curl_easy_escape(NULL, MOCK_CLIENT_SECRET, 0);
    char pair[256];
    snprintf(pair, sizeof pair, "%s:%s", id, secret);
    curl_free(id);
    curl_free(secret);
    unsigned char b[512];
    int n = EVP_EncodeBlock(b, (unsigned char *)pair, (int)strlen(pair));
    char expected[600];
    snprintf(expected, sizeof expected, "Basic %.*s", n, b);
    return authorization && !strcmp(authorization, expected);
}

static void token(int fd, const char *body, const char *authorization)
{
    char *grant = param(body, "grant_type"), *code = param(body, "code"),
         *verifier = param(body, "code_verifier"), *redirect = param(body, "redirect_uri");
    struct code *c = NULL;
    for (int i = 0; code && i < M.ncodes; i++)
        if (!strcmp(M.codes[i].code, code))
            c = &M.codes[i];
    char *challenge = NULL;
    if (verifier) {
        unsigned char d[SHA256_DIGEST_LENGTH];
        SHA256((unsigned char *)verifier, strlen(verifier), d);
        challenge = b64(d, sizeof d);
    }
    if (!basic_ok(authorization)) {
        reply_json(fd, 401, json_pack("{s:s}", "error", "invalid_client"));
    } else if (!grant || strcmp(grant, "authorization_code") || !c || c->used || !redirect ||
               strcmp(redirect, c->redirect_uri)) {
        reply_json(fd, 400, json_pack("{s:s}", "error", "invalid_grant"));
    } else if (!challenge || strcmp(challenge, c->challenge)) {
        M.verifier_refusals++;
        reply_json(fd, 400, json_pack("{s:s,s:s}", "error", "invalid_grant",
                                      "error_description", "code_verifier does not match"));
    } else {
        c->used = 1;
        char *t = id_token(c);
        reply_json(fd, 200, json_pack("{s:s,s:s,s:s,s:i}", "access_token", "at-for-userinfo",
                                      "token_type", "Bearer", "id_token", t, "expires_in", 300));
        free(t);
    }
    free(grant), free(code), free(verifier), free(redirect), free(challenge);
}

static void userinfo(int fd, const char *authorization)
{
    if (!authorization || strcmp(authorization, "Bearer at-for-userinfo"))
        reply_json(fd, 401, json_pack("{s:s}", "error", "invalid_token"));
    else
        reply_json(fd, 200, json_pack("{s:s,s:s}", "sub", M.who.subject, "tax_number",
                                      M.who.tax_number));
}

static void jwks(int fd)
{
    M.jwks_fetches++;
    char *n = b64_bn(M.key, OSSL_PKEY_PARAM_RSA_N), *e = b64_bn(M.key, OSSL_PKEY_PARAM_RSA_E);
    reply_json(fd, 200, json_pack("{s:[{s:s,s:s,s:s,s:s,s:s,s:s}]}", "keys", "kty", "RSA", "kid",
                                  "k1", "use", "sig", "alg", "RS256", "n", n, "e", e));
    free(n);
    free(e);
}

static void discovery(int fd)
{
    char a[128], t[128], j[128], u[128];
    snprintf(a, sizeof a, "%s/authorize", M.base);
    snprintf(t, sizeof t, "%s/token", M.base);
    snprintf(j, sizeof j, "%s/jwks", M.base);
    snprintf(u, sizeof u, "%s/userinfo", M.base);
    reply_json(fd, 200, json_pack("{s:s,s:s,s:s,s:s,s:s}", "issuer", M.base,
                                  "authorization_endpoint", a, "token_endpoint", t, "jwks_uri",
                                  j, "userinfo_endpoint", u));
}

/* The value of header name in the request head (malloc'd), or NULL. */
static char *header(const char *head, const char *name)
{
    size_t nlen = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n"))
        if (!strncasecmp(p + 2, name, nlen) && p[2 + nlen] == ':') {
            const char *v = p + 3 + nlen;
            while (*v == ' ')
                v++;
            return strndup(v, strcspn(v, "\r\n"));
        }
    return NULL;
}

static void serve_one(int fd)
{
    char *buf = malloc(REQUEST_MAX + 1);
    size_t len = 0;
    char *end = NULL;
    long content_length = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, REQUEST_MAX - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = '\0';
        if (!end && (end = strstr(buf, "\r\n\r\n"))) {
            char *cl = header(buf, "Content-Length");
            content_length = cl ? atol(cl) : 0;
            free(cl);
        }
        if (end && len >= (size_t)(end + 4 - buf) + (size_t)content_length)
            break;
    }
    if (!end) {
        free(buf);
        return;
    }
    *end = '\0';
    char method[8] = "", target[2048] = "";
    sscanf(buf, "%7s %2047s", method, target);
    char *query = strchr(target, '?');
    if (query)
        *query++ = '\0';
    char *authorization = header(buf, "Authorization");
    pthread_mutex_lock(&M.lock);
    if (!strcmp(target, "/.well-known/openid-configuration"))
        discovery(fd);
    else if (!strcmp(target, "/jwks"))
        jwks(fd);
    else if (!strcmp(target, "/authorize"))
        authorize(fd, query);
    else if (!strcmp(target, "/token") && !strcmp(method, "POST"))
        token(fd, end + 4, authorization);
    else if (!strcmp(target, "/userinfo"))
        userinfo(fd, authorization);
    else
        reply_json(fd, 404, json_pack("{s:s}", "error", "not_found"));
    pthread_mutex_unlock(&M.lock);
    free(authorization);
    free(buf);
}

static void *accept_loop(void *unused)
{
    (void)unused;
    for (;;) {
        int fd = accept(M.fd, NULL, NULL);
        if (fd < 0)
            continue;
        serve_one(fd);
        close(fd);
    }
    return NULL;
}

const char *mock_start(void)
{
    M.key = EVP_RSA_gen(2048);
    M.other_key = EVP_RSA_gen(2048);
    M.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (!M.key || !M.other_key || M.fd < 0 || bind(M.fd, (struct sockaddr *)&a, sizeof a) ||
        listen(M.fd, 16) || getsockname(M.fd, (struct sockaddr *)&a, &alen))
        return NULL;
    snprintf(M.base, sizeof M.base, "http://127.0.0.1:%d", ntohs(a.sin_port));
    pthread_t t;
    pthread_create(&t, NULL, accept_loop, NULL);
    pthread_detach(t);
    return M.base;
}

void mock_set(const struct mock_person *who, enum mock_fault fault)
{
    pthread_mutex_lock(&M.lock);
    M.who = *who;
    M.fault = fault;
    pthread_mutex_unlock(&M.lock);
}

int mock_verifier_refusals(void)
{
    pthread_mutex_lock(&M.lock);
    int n = M.verifier_refusals;
    pthread_mutex_unlock(&M.lock);
    return n;
}

int mock_jwks_fetches(void)
{
    pthread_mutex_lock(&M.lock);
    int n = M.jwks_fetches;
    pthread_mutex_unlock(&M.lock);
    return n;
}
