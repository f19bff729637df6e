// The OpenStreetMap basemap on the citizen map: after `polis basemap import`
// of a small generated town (in a database of the test's own: an import
// replaces the basemap every test sees), the map at zoom 16 over its street
// draws the street's name as a label, in Greek and, after switching the
// page's language, in Latin letters; glyphs and tiles come from polis only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, mapIdle, openPage } from './browser.mjs';
import { artifactsDir, env, startPolis } from './polis_server.mjs';

// A street in Serres (inside the demo's municipality), west to east.
const STREET = { name: 'Οδός Δοκιμής', latin: 'Odos Dokimis', lat: 41.0905, from: 23.5440, to: 23.5520 };
const VIEW = { center: [(STREET.from + STREET.to) / 2, STREET.lat], zoom: 16 };
let polis, browser, dir;

function townOsm() {
  return `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test_basemap.mjs">
 <node id="1" lat="${STREET.lat}" lon="${STREET.from}"/>
 <node id="2" lat="${STREET.lat}" lon="${STREET.to}"/>
 <node id="3" lat="${STREET.lat + 0.0003}" lon="${STREET.from + 0.002}"><tag k="addr:street" v="${STREET.name}"/><tag k="addr:housenumber" v="7"/></node>
 <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="${STREET.name}"/></way>
</osm>
`;
}

before(async () => {
  polis = await startPolis('test_basemap', {}, { ownDatabase: true });
  dir = mkdtempSync(join(tmpdir(), 'polis-basemap-'));
  const file = join(dir, 'town.osm');
  writeFileSync(file, townOsm());
  const r = spawnSync(env('POLIS_BIN'), ['basemap', 'import', file],
    { env: { ...process.env, POLIS_DATABASE_URL: polis.databaseUrl }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`polis basemap import failed (${r.status}): ${r.stderr}`);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// The street labels MapLibre placed, as it renders them.
async function streetLabels(page) {
  // a label needs its glyphs: wait until the map has drawn with them
  for (let i = 0; i < 50; i++) {
    await mapIdle(page);
    const labels = await page.evaluate(() =>
      window.polisMap.queryRenderedFeatures({ layers: ['osm-basemap-street-label'] })
        .map((f) => f.properties.name_el + '|' + (f.properties.name_en ?? '')));
    if (labels.length) return labels;
    await new Promise((r) => setTimeout(r, 200));
  }
  return [];
}

test('the map at zoom 16 labels the imported street, in the page\'s language', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/');
  await page.waitForFunction(() => window.polisBasemapLayers?.length > 0, null, { timeout: 60000 });
  await page.evaluate((view) => window.polisMap.jumpTo(view), VIEW);
  const labels = await streetLabels(page);
  assert.ok(labels.some((l) => l.startsWith(STREET.name)), `no label of ${STREET.name} rendered: ${labels.join(', ')}`);
  const textField = () => page.evaluate(() => JSON.stringify(window.polisMap.getLayoutProperty('osm-basemap-street-label', 'text-field')));
  assert.match(await textField(), /name_el/);
  const shot = join(artifactsDir(), 'basemap-z16-1280x800.png');
  await page.screenshot({ path: shot });
  assert.ok(statSync(shot).size > 20000, 'the screenshot is suspiciously small (blank map?)');

  await page.click('[data-lang=en]');
  await page.waitForFunction(() => JSON.stringify(window.polisMap.getLayoutProperty('osm-basemap-street-label', 'text-field')).includes('name_en'), null, { timeout: 30000 });
  await mapIdle(page);
  await page.screenshot({ path: join(artifactsDir(), 'basemap-z16-en-1280x800.png') });

  const glyphs = record.requests.filter((u) => u.includes('/fonts/'));
  assert.ok(glyphs.length > 0, 'no glyph range was fetched');
  assert.ok(record.requests.some((u) => /\/tiles\/basemap\/16\/\d+\/\d+\.mvt$/.test(u)), 'no basemap tile at zoom 16 was fetched');
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors, []);
  await context.close();
});
