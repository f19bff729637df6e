-- The receipts job (jobs/receipts.c) and a receipt that fails (issue 17).
-- Until now one application whose receipt kept failing was taken again on
-- every round, first in line, and held back the receipts of every
-- application submitted after it. Now a failure is recorded here, in its
-- own transaction after the receipt's was rolled back: the application is
-- left alone until next_at (a growing pause), and after the job's last
-- attempt (RECEIPT_ATTEMPTS_MAX in services/receipt_failures_sql.h) for
-- good (gave_up_at). Each failure also writes an audit_log row (action
-- 'application.receipt_failed', the error and the attempt), which the
-- admins read at GET /api/v1/admin/audit. A receipt issued at last removes
-- the row.
CREATE TABLE receipt_failures (
    application_id bigint PRIMARY KEY REFERENCES applications (id) ON DELETE CASCADE,
    attempts       integer NOT NULL CHECK (attempts > 0),
    error          text NOT NULL,
    failed_at      timestamptz NOT NULL DEFAULT now(),
    next_at        timestamptz NOT NULL,
    gave_up_at     timestamptz
);
