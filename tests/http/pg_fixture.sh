#!/usr/bin/env bash
# pg_fixture.sh start|stop STATE
#
# The ctest fixture "pg": a private PostgreSQL + PostGIS cluster (scripts/db
# with its own POLIS_VAR under /tmp), migrated and loaded with the demo data
# (326 municipalities of Greece), shared by the HTTP tests.
#   start  creates it; writes STATE/conninfo (the application role's, what
#          the servers use; tests read it through POLIS_TEST_DB_FILE),
#          STATE/admin_conninfo (the cluster superuser's: tests that make
#          databases of their own, POLIS_TEST_DB_ADMIN_FILE) and STATE/var
#          (the cluster's directory). Migrations run as the owner role.
#          Also <database>_template, a copy made before any test writes,
#          which no one connects to: a test that needs a database of its
#          own copies it in seconds (CREATE DATABASE ... TEMPLATE) instead
#          of loading the demo again (tests/browser/polis_server.mjs)
#   stop   stops the cluster and removes its directory (runs even when
#          tests failed, as the fixture's cleanup)
# Needs POLIS_BIN, POLIS_DB_SCRIPT and POLIS_DATA in the environment.
set -euo pipefail

cmd=${1:?usage: pg_fixture.sh start|stop STATE}
state=${2:?usage: pg_fixture.sh start|stop STATE}
: "${POLIS_DB_SCRIPT:?}"

stop() {
  [ -f "$state/var" ] || return 0
  local var
  var=$(cat "$state/var")
  if [ -d "$var" ]; then
    POLIS_VAR=$var "$POLIS_DB_SCRIPT" stop || true
    rm -rf "$var"
  fi
  rm -f "$state/var" "$state/conninfo" "$state/admin_conninfo"
}

case "$cmd" in
start)
  : "${POLIS_BIN:?}" "${POLIS_DATA:?}"
  stop   # a cluster left behind by an interrupted run
  mkdir -p "$state"
  var=$(mktemp -d /tmp/polis-http-XXXXXX)
  chmod 0755 "$var"   # PostgreSQL runs as user postgres when we are root
  echo "$var" >"$state/var"
  export POLIS_VAR=$var POLIS_PG_FSYNC=off
  "$POLIS_DB_SCRIPT" start
  url=$("$POLIS_DB_SCRIPT" url)
  export POLIS_DATABASE_URL=$url POLIS_DATABASE_OWNER_URL
  POLIS_DATABASE_OWNER_URL=$("$POLIS_DB_SCRIPT" owner-url)
  "$POLIS_BIN" migrate
  "$POLIS_BIN" demo load --data "$POLIS_DATA"
  n=$("$POLIS_DB_SCRIPT" psql -qAtc "SELECT count(*) FROM boundaries WHERE level = 'municipality'")
  if [ "$n" != 326 ]; then
    echo "pg_fixture: expected 326 municipalities after demo load, found $n" >&2
    exit 1
  fi
  db=$("$POLIS_DB_SCRIPT" psql -qAtc "SELECT current_database()")
  "$POLIS_DB_SCRIPT" psql -qc "CREATE DATABASE ${db}_template OWNER polis_owner TEMPLATE $db IS_TEMPLATE true ALLOW_CONNECTIONS false"
  "$POLIS_DB_SCRIPT" admin-url >"$state/admin_conninfo"
  echo "$url" >"$state/conninfo"
  echo "pg_fixture: ready at $url ($n municipalities)"
  ;;
stop) stop ;;
*) echo "usage: pg_fixture.sh start|stop STATE" >&2; exit 2 ;;
esac
