/* Open311 form bodies (POST /open311/v2/requests.{json,xml}): the body is
 * decoded by params_parse, its names checked by open311_form_unexpected,
 * its attribute[...] answers typed by open311_form_attributes against a
 * service definition and checked by attr_values_check; the field errors
 * and the spec's error answer must render in both formats. */
#include "gis/report_attributes.h"
#include "api/open311_form.h"
#include "api/open311_format.h"
#include "tests/fuzz/field_errors.h"

static const char FIELDS[] =
    "[{\"code\":\"size\",\"datatype\":\"number\",\"required\":true,"
    "\"description_el\":\"Μέγεθος\",\"description_en\":\"Size\"},"
    "{\"code\":\"kind\",\"datatype\":\"singlevaluelist\",\"description_el\":\"Είδος\","
    "\"description_en\":\"Kind\",\"values\":[{\"key\":\"a\",\"name_el\":\"Α\",\"name_en\":\"A\"},"
    "{\"key\":\"b\",\"name_el\":\"Β\",\"name_en\":\"B\"}]},"
    "{\"code\":\"tags\",\"datatype\":\"multivaluelist\",\"description_el\":\"Ετικέτες\","
    "\"description_en\":\"Tags\",\"values\":[{\"key\":\"x\",\"name_el\":\"Χ\",\"name_en\":\"X\"}]},"
    "{\"code\":\"when\",\"datatype\":\"datetime\",\"description_el\":\"Πότε\","
    "\"description_en\":\"When\"},"
    "{\"code\":\"note\",\"datatype\":\"string\",\"description_el\":\"Σημείωση\","
    "\"description_en\":\"Note\"}]";

static void render_both(const json_t *v, const char *root)
{
    char *json = open311_render(v, root, OPEN311_JSON), *xml = open311_render(v, root, OPEN311_XML);
    FUZZ_CHECK(json && xml, "%s did not render", root);
    free(json);
    free(xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *fields;
    if (!fields) {
        fields = json_loads(FIELDS, 0, NULL);
        json_t *errors = NULL;
        FUZZ_CHECK(fields && attr_fields_check(fields, "fields", &errors) == 0,
                   "the harness's definition is refused");
    }
    h2o_mem_pool_t pool;
    h2o_mem_init_pool(&pool);
    struct params form;
    params_parse(&form, &pool, (const char *)data, size);
    const char *bad = params_failed(&form) ? NULL : open311_form_unexpected(&form);
    if (bad) {
        /* as open311_error: the name in the description */
        char text[1024];
        snprintf(text, sizeof text, "%s: unknown or repeated parameter", bad);
        json_t *desc = json_string(text);
        json_t *answer = json_pack("[{s:i,s:o}]", "code", 400, "description",
                                   desc ? desc : json_string("invalid text"));
        render_both(answer, "errors");
        json_decref(answer);
    } else if (!params_failed(&form)) {
        json_t *answers = open311_form_attributes(&form, fields);
        FUZZ_CHECK(json_is_object(answers), "no answers object");
        json_t *errors = NULL;
        attr_values_check(fields, answers, &errors);
        fuzz_check_field_errors(errors);
        json_decref(errors);
        json_decref(answers);
    }
    json_t *errors = params_take_errors(&form);
    fuzz_check_field_errors(errors);
    json_decref(errors);
    h2o_mem_clear_pool(&pool);
    return 0;
}
