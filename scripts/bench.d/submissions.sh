# scripts/bench section "submissions": durable application submissions (a
# protocol number each) vs the gapless-numbering transaction an engineer would
# write without polis, and vs PostgreSQL's own single durable INSERT.
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- submissions: POST /api/v1/applications/{id}/submit ----

bench_submissions() {
  # one applicant submits them all: its per-account write limit out of the way
  start_server POLIS_RATE_USER_WRITE=0
  local muni=${POLIS_MUNICIPALITY:-9054} service=no_debts
  local drafts=${BENCH_SUBMISSION_DRAFTS:-100000}
  local email=bench-applicant@bench.polis.example key user first last
  echo "bench-applicant-password" | "$POLIS" user add --email "$email" --role citizen >/dev/null 2>&1 || true
  key=$("$POLIS" key create --user "$email" --scope report --name bench-submissions 2>/dev/null)
  user=$(sql -c "SELECT id FROM users WHERE email = '$email'")
  # the drafts the run submits, one per request: more than wrk can reach in
  # BENCH_SECONDS (a request for a missing draft is a 404, which stops the run)
  polis_log "bench submissions: $drafts drafts of the demo service $service"
  read -r first last < <(sql -F ' ' -c "
    WITH s AS (SELECT s.id, s.municipality_id, s.department_id FROM services s
               JOIN boundaries b ON b.id = s.municipality_id
               WHERE s.code = '$service' AND b.code = '$muni'),
    ins AS (INSERT INTO applications (service_id, municipality_id, department_id, user_id,
              applicant_kind, answers)
            SELECT s.id, s.municipality_id, s.department_id, $user, 'citizen',
              jsonb_build_object('purpose', 'Για την εφορία (bench) ' || g)
            FROM s, generate_series(1, $drafts) g RETURNING id)
    SELECT min(id), max(id) FROM ins")
  [ -n "$first" ] || polis_die "no drafts made: is the demo service $service loaded?"
  ((last - first + 1 == drafts)) || polis_die "the drafts' ids are not one run ($first..$last)"

  local status
  status=$(curl -sS -o "$WORK/submit.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $key" \
    "http://127.0.0.1:$PORT/api/v1/applications/$first/submit")
  [ "$status" = 200 ] || { cat "$WORK/submit.json" >&2; polis_die "a submission answered $status, not 200"; }

  # each wrk thread takes every other draft after the first
  cat >"$WORK/submit.lua" <<LUA
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local n = 0
request = function()
  local id = $first + 1 + tid + n * 2
  n = n + 1
  return wrk.format("POST", "/api/v1/applications/" .. id .. "/submit",
                    { ["Authorization"] = "Bearer $key" }, nil)
end
LUA
  # The references, in a schema of their own:
  #  - the transaction an engineer writes for a gapless per-year number
  #    without polis: take the next number from a counter row, insert the
  #    entry with it, commit (durably);
  #  - PostgreSQL's floor: one durable INSERT of an application-sized row.
  sql -c "CREATE SCHEMA IF NOT EXISTS bench_gen;
          DROP TABLE IF EXISTS bench_gen.plain_counter, bench_gen.plain_entries,
            bench_gen.plain_applications;
          CREATE TABLE bench_gen.plain_counter (year int PRIMARY KEY, last bigint NOT NULL);
          INSERT INTO bench_gen.plain_counter VALUES (extract(year FROM now())::int, 0);
          CREATE TABLE bench_gen.plain_entries (year int, number bigint, subject text NOT NULL,
            at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (year, number));
          CREATE TABLE bench_gen.plain_applications (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id bigint NOT NULL,
            service_id bigint NOT NULL, answers jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now())"
  cat >"$WORK/gapless.sql" <<'SQL'
BEGIN;
UPDATE bench_gen.plain_counter SET last = last + 1 WHERE year = extract(year FROM now())::int
  RETURNING last AS number \gset
INSERT INTO bench_gen.plain_entries (year, number, subject)
  VALUES (extract(year FROM now())::int, :number, 'Αίτηση: Βεβαίωση μη οφειλής');
COMMIT;
SQL
  cat >"$WORK/plain_application.sql" <<'SQL'
INSERT INTO bench_gen.plain_applications (user_id, service_id, answers)
  VALUES (1, 1, '{"purpose": "Για την εφορία (bench)"}');
SQL
  local sync
  sync=$(sql -c "SHOW synchronous_commit")-$(sql -c "SHOW fsync")

  polis_log "bench submissions: over HTTP, then the references in pgbench (${SECONDS_EACH}s each)"
  local before after http req p50 p99 numbers span
  before=$(sql -c "SELECT count(*) FROM applications WHERE user_id = $user AND status = 'submitted'")
  http=$(wrk_run "http://127.0.0.1:$PORT/api/v1/applications" "$WORK/submit.lua")
  req=$(wrk_requests)
  p50=$(wrk_pct 50) p99=$(wrk_pct 99)
  after=$(sql -c "SELECT count(*) FROM applications WHERE user_id = $user AND status = 'submitted'")
  ((after - before >= req)) || polis_die "wrk counted $req answers but only $((after - before)) applications were submitted"
  # the numbers the run took: as many as submissions, none twice, no gap
  read -r numbers span < <(sql -F ' ' -c "
    SELECT count(DISTINCT e.number), max(e.number) - min(e.number) + 1
    FROM applications a JOIN protocol_entries e ON e.id = a.protocol_entry_id
    WHERE a.user_id = $user")
  [ "$numbers" = "$after" ] && [ "$span" = "$after" ] ||
    polis_die "protocol numbers: $numbers distinct over a span of $span for $after submissions"

  local gapless gp50 gp99 plain ip50 ip99
  rm -f "$WORK"/pgl.*
  gapless=$(pgbench_run "$WORK/gapless.sql" -M prepared -c "$WRK_CONNS" -l --log-prefix="$WORK/pgl")
  read -r gp50 gp99 < <(pgbench_log_pct)
  rm -f "$WORK"/pgl.*
  plain=$(pgbench_run "$WORK/plain_application.sql" -M prepared -c "$WRK_CONNS" -l --log-prefix="$WORK/pgl")
  read -r ip50 ip99 < <(pgbench_log_pct)
  table <<TABLE

### submissions (synchronous_commit-fsync: $sync)

| case | req/s or tx/s | p50 (ms) | p99 (ms) | ratio |
|---|---:|---:|---:|---:|
| polis \`POST /api/v1/applications/{id}/submit\` (wrk -c$WRK_CONNS, all 200, $((after - before)) submitted, numbers gapless) | $(round "$http") | $p50 | $p99 | $(ratio "$http" "$gapless")x |
| pgbench: the gapless-number transaction without polis (counter UPDATE ... RETURNING, INSERT of the entry, COMMIT), -c $WRK_CONNS | $(round "$gapless") | $gp50 | $gp99 | 1.00x |
| pgbench: one durable INSERT of an application row (jsonb answers), -c $WRK_CONNS | $(round "$plain") | $ip50 | $ip99 | polis / this: $(ratio "$http" "$plain")x |
TABLE
}
