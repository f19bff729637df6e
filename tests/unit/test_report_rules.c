/* The pure rules behind reports: RFC 3339 timestamps, the workflow's legal
 * moves, and category fields / answers with Open311 attribute semantics. */
#include "check.h"
#include "gis/report_attributes.h"
#include "gis/report_workflow.h"
#include "gis/rfc3339.h"

#include <string.h>

static int errors_name(json_t *errors, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
        if (!strcmp(json_string_value(json_object_get(e, "name")), name))
            return 1;
    return 0;
}

int main(void)
{
    CHECK(rfc3339_valid("2024-05-01T09:30:00Z"));
    CHECK(rfc3339_valid("2024-02-29T23:59:60.123+03:00"));
    CHECK(!rfc3339_valid("2023-02-29T00:00:00Z"));
    CHECK(!rfc3339_valid("2024-05-01"));
    CHECK(!rfc3339_valid("2024-05-01T24:00:00Z"));
    CHECK(!rfc3339_valid("2024-05-01T09:30:00"));
    CHECK(!rfc3339_valid("2024-05-01T09:30:00Z "));
    CHECK(!rfc3339_valid(""));

    CHECK(workflow_staff_may("submitted", "acknowledged"));
    CHECK(workflow_staff_may("in_progress", "resolved"));
    CHECK(workflow_staff_may("resolved", "closed"));
    CHECK(!workflow_staff_may("closed", "in_progress"));
    CHECK(!workflow_staff_may("acknowledged", "reopened"));
    CHECK(!workflow_staff_may("submitted", "acknowledged_x"));
    CHECK(!workflow_staff_may("submitted", ""));
    CHECK(workflow_reporter_may("resolved", "reopened"));
    CHECK(!workflow_reporter_may("rejected", "reopened"));
    CHECK(!workflow_reporter_may("submitted", "resolved"));

    json_t *fields = json_loads(
        "[{\"code\":\"kind\",\"datatype\":\"singlevaluelist\",\"required\":true,"
        "\"description_el\":\"a\",\"description_en\":\"a\",\"values\":["
        "{\"key\":\"leak\",\"name_el\":\"a\",\"name_en\":\"a\"}]},"
        "{\"code\":\"n\",\"datatype\":\"number\",\"description_el\":\"a\","
        "\"description_en\":\"a\"},"
        "{\"code\":\"when\",\"datatype\":\"datetime\",\"description_el\":\"a\","
        "\"description_en\":\"a\"}]",
        0, NULL);
    json_t *errors = NULL;
    CHECK(attr_fields_check(fields, "fields", &errors) == 0 && errors == NULL);
    json_t *answers = json_loads("{\"kind\":\"leak\",\"n\":2,\"when\":\"2024-05-01T09:30:00Z\"}",
                                 0, NULL);
    CHECK_INT(attr_values_check(fields, answers, &errors), 0);
    json_decref(answers);
    answers = json_loads("{\"n\":\"two\",\"when\":\"yesterday\",\"x\":1}", 0, NULL);
    CHECK_INT(attr_values_check(fields, answers, &errors), 4);
    CHECK(errors_name(errors, "attributes.kind") && errors_name(errors, "attributes.n") &&
          errors_name(errors, "attributes.when") && errors_name(errors, "attributes.x"));
    json_decref(answers);
    json_decref(errors);
    errors = NULL;

    json_t *bad = json_loads("[{\"code\":\"Bad\",\"datatype\":\"number\",\"description_el\":\"a\","
                             "\"description_en\":\"a\",\"values\":[]},"
                             "{\"code\":\"ok\",\"datatype\":\"multivaluelist\","
                             "\"description_el\":\"a\",\"description_en\":\"a\",\"values\":["
                             "{\"key\":\"a\",\"name_el\":\"a\",\"name_en\":\"a\"},"
                             "{\"key\":\"a\",\"name_el\":\"b\",\"name_en\":\"b\"}]}]",
                             0, NULL);
    CHECK_INT(attr_fields_check(bad, "fields", &errors), 3);
    CHECK(errors_name(errors, "fields[0].code") && errors_name(errors, "fields[0].values") &&
          errors_name(errors, "fields[1].values[1]"));
    json_decref(bad);
    json_decref(errors);
    json_decref(fields);
    return check_summary();
}
