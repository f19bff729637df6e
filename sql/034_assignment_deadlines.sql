-- Assignment and deadlines (issue 18): a report has an owner in its
-- department and a time by which it should be dealt with.
--
-- report_categories.target_hours: how long a report of the category may
-- stay open (NULL: no target). reports.due_at is set when the report is
-- filed (created_at + target) and kept when it is reassigned; a report is
-- overdue while its status is open and due_at has passed
-- (report_overdue below, the one definition every list uses).
-- reports.assignee_id: a staff member (or admin) of the report's
-- department, set with POST /api/v1/reports/{id}/assign; a reassignment to
-- another department clears it.

-- every lock at once (sql/033_routing_rules.sql): the server's jobs read these
SELECT polis_lock_tables(ARRAY['report_history', 'reports', 'report_categories',
                               'digest_items', 'users', 'inbox_entries']::regclass[]);

ALTER TABLE report_categories
    ADD COLUMN target_hours integer CHECK (target_hours BETWEEN 0 AND 87600);

ALTER TABLE reports
    ADD COLUMN due_at timestamptz,
    ADD COLUMN assignee_id bigint REFERENCES users (id) ON DELETE SET NULL;
CREATE INDEX reports_assignee ON reports (assignee_id, id) WHERE assignee_id IS NOT NULL;
CREATE INDEX reports_due ON reports (due_at) WHERE due_at IS NOT NULL;

CREATE FUNCTION report_overdue(status text, due_at timestamptz) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN coalesce(report_status_is_open(status) AND due_at < now(), false);

-- What a history event is: a status change (with or without a comment,
-- the only kind before), a move to another department ('reassigned', with
-- its reason as the internal note) or a change of assignee ('assigned';
-- assignee_id NULL: unassigned). The fan-out (gis/notify_fanout_sql.c)
-- tells the new assignee of an 'assigned' event and nobody else.
ALTER TABLE report_history
    ADD COLUMN event text NOT NULL DEFAULT 'status'
        CHECK (event IN ('status', 'reassigned', 'assigned')),
    ADD COLUMN assignee_id bigint REFERENCES users (id) ON DELETE SET NULL;

-- A digest line says "assigned to you" instead of a status.
ALTER TABLE digest_items ADD COLUMN assigned boolean NOT NULL DEFAULT false;

-- The mailbox entry of an assignment has kind 'assigned' (sql/024).
CREATE OR REPLACE VIEW inbox_entries AS
SELECT i.id, i.user_id, i.read_at,
       json_build_object('id', i.id, 'at', i.created_at,
           'read', i.read_at IS NOT NULL, 'report_id', i.report_id,
           'from', h.from_status, 'to', h.to_status, 'public_comment', h.public_comment,
           'department', d.code, 'category', c.code, 'category_name_el', c.name_el,
           'category_name_en', c.name_en,
           'kind', CASE WHEN i.message_id IS NOT NULL THEN 'message'
                        WHEN h.event = 'assigned' THEN 'assigned' ELSE 'status' END,
           'message_id', i.message_id, 'body', m.body,
           'message_from', CASE WHEN m.id IS NULL THEN NULL
               WHEN m.author_role = 'reporter' THEN 'reporter' ELSE 'staff' END) AS entry
FROM inbox i
LEFT JOIN report_history h ON h.id = i.history_id
LEFT JOIN report_messages m ON m.id = i.message_id
LEFT JOIN reports r ON r.id = i.report_id
LEFT JOIN report_categories c ON c.id = r.category_id
LEFT JOIN departments d ON d.id = coalesce(h.department_id, r.department_id);
