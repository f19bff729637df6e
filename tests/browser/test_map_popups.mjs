// Staff-only layers, feature popups and the legend (issue 21):
//  - a layer imported with visibility staff (Thessaloniki's disabled-person
//    parking spaces) is in the map's Layers control, marked staff only, and
//    drawn for a staff member; an anonymous visitor and a signed-in citizen
//    have no such entry and fetch none of its tiles;
//  - a click on one of its spaces opens a popup with the space's attributes
//    (by the column names of the file), closed with Escape; a click on a
//    report opens one with its number, status (as the server names it, in
//    the page's language) and description, written as text (the
//    description's markup is not markup in the page);
//  - the legend is on the map and names the report statuses, open and
//    finished, in Greek and in English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clickAt, launch, mapIdle, openPage, pageReady, signInOnPage } from './browser.mjs';
import { EVENT_DEADLINE_MS, addUser, artifactsDir, databaseEnv, env, startPolis } from './polis_server.mjs';

const DATA = process.env.POLIS_DEMO_DATA || new URL('../../../shared/data/', import.meta.url).pathname;
const FILE = join(DATA, 'thessaloniki_amea_parking_spots.geojson');
const tag = `${process.pid}${Date.now() % 100000}`;
const name = `staff_parking_${tag}`;
const TITLE_EL = 'Θέσεις ΑμεΑ (εσωτερικό)';
const TITLE_EN = 'Accessible parking (internal)';
const THESSALONIKI = { center: [22.9335, 40.6395], zoom: 16 };
const staff = { email: `popups-staff-${tag}@example.org`, password: 'a staff passphrase' };
const citizen = { email: `popups-citizen-${tag}@example.org`, password: 'a citizen passphrase' };
const SPOT = { lat: 41.0869, lng: 23.5478 }; // Serres, where the test files its report
const DESCRIPTION = `Σπασμένο παγκάκι <b>${tag}</b>`;
let polis, browser, report;

before(async () => {
  if (!existsSync(FILE)) throw new Error(`${FILE} not found: the demo data (../shared/data or POLIS_DEMO_DATA) is needed`);
  const r = spawnSync(env('POLIS_BIN'),
    ['import', FILE, '--as', name, '--title-el', TITLE_EL, '--title-en', TITLE_EN, '--staff'],
    { env: { ...process.env, ...databaseEnv() }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`polis import failed (${r.status}): ${r.stderr}`);
  addUser(staff.email, staff.password, 'staff', ['cleaning']);
  addUser(citizen.email, citizen.password);
  polis = await startPolis('test_map_popups');
  browser = await launch();
  const filed = await fetch(`${polis.base}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'cleaning', lat: SPOT.lat, lon: SPOT.lng, description: DESCRIPTION }),
  });
  const text = await filed.text();
  assert.equal(filed.status, 201, text);
  report = JSON.parse(text).id;
});

after(async () => {
  await browser?.close();
  await polis?.stop();
  spawnSync('psql', [databaseEnv().POLIS_DATABASE_OWNER_URL, '-XAtqc',
    `DROP TABLE IF EXISTS layers.${name}; DELETE FROM layer_catalogue WHERE name = '${name}'`]);
});

// The page signed in as who (or anonymous), its municipal layers read.
async function open(who) {
  const opened = await openPage(browser, polis.base);
  await pageReady(opened.page, `${polis.base}/#/`);
  if (who) await signInOnPage(opened.page, who.email, who.password);
  await opened.page.waitForFunction(() => document.body.dataset.municipalLayers !== undefined, null,
    { timeout: EVENT_DEADLINE_MS });
  return opened;
}

const spaces = (page) =>
  page.evaluate((layer) => window.polisMap.queryRenderedFeatures({ layers: [layer] })
    .map((f) => ({ coordinates: f.geometry.coordinates, license: f.properties.license })), `municipal-${name}-point`);

test('a staff-only layer is in the Layers control and drawn for staff only', async () => {
  // one page, where the spaces are: anonymous, then a citizen, then staff
  const { context, page, record } = await open(null);
  await page.evaluate((view) => window.polisMap.jumpTo(view), THESSALONIKI);
  await mapIdle(page);
  assert.equal(await page.locator(`#basemap-${name}`).count(), 0, 'anonymous: the staff-only layer is listed');
  await signInOnPage(page, citizen.email, citizen.password);
  await page.waitForFunction(() => document.body.dataset.municipalLayers !== undefined);
  assert.equal(await page.locator(`#basemap-${name}`).count(), 0, 'a citizen: the staff-only layer is listed');
  assert.ok(!record.requests.some((u) => u.includes(`/tiles/${name}/`)), 'a staff-only tile was fetched');
  await page.click('#logout');
  await page.waitForSelector('#login:not([hidden])');
  await signInOnPage(page, staff.email, staff.password);
  await page.waitForSelector(`#basemap-${name}`, { state: 'attached', timeout: EVENT_DEADLINE_MS });
  await page.click('#layers-control summary');
  const label = await page.textContent(`label[for=basemap-${name}]`);
  assert.match(label, new RegExp(TITLE_EL.replace(/[()]/g, '\\$&')));
  assert.match(label, /μόνο για υπαλλήλους/);
  await mapIdle(page);
  const drawn = await spaces(page);
  assert.ok(drawn.length >= 5, `only ${drawn.length} staff-only parking spaces drawn at Thessaloniki, zoom 16`);
  // and named in the legend, as staff only
  assert.match(await page.textContent('#map-legend'), new RegExp(`${TITLE_EL.replace(/[()]/g, '\\$&')} \\(μόνο για υπαλλήλους\\)`));

  // a click on a space: its attributes; Escape closes the popup
  const [lng, lat] = drawn[0].coordinates;
  await clickAt(page, { lng, lat });
  const popup = page.locator('.feature-popup');
  await popup.waitFor({ timeout: EVENT_DEADLINE_MS });
  assert.equal(await popup.locator('h3').textContent(), TITLE_EL);
  const text = await popup.textContent();
  assert.match(text, /μόνο για υπαλλήλους/);
  assert.match(text, new RegExp(drawn[0].license));
  assert.ok(await popup.locator('dt').count() >= 2, `the popup shows too few attributes: ${text}`);
  // the close button has the focus and a name in the page's language
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Κλείσιμο');
  await page.screenshot({ path: join(artifactsDir(), 'map-popup-layer-1280x800.png') });
  await page.keyboard.press('Escape');
  await popup.waitFor({ state: 'detached' });

  // signing out takes the layer away
  await page.click('#logout');
  await page.waitForFunction((n) => !(document.body.dataset.municipalLayers ?? '').split(' ').includes(n), name,
    { timeout: EVENT_DEADLINE_MS });
  assert.equal(await page.locator(`#basemap-${name}`).count(), 0, 'the staff-only layer stayed after signing out');
  assert.deepEqual(record.errors, []);
  await context.close();
});

test('a click on a report shows its number, status and description as text', async () => {
  const { context, page, record } = await open(null);
  const statuses = await (await fetch(`${polis.base}/api/v1/report-statuses`)).json();
  const submitted = await (await fetch(`${polis.base}/api/v1/reports/${report}`)).json();
  const status = statuses.statuses.find((s) => s.name === (submitted.properties?.status ?? submitted.status));
  await page.evaluate((c) => window.polisMap.jumpTo({ center: c, zoom: 17 }), [SPOT.lng, SPOT.lat]);
  // the report's tile (single reports from zoom 14) has it once it is drawn
  await page.waitForFunction((id) => {
    window.polisMap.triggerRepaint();
    return window.polisMap.queryRenderedFeatures({ layers: ['reports-point'] }).some((f) => f.properties.id === id);
  }, report, { timeout: EVENT_DEADLINE_MS, polling: 200 });
  await mapIdle(page);
  await clickAt(page, SPOT);
  const popup = page.locator('.feature-popup');
  await popup.waitFor({ timeout: EVENT_DEADLINE_MS });
  assert.equal(await popup.locator('h3').textContent(), `Αναφορά #${report}`);
  const text = await popup.textContent();
  assert.ok(text.includes(status.label_el), `the popup does not name the status "${status.label_el}": ${text}`);
  assert.ok(text.includes(DESCRIPTION), `the popup does not show the description as written: ${text}`);
  assert.equal(await popup.locator('b').count(), 0, 'the description\'s markup became markup in the page');
  // in English, at once
  await page.click('button[data-lang=en]');
  await page.waitForFunction((id) => document.querySelector('.feature-popup h3')?.textContent === `Report #${id}`, report);
  assert.ok((await popup.textContent()).includes(status.label_en));
  await page.click('button[data-lang=el]');
  await page.keyboard.press('Escape');
  await popup.waitFor({ state: 'detached' });
  assert.deepEqual(record.errors, []);
  await context.close();
});

test('the legend is on the map and names the report statuses', async () => {
  const { context, page, record } = await open(null);
  const { statuses } = await (await fetch(`${polis.base}/api/v1/report-statuses`)).json();
  const legend = page.locator('#map-legend');
  await legend.waitFor();
  assert.ok(await legend.isVisible(), 'the legend is not visible');
  assert.equal(await legend.getAttribute('open'), '', 'the legend is closed on a wide screen');
  await page.waitForFunction(() => document.querySelector('#map-legend .legend-section'));
  let text = await legend.textContent();
  assert.match(text, /Υπόμνημα/);
  for (const s of statuses) assert.ok(text.includes(s.label_el), `the legend does not name "${s.label_el}": ${text}`);
  await page.screenshot({ path: join(artifactsDir(), 'map-legend-1280x800.png') });
  await page.click('button[data-lang=en]');
  await page.waitForFunction(() => document.querySelector('#map-legend summary')?.textContent === 'Legend');
  await page.waitForFunction((label) => document.querySelector('#map-legend').textContent.includes(label), statuses[0].label_en);
  text = await legend.textContent();
  for (const s of statuses) assert.ok(text.includes(s.label_en), `the legend does not name "${s.label_en}": ${text}`);
  // the visitors' map: the POI categories instead of the reports
  await page.goto(`${polis.base}/#/visit`);
  await page.waitForSelector('#map-legend[data-mode=visit]');
  assert.match(await legend.textContent(), /Points of interest/);
  await page.click('button[data-lang=el]');
  assert.deepEqual(record.errors, []);
  await context.close();
});
