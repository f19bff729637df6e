// The address search on the maps, in a real browser, against a server
// whose database has the tests' OpenStreetMap file imported (Ερμού with
// numbers 10, 20 and 30 in Serres: tests/http/h_osm.h). Typing an address
// and choosing a suggestion with the keyboard flies the citizen map there;
// a report pin placed on the map fills the form's address with the street
// and number (reverse geocoding), and the report keeps it; the school
// finder answers from a typed address. A server without a basemap says
// so in the box instead of "nothing found".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickAt, launch, mapIdle, openPage } from './browser.mjs';
import { EVENT_DEADLINE_MS, startPolis, storedValue } from './polis_server.mjs';

// h_osm.h: Ερμού 20 on lat 41.09005, the building of Ερμού 30 170 m east of it
const ERMOU_20 = { lng: 23.546, lat: 41.09005 };
const ERMOU_30 = { lng: 23.5481, lat: 41.0903 };
let polis, bare, browser;

before(async () => {
  polis = await startPolis('test_address_search', { POLIS_EXPENSIVE_PER_CLIENT: '100000' }, { basemap: true });
  bare = await startPolis('test_address_search_bare', { POLIS_EXPENSIVE_PER_CLIENT: '100000' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
  await bare?.stop();
});

// Types text into the map's search box and waits for its suggestions.
async function typeAddress(page, text) {
  await page.fill('#address-q', '');
  await page.type('#address-q', text);
  await page.waitForSelector('#address-options:not([hidden]) [role=option]');
}

// Resolves once the map rests with its centre within metres of where.
async function mapRestsAt(page, where, metres = 15) {
  await page.waitForFunction(
    ([lng, lat, m]) => {
      const map = window.polisMap;
      if (map.isMoving()) return false;
      const c = map.getCenter();
      const dx = (c.lng - lng) * 111320 * Math.cos((lat * Math.PI) / 180);
      const dy = (c.lat - lat) * 110540;
      return Math.hypot(dx, dy) < m;
    },
    [where.lng, where.lat, metres],
    { timeout: EVENT_DEADLINE_MS },
  );
}

test('a typed address flies the citizen map there; the pin fills in the address the report keeps', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  page.setDefaultTimeout(EVENT_DEADLINE_MS); // a shared machine: the page may take a while
  await page.goto(polis.base + '/#/');
  await page.waitForSelector('body[data-shown=report]');
  await mapIdle(page);

  const box = page.locator('#address-q');
  assert.equal(await box.getAttribute('role'), 'combobox');
  assert.equal(await page.textContent('label[for=address-q]'), 'Αναζήτηση διεύθυνσης ή τόπου');
  await typeAddress(page, 'ερμου 20'); // no accent, lower case
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  const first = await page.textContent('#address-options [role=option]');
  assert.equal(first, 'Ερμού 20');
  // the keyboard: the first suggestion, then Enter
  await box.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'address-option-0');
  assert.equal(await page.getAttribute('#address-option-0', 'aria-selected'), 'true');
  await box.press('Enter');
  await mapRestsAt(page, ERMOU_20);
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.ok((await page.evaluate(() => window.polisMap.getZoom())) >= 16, 'the map did not zoom in on the address');

  // the report pin (in view at zoom 17): the form shows the address of the point
  await mapIdle(page);
  await clickAt(page, ERMOU_30);
  await page.waitForFunction(() => document.querySelector('#address').value !== '', null, { timeout: EVENT_DEADLINE_MS });
  assert.equal(await page.inputValue('#address'), 'Ερμού 30');
  assert.equal(await page.textContent('label[for=address]'), 'Διεύθυνση');

  // the reporter corrects it; the report keeps what was sent
  await page.fill('#address', 'Ερμού 30, μπροστά στο περίπτερο');
  await page.selectOption('#category', 'greenery');
  const description = `A fallen branch on Ermou (${process.pid})`;
  await page.fill('#description', description);
  await page.fill('#contact-email', `address-${process.pid}@example.org`);
  await page.click('#report-submit');
  await page.waitForFunction(() => /#\d+/.test(document.querySelector('#report-done').textContent), null, { timeout: EVENT_DEADLINE_MS });
  const id = Number(/#(\d+)/.exec(await page.textContent('#report-done'))[1]);
  assert.equal(storedValue(`SELECT address FROM reports WHERE id = ${id}`, polis.databaseUrl), 'Ερμού 30, μπροστά στο περίπτερο');
  assert.equal(await page.inputValue('#address'), '', 'the address of the filed report stays in the form');

  // English labels
  await page.click('[data-lang="en"]');
  assert.equal(await page.textContent('label[for=address-q]'), 'Search for an address or place');
  assert.equal(await box.getAttribute('placeholder'), 'Street and number, place…');
  assert.deepEqual(record.foreign, [], 'requests to other hosts');
  assert.deepEqual(record.errors, []);
  await context.close();
});

test('the school finder answers from a typed address', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  page.setDefaultTimeout(EVENT_DEADLINE_MS); // a shared machine: the page may take a while
  await page.goto(polis.base + '/#/schools');
  await page.waitForSelector('body[data-shown=schools]');
  await mapIdle(page);
  await typeAddress(page, 'Ermou 20'); // Greeklish
  await page.press('#address-q', 'Enter'); // the first suggestion
  await page.waitForSelector('#school-results:not([data-state=looking])[data-state]', { state: 'attached' });
  assert.equal(await page.getAttribute('#school-results', 'data-state'), 'found');
  assert.ok((await page.$$('#school-results li[data-level=primary]')).length === 1, 'no primary school for the typed address');
  await mapRestsAt(page, ERMOU_20);
  // the box is on the tourism map too, not on my reports
  await page.goto(polis.base + '/#/visit');
  await page.waitForSelector('body[data-shown=visit]');
  assert.ok(await page.isVisible('#address-q'), 'no address search on the tourism map');
  await page.goto(polis.base + '/#/mine');
  await page.waitForSelector('body[data-shown=mine]');
  assert.ok(!(await page.isVisible('#address-q')), 'the address search shows on my reports');
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter((e) => !/status of 404/.test(e)), []);
  await context.close();
});

test('without a basemap the box says so and the page goes on working', async () => {
  const { context, page, record } = await openPage(browser, bare.base);
  page.setDefaultTimeout(EVENT_DEADLINE_MS); // a shared machine: the page may take a while
  await page.goto(bare.base + '/#/');
  await page.waitForSelector('body[data-shown=report]');
  await mapIdle(page);
  await page.type('#address-q', 'Zzyzx 7');
  await page.waitForFunction(() => document.querySelector('#address-status').textContent !== '', null, { timeout: EVENT_DEADLINE_MS });
  assert.match(await page.textContent('#address-status'), /δεν έχει φορτωθεί ακόμη χάρτης οδών/);
  assert.equal(await page.getAttribute('#address-q', 'aria-expanded'), 'false');
  // a pin still works; its address is not asked for (it could only be a 404)
  const probe = page.waitForResponse((res) => res.url().includes('/api/v1/geocode?'));
  await clickAt(page, ERMOU_20);
  await page.locator('#place .place-name').waitFor();
  await probe; // "is there a basemap?": the page has its answer once it runs again
  await page.evaluate(() => 0);
  assert.equal(await page.inputValue('#address'), '');
  assert.ok(!record.requests.some((u) => u.includes('/geocode/reverse')), 'the address of a pin was asked for without a basemap');
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors, []);
  await context.close();
});
