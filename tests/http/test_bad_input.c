/* Bad input never gets a 500 or a crash: each request below must get a 400
 * application/problem+json whose errors[] names the offending parameter, so
 * a client developer can see what to fix. Afterwards the server still
 * answers /healthz. */
#include "harness.h"

#include <stdio.h>

static const struct {
    const char *path;
    const char *param;     /* expected errors[].name; NULL for the path itself */
} cases[] = {
    /* locate: missing, not a number, out of range */
    {"/api/v1/locate?lon=23.5", "lat"},
    {"/api/v1/locate?lat=41.09", "lon"},
    {"/api/v1/locate", "lat"},
    {"/api/v1/locate?lat=abc&lon=23.5", "lat"},
    {"/api/v1/locate?lat=1e999&lon=23.5", "lat"},
    {"/api/v1/locate?lat=&lon=23.5", "lat"},
    {"/api/v1/locate?lat=nan&lon=23.5", "lat"},
    {"/api/v1/locate?lat=41.09&lon=abc", "lon"},
    {"/api/v1/locate?lat=41.09&lon=1e999", "lon"},
    {"/api/v1/locate?lat=41.09&lon=", "lon"},
    {"/api/v1/locate?lat=41.09&lon=nan", "lon"},
    {"/api/v1/locate?lat=91&lon=23.5", "lat"},
    {"/api/v1/locate?lat=-91&lon=23.5", "lat"},
    {"/api/v1/locate?lat=41.09&lon=-181", "lon"},
    {"/api/v1/locate?lat=41.09&lon=181", "lon"},
    /* unknown query parameter */
    {"/api/v1/locate?lat=41&lon=23&foo=1", "foo"},
    {"/api/v1/boundaries?bbox=23,40,24,41&foo=1", "foo"},
    /* bbox: malformed, inverted, too large */
    {"/api/v1/boundaries?bbox=1,2,3", "bbox"},
    {"/api/v1/boundaries?bbox=a,b,c,d", "bbox"},
    {"/api/v1/boundaries?bbox=1,2,3,4,5", "bbox"},
    {"/api/v1/boundaries?bbox=", "bbox"},
    {"/api/v1/boundaries?bbox=24,40,23,41", "bbox"},      /* minlon > maxlon */
    {"/api/v1/boundaries?bbox=23,41,24,40", "bbox"},      /* minlat > maxlat */
    {"/api/v1/boundaries?bbox=-180,-90,180,90", "bbox"},  /* over POLIS_BBOX_MAX_KM2 */
    /* paging and level */
    {"/api/v1/boundaries?bbox=23,40,24,41&limit=0", "limit"},
    {"/api/v1/boundaries?bbox=23,40,24,41&limit=-1", "limit"},
    {"/api/v1/boundaries?bbox=23,40,24,41&limit=101", "limit"},
    {"/api/v1/boundaries?bbox=23,40,24,41&limit=ten", "limit"},
    {"/api/v1/boundaries?bbox=23,40,24,41&level=country", "level"},
    {"/api/v1/boundaries?bbox=23,40,24,41&after=abc", "after"},
    /* path parameter */
    {"/api/v1/boundaries/abc", "id"},
    /* a NUL byte (%00) must not cut a value short (limit=1%00x was read as 1), nor
     * invalid UTF-8 reach PostgreSQL (a collection id of %FF was a 500) */
    {"/api/v1/boundaries?bbox=23,40,24,41&limit=1%00x", "limit"},
    {"/api/v1/boundaries?bbox=23,40,24,41&level=municipality%00", "level"},
    {"/api/v1/boundaries?bbox=23,40,24,41&level=%FF%FE", "level"},
    {"/api/v1/boundaries/1%00", NULL},      /* was boundary 1 */
    {"/ogc/collections/%FF%FE/items", NULL}, /* was a 500 */
    {"/ogc/collections/boundaries%00/items", NULL},
};

int main(void)
{
    h_init("test_bad_input", 240);
    struct h_server s;
    if (h_server_start(&s, h_shared_dburl(), NULL) != 0)
        return h_finish();

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char what[512];
        snprintf(what, sizeof what, "GET %s", cases[i].path);
        struct h_resp r;
        h_get(&s, cases[i].path, &r);
        CHECK(r.status != 0, "%s: no HTTP answer (%s); the server may have crashed", what,
              r.error);
        CHECK(r.status < 500, "%s: expected a 4xx, found %ld %.300s", what, r.status, r.body);
        CHECK_PROBLEM(what, &r, 400, cases[i].param);
        h_resp_free(&r);
        CHECK(h_server_alive(&s), "%s: polis serve exited (wait status %d)", what,
              s.exit_status);
        if (!h_server_alive(&s))
            break;
    }

    struct h_resp r;
    h_get(&s, "/healthz", &r);
    CHECK(r.status == 200, "GET /healthz after bad input: expected 200, found %ld %s", r.status,
          r.error);
    h_resp_free(&r);
    return h_finish();
}
