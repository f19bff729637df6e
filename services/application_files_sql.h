/* SQL on the files attached to applications (sql/044_application_files.sql).
 * The applicant attaches files while the application is a draft or staff
 * asked for more ('info_requested') and deletes them while it is a draft;
 * the applicant, and once submitted staff of its department and admins,
 * read them. Every attachment and deletion bumps the application's version,
 * so a submission checked against one set of files (APPLICATION_DRAFT_SQL
 * lists the required documents missing) cannot pass with another. */
#ifndef POLIS_APPLICATION_FILES_SQL_H
#define POLIS_APPLICATION_FILES_SQL_H

/* One file f as the API shows it (a jsonb expression); f is the alias of an
 * application_files row. The stored file's name stays internal. */
#define APPLICATION_FILE_JSON(f)                                                              \
    "jsonb_build_object('id', " f ".id, 'document_code', " f ".document_code,"                \
    " 'original_name', " f ".original_name, 'media_type', " f ".media_type,"                  \
    " 'bytes', " f ".bytes, 'sha256', " f ".sha256, 'pages', " f ".pages,"                    \
    " 'metadata', " f ".metadata, 'uploaded_by', " f ".uploaded_by,"                          \
    " 'uploaded_at', " f ".uploaded_at, 'uploaded_while', " f ".uploaded_while,"              \
    " 'href', '/api/v1/applications/' || " f ".application_id || '/files/' || " f ".id)"

/* The files of application a (an alias), oldest first: a jsonb array. */
#define APPLICATION_FILES_OF(a)                                                               \
    "(SELECT coalesce(jsonb_agg(" APPLICATION_FILE_JSON("f") " ORDER BY f.id), '[]')"         \
    " FROM application_files f WHERE f.application_id = " a ".id)"

/* Before an upload: the caller's application and the document the file is
 * for. Zero rows when the application is not the caller's; else one. */
extern const char APPLICATION_FILE_TARGET_SQL[];
enum application_file_target_param {
    APPLICATION_FILE_TARGET_P_ID,
    APPLICATION_FILE_TARGET_P_USER,
    APPLICATION_FILE_TARGET_P_CODE,
    APPLICATION_FILE_TARGET_NPARAMS
};
enum application_file_target_col {
    APPLICATION_FILE_TARGET_STATUS,
    APPLICATION_FILE_TARGET_KNOWN,  /* boolean: the service asks for a document of that code */
    APPLICATION_FILE_TARGET_TYPES,  /* its types, "pdf,jpeg" (NULL when not known) */
    APPLICATION_FILE_TARGET_MAX_KB, /* its max_kb (NULL when not known) */
    APPLICATION_FILE_TARGET_CODES,  /* every document code of the service, "a, b" ("" for none) */
};

/* The row of a stored file, when the application is still the caller's
 * and still takes files; the application's version is bumped. Zero rows
 * when it changed meanwhile; else one (APPLICATION_FILE_ROW_JSON). */
extern const char APPLICATION_FILE_INSERT_SQL[];
enum application_file_insert_param {
    APPLICATION_FILE_INSERT_P_APPLICATION,
    APPLICATION_FILE_INSERT_P_USER,
    APPLICATION_FILE_INSERT_P_CODE,
    APPLICATION_FILE_INSERT_P_ORIGINAL_NAME,
    APPLICATION_FILE_INSERT_P_MEDIA_TYPE,
    APPLICATION_FILE_INSERT_P_BYTES,
    APPLICATION_FILE_INSERT_P_SHA256,
    APPLICATION_FILE_INSERT_P_PAGES,    /* |NULL */
    APPLICATION_FILE_INSERT_P_METADATA, /* jsonb object */
    APPLICATION_FILE_INSERT_P_FILE_NAME,
    APPLICATION_FILE_INSERT_NPARAMS
};
enum application_file_row_col {
    APPLICATION_FILE_ROW_JSON,
};

/* The parameters of the reads: the application, then the viewer as
 * identity_viewer_args gives it (user id, admin, staff departments), then
 * the file (APPLICATION_FILE_GET_SQL only). */
enum application_file_read_param {
    APPLICATION_FILE_READ_P_APPLICATION,
    APPLICATION_FILE_READ_P_USER,
    APPLICATION_FILE_READ_P_ADMIN,
    APPLICATION_FILE_READ_P_DEPARTMENTS,
    APPLICATION_FILE_READ_P_FILE,
    APPLICATION_FILE_READ_NPARAMS
};

/* The files of an application the viewer may see: one row (a jsonb array),
 * zero when they may not see it. Parameters: all but the file. */
extern const char APPLICATION_FILES_LIST_SQL[];
#define APPLICATION_FILES_LIST_NPARAMS APPLICATION_FILE_READ_P_FILE
enum application_files_list_col {
    APPLICATION_FILES_LIST_JSON,
};

/* One file for its download; zero rows when there is none the viewer may
 * see. */
extern const char APPLICATION_FILE_GET_SQL[];
enum application_file_get_col {
    APPLICATION_FILE_GET_FILE_NAME,
    APPLICATION_FILE_GET_MEDIA_TYPE,
    APPLICATION_FILE_GET_SHA256,
    APPLICATION_FILE_GET_ORIGINAL_NAME,
};

/* Deletes a file of the caller's draft (bumping its version). Zero rows
 * when the application is not the caller's; else one saying what happened. */
extern const char APPLICATION_FILE_DELETE_SQL[];
enum application_file_delete_param {
    APPLICATION_FILE_DELETE_P_APPLICATION,
    APPLICATION_FILE_DELETE_P_USER,
    APPLICATION_FILE_DELETE_P_FILE,
    APPLICATION_FILE_DELETE_NPARAMS
};
enum application_file_delete_col {
    APPLICATION_FILE_DELETE_STATUS,  /* the application's, before */
    APPLICATION_FILE_DELETE_FOUND,   /* boolean: the file is one of it */
    APPLICATION_FILE_DELETE_REMOVED, /* the stored file's name, NULL when nothing was deleted */
};

#endif
