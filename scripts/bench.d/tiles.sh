# scripts/bench section "tiles": cold tiles vs their SQL in pgbench, cached tiles vs nginx, peak RSS.
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- tiles ----

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  local missing
  missing=$(polis_missing_packages nginx-light)
  [ -z "$missing" ] || {
    [ "$(id -u)" = 0 ] || polis_die "nginx is needed as the static reference: apt-get install nginx-light"
    polis_log "installing nginx-light (the static-file reference of the tiles section)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light </dev/null >&2 ||
      { apt-get -q update </dev/null >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends nginx-light </dev/null >&2; } || polis_die "apt-get install nginx-light failed"
  }
  # the package's own service is not wanted: only our private instance runs
  if [ -d /run/systemd/system ]; then systemctl stop nginx 2>/dev/null || true; fi
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || polis_die "nginx not found"
}

rss_sampler() { # pid file: writes the highest VmRSS (kB) seen while pid lives
  local max=0 v
  while [ -r "/proc/$1/status" ]; do
    v=$(awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0)
    ((${v:-0} > max)) && { max=$v; echo "$max" >"$2"; }
    sleep 0.1
  done
}
sample_start() { echo 0 >"$WORK/rss.$1"; rss_sampler "$server_pid" "$WORK/rss.$1" & sampler_pid=$!; }
sample_stop() { kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=; }

bench_tiles() {
  ensure_city
  ensure_nginx
  # the layer: the city's buildings when /tiles serves them, else boundaries
  start_server
  local layer=boundaries why="" tile_sql
  if curl -fsS "http://127.0.0.1:$PORT/tiles" 2>/dev/null | grep -q '"city_buildings"'; then
    layer=city_buildings
  else
    why=" (city_buildings is not a tile layer in this build: GET /tiles does not list it)"
  fi
  # Every tile at z10-z15 over the city (lon 23.515-23.585, lat 41.065-41.115),
  # then z16 from its south-west corner until there are 320: rectangles
  # "z x0 y0 w h offset", shared by wrk (a list of paths) and pgbench (\set).
  awk -v lon0=23.515 -v lat0=41.065 -v lon1=23.585 -v lat1=41.115 -v want=320 '
    function tx(lon, z) { return int((lon + 180) / 360 * 2 ^ z) }
    function ty(lat, z,  r) { r = lat * 3.141592653589793 / 180
      return int((1 - log(sin(r) / cos(r) + 1 / cos(r)) / 3.141592653589793) / 2 * 2 ^ z) }
    BEGIN { off = 0
      for (z = 10; z <= 16; z++) {
        x0 = tx(lon0, z); x1 = tx(lon1, z); y0 = ty(lat1, z); y1 = ty(lat0, z)
        w = x1 - x0 + 1; h = y1 - y0 + 1
        if (z == 16) h = int((want - off + w - 1) / w)
        print z, x0, y0, w, h, off; off += w * h } }' >"$WORK/rects"
  local ntiles
  ntiles=$(awk '{n = $6 + $4 * $5} END {print n}' "$WORK/rects")
  awk -v layer="$layer" '{ for (i = 0; i < $4 * $5; i++)
      printf "/tiles/%s/%d/%d/%d.mvt\n", layer, $1, $2 + i % $4, $3 + int(i / $4) }' "$WORK/rects" >"$WORK/tiles.list"
  # The tile SQL: from the registry in tiles/layers.c (bench_sql), or, for a
  # layer made from the catalogue at run time, as the server sent it
  # (PostgreSQL's log of one tile request).
  if ! tile_sql=$("$BENCH_SQL" tile "$layer" 2>/dev/null); then
    # (the pool sets its own options, so PGOPTIONS would not reach it)
    sql -c "ALTER DATABASE \"$(sql -c "SELECT current_database()")\" SET log_min_duration_statement = 0"
    start_server POLIS_TILE_CACHE_MB=0
    local mark
    mark=$(wc -l <"$POLIS_VAR/pg/log")
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT$(sed -n 200p "$WORK/tiles.list")" ||
      polis_die "GET $(sed -n 200p "$WORK/tiles.list") failed"
    tile_sql=$(tail -n +"$((mark + 1))" "$POLIS_VAR/pg/log" |
      grep "execute [^:]*: SELECT .*ST_AsMVT(.*'$layer'" | tail -1 | sed 's/.*execute [^:]*: //')
    sql -c "ALTER DATABASE \"$(sql -c "SELECT current_database()")\" RESET log_min_duration_statement"
    [ -n "$tile_sql" ] || polis_die "could not find the tile SQL of $layer in $POLIS_VAR/pg/log"
  fi
  {
    echo "\\set i random(0, $((ntiles - 1)))"
    awk '{ z = z " when :i < " $6 + $4 * $5 " then " $1
           x = x " when :i < " $6 + $4 * $5 " then " $2 " + (:i - " $6 ") % " $4
           y = y " when :i < " $6 + $4 * $5 " then " $3 " + (:i - " $6 ") / " $4 }
         END { print "\\set z case" z " end"; print "\\set x case" x " end"; print "\\set y case" y " end" }' "$WORK/rects"
    echo "$tile_sql;" | params 3=:y 2=:x 1=:z
  } >"$WORK/tiles.sql"
  # wrk: every connection walks the list from its own starting point; gzip
  # accepted, as MapLibre and browsers send.
  cat >"$WORK/tiles.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("BENCH_TILE_LIST")) do paths[#paths + 1] = line end
local i = 0
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("start", counter * 7919) end
init = function() i = (start or 0) % #paths end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], {["Accept-Encoding"] = "gzip"})
end
LUA

  # (a) cold: no cache
  start_server POLIS_TILE_CACHE_MB=0
  local xc
  xc=$(curl -fsS -D - -o /dev/null -H 'accept-encoding: gzip' "http://127.0.0.1:$PORT$(head -1 "$WORK/tiles.list")" |
    tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" {print $2}')
  [ "$xc" = off ] || polis_die "x-cache is \"$xc\" with POLIS_TILE_CACHE_MB=0, expected off"
  polis_log "bench tiles: $ntiles cold $layer tiles over HTTP, then the tile SQL in pgbench (${SECONDS_EACH}s each)"
  local cold pg rss_cold
  sample_start cold
  cold=$(BENCH_TILE_LIST=$WORK/tiles.list wrk_run "http://127.0.0.1:$PORT" "$WORK/tiles.lua")
  local cold50 cold99
  cold50=$(wrk_pct 50) cold99=$(wrk_pct 99)
  sample_stop
  rss_cold=$(cat "$WORK/rss.cold")
  pg=$(pgbench_run "$WORK/tiles.sql")

  # (b) cached (64 MB), warmed by fetching every tile once, which also
  # writes the bytes polis sends to files for nginx
  start_server POLIS_TILE_CACHE_MB=64
  sample_start hot
  mkdir -p "$WORK/static" "$WORK/nginx/logs"
  local p status enc bytes=0 n200=0
  while read -r p; do
    mkdir -p "$WORK/static/gz$(dirname "$p")" "$WORK/static/raw$(dirname "$p")"
    read -r status enc < <(curl -sS -o "$WORK/tile.bin" -w '%{http_code} %header{content-encoding}\n' \
      -H 'accept-encoding: gzip' "http://127.0.0.1:$PORT$p")
    case "$status" in 200 | 204) ;; *) polis_die "GET $p answered $status" ;; esac
    [ "$status" = 200 ] && n200=$((n200 + 1))
    bytes=$((bytes + $(stat -c %s "$WORK/tile.bin")))
    if [ "$enc" = gzip ]; then mv "$WORK/tile.bin" "$WORK/static/gz$p"; echo "/gz$p"; else
      mv "$WORK/tile.bin" "$WORK/static/raw$p"; echo "/raw$p"; fi
  done <"$WORK/tiles.list" >"$WORK/static.list"
  xc=$(curl -fsS -D - -o /dev/null -H 'accept-encoding: gzip' "http://127.0.0.1:$PORT$(head -1 "$WORK/tiles.list")" |
    tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" {print $2}')
  [ "$xc" = hit ] || polis_die "x-cache is \"$xc\" after warming, expected hit"
  polis_log "bench tiles: the same tiles from the cache, then from nginx"
  local hot hot50 hot99 rss_hot
  hot=$(BENCH_TILE_LIST=$WORK/tiles.list wrk_run "http://127.0.0.1:$PORT" "$WORK/tiles.lua")
  hot50=$(wrk_pct 50) hot99=$(wrk_pct 99)
  sample_stop
  rss_hot=$(cat "$WORK/rss.hot")

  cat >"$WORK/nginx.conf" <<NGINX
worker_processes $THREADS;
daemon off;
error_log $WORK/nginx/error.log;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { }
  default_type application/vnd.mapbox-vector-tile;
  server {
    listen 127.0.0.1:$STATIC_PORT;
    root $WORK/static;
    location /gz/ { add_header Content-Encoding gzip; add_header Cache-Control "public, max-age=300"; }
    location /raw/ { add_header Cache-Control "public, max-age=300"; }
  }
}
NGINX
  "$(command -v nginx || echo /usr/sbin/nginx)" -p "$WORK/nginx" -c "$WORK/nginx.conf" -e "$WORK/nginx/error.log" &
  nginx_pid=$!
  for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$STATIC_PORT$(head -1 "$WORK/static.list")" && break; sleep 0.1; done
  local st st50 st99
  st=$(BENCH_TILE_LIST=$WORK/static.list wrk_run "http://127.0.0.1:$STATIC_PORT" "$WORK/tiles.lua")
  st50=$(wrk_pct 50) st99=$(wrk_pct 99)
  kill -QUIT "$nginx_pid" 2>/dev/null; wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=

  local mb_cold mb_hot
  mb_cold=$(echo "$rss_cold / 1024" | bc) mb_hot=$(echo "$rss_hot / 1024" | bc)
  table <<TABLE

### tiles: layer \`$layer\`$why

$ntiles tiles z10-z16 over Serres ($n200 with features, $((bytes / ntiles)) bytes each on average as sent with gzip accepted);
wrk -t2 -c$WRK_CONNS walking the list with \`Accept-Encoding: gzip\`; pgbench picks tiles of the same list at random.

| case | req/s or tx/s | p50 (ms) | p99 (ms) | ratio | polis peak RSS |
|---|---:|---:|---:|---:|---:|
| (a) polis, cache off (\`POLIS_TILE_CACHE_MB=0\`) | $(round "$cold") | $cold50 | $cold99 | $(ratio "$cold" "$pg")x | $mb_cold MB |
| (a) reference: the layer's tile SQL in pgbench -c $PGCONNS | $(round "$pg") | | | 1.00x | |
| (b) polis, 64 MB cache, warm | $(round "$hot") | $hot50 | $hot99 | $(ratio "$hot" "$st")x | $mb_hot MB |
| (b) reference: nginx $(nginx -v 2>&1 | sed 's/.*nginx\///') ($THREADS workers), same bytes as files | $(round "$st") | $st50 | $st99 | 1.00x | |
TABLE
}
