# scripts/bench section "ogc": OGC API items pages vs the server's statements in pgbench.
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- ogc: items pages ----

bench_ogc() {
  ensure_city
  start_server
  local cases=("boundaries 23.3,40.9,23.8,41.2" "city_buildings 23.545,41.085,23.555,41.095")
  local rows="" c coll bbox path http pg
  for c in "${cases[@]}"; do
    coll=${c%% *} bbox=${c#* }
    IFS=, read -r x0 y0 x1 y1 <<<"$bbox"
    path="/ogc/collections/$coll/items?bbox=$bbox&limit=100"
    {
      # pgbench takes :MI in a literal for a variable: the same constant, concatenated
      echo "$("$BENCH_SQL" ogc_collection);" | params "2='f'" "1='$coll'" |
        sed "s/:MI:SS/:'||'MI:'||'SS/g"
      echo "$("$BENCH_SQL" ogc_items "$coll");" | params 7=10001 6=0 5=100 4="$y1" 3="$x1" 2="$y0" 1="$x0"
    } >"$WORK/ogc_$coll.sql"
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT$path" || polis_die "GET $path failed"
    polis_log "bench ogc: $coll over HTTP, then in pgbench (${SECONDS_EACH}s each)"
    http=$(wrk_run "http://127.0.0.1:$PORT$path")
    pg=$(pgbench_run "$WORK/ogc_$coll.sql")
    rows+="| \`GET $path\` ($(curl -fsS "http://127.0.0.1:$PORT$path" | wc -c) bytes) | $(round "$http") | $(round "$pg") | $(ratio "$http" "$pg")x |"$'\n'
  done
  table <<TABLE

### ogc (pgbench: the collection lookup + the items page, as the server sends them)

| case | polis HTTP (req/s) | same SQL in pgbench (tx/s) | ratio |
|---|---:|---:|---:|
${rows%$'\n'}
TABLE
}
