# scripts/bench section "places": POI search and near= over generated POIs vs the statement in pgbench.
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- places: POI search and near over 50,000 POIs ----

PLACES_POIS=${BENCH_POIS:-50000}

ensure_pois() { # generates $PLACES_POIS published POIs tagged 'bench', once per database
  local have
  have=$(sql -c "SELECT count(*) FROM pois WHERE 'bench' = ANY (tags)")
  [ "$have" -ge "$PLACES_POIS" ] && return 0
  polis_log "bench places: generating $PLACES_POIS published POIs around Serres (names from Greek place words)"
  sql -v n="$PLACES_POIS" >/dev/null <<'SQL'
DELETE FROM pois WHERE 'bench' = ANY (tags);
SELECT setseed(0.42);
INSERT INTO pois (category, name_el, name_en, geom, status, published_at, tags)
SELECT c.codes[1 + (i % cardinality(c.codes))], n.name, initcap(polis_greek_latin(n.name)),
       ST_SetSRID(ST_MakePoint(23.0 + random() * 1.2, 40.7 + random() * 0.7), 4326),
       'published', now(), ARRAY['bench']
FROM generate_series(1, :n) AS i
CROSS JOIN (SELECT array_agg(code ORDER BY code) AS codes FROM poi_categories) AS c
CROSS JOIN LATERAL (SELECT
  (ARRAY['Μουσείο', 'Ταβέρνα', 'Καφενείο', 'Ιερός Ναός', 'Πλατεία', 'Ξενοδοχείο', 'Πάρκο',
         'Βρύση', 'Γέφυρα', 'Μονή', 'Λαογραφικό Μουσείο', 'Πύργος', 'Χάνι', 'Αρχοντικό',
         'Φούρνος', 'Πηγή'])[1 + floor(random() * 16)::int] || ' ' ||
  (ARRAY['Σερρών', 'Νιγρίτας', 'Ηράκλειας', 'Σιδηροκάστρου', 'Αμφίπολης', 'Κερκίνης',
         'Αγίου Νικολάου', 'Αγίου Γεωργίου', 'Αγίας Σοφίας', 'Λευκώνα', 'Προβατά', 'Χρυσού',
         'Σκουτάρεως', 'Μαυροθάλασσας', 'Ροδολίβους', 'Βισαλτίας', 'Πεθελινού', 'Κουλά',
         'Ορεινής', 'Τερπνής'])[1 + floor(random() * 20)::int] || ' ' || i AS name
  WHERE i > 0) AS n;
ANALYZE pois;
SQL
}

urlencode() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }

bench_places() {
  ensure_pois
  start_server
  # the near box: where the generated POIs are
  local LAT0=40.7 LAT1=41.4 LON0=23.0 LON1=24.2 rows="" q path http pg n
  local PLACES_VARS=(-D deps='{}' -D admin=false -D lim=10 -D off=0 -D lang=el -D status=published)
  for q in "μουσειο σερρων" "serron"; do
    path="/api/v1/pois?q=$(urlencode "$q")&limit=10"
    # every parameter the server sends as one is a pgbench variable (sent as a
    # parameter too under -M prepared); the NULLs stay literals
    echo "$("$BENCH_SQL" poi_search);" |
      params 12=:deps 11=:admin 10=:lim 9=:off 8=:lang 7=NULL 6=NULL 5=NULL 4=NULL 3=NULL \
        2=:status 1=:q >"$WORK/poi_search.sql"
    n=$(curl -fsS "http://127.0.0.1:$PORT$path" | node -e \
      'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).features.length))')
    [ "$n" = 10 ] || polis_die "GET $path found $n POIs, expected a full page of 10"
    polis_log "bench places: q=$q over HTTP, then in pgbench (${SECONDS_EACH}s each)"
    http=$(wrk_run "http://127.0.0.1:$PORT$path")
    pg=$(pgbench_run "$WORK/poi_search.sql" -M prepared "${PLACES_VARS[@]}" -D q="$q")
    rows+="| \`GET /api/v1/pois?q=$q&limit=10\` | $(round "$http") | $(round "$pg") | $(ratio "$http" "$pg")x |"$'\n'
  done
  cat >"$WORK/near.lua" <<LUA
math.randomseed(42)
request = function()
  local lat = $LAT0 + math.random() * ($LAT1 - $LAT0)
  local lon = $LON0 + math.random() * ($LON1 - $LON0)
  return wrk.format("GET", string.format("/api/v1/pois?near=%.6f,%.6f&limit=10", lat, lon))
end
LUA
  {
    echo "\\set lat $LAT0 + random(0, 1000000) * ($LAT1 - $LAT0) / 1000000.0"
    echo "\\set lon $LON0 + random(0, 1000000) * ($LON1 - $LON0) / 1000000.0"
    echo "$("$BENCH_SQL" poi_near);" |
      params 14=:deps 13=:admin 12=:lim 11=:off 10=:lang 9=:lon 8=:lat 7=NULL 6=NULL 5=NULL \
        4=NULL 3=NULL 2=:status 1=NULL
  } >"$WORK/poi_near.sql"
  polis_log "bench places: near= over HTTP, then in pgbench (${SECONDS_EACH}s each)"
  http=$(wrk_run "http://127.0.0.1:$PORT/api/v1/pois" "$WORK/near.lua")
  pg=$(pgbench_run "$WORK/poi_near.sql" -M prepared "${PLACES_VARS[@]}")
  rows+="| \`GET /api/v1/pois?near=lat,lon&limit=10\` (random points) | $(round "$http") | $(round "$pg") | $(ratio "$http" "$pg")x |"$'\n'
  table <<TABLE

### places ($(sql -c "SELECT count(*) FROM pois WHERE status = 'published'") published POIs; pgbench: the server's statement, prepared, with the same parameters)

| case | polis HTTP (req/s) | same SQL in pgbench (tx/s) | ratio |
|---|---:|---:|---:|
${rows%$'\n'}
TABLE
}
