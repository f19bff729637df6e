/* Extra questions of a report category (and the form of an e-service),
 * with Open311 attribute semantics: the category's definition (a JSON array
 * of fields) and a report's answers (a JSON object code -> value) are both
 * checked here before any write.
 * Errors are appended to *errors as {"name","expected","found"}, the shape
 * of every field error polis reports. */
#ifndef POLIS_REPORT_ATTRIBUTES_H
#define POLIS_REPORT_ATTRIBUTES_H

#include <jansson.h>

#define ATTR_FIELDS_MAX 30
#define ATTR_VALUES_MAX 100

/* Checks a fields definition: an array of at most ATTR_FIELDS_MAX objects
 * {code, datatype, required?, order?, description_el, description_en,
 * values (list types only): [{key, name_el, name_en}]}, codes unique.
 * name is how the definition is called in errors ("fields"). Returns the
 * number of errors appended. */
int attr_fields_check(const json_t *fields, const char *name, json_t **errors);

/* Checks answers (a JSON object, or NULL for none) against a valid fields
 * definition: every required field present, every answer of a known field
 * and of the right type, list values among the allowed keys. Errors are
 * named "attributes.<code>". Returns the number of errors appended. */
int attr_values_check(const json_t *fields, const json_t *answers, json_t **errors);

/* The same with the answers called name in errors ("answers": "answers.<code>"), for
 * the forms of other things than report categories (the e-services of
 * services/); draft 1 leaves out the check that required fields are there
 * (a draft is saved incomplete, its answers still of the right types). */
int attr_values_check_named(const json_t *fields, const json_t *answers, const char *name,
                            int draft, json_t **errors);

/* Appends one error {name, expected, found} to *errors (made when NULL):
 * found is a short rendering of v, "absent" when v is NULL. For checks of
 * related definitions (services/service_documents.c). */
void attr_error_append(json_t **errors, const char *name, const char *expected, const json_t *v);

#endif
