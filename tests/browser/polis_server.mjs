// Starts the real `polis serve` for one test: a free loopback port, the
// fixture database (POLIS_TEST_DB_FILE), waits for /healthz, and stops it
// (SIGTERM) when the test is done or the process exits.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests through ctest (tests/browser/CMakeLists.txt)`);
  return v;
}

export function databaseUrl() {
  return readFileSync(env('POLIS_TEST_DB_FILE'), 'utf8').trim();
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

// Returns { base, stop(), log } once the server answers /healthz. The
// server's POLIS_PUBLIC_URL (the base of mailed links) is its own address.
export async function startPolis(name, extraEnv = {}) {
  const port = await freePort();
  const dir = artifactsDir();
  const log = join(dir, `${name}.server.log`);
  const out = openSync(log, 'w');
  const child = spawn(env('POLIS_BIN'), ['serve'], {
    env: {
      ...process.env,
      POLIS_LISTEN: `127.0.0.1:${port}`,
      POLIS_DATABASE_URL: databaseUrl(),
      POLIS_THREADS: '2',
      POLIS_METRICS_TOKEN: METRICS_TOKEN,
      POLIS_PUBLIC_URL: `http://127.0.0.1:${port}`,
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
  return {
    base,
    log,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve(exited);
        child.once('exit', (code, signal) => resolve({ code, signal }));
        child.kill('SIGTERM');
      }),
  };
}

// The link in the newest mail to address whose subject contains
// subjectPart, as it is mailed (outbox_rendered_body puts the token, stored
// apart, back in): the one place the tests read mail from.
export function mailedLink(address, subjectPart) {
  const r = spawnSync(
    'psql',
    [databaseUrl(), '-XAt', '-v', `address=${address}`, '-v', `subject=${subjectPart}`],
    {
      input: "SELECT outbox_rendered_body(o) FROM outbox o WHERE recipient = :'address' AND strpos(subject, :'subject') > 0 ORDER BY id DESC LIMIT 1;\n",
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  const link = /https?:\/\/\S+/.exec(r.stdout);
  if (!link) throw new Error(`no mail with a link to ${address} (subject containing "${subjectPart}")`);
  return link[0];
}

export function artifactsDir() {
  const dir = process.env.POLIS_ARTIFACTS || join(process.cwd(), 'artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

// `polis user add` with the password on stdin (never on the command line);
// staff belong to the departments given by code.
export function addUser(email, password, role = 'citizen', departments = []) {
  const args = ['user', 'add', '--email', email, '--role', role];
  for (const d of departments) args.push('--department', d);
  const r = spawnSync(env('POLIS_BIN'), args, {
    input: `${password}\n`,
    env: { ...process.env, POLIS_DATABASE_URL: databaseUrl() },
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
