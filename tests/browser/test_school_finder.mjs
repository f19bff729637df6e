// The school finder in a real browser: a tap in the town of Serres names
// one school for each level the demo has (nursery to vocational), with its
// distance and the provisional-zone note; a tap far outside every zone
// (Athens) says so instead of listing anything.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickAt, launch, mapIdle, openPage } from './browser.mjs';
import { startPolis } from './polis_server.mjs';

const SERRES = { lng: 23.5496, lat: 41.091 };
const ATHENS = { lng: 23.7275, lat: 37.9838 };
const LEVELS = ['nursery', 'kindergarten', 'primary', 'lower_secondary', 'upper_secondary', 'vocational'];
let polis, browser;

before(async () => {
  polis = await startPolis('test_school_finder');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

// Moves the map to where, waits for it, taps there and waits for the answer.
async function tapAt(page, where) {
  await page.evaluate(([lng, lat]) => window.polisMap.jumpTo({ center: [lng, lat], zoom: 14 }), [where.lng, where.lat]);
  await mapIdle(page);
  await page.evaluate(() => delete document.getElementById('school-results').dataset.state); // the last answer's
  await clickAt(page, where);
  await page.waitForSelector('#school-results:not([data-state=looking])[data-state]', { state: 'attached' });
}

test('a point in Serres: one school per level; a point outside every zone says so', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/#/schools');
  await page.waitForSelector('body[data-shown=schools]');
  await mapIdle(page);
  assert.equal(
    await page.evaluate(() => window.polisMap.getLayoutProperty('zones-line', 'visibility')),
    'visible',
    'the school zones are not drawn in the school finder',
  );

  await tapAt(page, SERRES);
  assert.equal(await page.getAttribute('#school-results', 'data-state'), 'found');
  const levels = await page.$$eval('#school-results li', (l) => l.map((x) => x.dataset.level));
  assert.deepEqual(levels, LEVELS, 'not one school per level, in level order');
  const primary = await page.textContent('#school-results li[data-level=primary]');
  assert.match(primary, /Δημοτικό Σχολείο Σερρών/);
  assert.match(primary, /Απόσταση: \d+ μ\./);
  assert.match(primary, /Προσωρινή περιφέρεια/);

  await tapAt(page, ATHENS);
  assert.equal(await page.getAttribute('#school-results', 'data-state'), 'outside');
  assert.equal((await page.$$('#school-results li')).length, 0, 'the schools of the last point are still listed');
  assert.match(await page.textContent('#schools-status'), /δεν βρίσκεται σε καμία σχολική περιφέρεια/);

  // the zones leave the map outside the school finder
  await page.goto(polis.base + '/#/visit');
  await page.waitForSelector('body[data-shown=visit]');
  assert.equal(await page.evaluate(() => window.polisMap.getLayoutProperty('zones-line', 'visibility')), 'none');
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter((e) => !/status of 404/.test(e)), []);
  await context.close();
});
