/* GET /verify/{code}: the public check of a document polis issued (the
 * address its QR code holds, services/answer_document.h). */
#ifndef POLIS_API_VERIFY_H
#define POLIS_API_VERIFY_H

#include "http/exchange.h"

void api_verify(struct exchange *ex);

#endif
