/* What an application for an e-service must be, checked before any write
 * (create, edit, submit): the applicant of a kind the service accepts, a
 * business with its tax number (services/afm.h) and name, and the answers
 * of the service's form of the right types (gis/report_attributes.h, the
 * definitions report categories use), every required one there once it is
 * submitted. */
#ifndef POLIS_APPLICATION_RULES_H
#define POLIS_APPLICATION_RULES_H

#include <jansson.h>

struct application_input {
    const char *kind;          /* "citizen" or "business" */
    const char *tax_number;    /* NULL when none */
    const char *business_name; /* NULL when none */
    const json_t *answers;     /* a JSON object, or NULL for none */
};

/* The kind of applicant a service takes when an application names none:
 * a business for a service only businesses apply for, else a person. */
const char *application_default_kind(const char *applicants);

/* Checks in against a service whose form is fields (a valid definition)
 * and whose applicants are "citizen", "business" or "any". draft 1: a saved
 * draft, whose required answers, tax number and business name may still be
 * missing; 0: a submission. Appends {name, expected, found} errors named
 * applicant_kind, tax_number, business_name and answers.<code>; returns the
 * number appended. */
int application_check(const json_t *fields, const char *applicants,
                      const struct application_input *in, int draft, json_t **errors);

#endif
