/* The checks of an application for an e-service (services/application_rules.c,
 * services/afm.c) on untrusted input: the first line is the business's tax
 * number, the rest the answers (any bytes, JSON or not) against a form with
 * every datatype. Properties: afm_valid says 1 only for nine digits whose
 * check digit holds; the count returned is the number of errors appended,
 * each naming a member and saying what was expected. */
#include "services/afm.h"
#include "services/application_rules.h"
#include "tests/fuzz/fuzz.h"

#include <jansson.h>

static const char form_text[] =
    "[{\"code\":\"s\",\"datatype\":\"string\",\"required\":true,\"description_el\":\"α\","
    "\"description_en\":\"a\"},{\"code\":\"n\",\"datatype\":\"number\",\"description_el\":\"α\","
    "\"description_en\":\"a\"},{\"code\":\"d\",\"datatype\":\"datetime\",\"description_el\":\"α\","
    "\"description_en\":\"a\"},{\"code\":\"t\",\"datatype\":\"text\",\"description_el\":\"α\","
    "\"description_en\":\"a\"},{\"code\":\"one\",\"datatype\":\"singlevaluelist\","
    "\"description_el\":\"α\",\"description_en\":\"a\",\"values\":[{\"key\":\"x\","
    "\"name_el\":\"χ\",\"name_en\":\"x\"}]},{\"code\":\"many\",\"datatype\":\"multivaluelist\","
    "\"description_el\":\"α\",\"description_en\":\"a\",\"values\":[{\"key\":\"x\","
    "\"name_el\":\"χ\",\"name_en\":\"x\"},{\"key\":\"y\",\"name_el\":\"ψ\",\"name_en\":\"y\"}]}]";

static int reference_afm(const char *s)
{
    if (strlen(s) != 9 || strspn(s, "0123456789") != 9 || !strcmp(s, "000000000"))
        return 0;
    unsigned sum = 0;
    for (int i = 0; i < 8; i++)
        sum += (unsigned)(s[i] - '0') * (1u << (8 - i));
    return sum % 11 % 10 == (unsigned)(s[8] - '0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *form;
    if (!form)
        form = json_loads(form_text, 0, NULL);
    const uint8_t *rest;
    size_t restlen;
    char *tax = fuzz_split_line(data, size, &rest, &restlen);
    FUZZ_CHECK(afm_valid(tax) == reference_afm(tax), "afm_valid(\"%s\")", tax);
    json_t *answers = json_loadb((const char *)rest, restlen, JSON_DECODE_ANY, NULL);
    for (int draft = 0; draft < 2; draft++) {
        json_t *errors = NULL;
        struct application_input in = {.kind = "business", .tax_number = tax,
                                       .business_name = "x", .answers = answers};
        int n = application_check(form, "any", &in, draft, &errors);
        FUZZ_CHECK((size_t)n == json_array_size(errors), "%d errors counted, %zu appended", n,
                   json_array_size(errors));
        size_t i;
        json_t *e;
        json_array_foreach(errors, i, e)
            FUZZ_CHECK(json_is_string(json_object_get(e, "name")) &&
                           json_is_string(json_object_get(e, "expected")),
                       "an error without its name or what was expected");
        json_decref(errors);
    }
    json_decref(answers);
    free(tax);
    return 0;
}
