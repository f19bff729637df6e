# shellcheck shell=bash
# scripts/lib.sh: set-up steps shared by scripts/run, scripts/test and
# scripts/bench. Source it; it defines functions and ROOT, runs nothing.
#
# Every step is idempotent and cheap when there is nothing to do: a second
# run installs nothing, rebuilds incrementally and reuses the cluster.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
POLIS_BUILD_DIR=${POLIS_BUILD_DIR:-$ROOT/build}

# Debian 12 packages needed to build, test, run and benchmark polis.
POLIS_PACKAGES=(
  cmake pkg-config build-essential
  libh2o-evloop-dev libjansson-dev libpq-dev libssl-dev libgdal-dev libproj-dev
  postgresql-15 postgresql-15-postgis-3 postgresql-contrib gdal-bin
  libcurl4-openssl-dev libsodium-dev zlib1g-dev wrk libxml2-utils
  libsqlite3-dev   # polis tiles seed --out (MBTiles)
  libical-dev   # event RRULEs (gis/event_recurrence.c), the iCalendar feed test
  curl bc   # scripts/bench: readiness probe and ratios
  libfreetype-dev fonts-dejavu-core   # the map's label glyphs (tools/make_glyphs.c)
  libcairo2-dev libpango1.0-dev libqrencode-dev   # answer documents (services/answer_pdf.c)
  libpoppler-glib-dev   # PDFs attached to applications (services/upload_check.c)
)

# Only scripts/test needs these: the browser tests' Chromium (tests/browser/),
# clang with its runtimes for scripts/test --sanitize and scripts/fuzz (ASan,
# UBSan, libFuzzer), and the tools the http tests run (a test fails, naming
# the tool, when one is missing: h_require_tool). ogrinfo/ogr2ogr (gdal-bin),
# xmllint (libxml2-utils) and pg_dump (postgresql-15) come with POLIS_PACKAGES.
POLIS_TEST_PACKAGES=(chromium clang clang-14 libclang-rt-14-dev zip unzip
  poppler-utils zbar-tools)   # pdftotext, pdfsig, pdftoppm and zbarimg read the answer PDFs

polis_log() { echo "polis: $*" >&2; }
polis_die() { echo "polis: error: $*" >&2; exit 1; }

# Prints the packages of POLIS_PACKAGES (or of the arguments) that are not
# installed, one per line.
polis_missing_packages() {
  (($#)) || set -- "${POLIS_PACKAGES[@]}"
  local installed p
  # one dpkg-query for all of them; unknown packages print nothing on stdout
  installed=" $({ dpkg-query -W -f='${Package}:${Status}\n' "$@" 2>/dev/null || true; } |
    sed -n 's/^\([^:]*\):install ok installed$/\1/p' | tr '\n' ' ') "
  for p in "$@"; do
    [[ $installed == *" $p "* ]] || echo "$p"
  done
}

# Installs whatever is missing. Nothing missing: does nothing (no apt-get
# update). Not root and something missing: says what to install, exits 1.
polis_install_deps() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    polis_log "no dpkg-query: not a Debian system; make sure these are installed: ${POLIS_PACKAGES[*]}"
    return 0
  fi
  local missing
  mapfile -t missing < <(polis_missing_packages)
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" != 0 ]; then
    polis_log "missing packages: ${missing[*]}"
    polis_log "install them as root with:"
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  polis_log "installing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -q update </dev/null >&2 || polis_die "apt-get update failed"
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2 ||
    polis_die "apt-get install failed"
  mapfile -t missing < <(polis_missing_packages)
  ((${#missing[@]} == 0)) || polis_die "still missing after apt-get install: ${missing[*]}"
}

# polis_build [build-dir] [cmake args...]
# Configures (first time, or when CMake decides it must) and builds with all
# cores. POLIS_BUILD_TARGET, when set, builds only that target. POLIS_WERROR
# (ON/OFF), when set, turns warnings into errors or not; unset, the build
# directory keeps what it has (CMake's default is OFF, so that a newer
# compiler's new warnings do not stop scripts/run; scripts/test sets ON).
polis_build() {
  local dir=${1:-$POLIS_BUILD_DIR}
  (($# == 0)) || shift
  mkdir -p "$dir"
  # Two scripts building one directory at once (two instances of scripts/run)
  # would corrupt it: take turns.
  local lock
  exec {lock}>"$dir/.polis-build.lock"
  flock "$lock"
  local cache=$dir/CMakeCache.txt home
  # A build directory copied from another checkout points at that checkout's
  # sources; CMake refuses to use it, so start it afresh.
  if [ -f "$cache" ]; then
    home=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$cache")
    if [ -n "$home" ] && [ "$home" != "$ROOT" ]; then
      polis_log "$dir was configured for $home; reconfiguring it for $ROOT"
      rm -rf "$cache" "$dir/CMakeFiles"
    fi
  fi
  polis_log "building in $dir..."
  local werror=()
  [ -z "${POLIS_WERROR:-}" ] || werror=(-DPOLIS_WERROR="$POLIS_WERROR")
  cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE="${POLIS_BUILD_TYPE:-RelWithDebInfo}" \
    "${werror[@]}" "$@" >"$dir/configure.log" 2>&1 ||
    { cat "$dir/configure.log" >&2; polis_die "cmake configure failed (log: $dir/configure.log)"; }
  local target=()
  [ -z "${POLIS_BUILD_TARGET:-}" ] || target=(--target "$POLIS_BUILD_TARGET")
  cmake --build "$dir" -j"$(nproc)" "${target[@]}" >&2 || polis_die "build failed"
  exec {lock}>&-
}

# polis_build_sanitized build-dir [cmake args...]
# A clang build with AddressSanitizer + UBSan in everything (server, tests)
# and the libFuzzer harnesses of tests/fuzz: scripts/test --sanitize
# (build-sanitize/) and scripts/fuzz (build-fuzz/).
polis_build_sanitized() {
  local dir=$1
  shift
  command -v clang >/dev/null 2>&1 || polis_die "clang is missing (packages: clang libclang-rt-14-dev)"
  polis_build "$dir" -DCMAKE_C_COMPILER=clang -DPOLIS_SANITIZE=ON -DPOLIS_FUZZ=ON "$@"
}

# CI's second build: Release (-O3) with the tests and -Werror, in
# $ROOT/build-release. The optimiser sees more (gcc's format-overflow and
# maybe-uninitialized analyses need -O2), so warnings the default
# RelWithDebInfo build does not show fail here. Runs nothing.
polis_build_release_check() {
  polis_log "CI: building Release with the tests and -Werror in $ROOT/build-release..."
  POLIS_BUILD_TYPE=Release POLIS_WERROR=ON POLIS_BUILD_TARGET= \
    polis_build "$ROOT/build-release" -DBUILD_TESTING=ON
}

# Without POLIS_DATABASE_URL: starts the private cluster under $POLIS_VAR
# (default $ROOT/var) and exports its URLs (POLIS_DATABASE_URL,
# POLIS_DATABASE_OWNER_URL). POLIS_DB_STARTED tells whether
# this call started it (1) or found it running (0); a caller stops only what
# it started. With POLIS_DATABASE_URL: uses that database and never touches it.
polis_db_setup() {
  POLIS_DB_STARTED=0
  POLIS_VAR=${POLIS_VAR:-$ROOT/var}
  mkdir -p "$POLIS_VAR"
  POLIS_VAR=$(cd "$POLIS_VAR" && pwd)   # the server and scripts/db may run elsewhere
  export POLIS_VAR
  if [ -n "${POLIS_DATABASE_URL:-}" ]; then
    polis_log "using the database in POLIS_DATABASE_URL"
    return 0
  fi
  if ! "$ROOT/scripts/db" status; then
    polis_log "starting PostgreSQL in $POLIS_VAR/pg..."
    POLIS_DB_STARTED=1   # set first: a half-done start is stopped too
    "$ROOT/scripts/db" start
  else
    polis_log "PostgreSQL in $POLIS_VAR/pg is already running; using it (and leaving it running)"
    "$ROOT/scripts/db" start   # makes sure the database exists
  fi
  # the server connects as the application role; migrate and layer imports
  # as the owner (README "Database roles")
  POLIS_DATABASE_URL=$("$ROOT/scripts/db" url)
  POLIS_DATABASE_OWNER_URL=$("$ROOT/scripts/db" owner-url)
  export POLIS_DATABASE_URL POLIS_DATABASE_OWNER_URL
}

# Stops the private cluster if polis_db_setup started it.
polis_db_teardown() {
  if [ "${POLIS_DB_STARTED:-0}" = 1 ]; then
    polis_log "stopping PostgreSQL in $POLIS_VAR/pg..."
    "$ROOT/scripts/db" stop || polis_log "could not stop PostgreSQL in $POLIS_VAR/pg"
    POLIS_DB_STARTED=0
  fi
}

polis_migrate() {
  polis_log "migrating the database..."
  "$POLIS_BUILD_DIR/polis" migrate </dev/null || polis_die "polis migrate failed"
}

# Loads the demo municipality from POLIS_DEMO_DATA (default $ROOT/../shared/data).
# Without that directory polis still runs, just with no demo data.
polis_demo() {
  local data=${POLIS_DEMO_DATA:-$ROOT/../shared/data}
  if [ ! -d "$data" ]; then
    polis_log "demo data directory $data not found; skipping the demo (set POLIS_DEMO_DATA to load it)"
    return 0
  fi
  polis_log "loading the demo data from $data..."
  "$POLIS_BUILD_DIR/polis" demo load --data "$data" </dev/null || polis_die "polis demo load failed"
  # prints "email password" once, for the demo accounts it creates (first set-up only)
  "$POLIS_BUILD_DIR/polis" demo users </dev/null || polis_die "polis demo users failed"
}

# The npm packages of package-lock.json (MapLibre, which polis serves to the
# pages, and the browser tests' playwright-core) into $ROOT/node_modules.
# Node and npm come from Debian (nodejs npm) when there are none yet: a
# NodeSource node already carries its own npm, so they are checked as
# commands, not as packages. Skipped when node_modules matches the lock.
polis_npm() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || polis_die "node and npm are missing; as root: apt-get install -y nodejs npm"
    polis_log "installing packages: nodejs npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -q update </dev/null >&2 || polis_die "apt-get update failed"
    apt-get install -y -q --no-install-recommends nodejs npm </dev/null >&2 ||
      polis_die "apt-get install nodejs npm failed"
  fi
  # npm writes node_modules/.package-lock.json last: newer than the lock = done
  if [ "$ROOT/node_modules/.package-lock.json" -nt "$ROOT/package-lock.json" ]; then
    return 0
  fi
  polis_log "installing npm packages (npm ci)..."
  (cd "$ROOT" && npm ci --no-audit --no-fund </dev/null >&2) || polis_die "npm ci failed"
}
