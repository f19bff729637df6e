// What the first visit costs on a slow connection: every byte the page
// loads (HTML, scripts, styles, MapLibre and its worker, the first tiles)
// with nothing cached, as transferred (gzip where the server compresses).
// The figure is printed and kept under a budget a phone on a poor mobile
// connection can live with.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, mapIdle, openPage } from './browser.mjs';
import { accessLog, artifactsDir, requestsLogged, startPolis } from './polis_server.mjs';

const BUDGET_BYTES = 1024 * 1024;
let polis, browser;

before(async () => {
  polis = await startPolis('test_page_weight');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

test('the first load of the page stays under its byte budget', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  const finished = [];
  page.on('requestfinished', (req) => finished.push(req));
  await page.goto(polis.base + '/');
  await mapIdle(page);
  await page.waitForSelector('body[data-ready]');
  const rows = [];
  for (const req of finished) {
    const s = await req.sizes();
    // a worker's own script comes without a body size: its Content-Length then
    const length = Number((await (await req.response())?.allHeaders())?.['content-length'] || 0);
    const body = s.responseBodySize > 0 ? s.responseBodySize : length;
    rows.push({ url: req.url().replace(polis.base, ''), bytes: body + s.responseHeadersSize });
  }
  const total = rows.reduce((n, r) => n + r.bytes, 0);
  const kind = (u) => (u.startsWith('/tiles/') ? 'tiles' : u.startsWith('/vendor/') ? 'maplibre' : u.startsWith('/api/') ? 'api' : 'page');
  const byKind = {};
  for (const r of rows) byKind[kind(r.url)] = (byKind[kind(r.url)] || 0) + r.bytes;
  const report = { total, requests: rows.length, byKind, rows };
  writeFileSync(join(artifactsDir(), 'page-weight.json'), JSON.stringify(report, null, 2));
  console.log(`first load: ${total} bytes in ${rows.length} requests ${JSON.stringify(byKind)}`);
  assert.ok(byKind.maplibre > 0 && byKind.page > 0, 'the measurement saw no page or MapLibre bytes');
  assert.ok(total < BUDGET_BYTES, `the first load takes ${total} bytes, over the budget of ${BUDGET_BYTES}`);
  assert.deepEqual(record.foreign, []);
  await context.close();
});

// The access log after the page settled: lines are written when a response
// ends, so wait until every request the page made has been logged (the
// test's own /metrics polls left out).
async function settledLog() {
  await requestsLogged(polis.base);
  return accessLog(polis.log).filter((r) => r.path !== '/metrics');
}

async function load(page) {
  await page.goto(polis.base + '/');
  await mapIdle(page);
  await page.waitForSelector('body[data-ready]');
  return settledLog();
}

const summary = (rows) => ({ requests: rows.length, bytes: rows.reduce((n, r) => n + r.bytes, 0) });

// The page's own files and MapLibre are named by version (immutable), so a
// second visit in the same browser asks only for the page (a 304), the API
// and what the tiles' own lifetimes require: the server sees no /assets/ or
// /vendor/ request at all.
test('a repeat visit takes the page\'s code from the browser cache', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 }, { cache: true });
  const before = (await settledLog()).length;
  const afterFirst = await load(page);
  const first = afterFirst.slice(before);
  const repeat = (await load(page)).slice(afterFirst.length);
  const code = (r) => r.path.startsWith('/assets/') || r.path.startsWith('/vendor/');
  const report = {
    first: summary(first),
    repeat: summary(repeat),
    firstCode: summary(first.filter(code)),
    repeatRows: repeat,
  };
  writeFileSync(join(artifactsDir(), 'page-weight-repeat.json'), JSON.stringify(report, null, 2));
  console.log(
    `server side, body bytes: first load ${report.first.bytes} bytes in ${report.first.requests} requests ` +
      `(code ${report.firstCode.bytes} in ${report.firstCode.requests}); ` +
      `repeat load ${report.repeat.bytes} bytes in ${report.repeat.requests} requests: ` +
      repeat.map((r) => `${r.path} ${r.status}`).join(', '),
  );
  assert.ok(report.firstCode.requests > 5, 'the first load fetched no code: the measurement is broken');
  assert.deepEqual(repeat.filter(code).map((r) => r.path), [], 'the repeat visit asked for code again');
  assert.ok(repeat.some((r) => r.path === '/' && r.status === 304), 'the page itself was not revalidated');
  assert.deepEqual(record.foreign, []);
  await context.close();
});
