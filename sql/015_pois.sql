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
