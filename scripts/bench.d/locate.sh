# scripts/bench section "locate": GET locate and a boundaries page vs the same SQL in pgbench.
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- locate: the foundation's two cases ----

bench_locate() {
  start_server
  # An inland box of Central Macedonia: every point falls in a municipality.
  local LAT0=40.7 LAT1=41.0 LON0=22.2 LON1=23.6
  cat >"$WORK/locate.lua" <<LUA
math.randomseed(42)
request = function()
  local lat = $LAT0 + math.random() * ($LAT1 - $LAT0)
  local lon = $LON0 + math.random() * ($LON1 - $LON0)
  return wrk.format("GET", string.format("/api/v1/locate?lat=%.6f&lon=%.6f", lat, lon))
end
LUA
  {
    echo "\\set lat $LAT0 + random(0, 1000000) * ($LAT1 - $LAT0) / 1000000.0"
    echo "\\set lon $LON0 + random(0, 1000000) * ($LON1 - $LON0) / 1000000.0"
    echo "$("$BENCH_SQL" locate);" | params 2=:lon 1=:lat
  } >"$WORK/locate.sql"
  local page_path="/api/v1/boundaries?bbox=23.3,40.9,23.8,41.2&limit=10"
  {
    echo "$("$BENCH_SQL" boundaries_page);" |
      params 7=10 6=0 5=41.2 4=23.8 3=40.9 2=23.3 1=NULL
  } >"$WORK/page.sql"

  polis_log "bench locate: locate over HTTP, then in pgbench (${SECONDS_EACH}s each)"
  local hl sl hp sp
  hl=$(wrk_run "http://127.0.0.1:$PORT/api/v1/locate" "$WORK/locate.lua")
  sl=$(pgbench_run "$WORK/locate.sql" -M prepared)
  polis_log "bench locate: boundaries page over HTTP, then in pgbench"
  hp=$(wrk_run "http://127.0.0.1:$PORT$page_path")
  sp=$(pgbench_run "$WORK/page.sql" -M prepared)
  table <<TABLE

### locate

| case | polis HTTP (req/s) | same SQL in pgbench (tx/s) | ratio |
|---|---:|---:|---:|
| \`GET /api/v1/locate\` (random points, Central Macedonia) | $(round "$hl") | $(round "$sl") | $(ratio "$hl" "$sl")x |
| \`GET $page_path\` | $(round "$hp") | $(round "$sp") | $(ratio "$hp" "$sp")x |
TABLE
}
