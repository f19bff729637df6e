#include "services/issued_documents_sql.h"

const char ISSUED_DOCUMENT_INSERT_SQL[] =
    "INSERT INTO issued_documents (code, kind, protocol_entry_id, application_id, title,"
    "   addressee, sha256, bytes, file_name)"
    " SELECT $1, $2, e.id, $5::bigint, $6, $7, $8, $9::bigint, $10"
    " FROM protocol_entries e WHERE e.id = $3::bigint AND e.number || '/' || e.year = $4"
    " RETURNING id, issued_at";

const char ISSUED_DOCUMENT_VERIFY_SQL[] =
    "SELECT json_build_object('code', d.code, 'kind', d.kind, 'title', d.title,"
    "   'protocol_number', e.number || '/' || e.year, 'issued_at', d.issued_at,"
    "   'addressee', polis_mask_name(d.addressee), 'sha256', d.sha256, 'bytes', d.bytes,"
    "   'municipality', json_build_object('name_el', b.name_el, 'name_en', b.name_en)),"
    "  CASE WHEN $2 = 'en' THEN b.name_en ELSE b.name_el END, d.kind, d.title,"
    "  e.number || '/' || e.year,"
    "  to_char(d.issued_at AT TIME ZONE 'Europe/Athens', 'DD/MM/YYYY HH24:MI'),"
    "  polis_mask_name(d.addressee), d.sha256"
    " FROM issued_documents d JOIN protocol_entries e ON e.id = d.protocol_entry_id"
    " JOIN boundaries b ON b.id = e.municipality_id"
    " WHERE d.code = $1";
