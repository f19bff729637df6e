/* SQL on the documents polis issued (sql/043_issued_documents.sql): the
 * row written once the signed file is stored, and the public check of a
 * verification code. */
#ifndef POLIS_ISSUED_DOCUMENTS_SQL_H
#define POLIS_ISSUED_DOCUMENTS_SQL_H

/* Records an issued document. The number printed on it must be its
 * protocol entry's: no row (and so no insert) when the entry does not
 * exist or has another number. At most one row. */
extern const char ISSUED_DOCUMENT_INSERT_SQL[];
enum issued_document_insert_param {
    ISSUED_DOCUMENT_INSERT_P_CODE,
    ISSUED_DOCUMENT_INSERT_P_KIND,            /* answer | receipt */
    ISSUED_DOCUMENT_INSERT_P_PROTOCOL_ENTRY,  /* protocol_entries.id */
    ISSUED_DOCUMENT_INSERT_P_PROTOCOL_NUMBER, /* N/YYYY as printed */
    ISSUED_DOCUMENT_INSERT_P_APPLICATION,     /* applications.id|NULL */
    ISSUED_DOCUMENT_INSERT_P_TITLE,
    ISSUED_DOCUMENT_INSERT_P_ADDRESSEE,       /* the full name as printed */
    ISSUED_DOCUMENT_INSERT_P_SHA256,          /* hex, of the signed file */
    ISSUED_DOCUMENT_INSERT_P_BYTES,
    ISSUED_DOCUMENT_INSERT_P_FILE_NAME,       /* {code}.pdf under POLIS_VAR/documents */
    ISSUED_DOCUMENT_INSERT_NPARAMS
};
enum issued_document_insert_col {
    ISSUED_DOCUMENT_INSERT_ID,
    ISSUED_DOCUMENT_INSERT_ISSUED_AT,
};

/* What the public may know of the document with a verification code: one
 * row, or none for an unknown code. */
extern const char ISSUED_DOCUMENT_VERIFY_SQL[];
enum issued_document_verify_param {
    ISSUED_DOCUMENT_VERIFY_P_CODE,
    ISSUED_DOCUMENT_VERIFY_P_LANG, /* el | en: the municipality's name in the page */
    ISSUED_DOCUMENT_VERIFY_NPARAMS
};
enum issued_document_verify_col {
    ISSUED_DOCUMENT_VERIFY_JSON,            /* {code, kind, title, protocol_number, issued_at,
                                             * addressee (masked), sha256, bytes, municipality
                                             * {name_el, name_en}} */
    ISSUED_DOCUMENT_VERIFY_MUNICIPALITY,    /* its name in the language asked for */
    ISSUED_DOCUMENT_VERIFY_KIND,
    ISSUED_DOCUMENT_VERIFY_TITLE,
    ISSUED_DOCUMENT_VERIFY_PROTOCOL_NUMBER, /* N/YYYY */
    ISSUED_DOCUMENT_VERIFY_ISSUED_AT,       /* DD/MM/YYYY HH:MI, Europe/Athens */
    ISSUED_DOCUMENT_VERIFY_ADDRESSEE,       /* masked: polis_mask_name */
    ISSUED_DOCUMENT_VERIFY_SHA256,
};

#endif
