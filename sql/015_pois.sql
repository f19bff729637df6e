-- Places (issue 6): points of interest the tourism office publishes, in
-- Greek and English (other languages in names/descriptions), as a point or
-- a polygon. A POI is a draft until the tourism office (staff of the
-- department 'tourism') or an admin publishes it; archived ones leave the
-- public lists. Only published POIs are ever shown to the public.

-- What kind of place: editable by admins through the API.
CREATE TABLE poi_categories (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name_el    text NOT NULL CHECK (length(name_el) BETWEEN 1 AND 200),
    name_en    text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200),
    icon       text CHECK (icon ~ '^[a-z0-9_-]{1,40}$'),
    sort_order integer NOT NULL DEFAULT 100,
    active     boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The categories every municipality starts with (not demo data: a tourism
-- office renames, hides or adds to them).
INSERT INTO poi_categories (code, name_el, name_en, icon, sort_order) VALUES
    ('sight',              'Αξιοθέατο',            'Sight',               'sight',       10),
    ('museum',             'Μουσείο',              'Museum',              'museum',      20),
    ('monument',           'Μνημείο',              'Monument',            'monument',    30),
    ('church',             'Εκκλησία / Μονή',      'Church / Monastery',  'church',      40),
    ('nature',             'Φύση',                 'Nature',              'nature',      50),
    ('beach_lake',         'Παραλία / Λίμνη',      'Beach / Lake',        'water',       60),
    ('route',              'Διαδρομή',             'Route / Trail',       'route',       70),
    ('sport',              'Αθλητισμός',           'Sport',               'sport',       80),
    ('food',               'Φαγητό',               'Food and Drink',      'food',        90),
    ('accommodation',      'Διαμονή',              'Accommodation',       'bed',        100),
    ('service',            'Υπηρεσία',             'Service',             'service',    110),
    ('school',             'Σχολείο',              'School',              'school',     120),
    ('municipal_building', 'Δημοτικό κτίριο',      'Municipal Building',  'townhall',   130),
    ('culture',            'Πολιτισμός',           'Culture Venue',       'theatre',    140);

CREATE TABLE pois (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category        text NOT NULL REFERENCES poi_categories (code) ON UPDATE CASCADE,
    name_el         text NOT NULL CHECK (length(name_el) BETWEEN 1 AND 300),
    name_en         text CHECK (length(name_en) BETWEEN 1 AND 300),
    -- other languages: {"de": "...", "bg": "..."}
    names           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(names) = 'object'),
    description_el  text CHECK (length(description_el) <= 20000),
    description_en  text CHECK (length(description_en) <= 20000),
    descriptions    jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(descriptions) = 'object'),
    address         text CHECK (length(address) <= 300),
    phone           text CHECK (length(phone) <= 40),
    website         text CHECK (length(website) <= 500),
    opening_hours   text CHECK (length(opening_hours) <= 500),   -- OSM syntax, checked before any write
    -- {"wheelchair": true, "toilets_wheelchair": false, ...}
    accessibility   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(accessibility) = 'object'),
    tags            text[] NOT NULL DEFAULT '{}',
    geom            geometry(Geometry, 4326) NOT NULL
                    CHECK (GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')),
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    demo            boolean NOT NULL DEFAULT false,       -- hand-entered demo data
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    published_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    published_at    timestamptz,
    archived_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX pois_geom_gist ON pois USING gist (geom);
CREATE INDEX pois_status_category ON pois (status, category);

-- The API refuses an invalid geometry with 422 first; this is the last guard.
ALTER TABLE pois ADD CONSTRAINT pois_geom_valid CHECK (ST_IsValid(geom));

-- ---- search: accent-, case- and script-insensitive names ----
-- Folding, the same as translit_fold in gis/translit.c: lower case (ASCII
-- through the "C" collation, so the result never depends on the database's
-- locale; Greek by an explicit table), Greek accents and diaeresis removed,
-- final sigma -> σ; and punctuation runs (ASCII, «» “” ‘’ „ · – —) -> one
-- space, so words are separated by single spaces. Other scripts' letters
-- (é, ü, Cyrillic capitals) are kept as they are, not folded.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION polis_search_norm(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(
        translate(lower(t COLLATE "C"),
            'ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΆΈΉΊΌΎΏΪΫάέήίόύώϊϋΐΰς',
            'αβγδεζηθικλμνξοπρστυφχψωαεηιουωιυαεηιουωιυιυσ'),
        '[[:space:]!-/:-@\[-`{-~«»“”‘’„·–—]+', ' ', 'g'))
$$;

-- ELOT 743 transliteration in lower case, the rules of translit_elot743 in
-- gis/translit.c: ου -> ou; αυ/ευ/ηυ -> av/ev/iv before a vowel or a voiced
-- consonant (β γ δ ζ λ μ ν ρ), af/ef/if otherwise, and not when the first
-- vowel is accented or either has a diaeresis (άυ, αϋ: a, y); μπ -> b at the
-- start or end of a word, mp inside; γγ/γξ/γχ -> ng/nx/nch; θ χ ψ -> th ch
-- ps; η ι υ -> i i y. Differences from the C function: the result is all
-- lower case (the C one keeps the case of the source), which is what a
-- search key needs. The μπ rules run first, while every letter is still
-- Greek, so that a letter already made Latin never looks like the end of a
-- word; the b they leave counts as voiced, as the μ it stands for.
CREATE FUNCTION polis_greek_latin(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT translate(
        replace(replace(replace(
        regexp_replace(
        regexp_replace(regexp_replace(
        regexp_replace(regexp_replace(
        regexp_replace(
            translate(lower(t COLLATE "C"),
                'ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΆΈΉΊΌΎΏΪΫ',
                'αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋ'),
            '(^|[^α-ωάέήίόύώϊϋΐΰ])μπ', '\1b', 'g'),
            'μπ(?![α-ωάέήίόύώϊϋΐΰ])', 'b', 'g'),
            'ο[υύ]', 'ou', 'g'),
            '([αεη])[υύ](?=[αεηιουωάέήίόύώϊϋΐΰβγδζλμνρb])', '\1v', 'g'),
            '([αεη])[υύ]', '\1f', 'g'),
            'γ(?=[γξχ])', 'n', 'g'),
        'θ', 'th'), 'χ', 'ch'), 'ψ', 'ps'),
        'αβγδεζηικλμνξοπρσςτυφωάέήίόύώϊϋΐΰ',
        'avgdeziiklmnxoprsstyfoaeiioyoiyiy')
$$;

-- The search key of a text: its folded form and, when it has Greek
-- letters, its folded transliteration after it. "Σέρρες" -> "σερρεσ
-- serres", so a query folded with polis_search_norm finds it written
-- σερρες, ΣΕΡΡΕΣ, Σέρρες or serres.
CREATE FUNCTION polis_search_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT polis_search_norm(t) ||
        CASE WHEN t ~ '[Ͱ-Ͽ]' THEN ' ' || polis_search_norm(polis_greek_latin(t)) ELSE '' END
$$;

-- The key of a POI: its names in every language. Changing the functions
-- above needs an UPDATE pois SET name_el = name_el to recompute stored keys.
CREATE FUNCTION polis_poi_search_key(name_el text, name_en text, names jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT polis_search_fold(concat_ws(' ', name_el, name_en,
        (SELECT string_agg(value, ' ' ORDER BY key) FROM jsonb_each_text(names))))
$$;

ALTER TABLE pois ADD COLUMN search_key text NOT NULL
    GENERATED ALWAYS AS (polis_poi_search_key(name_el, name_en, names)) STORED;
CREATE INDEX pois_search_trgm ON pois USING gin (search_key gin_trgm_ops);
-- near=: nearest first on the sphere through this index (KNN <->)
CREATE INDEX pois_geog_gist ON pois USING gist ((geom::geography));

-- ---- tile layer 'pois' (tiles/layers.c): published POIs only ----
ALTER TABLE pois ADD COLUMN geom_3857 geometry(Geometry, 3857)
    GENERATED ALWAYS AS (ST_Transform(geom, 3857)) STORED;
CREATE INDEX pois_geom_3857_gist ON pois USING gist (geom_3857);
INSERT INTO layer_versions (layer) VALUES ('pois') ON CONFLICT DO NOTHING;
CREATE TRIGGER pois_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pois
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('pois');

-- ---- photos: the same rules as report photos (sql/011), at most 10 ----
-- Files under $POLIS_VAR/poi-photos/<poi id>/<file_name>, written and
-- fsynced before the row.
CREATE TABLE poi_photos (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    poi_id      bigint NOT NULL REFERENCES pois (id) ON DELETE CASCADE,
    file_name   text NOT NULL UNIQUE CHECK (file_name ~ '^[a-f0-9]{32}\.(jpg|png|webp)$'),
    media_type  text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp')),
    bytes       integer NOT NULL CHECK (bytes > 0),
    sha256      bytea NOT NULL CHECK (length(sha256) = 32),
    width       integer CHECK (width > 0),
    height      integer CHECK (height > 0),
    uploaded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX poi_photos_poi ON poi_photos (poi_id, id);

-- At most 10 per POI, also under concurrent uploads (see report_photos_limit).
CREATE FUNCTION poi_photos_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM pois WHERE id = NEW.poi_id FOR NO KEY UPDATE;
    IF (SELECT count(*) FROM poi_photos WHERE poi_id = NEW.poi_id) >= 10 THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER poi_photos_limit BEFORE INSERT ON poi_photos
    FOR EACH ROW EXECUTE FUNCTION poi_photos_limit();

-- The export (GET /api/v1/pois/export.geojson) is tagged with the version
-- of layer 'pois': category names and photos are part of it too.
CREATE TRIGGER poi_categories_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON poi_categories
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('pois');
CREATE TRIGGER poi_photos_layer_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON poi_photos
    FOR EACH STATEMENT EXECUTE FUNCTION polis_layer_changed('pois');

-- Demo POIs (sql/demo/030_pois.sql) are matched on their Greek name, so
-- loading the demo twice updates them instead of adding copies.
CREATE UNIQUE INDEX pois_demo_name ON pois (name_el) WHERE demo;
