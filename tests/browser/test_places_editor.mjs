// The POI editor in a real browser, as the tourism office: an invalid
// opening_hours is refused with the API's message next to that field; a
// POI placed by tapping the map is saved as a draft and the public tourism
// view does not find it; once published it does, with the photo added. An event made through
// the editor with a weekly repeat ending after a count is saved with that
// RRULE. Staff of another department do not get the editor.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { clickAt, launch, makeImage, mapIdle, openPage, signInOnPage } from './browser.mjs';
import { addUser, artifactsDir, startPolis } from './polis_server.mjs';

const tag = `${process.pid}${Date.now() % 100000}`;
const office = { email: `tourism-${tag}@example.org`, password: 'a tourism passphrase' };
const other = { email: `works-${tag}@example.org`, password: 'a works passphrase' };
const NAME = `Πύργος δοκιμής ${tag}`;
const SPOT = { lng: 23.551, lat: 41.0925 };
let polis, browser;

before(async () => {
  addUser(office.email, office.password, 'staff', ['tourism']);
  addUser(other.email, other.password, 'staff', ['technical_works']);
  polis = await startPolis('test_places_editor');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

const expected = (e) => !/status of (401|422)/.test(e);

// The public tourism search for NAME: the names it lists.
async function publicSearch(page) {
  await page.goto(polis.base + '/#/visit');
  await page.waitForSelector('body[data-shown=visit]');
  // the list may still show this query from before: forget it, then type
  await page.evaluate(() => delete document.getElementById('poi-results').dataset.query);
  await page.fill('#poi-q', '');
  await page.fill('#poi-q', NAME);
  await page.waitForSelector(`#poi-results[data-query="${NAME}"]`, { state: "attached" });
  return page.$$eval('#poi-results li a', (a) => a.map((x) => x.textContent));
}

test('the tourism office creates a POI: refused hours shown at the field, draft hidden until published', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await signInOnPage(page, office.email, office.password);
  await page.click('#places-link');
  await page.waitForSelector('body[data-shown=places]');
  await mapIdle(page);
  assert.ok((await page.$$('#poi-admin-list li')).length >= 10, 'the demo POIs are not listed');

  await page.click('#poi-new');
  await page.selectOption('#p-category', 'monument');
  await page.fill('#p-name-el', NAME);
  await page.fill('#p-name-en', `Test tower ${tag}`);
  await page.fill('#p-opening-hours', 'Mo-Fr 25:00-26:00');
  await page.check('#p-flag-wheelchair');
  await page.fill('#p-tags', 'tower, test');
  await clickAt(page, SPOT);
  assert.match(await page.textContent('#p-place'), /41\.09/);
  await page.click('#poi-form button[type=submit]');
  await page.waitForSelector('#p-opening-hours[aria-invalid=true]');
  const message = await page.textContent('#p-opening-hours-error');
  assert.ok(message.length > 10, `no message next to the opening hours: «${message}»`);
  assert.match(message, /Αναμενόταν/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'p-opening-hours');
  await page.screenshot({ path: join(artifactsDir(), 'places-editor-1280x800.png') });

  await page.fill('#p-opening-hours', 'Mo-Fr 09:00-17:00');
  await page.click('#poi-form button[type=submit]');
  await page.waitForFunction(() => /πρόχειρο/.test(document.querySelector('#poi-done').textContent));
  assert.equal(await page.getAttribute('#p-opening-hours', 'aria-invalid'), null);
  const card = page.locator('#poi-admin-list li', { hasText: NAME });
  assert.equal(await card.getAttribute('data-status'), 'draft');

  // the public tourism view does not know the draft...
  assert.deepEqual(await publicSearch(page), []);

  // ...until it is published
  await page.goto(polis.base + '/#/places-admin');
  await page.waitForSelector('body[data-shown=places]');
  await page.locator('#poi-admin-list li', { hasText: NAME }).getByRole('button').click();
  assert.equal(await page.inputValue('#p-opening-hours'), 'Mo-Fr 09:00-17:00');
  assert.equal(await page.isChecked('#p-flag-wheelchair'), true);
  await page.click('#p-publish');
  await page.waitForFunction(() => /δημοσιευμένο/.test(document.querySelector('#poi-done').textContent));
  // a photo, made smaller by the page before upload
  await page.setInputFiles('#p-photo', await makeImage(page, 2400, 1800));
  await page.waitForFunction(() => /φωτογραφία προστέθηκε/.test(document.querySelector('#poi-done').textContent));
  assert.deepEqual(await publicSearch(page), [NAME]);
  await page.click(`#poi-results a`);
  await page.waitForSelector('body[data-shown=poi]');
  assert.equal(await page.textContent('#poi-title'), NAME);
  assert.match(await page.textContent('.hours-readable'), /Δευ–Παρ 09:00–17:00/);
  const img = page.locator('#poi-page .photos img');
  assert.equal(await img.count(), 1);
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#poi-page .photos img').naturalWidth > 0);
  assert.ok(await img.evaluate((i) => i.naturalWidth <= 1600), 'the photo was not made smaller');
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});

test('the tourism office makes a weekly event with a count and publishes it', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await signInOnPage(page, office.email, office.password);
  await page.goto(polis.base + '/#/places-admin');
  await page.waitForSelector('body[data-shown=places]');
  await page.click('#event-new');
  const title = `Βραδιά δοκιμής ${tag}`;
  await page.fill('#e-title-el', title);
  const day = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
  await page.fill('#e-starts', `${day}T19:00`);
  await page.fill('#e-ends', `${day}T18:00`);
  await page.selectOption('#e-freq', 'WEEKLY');
  await page.fill('#e-count', '4');
  await page.selectOption('#e-venue', { index: 1 });
  await page.selectOption('#e-category', 'concert');
  await page.click('#event-form button[type=submit]');
  // the end before the start: the API's message next to the end
  await page.waitForSelector('#e-ends[aria-invalid=true]');
  assert.ok((await page.textContent('#e-ends-error')).length > 5);
  await page.fill('#e-ends', `${day}T21:00`);
  await page.click('#event-form button[type=submit]');
  await page.waitForFunction(() => /πρόχειρο/.test(document.querySelector('#event-done').textContent));
  // the draft is in the editor's list of events, marked as a draft (the public list lacks it)
  const draftId = (await page.textContent('#event-form-title')).match(/#(\d+)/)[1];
  await page.waitForSelector(`#event-admin-list li[data-event="${draftId}"]`);
  assert.match(await page.textContent(`#event-admin-list li[data-event="${draftId}"]`), /πρόχειρο/);
  await page.click('#e-publish');
  await page.waitForFunction(() => /δημοσιευμένο/.test(document.querySelector('#event-done').textContent));
  const id = (await page.textContent('#event-form-title')).match(/#(\d+)/)[1];
  const ev = await (await fetch(`${polis.base}/api/v1/events/${id}`)).json();
  assert.equal(ev.properties.rrule, 'FREQ=WEEKLY;COUNT=4');
  assert.equal(ev.properties.occurrences.length, 4);
  assert.match(ev.properties.starts_at, new RegExp(`^${day}T19:00:00\\+0[23]:00$`));
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});

test('staff of another department get no editor', async () => {
  const { context, page } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await signInOnPage(page, other.email, other.password);
  assert.equal(await page.isVisible('#places-link'), false);
  await page.goto(polis.base + '/#/places-admin');
  await page.waitForFunction(() => document.body.dataset.view === 'report' && location.hash === '#/places-admin');
  assert.equal(await page.isVisible('#poi-form, #poi-new'), false);
  await context.close();
});
