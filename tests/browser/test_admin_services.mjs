// The e-services catalogue's admin in a real browser: an admin creates a
// service with a form field and a required document, in Greek and English
// (a code the API refuses is shown next to the code input, and nothing is
// stored); a citizen then finds it in the catalogue (#/services) with that
// document, in both languages; the admin makes it inactive and it leaves
// the citizen's catalogue while the admin still lists it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openPage, pageReady, signInOnPage } from './browser.mjs';
import { addUser, artifactsDir, startPolis, storedValue } from './polis_server.mjs';

const tag = `${process.pid}${Date.now() % 100000}`;
const admin = { email: `svc-admin-${tag}@example.org`, password: 'an admin passphrase' };
const code = `parking_${tag}`;
const TITLE_EL = `Άδεια στάθμευσης ${tag}`;
const TITLE_EN = `Parking permit ${tag}`;
let polis, browser;

before(async () => {
  addUser(admin.email, admin.password, 'admin');
  polis = await startPolis('test_admin_services');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

const expected = (e) => !/status of 422/.test(e);
// Controls of root that a screen reader would read without a name (their
// lines in the accessibility tree, e.g. '- textbox').
const unnamed = async (page, root) => (await page.locator(root).ariaSnapshot()).split('\n').filter((l) => /^- (textbox|combobox|listbox|checkbox|spinbutton|button)( \[[^\]]*\])?(:.*)?$/.test(l.trim()));
const stored = () => Number(storedValue(`SELECT count(*) FROM services WHERE code IN ('${code}', 'Parking ${tag}')`));

// The service as a citizen's catalogue shows it (null when it is not there).
async function citizenCard(page, lang) {
  await pageReady(page, `${polis.base}/#/services`);
  if (lang === 'en') await page.click('button[data-lang=en]');
  await page.waitForSelector('body[data-shown=services]');
  const card = page.locator('#services-page li.service', { hasText: lang === 'en' ? TITLE_EN : TITLE_EL });
  return (await card.count()) ? card.textContent() : null;
}

test('an admin creates a service with a field and a document; a citizen sees it until it is made inactive', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await pageReady(page, `${polis.base}/#/`);
  await signInOnPage(page, admin.email, admin.password);
  await page.click('#admin-link');
  await page.waitForSelector('body[data-shown=admin]');
  await page.click('#svc-new');
  await page.fill('#svc-form-code', `Parking ${tag}`); // capitals and a space: refused
  await page.fill('#svc-form-title-el', TITLE_EL);
  await page.fill('#svc-form-title-en', TITLE_EN);
  await page.fill('#svc-form-description-el', 'Άδεια στάθμευσης για κατοίκους της παλιάς πόλης.');
  await page.fill('#svc-form-description-en', 'A parking permit for residents of the old town.');
  await page.selectOption('#svc-form-department', 'technical_works');
  await page.selectOption('#svc-form-applicants', 'citizen');
  await page.fill('#svc-form-target-hours', '72');
  await page.selectOption('#svc-form-answer-kind', 'uploaded');
  await page.click('#svc-add-fields');
  await page.fill('#sf-0-code', 'plate');
  await page.check('#sf-0-required');
  await page.fill('#sf-0-description_el', 'Αριθμός κυκλοφορίας');
  await page.fill('#sf-0-description_en', 'Registration plate');
  await page.click('#svc-add-documents');
  await page.fill('#sd-0-code', 'vehicle_licence');
  await page.fill('#sd-0-name_el', 'Άδεια κυκλοφορίας');
  await page.fill('#sd-0-name_en', 'Vehicle licence');
  await page.selectOption('#sd-0-types', ['pdf', 'png']);
  await page.fill('#sd-0-max_kb', '2048');
  assert.deepEqual(await unnamed(page, '#svc-form'), []);
  await page.click('#svc-form button[type=submit]');

  // the bad code: the API's words next to the code input, the focus on it
  await page.waitForSelector('#svc-form-code[aria-invalid=true]');
  assert.notEqual((await page.textContent('#svc-form-code-error')).trim(), '');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'svc-form-code');
  assert.equal(await page.locator('#svc-form [aria-invalid=true]').count(), 1, 'another field was marked as wrong');
  assert.equal(stored(), 0, 'a refused service was stored');

  await page.fill('#svc-form-code', code);
  await page.click('#svc-form button[type=submit]');
  const card = page.locator(`#svc-list li[data-service="${code}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), new RegExp(TITLE_EL));
  assert.match(await page.textContent('#svc-done'), new RegExp(code));
  assert.equal(await page.isVisible('#svc-form'), false);
  assert.equal(
    storedValue(`SELECT title_en || ' ' || target_hours || ' ' || answer_kind || ' ' || (fields->0->>'code') || ' ' ||
      (documents->0->>'code') || ' ' || (documents->0->'types')::text || ' ' || (documents->0->>'required') FROM services WHERE code = '${code}'`),
    `${TITLE_EN} 72 uploaded plate vehicle_licence ["pdf", "png"] true`,
  );
  await page.screenshot({ path: join(artifactsDir(), 'admin-services-1280x800.png'), fullPage: true });

  // a citizen (here: anyone) finds it with its document, in Greek and English
  const citizen = await browser.newContext({ locale: 'el-GR' });
  const other = await citizen.newPage();
  const el = await citizenCard(other, 'el');
  assert.ok(el, 'the new service is not in the catalogue');
  assert.match(el, /Άδεια κυκλοφορίας \(υποχρεωτικό\) · PDF, PNG · έως 2 MB/);
  const en = await citizenCard(other, 'en');
  assert.match(en ?? '', /Vehicle licence \(required\) · PDF, PNG/);

  // editing: the form holds what was saved; made inactive, it leaves the catalogue
  await card.getByRole('button').click();
  assert.equal(await page.inputValue('#svc-form-title-en'), TITLE_EN);
  assert.equal(await page.inputValue('#sd-0-name_en'), 'Vehicle licence');
  assert.equal(await page.inputValue('#sf-0-code'), 'plate');
  assert.equal(await page.isDisabled('#svc-form-code'), true);
  await page.uncheck('#svc-form-active');
  await page.click('#svc-form button[type=submit]');
  await page.waitForFunction((c) => /ανενεργή/.test(document.querySelector(`#svc-list li[data-service="${c}"]`)?.textContent), code);
  assert.equal(storedValue(`SELECT active FROM services WHERE code = '${code}'`), 'f');
  assert.equal(await citizenCard(other, 'el'), null, 'an inactive service is still offered');
  await citizen.close();

  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});
