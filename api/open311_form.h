/* The form body of POST /open311/v2/requests (GeoReport v2 sends
 * application/x-www-form-urlencoded, decoded by params_parse): which names
 * it may carry, and its attribute[code] answers as the JSON object the
 * report attribute checks take. Pure functions, no HTTP: the fuzz harness
 * tests/fuzz/fuzz_open311_form.c calls them directly. */
#ifndef POLIS_OPEN311_FORM_H
#define POLIS_OPEN311_FORM_H

#include "http/params.h"

#include <jansson.h>

/* The first parameter that is neither a GeoReport v2 name nor
 * attribute[...], or that is repeated (other than a name ending in "[]"),
 * or NULL when there is none. */
const char *open311_form_unexpected(const struct params *form);

/* attribute[code]=v and attribute[code][]=v (multivaluelist) as a JSON
 * object typed by the service's field definitions (fields: the category's
 * definition, a JSON array). New reference. */
json_t *open311_form_attributes(const struct params *form, const json_t *fields);

#endif
