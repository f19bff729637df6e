# scripts/bench section "documents": answer PDFs rendered and signed vs openssl cms -sign.
# Sourced by scripts/bench, which defines the helpers used here (start_server,
# wrk_run, pgbench_run, sql, table, ...).
# shellcheck shell=bash

# ---- documents: answer PDFs rendered and signed vs openssl cms -sign ----

bench_documents() {
  local n=${BENCH_DOCUMENTS:-200} dir=$WORK/documents out t0 t1 openssl_s i
  mkdir -p "$dir"
  "$POLIS" signing demo-cert "$dir" --name "Δήμος Σερρών" 2>>"$WORK/server.log"
  polis_log "bench documents: $n answer documents rendered, signed and stored on one thread"
  out=$("$POLIS_BUILD_DIR/bench_documents" "$dir/signing-key.pem" "$dir/signing-cert.pem" "$n" "$dir") ||
    polis_die "bench_documents failed"
  v() { echo "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  polis_log "bench documents: the reference, openssl cms -sign of the same rendered PDF, $n times"
  t0=$(date +%s.%N)
  for ((i = 0; i < n; i++)); do
    openssl cms -sign -binary -md sha256 -nosmimecap -cades -outform DER -signer "$dir/signing-cert.pem" \
      -inkey "$dir/signing-key.pem" -in "$dir/rendered.pdf" -out "$dir/reference.p7s" ||
      polis_die "openssl cms -sign failed"
  done
  t1=$(date +%s.%N)
  openssl_s=$(echo "$n / ($t1 - $t0)" | bc -l)
  table <<TABLE

### documents ($n answer documents of $(v bytes) bytes, $(v signed_bytes) signed; one thread; ECDSA P-256 demo key)

| case | documents/s | ratio (polis / openssl cms -sign) |
|---|---:|---:|
| polis: the whole issue (\`answer_document_make\`: code, render, sign, SHA-256, file written with fsync) | $(v issue_per_s) | $(ratio "$(v issue_per_s)" "$openssl_s")x |
| polis: rendering alone (Cairo + Pango + QR code) | $(v render_per_s) | $(ratio "$(v render_per_s)" "$openssl_s")x |
| polis: signing alone (\`pdf_sign\`: incremental update + CMS over the byte ranges) | $(v sign_per_s) | $(ratio "$(v sign_per_s)" "$openssl_s")x |
| reference: \`openssl cms -sign -binary -md sha256 -cades\` of the same rendered PDF, one process each | $(printf "%.1f" "$openssl_s") | 1.00x |
TABLE
}
