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

// Returns { base, stop(), log } once the server answers /healthz.
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
  const deadline = Date.now() + 15000;
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
      throw new Error(`polis serve did not answer /healthz within 15 s; log: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
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
export function accessLog(log) {
  const rows = [];
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const m = /^\S+Z (\S+) (\S+) (\d{3}) (\d+)B [\d.]+ms$/.exec(line);
    if (m) rows.push({ method: m[1], path: m[2], status: Number(m[3]), bytes: Number(m[4]) });
  }
  return rows;
}
