/* The processing steps of an application (issue 17): staff assign it, ask
 * the applicant for more, approve or reject it; the applicant answers
 * (api/application_steps.c, the approval in api/application_approve.c);
 * and the issued documents, downloaded by their addressee and staff
 * (api/documents.c). */
#ifndef POLIS_API_APPLICATION_STEPS_H
#define POLIS_API_APPLICATION_STEPS_H

#include "http/exchange.h"

void api_applications_assign(struct exchange *ex);
void api_applications_request_info(struct exchange *ex);
void api_applications_respond(struct exchange *ex);
void api_applications_reject(struct exchange *ex);
void api_applications_approve(struct exchange *ex);
void api_documents_get(struct exchange *ex);

/* The application as the caller now sees it (200), for an answer after a step. */
void application_steps_answer(struct exchange *ex, long id, exchange_result_cb done);

#endif
