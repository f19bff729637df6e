-- The fan-out in two stages (jobs/notify_fanout.c): first every queued
-- event becomes inbox rows, committed and woken at once, so the mailbox
-- streams never wait for mail; then, in small batches, the mails and digest
-- lines of the events already in the inbox. A row is marked when its inbox
-- rows are written and deleted when its mails are.
ALTER TABLE notify_queue ADD COLUMN inboxed boolean NOT NULL DEFAULT false;
CREATE INDEX notify_queue_to_inbox ON notify_queue (id) WHERE NOT inboxed;
CREATE INDEX notify_queue_to_mail ON notify_queue (id) WHERE inboxed;
