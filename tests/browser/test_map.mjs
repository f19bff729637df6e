// The citizen map in a real browser: it draws our own tiles, tells which
// municipality a tapped point is in (Greek, then English), switches
// language, and loads nothing from any other host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { clickAt, launch, mapIdle, openPage } from './browser.mjs';
import { artifactsDir, startPolis } from './polis_server.mjs';

const SERRES = { lng: 23.5496, lat: 41.091 };
let polis, browser;

before(async () => {
  polis = await startPolis('test_map');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

test('the map draws boundary features from our own tiles, on the desktop', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  const res = await page.goto(polis.base + '/');
  assert.equal(res.status(), 200);
  await mapIdle(page);
  const found = await page.evaluate(() => {
    const f = window.polisMap.queryRenderedFeatures({ layers: ['municipality-fill', 'municipality-line'] });
    return { n: f.length, names: [...new Set(f.map((x) => x.properties.name_el))].slice(0, 50), sources: [...new Set(f.map((x) => x.source))] };
  });
  assert.ok(found.n > 0, 'queryRenderedFeatures found no boundary features');
  assert.deepEqual(found.sources, ['boundaries']);
  assert.ok(found.names.includes('Δήμος Σερρών'), `Serres not among the drawn municipalities: ${found.names.join(', ')}`);
  const tiles = record.requests.filter((u) => /\/tiles\/boundaries\/\d+\/\d+\/\d+\.mvt$/.test(u));
  assert.ok(tiles.length > 0, 'no tile request was seen');
  const shot = join(artifactsDir(), 'map-desktop-1280x800.png');
  await page.screenshot({ path: shot });
  assert.ok(statSync(shot).size > 20000, 'the desktop screenshot is suspiciously small (blank map?)');
  assert.deepEqual(record.foreign, [], 'requests to other hosts');
  assert.deepEqual(record.errors, [], 'console errors');
  await context.close();
});

test('tapping Serres names the municipality in Greek, then in English', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  await page.goto(polis.base + '/');
  await mapIdle(page);
  await clickAt(page, SERRES);
  const place = page.locator('#place .place-name');
  await place.waitFor({ timeout: 10000 });
  assert.equal(await place.textContent(), 'Δήμος Σερρών');
  await page.getByRole('button', { name: 'EN' }).click();
  const en = await place.textContent();
  assert.match(en, /Serres/);
  assert.doesNotMatch(en, /Σερρών/);
  await page.getByRole('button', { name: 'ΕΛ' }).click();
  assert.equal(await place.textContent(), 'Δήμος Σερρών');
  await mapIdle(page);
  const shot = join(artifactsDir(), 'map-phone-360x740.png');
  await page.screenshot({ path: shot });
  assert.ok(statSync(shot).size > 10000, 'the phone screenshot is suspiciously small (blank map?)');
  assert.deepEqual(record.foreign, [], 'requests to other hosts');
  assert.deepEqual(record.errors, [], 'console errors');
  await context.close();
});

test('the ΕΛ/EN switch re-renders the texts, sets lang and is remembered', async () => {
  const { context, page } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.getAttribute('html', 'lang'), 'el');
  assert.equal(await page.textContent('h1'), 'Χάρτης του πολίτη');
  assert.equal(await page.textContent('label[for=password]'), 'Κωδικός');
  await page.click('button[data-lang=en]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('h1'), 'Citizen map');
  assert.equal(await page.textContent('label[for=password]'), 'Password');
  assert.equal(await page.textContent('#locate'), 'Where am I?');
  assert.equal(await page.getAttribute('button[data-lang=en]', 'aria-pressed'), 'true');
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.textContent('h1'), 'Citizen map', 'the choice of English was not remembered');
  await context.close();
});

test('every control is reachable by keyboard', async () => {
  const { context, page } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  const reached = new Set();
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement.id || document.activeElement.dataset.lang || document.activeElement.className));
  }
  for (const want of ['el', 'en', 'locate', 'email', 'password'])
    assert.ok(reached.has(want), `Tab never reached ${want}; reached: ${[...reached].join(', ')}`);
  await context.close();
});

test('locate me flies to the browser position and names the place', async () => {
  const { context, page } = await openPage(browser, polis.base);
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: SERRES.lat, longitude: SERRES.lng });
  await page.goto(polis.base + '/');
  await mapIdle(page);
  await page.click('#locate');
  const place = page.locator('#place .place-name');
  await place.waitFor({ timeout: 10000 });
  assert.equal(await place.textContent(), 'Δήμος Σερρών');
  await context.close();
});

// The served municipality comes from the database: a server for Thessaloniki
// (POLIS_MUNICIPALITY=9031) opens the map on Thessaloniki, not on Serres.
test('the map opens on the served municipality', async () => {
  const thessaloniki = await startPolis('test_map_thessaloniki', { POLIS_MUNICIPALITY: '9031' });
  try {
    const served = await (await fetch(thessaloniki.base + '/api/v1/municipality')).json();
    assert.equal(served.code, '9031');
    const { context, page, record } = await openPage(browser, thessaloniki.base);
    await page.goto(thessaloniki.base + '/');
    await mapIdle(page);
    const view = await page.evaluate(() => {
      const c = window.polisMap.getCenter();
      return { lng: c.lng, lat: c.lat, zoom: window.polisMap.getZoom() };
    });
    assert.ok(Math.abs(view.lng - served.center[0]) < 1e-4 && Math.abs(view.lat - served.center[1]) < 1e-4,
      `the map opened at ${view.lng},${view.lat}, expected Thessaloniki's centre ${served.center}`);
    assert.equal(view.zoom, 11);
    const [west, south, east, north] = served.bbox;
    assert.ok(view.lng > west && view.lng < east && view.lat > south && view.lat < north,
      `the map's centre ${view.lng},${view.lat} is outside Thessaloniki's bbox ${served.bbox}`);
    // Tapping the centre names Thessaloniki: the page is really there.
    await clickAt(page, { lng: served.center[0], lat: served.center[1] });
    const place = page.locator('#place .place-name');
    await place.waitFor({ timeout: 10000 });
    assert.equal(await place.textContent(), 'Δήμος Θεσσαλονίκης');
    assert.deepEqual(record.errors, [], 'console errors');
    await context.close();
  } finally {
    await thessaloniki.stop();
  }
});
