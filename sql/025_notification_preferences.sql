-- Notification preferences: per user and per kind of notification, whether
-- it is also mailed (off, at once, or gathered into a daily digest). Every
-- notification lands in the mailbox (inbox) whatever is chosen here; this
-- only says what the outbox gets. A user without a row for a kind has the
-- kind's default. The kinds, their labels in both languages and their
-- order on the page live in notification_kinds, so that the mailer and the
-- pages read one list.
CREATE TABLE notification_kinds (
    kind          text PRIMARY KEY CHECK (kind ~ '^[a-z][a-z0-9_]{0,39}$'),
    position      integer NOT NULL UNIQUE,
    default_email text NOT NULL CHECK (default_email IN ('off', 'immediate', 'daily')),
    staff_only    boolean NOT NULL DEFAULT false,
    label_el      text NOT NULL CHECK (length(label_el) BETWEEN 1 AND 120),
    label_en      text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 120)
);

INSERT INTO notification_kinds (kind, position, default_email, staff_only, label_el, label_en) VALUES
    ('own_reports', 1, 'immediate', false,
     'Οι αναφορές μου: αλλαγές κατάστασης και απαντήσεις',
     'My reports: status changes and replies'),
    ('followed_reports', 2, 'immediate', false,
     'Αναφορές που ακολουθώ ή υποστηρίζω',
     'Reports I follow or support'),
    ('subscriptions', 3, 'daily', false,
     'Κατηγορίες και περιοχές που ακολουθώ',
     'Categories and areas I follow'),
    ('department', 4, 'immediate', true,
     'Νέες αναφορές και μηνύματα πολιτών στο τμήμα μου',
     'New reports and citizens'' messages in my department');

CREATE TABLE notification_preferences (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL REFERENCES notification_kinds (kind),
    email      text NOT NULL CHECK (email IN ('off', 'immediate', 'daily')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind)
);
