# scripts/bench section "reports": durable report filing over HTTP vs the statement in pgbench and a plain INSERT.
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- reports: durable POSTs ----

bench_reports() {
  start_server
  local muni=${POLIS_MUNICIPALITY:-9054} cat=roads
  # A box well inside the municipality of Serres (9054): ST_Contains checked.
  local LAT0=41.07 LAT1=41.11 LON0=23.52 LON1=23.56
  local desc="Λακκούβα στο οδόστρωμα (bench)"
  local status
  status=$(curl -sS -o "$WORK/post.json" -w '%{http_code}' -H 'content-type: application/json' \
    -d "{\"category\":\"$cat\",\"lat\":41.09,\"lon\":23.55,\"description\":\"$desc\"}" \
    "http://127.0.0.1:$PORT/api/v1/reports")
  [ "$status" = 201 ] || { cat "$WORK/post.json" >&2; polis_die "a report POST answered $status, not 201"; }

  cat >"$WORK/reports.lua" <<LUA
math.randomseed(7)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local lat = $LAT0 + math.random() * ($LAT1 - $LAT0)
  local lon = $LON0 + math.random() * ($LON1 - $LON0)
  return wrk.format("POST", "/api/v1/reports", nil, string.format(
    '{"category":"$cat","lat":%.6f,"lon":%.6f,"description":"$desc"}', lat, lon))
end
LUA
  # pgbench runs the one statement the server sends for a category without
  # extra fields (roads): it checks the category and the point and files
  # (REPORT_CREATE_SQL, autocommit as the server runs it)
  {
    echo "\\set lat $LAT0 + random(0, 1000000) * ($LAT1 - $LAT0) / 1000000.0"
    echo "\\set lon $LON0 + random(0, 1000000) * ($LON1 - $LON0) / 1000000.0"
    echo "$("$BENCH_SQL" report_create);" | params "20='el'" 19=NULL 18=NULL 17=NULL 16=NULL \
      15=NULL::text "14='\\\\x$(printf '%064d' 0)'::bytea" 13=NULL::text 12=NULL::text 11=NULL::text \
      "10='anonymous'" 9=NULL "8='{}'" 7=NULL::text "6='$desc'" "5='[]'" 4=:lon 3=:lat \
      "2='$muni'" "1='$cat'"
  } >"$WORK/reports.sql"
  local sync
  sync=$(sql -c "SHOW synchronous_commit")-$(sql -c "SHOW fsync")

  polis_log "bench reports: POST over HTTP, then its statement in pgbench (${SECONDS_EACH}s each)"
  local before after http req p50 p99 pg pp50 pp99
  before=$(sql -c "SELECT count(*) FROM reports")
  http=$(wrk_run "http://127.0.0.1:$PORT/api/v1/reports" "$WORK/reports.lua")
  req=$(wrk_requests)
  p50=$(wrk_pct 50) p99=$(wrk_pct 99)
  sleep 0.5
  after=$(sql -c "SELECT count(*) FROM reports")
  ((after - before >= req)) || polis_die "wrk counted $req answers but only $((after - before)) reports were stored"
  rm -f "$WORK"/pgl.*
  pg=$(pgbench_run "$WORK/reports.sql" -M prepared -l --log-prefix="$WORK/pgl")
  read -r pp50 pp99 < <(pgbench_log_pct)

  # PostgreSQL's own floor (issue 16): one durable single-row INSERT of a
  # report (a point with a GiST index, no trigger) per transaction, with as
  # many clients as wrk has connections
  sql -c "CREATE SCHEMA IF NOT EXISTS bench_gen; DROP TABLE IF EXISTS bench_gen.plain_reports;
          CREATE TABLE bench_gen.plain_reports (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            geom geometry(Point, 4326) NOT NULL, description text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
          CREATE INDEX ON bench_gen.plain_reports USING gist (geom)"
  {
    echo "\\set lat $LAT0 + random(0, 1000000) * ($LAT1 - $LAT0) / 1000000.0"
    echo "\\set lon $LON0 + random(0, 1000000) * ($LON1 - $LON0) / 1000000.0"
    echo "INSERT INTO bench_gen.plain_reports (geom, description)"
    echo "  VALUES (ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), '$desc');"
  } >"$WORK/plain_insert.sql"
  local plain ip50 ip99
  rm -f "$WORK"/pgl.*
  plain=$(pgbench_run "$WORK/plain_insert.sql" -M prepared -c "$WRK_CONNS" -l --log-prefix="$WORK/pgl")
  read -r ip50 ip99 < <(pgbench_log_pct)
  table <<TABLE

### reports (synchronous_commit-fsync: $sync)

| case | req/s or tx/s | p50 (ms) | p99 (ms) | ratio |
|---|---:|---:|---:|---:|
| polis \`POST /api/v1/reports\` (wrk -c$WRK_CONNS, all 201, $((after - before)) rows stored) | $(round "$http") | $p50 | $p99 | $(ratio "$http" "$pg")x |
| pgbench: REPORT_CREATE_SQL (checks and files), 1 statement/tx, -c $PGCONNS | $(round "$pg") | $pp50 | $pp99 | 1.00x |
| pgbench: one INSERT of a point + description into a table with a GiST index (no trigger), -c $WRK_CONNS | $(round "$plain") | $ip50 | $ip99 | polis / this: $(ratio "$http" "$plain")x |
TABLE
}
