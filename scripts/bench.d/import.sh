# scripts/bench section "import": polis import vs ogr2ogr on the same features.
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- import: polis import vs ogr2ogr ----

best_time() { # runs "$@" IMPORT_RUNS times, prints the shortest wall time in seconds
  local best='' t0 t1 t i
  for ((i = 0; i < IMPORT_RUNS; i++)); do
    t0=$(date +%s.%N)
    "$@" >>"$WORK/import.log" 2>&1 || { tail -20 "$WORK/import.log" >&2; polis_die "failed: $*"; }
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || (($(echo "$t < $best" | bc -l))); then best=$t; fi
  done
  printf "%.2f" "$best"
}

bench_import() {
  local file=$WORK/import_points.gpkg n=$IMPORT_FEATURES
  polis_log "bench import: generating $n points with Greek attributes in EPSG:2100"
  sql >/dev/null <<SQL
CREATE SCHEMA IF NOT EXISTS bench_gen;
SELECT setseed(0.42);
DROP TABLE IF EXISTS bench_gen.import_points;
CREATE TABLE bench_gen.import_points AS
WITH c AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(23.5496, 41.0910), 4326), 2100) AS p)
SELECT i AS id, 'Σημείο μέτρησης ' || i AS name,
       (ARRAY['φωτιστικό','κάδος','παγκάκι','δέντρο','φρεάτιο'])[1 + i % 5] AS είδος,
       round((random() * 1000)::numeric, 2)::float8 AS value, (i % 97) AS count,
       date '2020-01-01' + (i % 1500) AS installed,
       ST_SetSRID(ST_MakePoint(ST_X(p) - 10000 + random() * 20000,
                               ST_Y(p) - 10000 + random() * 20000), 2100)::geometry(Point, 2100) AS geom
FROM c, generate_series(1, $n) i;
SQL
  export_gpkg import_points "$file"
  polis_log "bench import: polis import and ogr2ogr, best of $IMPORT_RUNS each"
  local tp to
  tp=$(best_time "$POLIS" import "$file" --as bench_import --replace --progress 1000000)
  to=$(best_time ogr2ogr -f PostgreSQL "PG:$PG_URL" "$file" -nln bench_ogr -lco GEOMETRY_NAME=geom \
    -t_srs EPSG:4326 --config PG_USE_COPY YES -overwrite)
  local np no
  np=$(sql -c "SELECT count(*) FROM layers.bench_import")
  no=$(sql -c "SELECT count(*) FROM bench_ogr")
  if [ "$np" != "$n" ] || [ "$no" != "$n" ]; then
    polis_die "imported $np (polis) and $no (ogr2ogr) features, expected $n"
  fi
  table <<TABLE

### import ($n points, GeoPackage in EPSG:2100 with Greek text, best of $IMPORT_RUNS)

| case | seconds | features/s | ratio (ogr2ogr time / polis time) |
|---|---:|---:|---:|
| \`polis import FILE --as bench_import --replace\` | $tp | $(round "$(echo "$n / $tp" | bc -l)") | $(ratio "$to" "$tp")x |
| \`ogr2ogr -f PostgreSQL ... -t_srs EPSG:4326 --config PG_USE_COPY YES -overwrite\` | $to | $(round "$(echo "$n / $to" | bc -l)") | 1.00x |
TABLE
}
