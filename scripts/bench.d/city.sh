# scripts/bench section "city": the generated city around Serres (OGC, import and tiles sections read it).
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- generated data: a city around Serres, and the import file ----

GEN_SQL=$(cat <<'SQL'
CREATE SCHEMA IF NOT EXISTS bench_gen;
SELECT setseed(0.42);
DROP TABLE IF EXISTS bench_gen.buildings, bench_gen.streets, bench_gen.pois;
-- 50,000 buildings on a 250 x 200 grid of 24 m cells around the centre of Serres
CREATE TABLE bench_gen.buildings AS
WITH c AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(23.5496, 41.0910), 4326), 2100) AS p),
     g AS (SELECT i, ST_X(p) - 3000 + (i % 250) * 24 + random() * 6 AS x,
                  ST_Y(p) - 2400 + (i / 250) * 24 + random() * 6 AS y FROM c, generate_series(0, 49999) i)
SELECT i AS id, (ARRAY['κατοικία','κατάστημα','γραφεία','σχολείο','αποθήκη'])[1 + i % 5] AS χρήση,
       1 + (i % 6) AS floors, round((3 + random() * 15)::numeric, 1)::float8 AS height,
       'Κτίριο ' || i AS name,
       ST_Rotate(ST_MakeEnvelope(x, y, x + 8 + random() * 8, y + 8 + random() * 8, 2100),
                 random() * 0.3, x, y) AS geom FROM g;
-- 10,000 street segments along the grid's rows and columns
CREATE TABLE bench_gen.streets AS
WITH c AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(23.5496, 41.0910), 4326), 2100) AS p)
SELECT i AS id,
       (ARRAY['Οδός Μεραρχίας','Οδός Βενιζέλου','Οδός Εθνικής Αντιστάσεως','Οδός Κων/πόλεως',
              'Οδός Μακεδονομάχων'])[1 + i % 5] || ' ' || (i / 5) AS name,
       (ARRAY['residential','primary','secondary'])[1 + i % 3] AS class,
       CASE WHEN i < 5000
         THEN ST_MakeLine(ARRAY[
           ST_MakePoint(ST_X(p) - 3000 + (i % 50) * 120, ST_Y(p) - 2400 + (i / 50) * 48),
           ST_MakePoint(ST_X(p) - 3000 + (i % 50) * 120 + 60, ST_Y(p) - 2400 + (i / 50) * 48 + random() * 4),
           ST_MakePoint(ST_X(p) - 3000 + (i % 50) * 120 + 120, ST_Y(p) - 2400 + (i / 50) * 48)])
         ELSE ST_MakeLine(ARRAY[
           ST_MakePoint(ST_X(p) - 3000 + ((i - 5000) / 50) * 60, ST_Y(p) - 2400 + ((i - 5000) % 50) * 96),
           ST_MakePoint(ST_X(p) - 3000 + ((i - 5000) / 50) * 60 + random() * 4, ST_Y(p) - 2400 + ((i - 5000) % 50) * 96 + 48),
           ST_MakePoint(ST_X(p) - 3000 + ((i - 5000) / 50) * 60, ST_Y(p) - 2400 + ((i - 5000) % 50) * 96 + 96)])
       END::geometry(LineString) AS geom0 FROM c, generate_series(0, 9999) i;
ALTER TABLE bench_gen.streets ADD COLUMN geom geometry(LineString, 2100);
UPDATE bench_gen.streets SET geom = ST_SetSRID(geom0, 2100);
ALTER TABLE bench_gen.streets DROP COLUMN geom0;
-- 3,000 points of interest
CREATE TABLE bench_gen.pois AS
WITH c AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(23.5496, 41.0910), 4326), 2100) AS p)
SELECT i AS id, (ARRAY['φαρμακείο','σχολείο','στάση λεωφορείου','καφενείο','ναός'])[1 + i % 5] AS είδος,
       'Σημείο ' || i AS name, ST_SetSRID(ST_MakePoint(ST_X(p) - 3000 + random() * 6000,
       ST_Y(p) - 2400 + random() * 4800), 2100)::geometry(Point, 2100) AS geom
FROM c, generate_series(0, 2999) i;
SQL
)

export_gpkg() { # table file
  rm -f "$2"
  ogr2ogr -f GPKG "$2" "PG:$PG_URL" "bench_gen.$1" -nln "$1" 2>>"$WORK/ogr.log" ||
    polis_die "ogr2ogr could not export bench_gen.$1 (log: $WORK/ogr.log)"
}

ensure_city() { # generates the city and imports it as public layers, once per database
  local have
  have=$(sql -c "SELECT count(*) FROM layer_catalogue WHERE name IN ('city_buildings', 'city_streets', 'city_pois')")
  [ "$have" != 3 ] || return 0
  polis_log "bench: generating a city around Serres (50,000 buildings, 10,000 streets, 3,000 POIs)"
  echo "$GEN_SQL" | sql >/dev/null
  local t
  for t in buildings streets pois; do
    export_gpkg "$t" "$WORK/$t.gpkg"
    "$POLIS" import "$WORK/$t.gpkg" --as "city_$t" --replace --public --title-el "Πόλη (bench): $t" \
      --progress 1000000 >>"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; polis_die "polis import city_$t failed"; }
  done
}
