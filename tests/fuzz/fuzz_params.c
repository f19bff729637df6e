/* Query strings (http/params.c): decoding, the allow-list, the typed
 * readers and the field errors they collect, as every GET handler uses
 * them. Any query string must end in values or in errors that make a valid
 * JSON problem. */
#include "http/params.h"
#include "tests/fuzz/field_errors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    struct params p;
    params_parse(&p, &pool, (const char *)data, size);
    FUZZ_CHECK(p.n >= 0 && p.n <= PARAMS_MAX, "%d parameters", p.n);
    for (int i = 0; i < p.n; i++)
        FUZZ_CHECK(p.items[i].name && p.items[i].value, "item %d", i);

    static const char *const allowed[] = {"lat", "lon", "limit", "bbox", "lang", "q", "near", NULL};
    static const char *const langs[] = {"el", "en", NULL};
    params_allow_only(&p, allowed);
    double d, box[4];
    long l;
    const char *choice;
    params_double(&p, "lat", -90, 90, 0, &d);
    params_double(&p, "lon", -180, 180, 1, &d);
    params_long(&p, "limit", 1, 1000, 0, &l);
    params_choice(&p, "lang", langs, 0, &choice);
    double lat, lon;
    if (params_lat_lon(&p, "near", &lat, &lon) == 1)
        FUZZ_CHECK(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180, "near out of range");
    if (params_bbox(&p, "bbox", 5000, box) == 1)
        FUZZ_CHECK(box[0] <= box[2] && box[1] <= box[3], "an unordered box");
    for (int i = 0; i < p.n; i++) {
        parse_decimal(p.items[i].value, &d);
        parse_integer(p.items[i].value, &l);
    }
    json_t *errors = params_take_errors(&p);
    fuzz_check_field_errors(errors);
    json_decref(errors);
    h2o_mem_clear_pool(&pool);
    return 0;
}
