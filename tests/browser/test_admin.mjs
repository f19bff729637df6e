// The admin and staff tools in a real browser: a category with an extra
// list field made through the page (a list without values refused next to
// that field), which the citizen form then offers; a staff account made
// with its password shown once (staff without a department refused next
// to the departments), and an API key for it that works; a layer upload
// followed to the end of its import job.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openPage, signInOnPage } from './browser.mjs';
import { addUser, artifactsDir, startPolis } from './polis_server.mjs';

const tag = `${process.pid}${Date.now() % 100000}`;
const admin = { email: `admin-${tag}@example.org`, password: 'an admin passphrase' };
const code = `sidewalk_${tag}`;
let polis, browser;

before(async () => {
  addUser(admin.email, admin.password, 'admin');
  polis = await startPolis('test_admin');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

const expected = (e) => !/status of (401|422)/.test(e);

test('an admin makes a category with a list field; the citizen form offers it', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await signInOnPage(page, admin.email, admin.password);
  await page.click('#admin-link');
  await page.waitForSelector('body[data-shown=admin]');
  await page.click('#cat-new');
  await page.fill('#c-code', code);
  await page.fill('#c-name-el', 'Σπασμένα πεζοδρόμια');
  await page.fill('#c-name-en', 'Broken pavements');
  await page.selectOption('#c-department', 'technical_works');
  await page.click('#c-add-field');
  await page.fill('#cf-0-code', 'size');
  await page.selectOption('#cf-0-datatype', 'singlevaluelist');
  await page.check('#cf-0-required');
  await page.fill('#cf-0-description_el', 'Μέγεθος');
  await page.fill('#cf-0-description_en', 'Size');
  await page.click('#cat-form button[type=submit]');
  // a list without values: the API's message next to the values box
  await page.waitForSelector('#cf-0-values[aria-invalid=true]');
  assert.match(await page.textContent('#cf-0-values-error'), /an array of 1 to 100/);
  assert.equal(await page.isVisible(`#cat-list li[data-category="${code}"]`), false, 'a refused category was listed');

  await page.fill('#cf-0-values', 'small | Μικρό | Small\nlarge | Μεγάλο | Large');
  await page.click('#cat-form button[type=submit]');
  const card = page.locator(`#cat-list li[data-category="${code}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), /Σπασμένα πεζοδρόμια/);
  assert.match(await page.textContent('#cat-done'), new RegExp(code));
  await page.screenshot({ path: join(artifactsDir(), 'admin-1280x800.png') });

  // editing keeps the field and changes the name
  await card.getByRole('button').click();
  assert.equal(await page.inputValue('#cf-0-values'), 'small | Μικρό | Small\nlarge | Μεγάλο | Large');
  await page.fill('#c-name-el', 'Φθορές πεζοδρομίων');
  await page.click('#cat-form button[type=submit]');
  await page.waitForFunction((c) => /Φθορές πεζοδρομίων/.test(document.querySelector(`#cat-list li[data-category="${c}"]`)?.textContent), code);

  // the citizen form: the new category and its required list field
  await page.goto(polis.base + '/#/');
  await page.waitForSelector('body[data-ready]');
  await page.selectOption('#category', code);
  await page.waitForSelector('#attr-size');
  assert.match(await page.textContent('label[for=attr-size]'), /Μέγεθος.*υποχρεωτικό/);
  const options = await page.$$eval('#attr-size option', (o) => o.map((x) => x.textContent));
  assert.deepEqual(options.slice(1), ['Μικρό', 'Μεγάλο']);
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});

test('an admin makes a staff account and an API key that works', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/#/admin');
  await page.waitForSelector('body[data-ready]');
  await signInOnPage(page, admin.email, admin.password);
  await page.waitForSelector('body[data-shown=admin]');
  const email = `new-staff-${tag}@example.org`;
  await page.fill('#u-email', email);
  await page.selectOption('#u-role', 'staff');
  await page.click('#user-form button[type=submit]');
  await page.waitForSelector('#u-departments[aria-invalid=true]');
  assert.match(await page.textContent('#u-departments-error'), /staff belong to departments/);

  await page.selectOption('#u-departments', ['greenery']);
  await page.click('#user-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#user-done').textContent !== '');
  assert.match(await page.textContent('#user-done'), new RegExp(`${email}.*: \\S{12,}`));
  const row = page.locator('#user-rows tr', { hasText: email });
  await row.waitFor();
  assert.match(await row.textContent(), /greenery/);

  await row.locator('summary').click();
  await row.locator('input[id^=k-name-]').fill('QGIS');
  await row.getByRole('button').click();
  await row.locator('.secret').filter({ hasText: /\S{20,}/ }).waitFor();
  const key = /(\S+)$/.exec((await row.locator('.secret').textContent()).trim())[1];
  const me = await fetch(`${polis.base}/api/v1/me`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(me.status, 200, 'the key shown on the page does not work');
  assert.equal((await me.json()).user.email, email);
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});

test('staff upload a layer and follow its import to the end', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await signInOnPage(page, admin.email, admin.password);
  await page.click('#layers-link');
  await page.waitForSelector('body[data-shown=layers]');
  // no file: the API's message next to the file input
  await page.click('#layer-form button[type=submit]');
  await page.waitForSelector('#l-file[aria-invalid=true]');
  assert.notEqual(await page.textContent('#l-file-error'), '');

  const geojson = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { name: 'Βρύση 1' }, geometry: { type: 'Point', coordinates: [23.55, 41.09] } },
      { type: 'Feature', properties: { name: 'Βρύση 2' }, geometry: { type: 'Point', coordinates: [23.56, 41.08] } },
    ],
  };
  await page.setInputFiles('#l-file', { name: 'fountains.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(geojson)) });
  await page.fill('#l-name', `web_fountains_${tag}`);
  await page.fill('#l-title-el', 'Βρύσες');
  await page.selectOption('#l-visibility', 'staff');
  await page.click('#layer-form button[type=submit]');
  await page.waitForSelector('#job[data-status=succeeded]', { timeout: 30000 });
  assert.match(await page.textContent('#job-result'), new RegExp(`2 .*web_fountains_${tag}`));
  const bar = await page.$eval('#job-progress', (p) => [p.value, p.max]);
  assert.deepEqual(bar, [1, 1]);
  await page.locator('#job-list li', { hasText: `web_fountains_${tag}` }).waitFor();
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});
