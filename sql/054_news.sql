-- News and press releases (issue 20): written by staff in Greek (English
-- optional), in one of a few categories, moved draft -> review ->
-- published (and withdrawn). An article is public when it is published
-- and its publish_at has come: a future publish_at schedules it, and the
-- queries compare with now(), so no job is needed (publish/news_sql.c).
-- Photos are not here yet (README: what is left).

CREATE TABLE news_categories (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug     text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9-]{1,39}$'),
    name_el  text NOT NULL CHECK (length(name_el) BETWEEN 1 AND 100),
    name_en  text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100)
);

INSERT INTO news_categories (slug, name_el, name_en) VALUES
    ('announcements', 'Ανακοινώσεις', 'Announcements'),
    ('press', 'Δελτία Τύπου', 'Press releases'),
    ('events', 'Εκδηλώσεις', 'Events'),
    ('works', 'Έργα', 'Public works');

CREATE TABLE news (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id  bigint NOT NULL REFERENCES news_categories (id),
    title_el     text NOT NULL CHECK (length(title_el) BETWEEN 1 AND 300),
    title_en     text CHECK (length(title_en) BETWEEN 1 AND 300),
    summary_el   text CHECK (length(summary_el) BETWEEN 1 AND 1000),
    summary_en   text CHECK (length(summary_en) BETWEEN 1 AND 1000),
    body_el      text CHECK (length(body_el) <= 50000),
    body_en      text CHECK (length(body_en) <= 50000),
    status       text NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'review', 'published', 'withdrawn')),
    -- when it becomes public once published (NULL until then: publishing
    -- without one sets it to the moment of publication)
    publish_at   timestamptz,
    author_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    published_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'published' OR publish_at IS NOT NULL)
);
-- the public list and the feeds: published ones, newest first
CREATE INDEX news_public ON news (publish_at DESC, id DESC) WHERE status = 'published';
CREATE INDEX news_category ON news (category_id);
