// Bad input through the report form: the API's own words appear next to
// the field they are about (aria-invalid, aria-describedby), not in an
// alert. No category and no point: the category select and the location
// control; a photo over POLIS_PHOTO_MAX_MB (413) or not an image (415): the
// photo input, while the report itself is filed and says so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { clickAt, launch, mapIdle, openPage } from './browser.mjs';
import { join } from 'node:path';
import { artifactsDir, startPolis } from './polis_server.mjs';

const POINT = { lng: 23.5478, lat: 41.0902 };
let polis, browser;

before(async () => {
  polis = await startPolis('test_report_errors', { POLIS_PHOTO_MAX_MB: '1' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

// The error line of a control, checked to be tied to it for screen readers.
async function errorOf(page, controlId) {
  const control = page.locator(`#${controlId}`);
  assert.equal(await control.getAttribute('aria-invalid'), 'true', `#${controlId} is not marked invalid`);
  const ids = (await control.getAttribute('aria-describedby')).split(' ');
  const errId = ids.find((i) => i.endsWith('-error'));
  assert.ok(errId, `#${controlId} is not described by its error line`);
  return (await page.textContent(`#${errId}`)).trim();
}

// Console lines of the refusals this test provokes on purpose.
const expected = (e) => !/status of (401|413|415|422)/.test(e);

test('no category and no point: the messages sit next to the category and the location', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    d.dismiss();
  });
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await page.fill('#description', 'Σπασμένο παγκάκι στην πλατεία');
  await page.click('#report-submit');
  await page.waitForSelector('#category[aria-invalid=true]');
  assert.match(await errorOf(page, 'category'), /code of a report category|a string of 1 to 40/);
  assert.match(await errorOf(page, 'locate'), /a number from -90 to 90/, 'the location control does not name the missing point');
  assert.equal(await page.getAttribute('#description', 'aria-invalid'), null, 'the good description was marked');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'locate', 'focus is not on the first bad field');
  assert.equal(dialogs, 0, 'an alert() was used');
  await page.screenshot({ path: join(artifactsDir(), 'citizen-errors-360x740.png') });

  // choosing a point clears the location's message; the category's stays until the next try
  await mapIdle(page);
  await clickAt(page, POINT);
  await page.waitForFunction(() => !document.querySelector('#locate').hasAttribute('aria-invalid'));
  assert.equal(await page.textContent('#location-error'), '');

  // a required extra field left empty: its message next to it
  await page.selectOption('#category', 'water_sewage');
  await page.click('#report-submit');
  await page.waitForSelector('#attr-kind[aria-invalid=true]');
  assert.match(await errorOf(page, 'attr-kind'), /required/);
  assert.equal(await page.getAttribute('#category', 'aria-invalid'), null);
  assert.equal(await page.textContent('#report-done'), '', 'a refused report was called filed');

  // in English, the labels around the messages are English
  await page.click('button[data-lang=en]');
  await page.click('#report-submit');
  await page.waitForSelector('#attr-kind[aria-invalid=true]');
  assert.match(await errorOf(page, 'attr-kind'), /^Expected: /);
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});

test('a photo too large or not an image: the message is next to the photo input, the report is filed', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  await page.goto(polis.base + '/');
  await mapIdle(page);
  await clickAt(page, POINT);
  await page.selectOption('#category', 'greenery');
  await page.fill('#description', 'Πεσμένο κλαδί στο πεζοδρόμιο');
  await page.fill('#contact-email', 'someone@example.org');
  // 1.5 MB the browser cannot decode goes as it is: the API answers 413
  await page.setInputFiles('#photo', { name: 'huge.jpg', mimeType: 'image/jpeg', buffer: randomBytes(1536 * 1024) });
  await page.click('#report-submit');
  await page.waitForSelector('#photo[aria-invalid=true]', { timeout: 20000 });
  assert.match(await errorOf(page, 'photo'), /larger than 1 MB|at most 1 MB/);
  const done = await page.textContent('#report-done');
  const id = Number(/#(\d+)/.exec(done)?.[1]);
  assert.ok(id > 0, `the page does not say the report was filed: ${done}`);
  // the anonymous reporter's secret is kept for "my reports"
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('polis.reports')));
  assert.equal(kept[0].id, id);
  assert.ok(kept[0].secret, 'no secret was kept for the anonymous report');

  // a text file named .png: 415, next to the photo input again; no second report
  await page.setInputFiles('#photo', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some notes, not a picture\n') });
  await page.click('#report-submit');
  await page.waitForFunction(() => /not (a|an) /i.test(document.querySelector('#photo-error').textContent));
  assert.match(await page.textContent('#report-done'), new RegExp(`#${id}\\b`));

  // a good photo then completes the same report
  const { makeImage } = await import('./browser.mjs');
  await page.setInputFiles('#photo', await makeImage(page, 640, 480));
  await page.click('#report-submit');
  await page.waitForFunction(() => document.querySelector('#photo-error').textContent === '' && !document.querySelector('#photo').hasAttribute('aria-invalid'));
  await page.waitForFunction((rid) => new RegExp(`#${rid}\\b`).test(document.querySelector('#report-done').textContent), id);
  const photos = await page.evaluate(async (rid) => {
    const s = JSON.parse(localStorage.getItem('polis.reports'))[0].secret;
    return (await (await fetch(`/api/v1/reports/${rid}?secret=${encodeURIComponent(s)}`)).json()).properties.photos.length;
  }, id);
  assert.equal(photos, 1);

  // "my reports" finds it again through the kept secret
  await page.click('a[href="#/mine"]');
  await page.waitForSelector('body[data-shown=mine]');
  assert.match(await page.textContent(`#mine-list li[data-report="${id}"]`), /Πεσμένο κλαδί/);
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});
