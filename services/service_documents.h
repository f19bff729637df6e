/* The documents an e-service asks applicants to attach (sql/040_services.sql):
 * their definition is checked here before any write, so uploads (a later
 * step) are always checked against a valid list. */
#ifndef POLIS_SERVICE_DOCUMENTS_H
#define POLIS_SERVICE_DOCUMENTS_H

#include <jansson.h>

#define SERVICE_DOCUMENTS_MAX 20
#define SERVICE_DOCUMENT_MAX_KB 51200 /* 50 MB, the default POLIS_UPLOAD_MAX_MB */

/* Checks a documents definition: an array of at most SERVICE_DOCUMENTS_MAX
 * objects {code, name_el, name_en, types, max_kb, required?}: code 1 to 40
 * of a-z, 0-9 and _ (unique), names 1 to 200 bytes, types a non-empty array
 * of distinct file types among "pdf", "jpeg" and "png", max_kb an integer
 * from 1 to SERVICE_DOCUMENT_MAX_KB, required true or false (default
 * true). Errors {name, expected, found} are appended to *errors, named
 * from name ("documents[1].types"). Returns the number appended. */
int service_documents_check(const json_t *documents, const char *name, json_t **errors);

#endif
