// The pages' files as HTTP sees them: types, lengths, ETag/304, caching,
// gzip, and no way out of the web directory (.., encoded slashes, symlinks,
// dot files, unknown kinds of file).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, symlinkSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { startPolis } from './polis_server.mjs';

let polis, version;
const webDir = mkdtempSync(join(tmpdir(), 'polis-web-'));

// A private copy of web/ plus traps: a symlink to /etc/passwd, a dot file, a .sh.
before(async () => {
  const src = new URL('../../web/', import.meta.url).pathname;
  for (const f of readdirSync(src)) copyFileSync(join(src, f), join(webDir, f));
  symlinkSync('/etc/passwd', join(webDir, 'passwd.txt'));
  writeFileSync(join(webDir, '.secret.txt'), 'secret');
  writeFileSync(join(webDir, 'deploy.sh'), 'secret');
  polis = await startPolis('test_static_files', { POLIS_WEB_DIR: webDir });
  version = /data-maplibre="\/vendor\/maplibre-gl\/([^"]+)"/.exec(await (await fetch(polis.base + '/')).text())?.[1];
});

after(async () => polis?.stop());

// A raw GET (fetch would normalise the path and decompress the body).
function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(polis.base + '/', { path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the page and its assets have the right types, lengths and caching', async () => {
  const want = {
    '/': 'text/html; charset=utf-8',
    '/assets/app.js': 'text/javascript; charset=utf-8',
    '/assets/app.css': 'text/css; charset=utf-8',
    '/assets/favicon.svg': 'image/svg+xml',
  };
  for (const [path, type] of Object.entries(want)) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-type'], type, path);
    assert.equal(Number(r.headers['content-length']), r.body.length, path);
    assert.equal(r.headers['cache-control'], 'no-cache', path);
    assert.ok(r.headers.etag, `${path} has no ETag`);
    const again = await get(path, { 'If-None-Match': r.headers.etag });
    assert.equal(again.status, 304, `${path} with its ETag`);
    assert.equal(again.body.length, 0);
  }
  const page = (await get('/')).headers['content-security-policy'];
  assert.match(page, /default-src 'self'/);
});

test('MapLibre is served at its version, immutable, gzip when asked', async () => {
  assert.ok(version, 'the page names no MapLibre version (npm ci not run?)');
  const mjs = await get(`/vendor/maplibre-gl/${version}/maplibre-gl.mjs`, { 'Accept-Encoding': 'gzip' });
  assert.equal(mjs.status, 200);
  assert.equal(mjs.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(mjs.headers['content-encoding'], 'gzip');
  assert.equal(mjs.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(Number(mjs.headers['content-length']), mjs.body.length);
  const plain = await get(`/vendor/maplibre-gl/${version}/maplibre-gl.mjs`);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.length > mjs.body.length * 2, 'gzip did not shrink MapLibre');
  assert.notEqual(plain.headers.etag, mjs.headers.etag, 'both codings have one ETag');
  const worker = await get(`/vendor/maplibre-gl/${version}/maplibre-gl-worker.mjs`);
  assert.equal(worker.status, 200);
  const css = await get(`/vendor/maplibre-gl/${version}/maplibre-gl.css`);
  assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  const map = await get(`/vendor/maplibre-gl/${version}/maplibre-gl.mjs.map`);
  assert.equal(map.headers['content-type'], 'application/json');
  assert.equal((await get(`/vendor/maplibre-gl/0.0.1/maplibre-gl.mjs`)).status, 404);
  assert.equal((await get(`/vendor/maplibre-gl/${version}/maplibre-gl.d.ts`)).status, 404);
});

test('nothing outside the web directory can be read', async () => {
  const tries = [
    '/assets/../../../etc/passwd',
    '/assets/..%2f..%2f..%2fetc%2fpasswd',
    '/assets/%2e%2e%2fCMakeLists.txt',
    '/assets/..%5c..%5cetc%5cpasswd',
    '/assets/passwd.txt',          // a symlink out of the directory
    '/assets/.secret.txt',         // dot files
    '/assets/deploy.sh',           // kinds of file the pages are not made of
    '/assets/index.html',          // the template only at /
    '/assets/nope.js',
    '/assets/app.js%00.png',
    `/vendor/maplibre-gl/${version}/..%2f..%2fpackage.json`,
    `/vendor/maplibre-gl/..%2f..%2f..%2fetc/passwd`,
  ];
  for (const path of tries) {
    const r = await get(path);
    assert.ok(r.status === 404 || r.status === 400, `${path}: expected 404, found ${r.status}`);
    assert.doesNotMatch(r.body.toString(), /root:|secret|cmake_minimum/, `${path} leaked a file`);
    if (r.status === 404) assert.equal(r.headers['content-type'], 'application/problem+json', path);
  }
});
