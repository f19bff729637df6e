#include "services/application_rules.h"

#include "gis/report_attributes.h"
#include "services/afm.h"

#include <string.h>

const char *application_default_kind(const char *applicants)
{
    return !strcmp(applicants, "business") ? "business" : "citizen";
}

/* A member given as text, for the error's "found". */
static void error_text(json_t **errors, const char *name, const char *expected, const char *v)
{
    json_t *found = v ? json_string(v) : NULL;
    attr_error_append(errors, name, expected, found);
    json_decref(found);
}

int application_check(const json_t *fields, const char *applicants,
                      const struct application_input *in, int draft, json_t **errors)
{
    int bad = 0;
    int business = !strcmp(in->kind, "business");
    if (!strcmp(applicants, "citizen") && business) {
        error_text(errors, "applicant_kind", "citizen: only persons apply for this service",
                   in->kind);
        bad++;
    } else if (!strcmp(applicants, "business") && !business) {
        error_text(errors, "applicant_kind", "business: only businesses apply for this service",
                   in->kind);
        bad++;
    }
    if (!business) {
        if (in->tax_number) {
            error_text(errors, "tax_number", "none: only a business gives a tax number",
                       in->tax_number);
            bad++;
        }
        if (in->business_name) {
            error_text(errors, "business_name", "none: only a business gives its name",
                       in->business_name);
            bad++;
        }
    } else {
        if ((in->tax_number || !draft) && !afm_valid(in->tax_number)) {
            error_text(errors, "tax_number",
                       "the business's Greek tax number (ΑΦΜ): 9 digits, the last its check "
                       "digit", in->tax_number);
            bad++;
        }
        if (!in->business_name && !draft) {
            error_text(errors, "business_name", "the business's name: a business applies "
                       "under its name", NULL);
            bad++;
        }
    }
    return bad + attr_values_check_named(fields, in->answers, "answers", draft, errors);
}
