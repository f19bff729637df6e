/* Limits are explicit and configurable (DESIGN.md): an operator who sets
 * POLIS_PAGE_DEFAULT, POLIS_PAGE_MAX or POLIS_BBOX_MAX_KM2 sees the server
 * obey them, and a client that exceeds one gets a 400 naming the parameter.
 * Also the edges of the defaults: limit=100 is allowed, a level with no rows
 * is an empty page, not an error. */
#include "harness.h"

#include <stdio.h>
#include <string.h>

/* Central Macedonia: about 250 x 180 km, dozens of municipalities. */
#define BOX "21.7,39.9,24.2,41.5"

static long long number_returned(const struct h_resp *r)
{
    return json_integer_value(json_object_get(r->json, "numberReturned"));
}

static int has_next(const struct h_resp *r)
{
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(r->json, "links"), i, l) {
        const char *rel = json_string_value(json_object_get(l, "rel"));
        if (rel && strcmp(rel, "next") == 0)
            return 1;
    }
    return 0;
}

int main(void)
{
    h_init("test_limits", 240);
    const char *url = h_shared_dburl();
    struct h_resp r;

    /* Defaults. */
    struct h_server s;
    if (h_server_start(&s, url, NULL) != 0)
        return h_finish();
    h_get(&s, "/api/v1/boundaries?bbox=" BOX "&limit=100", &r);
    CHECK(r.status == 200, "limit=100 (the default maximum): expected 200, found %ld %.300s",
          r.status, r.body);
    CHECK(number_returned(&r) > 10 && number_returned(&r) <= 100,
          "limit=100: expected all municipalities of " BOX " (more than 10), found %lld",
          number_returned(&r));
    h_resp_free(&r);

    h_get(&s, "/api/v1/boundaries?bbox=" BOX "&level=unit", &r);
    CHECK(r.status == 200, "level=unit with no units loaded: expected 200, found %ld %.300s",
          r.status, r.body);
    CHECK_INT("level=unit: numberReturned", number_returned(&r), 0);
    CHECK_INT("level=unit: features", json_array_size(json_object_get(r.json, "features")), 0);
    CHECK(!has_next(&r), "level=unit: an empty page must have no \"next\" link: %.300s", r.body);
    h_resp_free(&r);

    h_get(&s, "/api/v1/boundaries?bbox=" BOX "&after=999999999", &r);
    CHECK(r.status == 200, "after= beyond the last id: expected 200, found %ld %.300s", r.status,
          r.body);
    CHECK_INT("after= beyond the last id: numberReturned", number_returned(&r), 0);
    CHECK(!has_next(&r), "after= beyond the last id: expected no \"next\" link: %.300s", r.body);
    h_resp_free(&r);

    /* A configured server: small pages, small boxes. */
    static const char *const env[] = {"POLIS_PAGE_DEFAULT=3", "POLIS_PAGE_MAX=5",
                                      "POLIS_BBOX_MAX_KM2=1000", NULL};
    struct h_server t;
    if (h_server_start(&t, url, env) != 0)
        return h_finish();
    /* 0.2 x 0.15 degrees around Thessaloniki: about 280 km2. */
    h_get(&t, "/api/v1/boundaries?bbox=22.85,40.55,23.05,40.7", &r);
    CHECK(r.status == 200, "POLIS_PAGE_DEFAULT=3: expected 200, found %ld %.300s", r.status,
          r.body);
    CHECK_INT("POLIS_PAGE_DEFAULT=3: numberReturned", number_returned(&r), 3);
    CHECK(has_next(&r), "POLIS_PAGE_DEFAULT=3: Thessaloniki has more than 3 municipalities; "
          "expected a \"next\" link: %.300s", r.body);
    h_resp_free(&r);

    h_get(&t, "/api/v1/boundaries?bbox=22.85,40.55,23.05,40.7&limit=5", &r);
    CHECK_INT("POLIS_PAGE_MAX=5, limit=5: status", r.status, 200);
    CHECK_INT("POLIS_PAGE_MAX=5, limit=5: numberReturned", number_returned(&r), 5);
    h_resp_free(&r);

    h_get(&t, "/api/v1/boundaries?bbox=22.85,40.55,23.05,40.7&limit=6", &r);
    CHECK_PROBLEM("POLIS_PAGE_MAX=5, limit=6", &r, 400, "limit");
    h_resp_free(&r);

    h_get(&t, "/api/v1/boundaries?bbox=" BOX, &r);
    CHECK_PROBLEM("POLIS_BBOX_MAX_KM2=1000, bbox of ~45000 km2", &r, 400, "bbox");
    h_resp_free(&r);
    return h_finish();
}
