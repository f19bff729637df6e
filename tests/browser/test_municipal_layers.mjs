// The municipality's own layers as the basemap: a public layer imported
// with the CLI (Thessaloniki's disabled-person parking spaces, 254 points)
// is listed in the map's "Layers" control by its title in the current
// language, drawn under the reports and POIs, and hidden or shown again
// with its checkbox, from the keyboard too; the choice survives a reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launch, mapIdle, openPage } from './browser.mjs';
import { artifactsDir, databaseEnv, env, startPolis } from './polis_server.mjs';

const DATA = process.env.POLIS_DEMO_DATA || new URL('../../../shared/data/', import.meta.url).pathname;
const FILE = join(DATA, 'thessaloniki_amea_parking_spots.geojson');
const name = `amea_parking_${process.pid}${Date.now() % 100000}`;
const TITLE_EL = 'Θέσεις στάθμευσης ΑμεΑ';
const TITLE_EN = 'Accessible parking spaces';
const THESSALONIKI = { center: [22.9335, 40.6395], zoom: 15 }; // the old town, where the spaces are
let polis, browser;

before(async () => {
  if (!existsSync(FILE)) throw new Error(`${FILE} not found: the demo data (../shared/data or POLIS_DEMO_DATA) is needed`);
  const r = spawnSync(env('POLIS_BIN'),
    ['import', FILE, '--as', name, '--title-el', TITLE_EL, '--title-en', TITLE_EN, '--public'],
    { env: { ...process.env, ...databaseEnv() }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`polis import failed (${r.status}): ${r.stderr}`);
  polis = await startPolis('test_municipal_layers');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

// The page at Thessaloniki, with the layers control in place.
async function openAtThessaloniki(page) {
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await page.waitForSelector(`#basemap-${name}`, { state: 'attached' });
  await page.evaluate((view) => window.polisMap.jumpTo(view), THESSALONIKI);
  await mapIdle(page);
}

const rendered = (page) =>
  page.evaluate((layer) => {
    const f = window.polisMap.queryRenderedFeatures({ layers: [layer] });
    return { n: f.length, ids: [...new Set(f.map((x) => x.properties.objectid))].length };
  }, `municipal-${name}-point`);

test('a public imported layer is listed, drawn under the markers, and toggled off and on', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await openAtThessaloniki(page);

  // listed by its Greek title, then its English one; shown by default
  const box = page.locator(`#basemap-${name}`);
  await page.click('#layers-control summary');
  assert.equal(await page.textContent('#layers-control summary'), 'Επίπεδα');
  assert.equal(await page.textContent(`label[for=basemap-${name}]`), TITLE_EL);
  assert.equal(await box.isChecked(), true);
  await page.click('button[data-lang=en]');
  assert.equal(await page.textContent('#layers-control summary'), 'Layers');
  assert.equal(await page.textContent(`label[for=basemap-${name}]`), TITLE_EN);
  await page.click('button[data-lang=el]');
  // the hint of the report form came back in Greek too (it stayed English once)
  assert.match(await page.textContent('#place'), /Πατήστε στον χάρτη/);

  // drawn: the spaces of the old town, as circles from our own tiles
  const on = await rendered(page);
  assert.ok(on.ids >= 10, `only ${on.ids} parking spaces drawn at Thessaloniki, zoom 15`);
  assert.ok(record.requests.some((u) => u.includes(`/tiles/${name}/15/`)), 'no tile of the layer was fetched');
  // under the boundaries' tint and every marker of the views
  const order = await page.evaluate(() => window.polisMap.getStyle().layers.map((l) => l.id));
  const at = (id) => order.indexOf(id);
  assert.ok(at(`municipal-${name}-point`) > at('municipality-fill'), 'the layer is under the land');
  for (const above of ['selected-fill', 'reports-point', 'pois-point'])
    assert.ok(at(`municipal-${name}-point`) < at(above), `the layer is drawn over ${above}`);
  await page.screenshot({ path: join(artifactsDir(), 'municipal-layers-1280x800.png') });

  // off, from the keyboard: none drawn
  await box.focus();
  await page.keyboard.press('Space');
  assert.equal(await box.isChecked(), false);
  await mapIdle(page);
  assert.equal((await rendered(page)).n, 0, 'features still drawn after the layer was switched off');

  // remembered over a reload; on again with a click
  await openAtThessaloniki(page);
  assert.equal(await page.locator(`#basemap-${name}`).isChecked(), false, 'the hidden layer came back after a reload');
  assert.equal((await rendered(page)).n, 0);
  await page.click('#layers-control summary');
  await page.locator(`#basemap-${name}`).check();
  await mapIdle(page);
  assert.ok((await rendered(page)).ids >= 10, 'the layer did not come back when switched on');

  assert.ok(statSync(join(artifactsDir(), 'municipal-layers-1280x800.png')).size > 20000, 'the screenshot looks blank');
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors, []);
  await context.close();
});
