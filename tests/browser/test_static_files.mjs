// The pages' files as HTTP sees them: types, lengths, ETag/304, caching,
// gzip, and no way out of the web directory (.., encoded slashes, symlinks,
// dot files, unknown kinds of file). The page's own files are served under
// /assets/v/{hash of web/}/ for a year: the page loads every module from
// there, and a changed file gives a new prefix after a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync, symlinkSync, copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { launch, mapIdle, openPage } from './browser.mjs';
import { startPolis } from './polis_server.mjs';

const IMMUTABLE = 'public, max-age=31536000, immutable';
let polis, version, prefix;
const webDir = mkdtempSync(join(tmpdir(), 'polis-web-'));

async function start() {
  polis = await startPolis('test_static_files', { POLIS_WEB_DIR: webDir });
  const html = await (await fetch(polis.base + '/')).text();
  version = /data-maplibre="\/vendor\/maplibre-gl\/([^"]+)"/.exec(html)?.[1];
  prefix = /<script type="module" src="(\/assets\/v\/[0-9a-f]{16})\/app\.js"/.exec(html)?.[1];
  assert.ok(prefix, 'the page loads app.js from no hashed prefix');
}

// A private copy of web/ plus traps: a symlink to /etc/passwd, a dot file, a .sh.
before(async () => {
  const src = new URL('../../web/', import.meta.url).pathname;
  for (const f of readdirSync(src)) copyFileSync(join(src, f), join(webDir, f));
  symlinkSync('/etc/passwd', join(webDir, 'passwd.txt'));
  writeFileSync(join(webDir, '.secret.txt'), 'secret');
  writeFileSync(join(webDir, 'deploy.sh'), 'secret');
  await start();
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
    '/': ['text/html; charset=utf-8', 'no-cache'],
    '/assets/app.js': ['text/javascript; charset=utf-8', 'no-cache'],
    [`${prefix}/app.js`]: ['text/javascript; charset=utf-8', IMMUTABLE],
    [`${prefix}/app.css`]: ['text/css; charset=utf-8', IMMUTABLE],
    [`${prefix}/favicon.svg`]: ['image/svg+xml', IMMUTABLE],
  };
  for (const [path, [type, caching]] of Object.entries(want)) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-type'], type, path);
    assert.equal(Number(r.headers['content-length']), r.body.length, path);
    assert.equal(r.headers['cache-control'], caching, path);
    assert.ok(r.headers.etag, `${path} has no ETag`);
    const again = await get(path, { 'If-None-Match': r.headers.etag });
    assert.equal(again.status, 304, `${path} with its ETag`);
    assert.equal(again.body.length, 0);
  }
  const page = (await get('/')).headers['content-security-policy'];
  assert.match(page, /default-src 'self'/);
  // the hashed file is the file, and gzip when asked
  const plain = await get(`${prefix}/i18n_el.js`);
  assert.equal(plain.body.toString(), readFileSync(join(webDir, 'i18n_el.js'), 'utf8'));
  const packed = await get(`${prefix}/i18n_el.js`, { 'Accept-Encoding': 'gzip' });
  assert.equal(packed.headers['content-encoding'], 'gzip');
  assert.ok(packed.body.length < plain.body.length / 2, 'gzip did not shrink i18n_el.js');
  assert.notEqual(packed.headers.etag, plain.headers.etag, 'both codings have one ETag');
});

test('the page loads all its own files from the hashed prefix, immutable', async () => {
  const browser = await launch();
  try {
    const { page, record } = await openPage(browser, polis.base);
    const own = [];
    page.on('response', (res) => {
      const path = new URL(res.url()).pathname;
      if (path.startsWith('/assets/'))
        own.push(res.allHeaders().then((h) => ({ path, status: res.status(), caching: h['cache-control'] })));
    });
    await page.goto(polis.base + '/');
    await mapIdle(page);
    await page.waitForSelector('body[data-ready]');
    const loaded = await Promise.all(own);
    const paths = loaded.map((r) => r.path);
    for (const module of ['app.js', 'i18n.js', 'map_style.js', 'views.js', 'app.css', 'favicon.svg'])
      assert.ok(paths.includes(`${prefix}/${module}`), `${prefix}/${module} was not loaded; loaded: ${paths.join(' ')}`);
    for (const r of loaded) {
      assert.ok(r.path.startsWith(`${prefix}/`), `${r.path} is not under ${prefix}/`);
      assert.equal(r.status, 200, r.path);
      assert.equal(r.caching, IMMUTABLE, r.path);
    }
    assert.deepEqual(record.foreign, []);
    assert.deepEqual(record.errors, []);
  } finally {
    await browser.close();
  }
});

test('the same files keep their prefix across a restart; a changed file changes it', async () => {
  const first = prefix;
  await polis.stop();
  await start();
  assert.equal(prefix, first, 'a restart with the same files changed the prefix');
  appendFileSync(join(webDir, 'app.css'), '\n/* changed */\n');
  await polis.stop();
  await start();
  assert.notEqual(prefix, first, 'a changed app.css kept the prefix');
  const css = await get(`${prefix}/app.css`);
  assert.equal(css.status, 200);
  assert.match(css.body.toString(), /\/\* changed \*\/\s*$/);
  // the old version is gone: a 404 that says so (never the new bytes under the old name)
  const old = await get(`${first}/app.css`);
  assert.equal(old.status, 404);
  assert.equal(old.headers['content-type'], 'application/problem+json');
  assert.match(JSON.parse(old.body).detail, /reload the page/);
});

test('MapLibre is served at its version, immutable, gzip when asked', async () => {
  assert.ok(version, 'the page names no MapLibre version (npm ci not run?)');
  const mjs = await get(`/vendor/maplibre-gl/${version}/maplibre-gl.mjs`, { 'Accept-Encoding': 'gzip' });
  assert.equal(mjs.status, 200);
  assert.equal(mjs.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(mjs.headers['content-encoding'], 'gzip');
  assert.equal(mjs.headers['cache-control'], IMMUTABLE);
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
  const hash = prefix.split('/').pop();
  const tries = [];
  for (const dir of ['/assets', prefix])
    tries.push(
      `${dir}/../../../etc/passwd`,
      `${dir}/..%2f..%2f..%2fetc%2fpasswd`,
      `${dir}/%2e%2e%2fCMakeLists.txt`,
      `${dir}/..%5c..%5cetc%5cpasswd`,
      `${dir}/passwd.txt`, // a symlink out of the directory
      `${dir}/.secret.txt`, // dot files
      `${dir}/deploy.sh`, // kinds of file the pages are not made of
      `${dir}/index.html`, // the template only at /
      `${dir}/nope.js`,
      `${dir}/app.js%00.png`,
    );
  tries.push(
    `/assets/v/${hash}%00/app.js`,
    `/assets/v/..%2f..%2f/passwd`,
    `/assets/v/${hash}/..%2f..%2f..%2fetc%2fpasswd`,
    `/vendor/maplibre-gl/${version}/..%2f..%2fpackage.json`,
    `/vendor/maplibre-gl/..%2f..%2f..%2fetc/passwd`,
  );
  for (const path of tries) {
    const r = await get(path);
    assert.ok(r.status === 404 || r.status === 400, `${path}: expected 404, found ${r.status}`);
    assert.doesNotMatch(r.body.toString(), /root:|secret|cmake_minimum/, `${path} leaked a file`);
    if (r.status === 404) assert.equal(r.headers['content-type'], 'application/problem+json', path);
  }
});
