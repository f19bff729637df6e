-- Live updates of the mailbox (issue 16): GET /api/v1/me/stream sends each
-- new inbox row to its owner as it is committed, and GET /api/v1/me/inbox
-- lists the same rows. Both read this view, so an entry looks the same
-- whichever way it arrives: one JSON object per inbox row (a history event
-- of sql/006_reports.sql or a message of sql/014_report_messages.sql).
CREATE VIEW inbox_entries AS
SELECT i.id, i.user_id, i.read_at,
       json_build_object('id', i.id, 'at', i.created_at,
           'read', i.read_at IS NOT NULL, 'report_id', i.report_id,
           'from', h.from_status, 'to', h.to_status, 'public_comment', h.public_comment,
           'department', d.code, 'category', c.code, 'category_name_el', c.name_el,
           'category_name_en', c.name_en,
           'kind', CASE WHEN i.message_id IS NULL THEN 'status' ELSE 'message' END,
           'message_id', i.message_id, 'body', m.body,
           'message_from', CASE WHEN m.id IS NULL THEN NULL
               WHEN m.author_role = 'reporter' THEN 'reporter' ELSE 'staff' END) AS entry
FROM inbox i
LEFT JOIN report_history h ON h.id = i.history_id
LEFT JOIN report_messages m ON m.id = i.message_id
LEFT JOIN reports r ON r.id = i.report_id
LEFT JOIN report_categories c ON c.id = r.category_id
LEFT JOIN departments d ON d.id = coalesce(h.department_id, r.department_id);
