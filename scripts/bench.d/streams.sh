# scripts/bench section "streams": open mailbox streams (RSS) and commit-to-client latency.
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- streams: open mailbox streams on one process ----

vm_rss() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; } # kB

bench_streams() {
  local n=${BENCH_STREAMS:-10000} email=bench-streams@bench.polis.example key idle open_kb
  [ "$n" != 0 ] || { bench_stream_latency; return; } # BENCH_STREAMS=0: the latency only
  echo "bench-streams-password" | "$POLIS" user add --email "$email" --role citizen >/dev/null 2>&1 || true
  key=$("$POLIS" key create --user "$email" --scope read --name bench 2>/dev/null)
  ulimit -n $((n + 1024)) # the helper and the server each hold n sockets
  start_server POLIS_MAX_CONNECTIONS=$((n + 100))
  idle=$(vm_rss)
  polis_log "bench streams: opening $n streams"
  rm -f "$WORK/streams.in" && mkfifo "$WORK/streams.in"
  "$POLIS_BUILD_DIR/bench_streams" "$PORT" "$key" "$n" <"$WORK/streams.in" >"$WORK/streams.out" &
  local helper=$!
  exec 7>"$WORK/streams.in" # the helper keeps its streams open until this closes
  while ! grep -q '^open' "$WORK/streams.out"; do
    kill -0 "$helper" 2>/dev/null || polis_die "bench_streams stopped before all $n streams were open"
    sleep 0.5
  done
  open_kb=$(vm_rss)
  exec 7>&-
  wait "$helper"
  table <<TABLE

### streams (one process, $THREADS threads; every stream answered 200 with its retry: line before the reading)

| case | polis RSS (MB) | per stream (kB) |
|---|---:|---:|
| no stream open | $((idle / 1024)) | |
| $n streams open | $((open_kb / 1024)) | $(printf "%.1f" "$(echo "($open_kb - $idle) / $n" | bc -l)") |
TABLE
  bench_stream_latency
}

# Commit-to-client latency (issue 16): BENCH_STAFF (100) staff of the roads
# department, each with a mailbox stream open, while reports of that
# department are filed at BENCH_RATE (200) per second: for every report and
# every stream, the time from its 201 (the commit) to its event on the stream.
bench_stream_latency() {
  local staff=${BENCH_STAFF:-100} rate=${BENCH_RATE:-200} muni=${POLIS_MUNICIPALITY:-9054} out
  # the staff accounts (no password: they only hold keys) and a fresh read key each
  sql -v n="$staff" -v muni="$muni" >"$WORK/staff.keys" <<'SQL'
INSERT INTO users (email, password_hash, role)
SELECT 'bench-staff-' || i || '@bench.polis.example', '!', 'staff' FROM generate_series(1, :n) i
ON CONFLICT (email) DO NOTHING;
INSERT INTO user_departments (user_id, department_id)
SELECT u.id, c.department_id FROM users u, report_categories c JOIN boundaries b ON b.id = c.municipality_id
WHERE u.email::text LIKE 'bench-staff-%@bench.polis.example' AND c.code = 'roads'
  AND b.level = 'municipality' AND b.code = :'muni'
ON CONFLICT DO NOTHING;
DELETE FROM api_keys WHERE name = 'bench latency';
-- every run starts with empty mailboxes: each event carries its owner's unread count
UPDATE inbox SET read_at = now() WHERE read_at IS NULL
  AND user_id IN (SELECT id FROM users WHERE email::text LIKE 'bench-staff-%@bench.polis.example');
WITH k AS MATERIALIZED (SELECT id, 'bench' || id || md5(random()::text) AS key FROM users
                        WHERE email::text LIKE 'bench-staff-%@bench.polis.example'
                        ORDER BY id LIMIT :n),
ins AS (INSERT INTO api_keys (user_id, name, prefix, key_hash, scopes)
        SELECT id, 'bench latency', left(key, 8), sha256(convert_to(key, 'UTF8')), ARRAY['read'] FROM k)
SELECT key FROM k;
SQL
  start_server
  polis_log "bench streams: $staff staff streams, reports filed at $rate/s for ${SECONDS_EACH}s"
  out=$("$POLIS_BUILD_DIR/bench_streams" latency "$PORT" "$WORK/staff.keys" "$rate" "$SECONDS_EACH" \
    '{"category":"roads","lat":%LAT%,"lon":23.54,"description":"Λακκούβα (bench latency)"}') ||
    polis_log "warning: not every event arrived exactly once: $out"
  [ -n "$out" ] || polis_die "bench_streams latency printed nothing"
  v() { echo "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  table <<TABLE

### commit-to-client latency ($(v streams) staff mailbox streams of one department, reports of that department filed at $rate/s for ${SECONDS_EACH} s)

| reports filed (per s) | late sends | events expected | received | duplicates | p50 (ms) | p99 (ms) | max (ms) |
|---:|---:|---:|---:|---:|---:|---:|---:|
| $(v filed) ($(v rate)) | $(v late) | $(v expected) | $(v received) | $(v duplicates) | $(v p50_ms) | $(v p99_ms) | $(v max_ms) |
TABLE
}
