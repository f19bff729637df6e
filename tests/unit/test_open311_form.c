/* The Open311 POST form (api/open311_form.c): which names a GeoReport v2
 * client may send, and its attribute[code] answers typed by the service's
 * field definitions, as the 400s and the stored report show them. */
#include "check.h"
#include "api/open311_form.h"

#include <stdlib.h>

static h2o_mem_pool_t pool;

static struct params parse(const char *body)
{
    struct params p;
    params_parse(&p, &pool, body, strlen(body));
    return p;
}

static const char *unexpected(const char *body)
{
    struct params p = parse(body);
    const char *name = open311_form_unexpected(&p);
    return name ? name : "(none)";
}

static void test_names(void)
{
    CHECK_STR(unexpected("api_key=k&service_code=x&lat=41&long=23&description=hole"), "(none)");
    CHECK_STR(unexpected("service_code=x&attribute%5Bsize%5D=3"), "(none)");
    CHECK_STR(unexpected("service_code=x&colour=red"), "colour");
    CHECK_STR(unexpected("service_code=x&lat=1&service_code=y"), "service_code");
    /* a multivaluelist repeats its attribute[code][] */
    CHECK_STR(unexpected("attribute%5Btags%5D%5B%5D=a&attribute%5Btags%5D%5B%5D=b"), "(none)");
    CHECK_STR(unexpected("attribute%5Bsize%5D=1&attribute%5Bsize%5D=2"), "attribute[size]");
}

static void test_attributes(void)
{
    json_t *fields = json_loads("[{\"code\":\"size\",\"datatype\":\"number\"},"
                                "{\"code\":\"tags\",\"datatype\":\"multivaluelist\"},"
                                "{\"code\":\"note\",\"datatype\":\"string\"}]",
                                0, NULL);
    struct params p = parse("attribute%5Bsize%5D=2.5&attribute%5Btags%5D%5B%5D=a&"
                            "attribute%5Btags%5D%5B%5D=b&attribute%5Bnote%5D=%CE%9F%CE%9A&"
                            "attribute%5Bother%5D=7&attribute%5B%5D=x&description=not+one");
    json_t *a = open311_form_attributes(&p, fields);
    char *text = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
    /* numbers typed, lists collected, unknown codes kept as text (the
     * attribute check refuses them), an empty code dropped */
    CHECK_STR(text, "{\"note\":\"ΟΚ\",\"other\":\"7\",\"size\":2.5,\"tags\":[\"a\",\"b\"]}");
    free(text);
    json_decref(a);
    /* a number field with text stays text, for the check to name it */
    p = parse("attribute%5Bsize%5D=big");
    a = open311_form_attributes(&p, fields);
    CHECK_STR(json_string_value(json_object_get(a, "size")), "big");
    json_decref(a);
    json_decref(fields);
}

int main(void)
{
    h2o_mem_init_pool(&pool);
    test_names();
    test_attributes();
    h2o_mem_clear_pool(&pool);
    return check_summary();
}
