-- pg_dump/pg_restore (polis backup/restore) run with an empty search_path,
-- and PostgreSQL inlines a SQL function used in a generated column while it
-- creates the table: a call in its body that names no schema is then not
-- found ("function polis_search_fold(text) does not exist") and the restore
-- fails. The same bodies, every call to one of ours schema-qualified; the
-- results, and so the stored keys, are unchanged.
CREATE OR REPLACE FUNCTION public.polis_search_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT public.polis_search_norm(t) ||
        CASE WHEN t ~ '[Ͱ-Ͽ]' THEN ' ' || public.polis_search_norm(public.polis_greek_latin(t)) ELSE '' END
$$;

CREATE OR REPLACE FUNCTION public.polis_poi_search_key(name_el text, name_en text, names jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.polis_search_fold(concat_ws(' ', name_el, name_en,
        (SELECT string_agg(value, ' ' ORDER BY key) FROM jsonb_each_text(names))))
$$;

CREATE OR REPLACE FUNCTION basemap.latin_name(name text, name_en text, int_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(nullif(name_en, ''), nullif(int_name, ''),
        CASE WHEN name ~ '[Ͱ-Ͽ]' THEN initcap(public.polis_greek_latin(name)) ELSE name END)
$$;

CREATE OR REPLACE FUNCTION basemap.search_key(name text, name_latin text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT public.polis_search_fold(concat_ws(' ', name, name_latin))
$$;
