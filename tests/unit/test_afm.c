/* The Greek tax number (ΑΦΜ) check of services/afm.c, and the checks of an
 * application against its service (services/application_rules.c): what a
 * business's tax number must be, and which member an error names. */
#include "services/afm.h"
#include "services/application_rules.h"
#include "check.h"

#include <jansson.h>

/* 1 when errors holds an error named name */
static int names(const json_t *errors, const char *name)
{
    size_t i;
    const json_t *e;
    json_array_foreach(errors, i, e)
        if (!strcmp(json_string_value(json_object_get(e, "name")), name))
            return 1;
    return 0;
}

static void tax_numbers(void)
{
    /* valid: 0*256+9*128+4*64+0*32+1*16+9*8+2*4+8*2 = 1520 mod 11 = 2 */
    CHECK_INT(afm_valid("094019281"), 0); /* check digit 1, should be 2 */
    CHECK_INT(afm_valid("094019282"), 1);
    CHECK_INT(afm_valid("090000045"), 1); /* 9*128+4*2 = 1160 mod 11 = 5 */
    CHECK_INT(afm_valid("999999999"), 0); /* 9*510 = 4590 mod 11 = 3 */
    CHECK_INT(afm_valid("123456783"), 1); /* 256+256+192+128+80+48+28+16 = 1004 mod 11 = 3 */
    CHECK_INT(afm_valid("000000061"), 1); /* 6*2 = 12 mod 11 = 1 */
    CHECK_INT(afm_valid("000000060"), 0);
    /* a remainder of 10 gives the check digit 0: 5*2 = 10 */
    CHECK_INT(afm_valid("000000050"), 1);
    CHECK_INT(afm_valid("000000051"), 0);
    CHECK_INT(afm_valid("000000000"), 0); /* all zero is no tax number */
    CHECK_INT(afm_valid("09401928"), 0);  /* eight digits */
    CHECK_INT(afm_valid("0940192822"), 0); /* ten */
    CHECK_INT(afm_valid("09401928 "), 0);
    CHECK_INT(afm_valid(" 94019282"), 0);
    CHECK_INT(afm_valid("EL094019282"), 0);
    CHECK_INT(afm_valid("0940192a2"), 0);
    CHECK_INT(afm_valid(""), 0);
    CHECK_INT(afm_valid(NULL), 0);
}

static void rules(void)
{
    json_t *form = json_loads(
        "[{\"code\":\"area_m2\",\"datatype\":\"number\",\"required\":true,"
        "\"description_el\":\"Εμβαδόν\",\"description_en\":\"Area\"}]", 0, NULL);
    json_t *answers = json_loads("{\"area_m2\":\"twelve\"}", 0, NULL);
    json_t *errors = NULL;
    struct application_input in = {.kind = "business", .tax_number = "094019281",
                                   .answers = answers};
    CHECK_INT(application_check(form, "business", &in, 0, &errors), 3);
    CHECK(names(errors, "tax_number"));
    CHECK(names(errors, "business_name"));
    CHECK(names(errors, "answers.area_m2"));
    json_decref(errors);
    errors = NULL;

    /* a draft may lack what a submission needs, but not be wrong */
    struct application_input draft = {.kind = "business"};
    CHECK_INT(application_check(form, "business", &draft, 1, &errors), 0);
    CHECK_INT(application_check(form, "business", &draft, 0, &errors), 3);
    CHECK(names(errors, "answers.area_m2"));
    json_decref(errors);
    errors = NULL;

    struct application_input person = {.kind = "citizen", .tax_number = "094019282"};
    CHECK_INT(application_check(form, "business", &person, 1, &errors), 2);
    CHECK(names(errors, "applicant_kind"));
    CHECK(names(errors, "tax_number"));
    json_decref(errors);
    errors = NULL;

    json_t *good = json_loads("{\"area_m2\":12.5}", 0, NULL);
    struct application_input ok = {.kind = "business", .tax_number = "094019282",
                                   .business_name = "Καφέ Η Πλατεία", .answers = good};
    CHECK_INT(application_check(form, "any", &ok, 0, &errors), 0);
    CHECK(errors == NULL);
    CHECK_STR(application_default_kind("business"), "business");
    CHECK_STR(application_default_kind("any"), "citizen");
    json_decref(good);
    json_decref(answers);
    json_decref(form);
}

int main(void)
{
    tax_numbers();
    rules();
    return check_summary();
}
