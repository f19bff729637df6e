// The HTML pages of the OGC API in Chromium: a page of POIs shows its
// features in a table and draws them on its MapLibre preview (the map
// loads, its GeoJSON source holds the page's features and they are
// rendered), its next link leads to the next page, and the page reads in
// Greek (the browser's language) and, from its language link, in English.
// Everything comes from polis: no other host, no console error, and the
// page's CSP (no inline script) holds.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, mapIdle, openPage } from './browser.mjs';
import { artifactsDir, startPolis } from './polis_server.mjs';

let polis, browser;
// the preview's layers (web/ogc_preview.js): polygons, lines, points
const LAYERS = ['features-fill', 'features-line', 'features-point'];

before(async () => {
  polis = await startPolis('test_ogc_html');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

// The ids in the page's table, and what the map drew.
async function shown(page) {
  await mapIdle(page);
  return page.evaluate((layers) => {
    const map = window.polisMap;
    const ids = [...document.querySelectorAll('table.items tbody tr td:first-child')].map((td) => td.textContent);
    const drawn = map.queryRenderedFeatures({ layers }).map((f) => String(f.id));
    return {
      ids,
      loaded: map.loaded(),
      canvas: !!document.querySelector('#map canvas.maplibregl-canvas'),
      drawn: [...new Set(drawn)].sort(),
      returned: Number(document.getElementById('returned').textContent),
      matched: Number(document.getElementById('matched').textContent),
    };
  }, LAYERS);
}

test('a page of POIs: table, map preview, next link, Greek and English', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(`${polis.base}/ogc/collections/pois/items?f=html`);
  assert.equal(await page.getAttribute('html', 'lang'), 'el');

  const first = await shown(page);
  assert.ok(first.ids.length > 0, 'the table shows no feature');
  assert.equal(first.ids.length, first.returned, 'the table rows are not numberReturned');
  assert.ok(first.matched > first.returned, 'the fixture has too few POIs to page');
  assert.ok(first.canvas, 'no map canvas');
  assert.ok(first.loaded, 'the map did not load');
  assert.deepEqual(first.drawn, [...first.ids].sort(), 'the map did not draw the features of the table');
  await page.screenshot({ path: join(artifactsDir(), 'ogc-items-1280x800.png') });

  // Greek labels; the next link leads to the next page
  assert.match(await page.textContent('a[rel=next]'), /Επόμενη σελίδα/);
  await Promise.all([page.waitForURL(/offset=10/), page.click('a[rel=next]')]);
  const second = await shown(page);
  assert.ok(second.ids.length > 0, 'the next page is empty');
  assert.ok(!second.ids.some((id) => first.ids.includes(id)), 'the next page repeats features');
  assert.deepEqual(second.drawn, [...second.ids].sort(), 'the map of the next page did not draw its features');
  assert.match(await page.textContent('a[rel=prev]'), /Προηγούμενη σελίδα/);

  // English from the language link, on the same page
  await Promise.all([page.waitForURL(/lang=en/), page.click('a.lang')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  const english = await shown(page);
  assert.deepEqual(english.ids, second.ids, 'the English page shows other features');
  assert.match(await page.textContent('a[rel=prev]'), /Previous page/);
  assert.match(await page.textContent('p.counts'), /Matched: \d+ · On this page: \d+/);

  // a feature's own page, from the table, keeps the language and has its map
  await Promise.all([page.waitForURL(/\/items\/\d+\?f=html&lang=en/), page.click('table.items tbody tr:first-child td:first-child a')]);
  const one = await page.evaluate(() => document.querySelector('table.properties')?.textContent ?? '');
  assert.match(one, /name_el/);
  await mapIdle(page);
  assert.equal(await page.evaluate((layers) => window.polisMap.queryRenderedFeatures({ layers }).length > 0, LAYERS), true, 'the feature is not drawn');

  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors, []);
  await context.close();
});

test('a collection and the collections list read as HTML in the browser', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(`${polis.base}/ogc/collections`); // the browser's own Accept asks for HTML
  assert.equal(await page.textContent('h1'), 'Συλλογές');
  await Promise.all([page.waitForURL(/\/collections\/pois\?f=html/), page.click('a[href*="/ogc/collections/pois?f=html"]')]);
  await Promise.all([page.waitForURL(/\/pois\/queryables/), page.click('a[href*="/pois/queryables"]')]);
  assert.match(await page.textContent('table.queryables'), /name_el/);
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors, []);
  await context.close();
});
