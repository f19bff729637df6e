/* Open311 GeoReport v2 as an Open311 app sees it: the spec's example calls
 * (discovery, services, a service definition, POST requests with api_key,
 * GET requests / one request / tokens) answer in the spec's shapes, in JSON
 * and in XML that xmllint accepts; errors come in the spec's error format;
 * a private category's requests never appear. */
#include "h_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct h_server *srv;

/* Writes body to a temp file and runs xmllint --noout on it. */
static void check_xml(const char *what, const struct h_resp *r)
{
    char path[] = "/tmp/polis-open311-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, r->body, r->len) != (ssize_t)r->len)
        h_fatal("cannot write %s", path);
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "xmllint --noout %s 2>&1", path);
    int rc = system(cmd);
    CHECK(rc == 0, "%s: xmllint rejects the XML answer: %.300s", what, r->body);
    CHECK(!strcmp(r->media_type, "text/xml"), "%s: expected text/xml, found %s", what,
          r->media_type);
    unlink(path);
}

static void get_xml(const char *path, const char *must_contain)
{
    struct h_resp r;
    h_get(srv, path, &r);
    CHECK(r.status == 200, "GET %s: expected 200, found %ld %.200s", path, r.status, r.body);
    check_xml(path, &r);
    CHECK_HAS(path, r.body, must_contain);
    h_resp_free(&r);
}

/* An Open311 error: the status, and [{"code": status, "description": ...}]. */
static void check_error(const char *what, const struct h_resp *r, long status,
                        const char *description_part)
{
    CHECK(r->status == status, "%s: expected %ld, found %ld %.300s", what, status, r->status,
          r->body);
    json_t *e = r->json ? json_array_get(r->json, 0) : NULL;
    CHECK(e && json_integer_value(json_object_get(e, "code")) == status,
          "%s: expected [{\"code\":%ld,...}], found %.300s", what, status, r->body);
    const char *d = e ? json_string_value(json_object_get(e, "description")) : NULL;
    CHECK(d && strstr(d, description_part), "%s: description should mention \"%s\": %.300s",
          what, description_part, r->body);
}

static long post_request(const char *form, struct h_resp *r)
{
    h_post(srv, "/open311/v2/requests.json", "application/x-www-form-urlencoded", form, r);
    if (r->status != 201 || !r->json)
        return 0;
    return atol(json_string_value(json_object_get(json_array_get(r->json, 0),
                                                  "service_request_id")) ?: "0");
}

/* 1 when the requests.json answer at path lists request id. */
static int lists_request(const char *path, long id)
{
    struct h_resp r;
    h_get(srv, path, &r);
    CHECK(r.status == 200 && json_is_array(r.json), "GET %s: expected 200 and an array, found "
          "%ld %.300s", path, r.status, r.body);
    int found = 0;
    size_t i;
    json_t *q;
    json_array_foreach(r.json, i, q) {
        const char *sid = json_string_value(json_object_get(q, "service_request_id"));
        found |= sid && atol(sid) == id;
    }
    h_resp_free(&r);
    return found;
}

/* The GeoReport v2 points clients rely on: status as a comma-separated
 * list, an empty optional argument treated as absent, the 4,000-character
 * description, service_request_id and token in a POST answer, and another
 * municipality's jurisdiction_id unknown (404). */
static void spec_points(const char *url, const char *key)
{
    struct h_resp r;
    char form[1024];
    snprintf(form, sizeof form, "api_key=%s&service_code=cleaning&lat=41.0912&long=23.5490"
             "&description=Still+open&email=&phone=&media_url=&address_string=", key);
    long open_id = post_request(form, &r);
    CHECK(open_id > 0, "POST with empty optional arguments: expected 201, found %ld %.300s",
          r.status, r.body);
    json_t *a = json_array_get(r.json, 0);
    const char *sid = json_string_value(json_object_get(a, "service_request_id"));
    const char *token = json_string_value(json_object_get(a, "token"));
    CHECK(sid && token, "POST answer carries service_request_id and token: %.300s", r.body);
    h_resp_free(&r);
    snprintf(form, sizeof form, "api_key=%s&service_code=cleaning&lat=41.0912&long=23.5490"
             "&description=Fixed+already", key);
    h_post(srv, "/open311/v2/requests.xml", "application/x-www-form-urlencoded", form, &r);
    CHECK_INT("POST requests.xml", r.status, 201);
    check_xml("POST requests.xml", &r);
    CHECK_HAS("XML POST answer", r.body, "<service_request_id>");
    CHECK_HAS("XML POST answer", r.body, "<token>");
    const char *x = strstr(r.body, "<service_request_id>");
    long closed_id = x ? atol(x + strlen("<service_request_id>")) : 0;
    h_resp_free(&r);
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE reports SET status = 'resolved', resolved_at = now()"
             " WHERE id = %ld", closed_id);
    h_owner_exec(url, sql);

    /* status: one value, both, and an empty one (absent) */
    static const char list[] = "/open311/v2/requests.json?service_code=cleaning&page_size=100";
    char path[512];
    snprintf(path, sizeof path, "%s&status=open,closed", list);
    CHECK(lists_request(path, open_id) && lists_request(path, closed_id),
          "status=open,closed lists the open and the closed request");
    snprintf(path, sizeof path, "%s&status=closed", list);
    CHECK(lists_request(path, closed_id) && !lists_request(path, open_id),
          "status=closed lists only the closed request");
    snprintf(path, sizeof path, "%s&status=open", list);
    CHECK(lists_request(path, open_id) && !lists_request(path, closed_id),
          "status=open lists only the open request");
    snprintf(path, sizeof path, "/open311/v2/requests.json?page_size=100&status=&service_code="
             "&start_date=&end_date=&jurisdiction_id=&lang=");
    CHECK(lists_request(path, open_id) && lists_request(path, closed_id),
          "empty optional arguments are absent: both requests listed");
    h_get(srv, "/open311/v2/requests.json?status=open,pending", &r);
    check_error("status=open,pending", &r, 400, "open, closed, or both");
    h_resp_free(&r);

    /* description: 4,000 characters (Greek ones are 2 bytes each) pass, 4,001 do not */
    size_t cap = 64 + 4001 * 6 + strlen(key);
    char *big = malloc(cap);
    int n = snprintf(big, cap, "api_key=%s&service_code=cleaning&lat=41.0912&long=23.5490"
                     "&description=", key);
    for (int k = 0; k < 4000; k++)
        n += snprintf(big + n, cap - (size_t)n, "%%CE%%B1"); /* α */
    long greek_id = post_request(big, &r);
    CHECK(greek_id > 0, "a description of 4000 Greek characters: expected 201, found %ld %.200s",
          r.status, r.body);
    h_resp_free(&r);
    snprintf(big + n, cap - (size_t)n, "a");
    post_request(big, &r);
    check_error("a description of 4001 characters", &r, 400, "at most 4000 characters");
    h_resp_free(&r);
    free(big);

    /* jurisdiction_id: the served municipality is accepted, another is 404 */
    snprintf(form, sizeof form, "api_key=%s&jurisdiction_id=9031&service_code=cleaning"
             "&lat=41.0912&long=23.5490&description=Wrong+town", key);
    post_request(form, &r);
    check_error("POST with another jurisdiction_id", &r, 404, "jurisdiction_id");
    h_resp_free(&r);
    h_get(srv, "/open311/v2/requests.json?jurisdiction_id=9031", &r);
    check_error("GET requests with another jurisdiction_id", &r, 404, "jurisdiction_id");
    h_resp_free(&r);
    snprintf(path, sizeof path, "/open311/v2/requests/%ld.json?jurisdiction_id=9054", open_id);
    h_get(srv, path, &r);
    CHECK_INT("GET one request with the served jurisdiction_id", r.status, 200);
    h_resp_free(&r);
}

int main(void)
{
    h_init("test_open311", 240);
    h_require_tool("xmllint");
    const char *url = h_shared_dburl();
    PGconn *db = h_pg_connect(url);
    struct h_server s;
    const char *env[] = {"POLIS_RATE_REGISTER=100000", "POLIS_RATE_LOGIN=100000",
                         "POLIS_RATE_ANON_WRITE=100000", NULL};
    if (h_server_start(&s, url, env) != 0)
        return h_finish();
    srv = &s;
    struct h_resp r;

    /* an app's API key with the report scope */
    struct ha_user app;
    if (ha_new_user(&s, db, "open311-app", &app))
        return h_finish();
    char key[128], read_key[128];
    CHECK(ha_make_key(&s, &app, "open311 app", "[\"report\"]", key, sizeof key) == 201,
          "create an API key with the report scope");
    CHECK(ha_make_key(&s, &app, "reader", "[\"read\"]", read_key, sizeof read_key) == 201,
          "create an API key with the read scope");

    /* discovery, services, a service definition: JSON and XML */
    h_get(&s, "/open311/v2/discovery.json", &r);
    CHECK(r.status == 200 && json_is_array(json_object_get(r.json, "endpoints")),
          "discovery.json has endpoints: %.300s", r.body);
    h_resp_free(&r);
    get_xml("/open311/v2/discovery.xml", "<discovery><changeset>");
    h_get(&s, "/open311/v2/services.json?jurisdiction_id=9054", &r);
    CHECK(r.status == 200 && json_is_array(r.json), "services.json is an array: %.200s", r.body);
    int found_cleaning = 0;
    size_t i;
    json_t *svc;
    json_array_foreach(r.json, i, svc)
    {
        const char *code = json_string_value(json_object_get(svc, "service_code"));
        if (code && !strcmp(code, "cleaning")) {
            found_cleaning = 1;
            CHECK_STR("cleaning's Greek service_name",
                      json_string_value(json_object_get(svc, "service_name")),
                      "Καθαριότητα και απορρίμματα");
            CHECK(json_is_true(json_object_get(svc, "metadata")),
                  "cleaning has attributes: metadata true");
            CHECK_STR("type", json_string_value(json_object_get(svc, "type")), "realtime");
        }
    }
    CHECK(found_cleaning, "services.json lists cleaning: %.300s", r.body);
    h_resp_free(&r);
    get_xml("/open311/v2/services.xml", "<services><service><service_code>");
    get_xml("/open311/v2/services.xml?lang=en", "Cleaning");
    h_get(&s, "/open311/v2/services/cleaning.json", &r);
    json_t *attr = json_array_get(json_object_get(r.json, "attributes"), 0);
    CHECK(r.status == 200 && attr, "cleaning.json has attributes: %.300s", r.body);
    CHECK_STR("first attribute code", json_string_value(json_object_get(attr, "code")),
              "bin_type");
    CHECK(json_is_true(json_object_get(attr, "variable")), "attribute variable is true");
    CHECK(json_array_size(json_object_get(attr, "values")) >= 2, "bin_type lists its values");
    h_resp_free(&r);
    get_xml("/open311/v2/services/cleaning.xml",
            "<service_definition><service_code>cleaning</service_code><attributes><attribute>");

    /* POST requests.json, as the spec's example: api_key and form fields */
    char form[2048];
    snprintf(form, sizeof form,
             "api_key=%s&jurisdiction_id=9054&service_code=cleaning&lat=41.0912&long=23.5490"
             "&address_string=%%CE%%95%%CF%%81%%CE%%BC%%CE%%BF%%CF%%8D+10&email=maria%%40example.gr"
             "&device_id=abc&account_id=1&first_name=Maria&last_name=Papadopoulou"
             "&phone=2321000000&description=Overflowing+bins+on+the+corner"
             "&media_url=https%%3A%%2F%%2Fexample.gr%%2Fbin.jpg&attribute%%5Bbin_type%%5D=recycling",
             key);
    /* the app's reports, and an anonymous one the test may wrongly have
     * stored: other tests file reports at the same time */
    static const char own_reports[] =
        "user_id = $1::bigint OR (user_id IS NULL AND description = 'no key here')";
    char app_id[24];
    snprintf(app_id, sizeof app_id, "%ld", app.id);
    long before = ha_count_where(db, "reports", own_reports, app_id);
    long id = post_request(form, &r);
    CHECK(id > 0, "POST requests.json: expected 201 with a service_request_id, found %ld %.300s",
          r.status, r.body);
    CHECK(json_object_get(json_array_get(r.json, 0), "service_notice") != NULL,
          "POST answer has service_notice: %.300s", r.body);
    h_resp_free(&r);
    CHECK_INT("reports stored by the app", ha_count_where(db, "reports", own_reports, app_id),
              before + 1);

    char path[256];
    snprintf(path, sizeof path, "/open311/v2/requests/%ld.json", id);
    h_get(&s, path, &r);
    json_t *req = json_array_get(r.json, 0);
    CHECK(r.status == 200 && req, "GET %s: %ld %.300s", path, r.status, r.body);
    CHECK_STR("status", json_string_value(json_object_get(req, "status")), "open");
    CHECK_STR("service_code", json_string_value(json_object_get(req, "service_code")), "cleaning");
    CHECK_STR("address (Greek intact)", json_string_value(json_object_get(req, "address")),
              "Ερμού 10");
    CHECK_STR("media_url", json_string_value(json_object_get(req, "media_url")),
              "https://example.gr/bin.jpg");
    CHECK(json_number_value(json_object_get(req, "lat")) > 41.09 &&
              json_number_value(json_object_get(req, "long")) > 23.54,
          "lat/long of the request: %.300s", r.body);
    CHECK(!strstr(r.body, "maria@example.gr") && !strstr(r.body, "2321000000") &&
              !strstr(r.body, "Papadopoulou"),
          "no personal data in Open311 output: %.300s", r.body);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/open311/v2/requests/%ld.xml", id);
    get_xml(path, "<service_requests><request><service_request_id>");
    snprintf(path, sizeof path, "/open311/v2/tokens/%ld.json", id);
    h_get(&s, path, &r);
    CHECK(r.status == 200 && json_array_size(r.json) == 1, "tokens/{id}: %ld %.200s", r.status,
          r.body);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/open311/v2/requests.json?service_request_id=%ld", id);
    h_get(&s, path, &r);
    CHECK(r.status == 200 && json_array_size(r.json) == 1, "requests by id: %.200s", r.body);
    h_resp_free(&r);
    h_get(&s, "/open311/v2/requests.json?service_code=cleaning&status=open&page_size=5", &r);
    CHECK(r.status == 200 && json_array_size(r.json) >= 1 && json_array_size(r.json) <= 5,
          "requests filtered by service and status: %.200s", r.body);
    h_resp_free(&r);
    get_xml("/open311/v2/requests.xml?status=open", "<service_requests>");

    /* a private category: filed, but never in any Open311 answer */
    snprintf(form, sizeof form,
             "api_key=%s&service_code=incidents&lat=41.0912&long=23.5490"
             "&description=Someone+needs+help+here",
             key);
    long pid = post_request(form, &r);
    CHECK(pid > 0, "POST a private request: %ld %.300s", r.status, r.body);
    h_resp_free(&r);
    snprintf(path, sizeof path, "/open311/v2/requests/%ld.json", pid);
    h_get(&s, path, &r);
    check_error("GET a private request", &r, 404, "no public service request");
    h_resp_free(&r);
    snprintf(path, sizeof path, "/open311/v2/requests.json?service_request_id=%ld,%ld", id, pid);
    h_get(&s, path, &r);
    CHECK(r.status == 200 && json_array_size(r.json) == 1, "a private request is left out of "
          "requests.json: %.300s", r.body);
    h_resp_free(&r);
    h_get(&s, "/open311/v2/requests.json?service_code=incidents", &r);
    CHECK(r.status == 200 && json_array_size(r.json) == 0, "no private requests listed: %.200s",
          r.body);
    h_resp_free(&r);

    /* errors: the spec's format, a clear description, nothing stored */
    before = ha_count_where(db, "reports", own_reports, app_id);
    post_request("service_code=cleaning&lat=41.0912&long=23.5490&description=no+key+here", &r);
    check_error("POST without api_key", &r, 403, "api_key");
    h_resp_free(&r);
    snprintf(form, sizeof form, "api_key=%s&service_code=cleaning&lat=41.09&long=23.54"
             "&description=read+only+key", read_key);
    post_request(form, &r);
    check_error("POST with a read-only key", &r, 403, "report");
    h_resp_free(&r);
    static const struct {
        const char *form, *what;
    } bad[] = {
        {"lat=41.0912&long=23.5490&description=missing+service", "service_code"},
        {"service_code=nosuch&lat=41.0912&long=23.5490&description=unknown+service", "nosuch"},
        {"service_code=cleaning&description=no+place+at+all", "lat and long, or address_string"},
        {"service_code=cleaning&lat=41.0912&address_string=Ermou+10&description=half+a+point",
         "long"},
        /* no basemap in the fixture: no address is known */
        {"service_code=cleaning&address_string=Zzyzx+Qwvbk+7&description=unknown+address",
         "address_string: no address matches 'Zzyzx Qwvbk 7'"},
        {"service_code=cleaning&lat=91&long=23.5490&description=bad+lat", "lat"},
        {"service_code=cleaning&lat=40.6401&long=22.9444&description=in+Thessaloniki",
         "Θεσσαλονίκης"},
        {"service_code=cleaning&lat=41.0912&long=23.5490&description=x", "description"},
        {"service_code=cleaning&lat=41.0912&long=23.5490&description=bad+attribute"
         "&attribute%5Bbin_type%5D=plutonium", "bin_type"},
        {"service_code=cleaning&lat=41.0912&long=23.5490&description=bad+media&media_url=ftp%3A%2F%2Fx",
         "media_url"},
        {"service_code=cleaning&lat=41.0912&long=23.5490&description=unknown&colour=red",
         "colour"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        snprintf(form, sizeof form, "api_key=%s&%s", key, bad[k].form);
        post_request(form, &r);
        check_error(bad[k].form, &r, 400, bad[k].what);
        h_resp_free(&r);
    }
    h_post(&s, "/open311/v2/requests.xml", "application/json", "{}", &r);
    CHECK(r.status == 400, "POST JSON instead of a form: 400, found %ld", r.status);
    check_xml("an XML error", &r);
    CHECK_HAS("XML error shape", r.body, "<errors><error><code>400</code><description>");
    h_resp_free(&r);
    CHECK_INT("reports stored by bad requests", ha_count_where(db, "reports", own_reports, app_id),
              before);
    static const struct {
        const char *path, *what;
        long status;
    } bad_get[] = {
        {"/open311/v2/services.csv", "json or .xml", 404},
        {"/open311/v2/things.json", "unknown resource", 404},
        {"/open311/v2/services.json?jurisdiction_id=9031", "jurisdiction_id", 404},
        {"/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
         "90 days", 400},
        {"/open311/v2/requests.json?start_date=yesterday", "start_date", 400},
        {"/open311/v2/requests.json?status=pending", "status", 400},
        {"/open311/v2/requests.json?service_request_id=1,,2", "service_request_id", 400},
        {"/open311/v2/requests.json?page_size=0", "page_size", 400},
        {"/open311/v2/requests.json?colour=red", "colour", 400},
        {"/open311/v2/services/nosuch.json", "nosuch", 404},
        {"/open311/v2/requests/abc.json", "abc", 404},
    };
    for (size_t k = 0; k < sizeof bad_get / sizeof bad_get[0]; k++) {
        h_get(&s, bad_get[k].path, &r);
        check_error(bad_get[k].path, &r, bad_get[k].status, bad_get[k].what);
        h_resp_free(&r);
    }
    spec_points(url, key);
    PQfinish(db);
    return h_finish();
}
