// Starts the real `polis serve` for one test: a free loopback port, the
// fixture database (POLIS_TEST_DB_FILE), waits for /healthz, and stops it
// (SIGTERM) when the test is done or the process exits. With realMail the
// server sends its mail over SMTP to a sink of the test's own
// (smtp_sink.mjs), from a database of the test's own.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startSmtpSink } from './smtp_sink.mjs';

export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests through ctest (tests/browser/CMakeLists.txt)`);
  return v;
}

export function databaseUrl() {
  return readFileSync(env('POLIS_TEST_DB_FILE'), 'utf8').trim();
}

// The environment naming a database for polis: POLIS_DATABASE_URL (the
// application role, as `scripts/db url` prints it) and the owner role's URL
// (`scripts/db owner-url`: the same with user=polis_owner), which `polis
// import` and a server's upload imports use to make layer tables.
export function databaseEnv(url = databaseUrl()) {
  return {
    POLIS_DATABASE_URL: url,
    POLIS_DATABASE_OWNER_URL: url.replace(/\buser=polis_app\b/, 'user=polis_owner'),
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

// How long a test waits for an event (a server up, a log line written)
// before it fails: generous, because tests run in parallel on a shared
// machine; a wait returns as soon as the event happened.
export const EVENT_DEADLINE_MS = 60000;
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

// /metrics is not public: the tests' servers let this token read it.
const METRICS_TOKEN = 'browser-tests-metrics-token';

function runOrThrow(what, command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function psql(url, sql) {
  return runOrThrow('psql', 'psql', [url, '-XAtq', '-v', 'ON_ERROR_STOP=1'], { input: `${sql}\n` });
}

// One value a query of the shared test database (or of the database at url:
// a server's own) gives (what a page stored that no API shows), as text.
export function storedValue(sql, url = databaseUrl()) {
  return psql(url, sql).trim();
}

// A database of the test's own in the fixture's cluster: a copy of the
// fixture's untouched template (migrated, demo loaded: pg_fixture.sh).
// Returns { url, drop() }. A server that sends mail claims every pending
// message of its database (jobs/mail_sender.c): on the shared one it would
// send other tests' mail to this test's sink (and forget their tokens), and
// other tests' servers would send this test's mail to theirs.
function ownDatabase(name) {
  const shared = databaseUrl();
  // the cluster's superuser makes and drops databases (the roles polis uses may not)
  const admin = readFileSync(env('POLIS_TEST_DB_ADMIN_FILE'), 'utf8').trim();
  const fixture = /\bdbname=(\w+)/.exec(shared)?.[1];
  if (!fixture) throw new Error(`no dbname= in the fixture's conninfo: ${shared}`);
  // letters, digits and _ only: safe as an unquoted identifier
  const dbname = `browser_${name}_${process.pid}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  psql(admin, `DROP DATABASE IF EXISTS ${dbname}; CREATE DATABASE ${dbname} OWNER polis_owner TEMPLATE ${fixture}_template;`);
  const url = shared.replace(/\bdbname=\w+/, `dbname=${dbname}`);
  return {
    url,
    drop: () => psql(admin, `DROP DATABASE IF EXISTS ${dbname} WITH (FORCE);`),
  };
}

// `polis basemap import` of the tests' OpenStreetMap file (written by the
// C tests' own generator, tests/http/h_write_osm.c) into database url.
function importBasemap(url, osm) {
  runOrThrow('h_write_osm', env('POLIS_TEST_OSM_WRITER'), [osm]);
  runOrThrow('polis basemap import', env('POLIS_BIN'), ['basemap', 'import', osm], {
    env: { ...process.env, POLIS_DATABASE_URL: url },
  });
}

// Returns { base, stop(), log, databaseUrl } once the server answers
// /healthz. The server's POLIS_PUBLIC_URL (the base of mailed links) is its
// own address. With { realMail: true } the server has a database of its
// own and sends mail over SMTP to a sink; then also { mail (the sink),
// mailedLink(address, match) }. With { basemap: true } the server has a
// database of its own with the tests' OpenStreetMap file imported (streets
// and numbered addresses of Serres: tests/http/h_osm.h), for the geocoder.
// With { ownDatabase: true } the server has a database of its own too (for
// a test that replaces what every test sees, such as its own basemap).
export async function startPolis(name, extraEnv = {},
  { realMail = false, basemap = false, ownDatabase: ownDb = false } = {}) {
  const port = await freePort();
  const dir = artifactsDir();
  const log = join(dir, `${name}.server.log`);
  const own = realMail || basemap || ownDb ? ownDatabase(name) : null;
  if (basemap) importBasemap(own.url, join(dir, `${name}.osm`));
  const sink = realMail ? await startSmtpSink() : null;
  const mailEnv = sink ? { POLIS_SMTP_URL: sink.url, POLIS_MAIL_FROM: 'polis@browser-tests.polis.example' } : {};
  const url = own ? own.url : databaseUrl();
  const out = openSync(log, 'w');
  const child = spawn(env('POLIS_BIN'), ['serve'], {
    env: {
      ...process.env,
      POLIS_LISTEN: `127.0.0.1:${port}`,
      ...databaseEnv(url),
      POLIS_THREADS: '2',
      POLIS_METRICS_TOKEN: METRICS_TOKEN,
      POLIS_PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...mailEnv,
      ...extraEnv,
    },
    stdio: ['ignore', out, out],
  });
  running.add(child);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    running.delete(child);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + EVENT_DEADLINE_MS;
  for (;;) {
    if (exited) throw new Error(`polis serve exited (${JSON.stringify(exited)}) before answering; log: ${log}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      const waited = EVENT_DEADLINE_MS / 1000;
      throw new Error(`polis serve never answered /healthz (waited ${waited} s); log: ${log}`);
    }
    await pause(100); // between two polls
  }
  const stopServer = () =>
    new Promise((resolve) => {
      if (exited) return resolve(exited);
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.kill('SIGTERM');
    });
  return {
    base,
    log,
    databaseUrl: url,
    mail: sink,
    // The link in the newest mail to address that matches (a text its
    // subject contains, or a function of the message), once that mail has
    // reached the SMTP sink: the one place the tests read mail from.
    async mailedLink(address, match) {
      if (!sink) throw new Error(`startPolis('${name}') without { realMail: true } sends no mail`);
      const m = await sink.waitForMail(address, match, EVENT_DEADLINE_MS);
      const link = /https?:\/\/\S+/.exec(m.text);
      if (!link) throw new Error(`the mail to ${address} ("${m.subject}") has no link: ${m.text}`);
      return link[0];
    },
    stop: async () => {
      const exit = await stopServer();
      await sink?.close();
      own?.drop();
      return exit;
    },
  };
}

export function artifactsDir() {
  const dir = process.env.POLIS_ARTIFACTS || join(process.cwd(), 'artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

// `polis user add` with the password on stdin (never on the command line);
// staff belong to the departments given by code. In the fixture database
// unless another is given (a realMail server's databaseUrl).
export function addUser(email, password, role = 'citizen', departments = [], database = databaseUrl()) {
  const args = ['user', 'add', '--email', email, '--role', role];
  for (const d of departments) args.push('--department', d);
  const r = spawnSync(env('POLIS_BIN'), args, {
    input: `${password}\n`,
    env: { ...process.env, ...databaseEnv(database) },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`polis user add failed (${r.status}): ${r.stderr}`);
}

// The requests the server has answered so far, from its access log (one
// line each: time, method, path, status, body bytes sent, milliseconds).
// Resolves once every request the server received before this call has
// been answered and written to its access log: the server logs a request
// when it disposes of it, just before it stops counting it in
// polis_http_in_flight, so an in-flight count of 1 (the /metrics request
// asking) means nothing else is pending. The /metrics requests are logged
// too: accessLog() callers that count requests leave out '/metrics'.
export async function requestsLogged(base) {
  const deadline = Date.now() + EVENT_DEADLINE_MS;
  for (;;) {
    const res = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await res.text();
    const m = /^polis_http_in_flight (\d+)$/m.exec(text);
    if (!m) throw new Error(`GET ${base}/metrics: no polis_http_in_flight line`);
    if (Number(m[1]) === 1) return;
    if (Date.now() > deadline) {
      throw new Error(`${m[1] - 1} requests still in flight after ${EVENT_DEADLINE_MS / 1000} s`);
    }
    await pause(50); // between two polls
  }
}

export function accessLog(log) {
  const rows = [];
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const m = /^\S+Z (\S+) (\S+) (\d{3}) (\d+)B [\d.]+ms$/.exec(line);
    if (m) rows.push({ method: m[1], path: m[2], status: Number(m[3]), bytes: Number(m[4]) });
  }
  return rows;
}
