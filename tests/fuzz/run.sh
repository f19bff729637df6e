#!/usr/bin/env bash
# tests/fuzz/run.sh HARNESS SEED_CORPUS BUILD_DIR SECONDS [libFuzzer options...]
# Runs one libFuzzer harness for SECONDS on its seed corpus (read only) and
# the inputs earlier runs kept in BUILD_DIR/fuzz/corpus/NAME/. A crash, a
# leak, a slow input (over 10 s) or a broken property ends the run with a
# failure and leaves the input in BUILD_DIR/crashes/NAME-*; replay it with
#   HARNESS BUILD_DIR/crashes/NAME-<hash>
# Used by ctest (label fuzz) and scripts/fuzz.
set -euo pipefail
harness=$1 seeds=$2 build=$3 seconds=$4
shift 4
name=$(basename "$harness")
name=${name#fuzz_}
[ -d "$seeds" ] || { echo "run.sh: no seed corpus $seeds" >&2; exit 1; }
mkdir -p "$build/fuzz/corpus/$name" "$build/crashes"
# tests/fuzz/NAME.dict: the parser's keywords, which mutations alone find late
dict=$(dirname "$(dirname "$seeds")")/$name.dict
[ ! -f "$dict" ] || set -- -dict="$dict" "$@"
# the ASan/UBSan options of scripts/test --sanitize would send reports to
# files; a fuzzer reports on stderr and keeps the input itself
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1
exec "$harness" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$build/crashes/$name-" "$@" "$build/fuzz/corpus/$name" "$seeds"
