// The tourism pages in a real browser: the search finds a demo place typed
// without accents, in Greek («σερρ») or Latin («serres»); its page shows
// the opening hours (the OSM string and a readable version) and, after the
// ΕΛ/EN switch, the English name; the events of the next 30 days are listed
// with Greek wall-clock times and the iCalendar link. A phone-size
// screenshot is kept. Nothing is fetched from another host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, mapIdle, openPage } from './browser.mjs';
import { artifactsDir, startPolis } from './polis_server.mjs';

const MUSEUM_EL = 'Αρχαιολογικό Μουσείο Σερρών (Μπεζεστένι)';
const MUSEUM_EN = 'Archaeological Museum of Serres (Bezesteni)';
let polis, browser;

before(async () => {
  polis = await startPolis('test_tourism');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

// Types text into the search box and waits for the list of that query.
async function search(page, text) {
  await page.fill('#poi-q', '');
  await page.type('#poi-q', text, { delay: 30 });
  await page.waitForSelector(`#poi-results[data-query="${text}"]`, { state: "attached" });
  return page.$$eval('#poi-results li a', (a) => a.map((x) => x.textContent));
}

test('search without accents, the POI page with opening hours, the language switch', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  await page.goto(polis.base + '/#/visit');
  await page.waitForSelector('body[data-shown=visit]');
  await mapIdle(page);
  assert.ok((await page.$$('#poi-chips .chip')).length > 5, 'no category chips');

  const greek = await search(page, 'σερρ');
  assert.ok(greek.includes(MUSEUM_EL), `«σερρ» did not find the museum: ${greek.join(' | ')}`);
  const latin = await search(page, 'serres');
  assert.ok(latin.length > 0, '«serres» found nothing');
  // the phone shows the map on top and the results under the search box
  await page.locator('#poi-results li').nth(2).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifactsDir(), 'tourism-360x740.png') });

  // the keyboard: arrow down into the results, Enter opens the focused one
  await search(page, 'μπεζεστ');
  await page.focus('#poi-q');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), MUSEUM_EL);
  await page.keyboard.press('Enter');
  await page.waitForSelector('body[data-shown=poi]');
  assert.equal(await page.textContent('#poi-title'), MUSEUM_EL);
  assert.equal(await page.textContent('.hours code'), 'Tu-Su 08:30-15:30; Mo off; PH off');
  const readable = await page.$$eval('.hours-readable li', (l) => l.map((x) => x.textContent));
  assert.deepEqual(readable, ['Τρί–Κυρ 08:30–15:30', 'Δευ κλειστά', 'αργίες κλειστά']);
  assert.match(await page.textContent('#poi-page'), /Πρόσβαση με αμαξίδιο: ναι/);

  await page.click('button[data-lang=en]');
  await page.waitForFunction((n) => document.querySelector('#poi-title')?.textContent === n, MUSEUM_EN);
  assert.deepEqual(await page.$$eval('.hours-readable li', (l) => l.map((x) => x.textContent)), [
    'Tue–Sun 08:30–15:30',
    'Mon closed',
    'public holidays closed',
  ]);
  assert.match(await page.textContent('#poi-page'), /Housed in the Bezesteni/);
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors, []);
  await context.close();
});

test('near me lists the places by distance from the browser position', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 41.0906, longitude: 23.5493 }); // at the Bezesteni
  await page.goto(polis.base + '/#/visit');
  await page.waitForSelector('body[data-shown=visit]');
  await page.click('#poi-near');
  await page.waitForFunction(() => /\d μ\./.test(document.querySelector('#poi-results li .hint')?.textContent || ''));
  assert.equal(await page.getAttribute('#poi-near', 'aria-pressed'), 'true');
  const metres = await page.$$eval('#poi-results li .hint', (l) =>
    l.map((x) => x.textContent.match(/([\d.,]+) (μ|χλμ)\./)).map((m) => parseFloat(m[1].replace(',', '.')) * (m[2] === 'μ' ? 1 : 1000)),
  );
  assert.ok(metres.length >= 10, `only ${metres.length} places near`);
  assert.deepEqual([...metres].sort((a, b) => a - b), metres, 'not sorted by distance');
  assert.ok(metres[0] < 50, `the nearest place is ${metres[0]} m away, expected the museum itself`);
  assert.match(await page.textContent('#poi-results li a'), /Μπεζεστένι/);
  assert.deepEqual(record.foreign, []);
  await context.close();
});

test('the events of the next 30 days, by day, in Greek time, with the calendar feed', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/#/visit');
  await page.waitForSelector('body[data-shown=visit]');
  await page.waitForSelector('#event-list li');
  const from = await page.inputValue('#ev-from');
  const to = await page.inputValue('#ev-to');
  assert.equal((Date.parse(to) - Date.parse(from)) / 86400000, 30);
  const market = page.locator('#event-list li', { hasText: 'Λαϊκή αγορά' }).first();
  assert.match(await market.textContent(), /08:00–14:00/);
  assert.ok((await page.$$('#event-list h4')).length >= 2, 'the events are not grouped by day');
  const ics = await page.getAttribute('#ics-link', 'href');
  const res = await fetch(polis.base + ics);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/calendar/);
  // a narrower range: a single day without the market says so or lists less
  const before = (await page.$$('#event-list li')).length;
  await page.fill('#ev-to', from);
  await page.dispatchEvent('#ev-to', 'change');
  await page.waitForFunction((n) => document.querySelectorAll('#event-list li').length < n || /Καμία/.test(document.querySelector('#events-status').textContent), before);
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors, []);
  await context.close();
});
