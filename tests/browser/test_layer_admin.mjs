// Layer management in the page (issue 21): an admin finds an imported layer
// in the layers view, describes it, gives it tile settings, a department and
// staff-only visibility, sees a refused setting (minzoom above maxzoom)
// next to its field with nothing stored, and deletes the layer with a second
// click (the catalogue row and the table go). A CSV whose coordinate
// columns no detection knows imports through the upload form's X/Y fields.
// Staff upload layers but do not manage them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, openViewSignedIn } from './browser.mjs';
import { addUser, artifactsDir, databaseEnv, env, EVENT_DEADLINE_MS, startPolis, storedValue } from './polis_server.mjs';

const DATA = process.env.POLIS_DEMO_DATA || new URL('../../../shared/data/', import.meta.url).pathname;
const FILE = join(DATA, 'thessaloniki_amea_parking_spots.geojson');
const tag = `${process.pid}${Date.now() % 100000}`;
const name = `la_parking_${tag}`;
const admin = { email: `la-admin-${tag}@example.org`, password: 'an admin passphrase' };
const staff = { email: `la-staff-${tag}@example.org`, password: 'a staff passphrase' };
let polis, browser;

before(async () => {
  if (!existsSync(FILE)) throw new Error(`${FILE} not found: the demo data (../shared/data or POLIS_DEMO_DATA) is needed`);
  const r = spawnSync(env('POLIS_BIN'), ['import', FILE, '--as', name, '--title-el', 'Θέσεις ΑμεΑ', '--title-en', 'Parking', '--public'],
    { env: { ...process.env, ...databaseEnv() }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`polis import failed (${r.status}): ${r.stderr}`);
  addUser(admin.email, admin.password, 'admin');
  addUser(staff.email, staff.password, 'staff', ['cleaning']);
  polis = await startPolis('test_layer_admin');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

const stored = (column) => storedValue(`SELECT ${column} FROM layer_catalogue WHERE name = '${name}'`);
const expected = (e) => !/status of (404|422)/.test(e);

test('an admin describes a layer, sets its tiles, is refused a bad zoom, and deletes it', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await openViewSignedIn(page, polis.base, admin, '#layers-link', 'layers');
  const card = page.locator(`#layer-admin-list li[data-layer="${name}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), /Θέσεις ΑμεΑ/);
  assert.match(await card.textContent(), /254/);
  await card.locator('button').click();
  assert.equal(await page.inputValue('#le-title-el'), 'Θέσεις ΑμεΑ');
  assert.equal(await page.inputValue('#le-minzoom'), stored('tile_minzoom'));

  // minzoom above maxzoom: the API's words next to the zoom, nothing stored
  const zoomsBefore = stored("tile_minzoom || '-' || tile_maxzoom");
  await page.fill('#le-title-en', 'Accessible parking');
  await page.fill('#le-minzoom', '17');
  await page.fill('#le-maxzoom', '15');
  await page.click('#layer-edit button[type=submit]');
  await page.waitForSelector('#le-minzoom[aria-invalid=true]');
  assert.match(await page.textContent('#le-minzoom-error'), /at most tiles\.maxzoom \(15\)/);
  assert.equal(stored("tile_minzoom || '-' || tile_maxzoom"), zoomsBefore);
  assert.equal(stored('title_en'), 'Parking', 'a refused save stored the title');

  // a good save: description, keywords, zooms, a whitelist, a department, staff only
  await page.fill('#le-minzoom', '14');
  await page.fill('#le-maxzoom', '18');
  await page.fill('#le-description', 'Θέσεις στάθμευσης για άτομα με αναπηρία');
  await page.fill('#le-keywords', 'στάθμευση, ΑμεΑ');
  await page.fill('#le-min-size', '2');
  await page.fill('#le-feature-limit', '500');
  await page.uncheck('#le-attributes input[value=lon]');
  await page.uncheck('#le-attributes input[value=lat]');
  await page.selectOption('#le-department', { label: await page.locator('#le-department option').nth(1).textContent() });
  const department = await page.inputValue('#le-department');
  await page.selectOption('#le-visibility', 'staff');
  await page.click('#layer-edit button[type=submit]');
  await page.locator('#layer-admin-done', { hasText: new RegExp(`${name} αποθηκεύτηκε`) }).waitFor();
  assert.equal(await page.isHidden('#layer-edit'), true, 'the form stayed open after saving');
  assert.equal(stored('title_en'), 'Accessible parking');
  assert.equal(stored("tile_minzoom || '-' || tile_maxzoom"), '14-18');
  assert.equal(stored("array_to_string(keywords, '|')"), 'στάθμευση|ΑμεΑ');
  assert.equal(stored("array_to_string(tile_attributes, '|')"), 'objectid|license');
  assert.equal(stored('tile_feature_limit'), '500');
  assert.equal(stored('department_id'), department);
  assert.equal(stored('visibility'), 'staff');
  // the server read the new settings: TileJSON gives the layer's zooms
  const tilejson = await page.evaluate(async (n) => {
    for (const end = Date.now() + 60000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
      const r = await fetch(`/tiles/${n}.json`);
      if (r.ok) {
        const j = await r.json();
        if (j.minzoom === 14) return j;
      }
    }
    return null;
  }, name);
  assert.ok(tilejson, 'TileJSON never gave minzoom 14');
  assert.equal(tilejson.maxzoom, 18);
  // reopened, the form shows what was stored
  await card.locator('button').click();
  assert.equal(await page.inputValue('#le-minzoom'), '14');
  assert.equal(await page.isChecked('#le-attributes input[value=lon]'), false);
  assert.equal(await page.isChecked('#le-attributes input[value=objectid]'), true);
  await page.screenshot({ path: join(artifactsDir(), 'layer-admin-1280x800.png'), fullPage: true });

  // delete: the first click asks, the second deletes
  await page.click('#le-delete');
  assert.match(await page.textContent('#le-delete'), new RegExp(name));
  assert.equal(storedValue(`SELECT count(*) FROM layer_catalogue WHERE name = '${name}'`), '1');
  await page.click('#le-delete');
  await page.locator('#layer-admin-done', { hasText: new RegExp(`${name} διαγράφηκε`) }).waitFor({ timeout: EVENT_DEADLINE_MS });
  assert.equal(await card.count(), 0, 'the deleted layer is still listed');
  assert.equal(storedValue(`SELECT count(*) FROM layer_catalogue WHERE name = '${name}'`), '0');
  assert.equal(storedValue(`SELECT to_regclass('layers.${name}') IS NULL`), 't');
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});

test('a CSV with coordinate columns no detection knows imports through the X/Y fields', async () => {
  const csvName = `la_wells_${tag}`;
  const csv = 'well,pos_a,pos_b\nA,22.55,41.09\nB,22.56,41.08\nC,22.54,41.10\n';
  const { context, page, record } = await openPage(browser, polis.base);
  await openViewSignedIn(page, polis.base, staff, '#layers-link', 'layers');
  // staff upload but do not manage layers
  assert.equal(await page.isHidden('#layer-admin'), true, 'staff see the layer management');
  await page.setInputFiles('#l-file', { name: 'wells.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.fill('#l-name', csvName);
  await page.fill('#l-title-el', 'Πηγάδια');
  await page.fill('#l-title-en', 'Wells');
  await page.fill('#l-srs', 'EPSG:4326');
  await page.fill('#l-x', 'pos_a');
  await page.fill('#l-y', 'pos_b');
  await page.click('#layer-form button[type=submit]');
  await page.waitForSelector('#job[data-status=succeeded], #job[data-status=failed]', { timeout: EVENT_DEADLINE_MS });
  assert.equal(await page.getAttribute('#job', 'data-status'), 'succeeded', await page.textContent('#job-result'));
  assert.equal(storedValue(`SELECT count(*) FROM layers.${csvName} WHERE geom IS NOT NULL`), '3');
  assert.equal(storedValue(`SELECT round(ST_X(geom)::numeric, 2) || ',' || round(ST_Y(geom)::numeric, 2) FROM layers.${csvName} WHERE well = 'B'`), '22.56,41.08');
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});
