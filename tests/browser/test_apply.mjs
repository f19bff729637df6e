// Applying for an e-service in a real browser, on a phone: a signed-in
// citizen with a Greek name opens the e-services, picks a demo certificate
// that needs no documents, fills its form, saves a draft, reloads and finds
// the draft with its answers (also under "My applications", and in English
// with the answers kept), submits it and sees the protocol number N/YYYY the
// protocol book holds, then finds the receipt with that number in the
// mailbox, which opens the submitted application read-only. A business with
// a tax number (ΑΦΜ) that fails its check digit sees the error next to the
// ΑΦΜ field, keeps what it typed, and nothing is stored. Every control of
// the form has an accessible name. Nothing is fetched from any other host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, pageReady, signInOnPage } from './browser.mjs';
import { join } from 'node:path';
import { addUser, artifactsDir, startPolis, storedValue } from './polis_server.mjs';

const tag = `${process.pid}-${Date.now()}`;
const citizen = { email: `applicant-${tag}@example.org`, password: 'an applicant passphrase' };
const NAME = 'Γεωργία Παπαδοπούλου';
const purpose = `Για δάνειο στην τράπεζα (${tag})`;
let polis, browser, service;

before(async () => {
  addUser(citizen.email, citizen.password);
  storedValue(`UPDATE users SET display_name = '${NAME}' WHERE email = '${citizen.email}'`);
  polis = await startPolis('test_apply');
  browser = await launch();
  // the demo certificate of no debts: one required text field, no documents
  const res = await fetch(`${polis.base}/api/v1/services`);
  service = (await res.json()).services.find((s) => s.code === 'no_debts');
  assert.ok(service, 'the demo service no_debts is not in the catalogue');
  assert.deepEqual(service.documents, []);
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

function applicationsOf(email, cond = 'true') {
  return Number(storedValue(`SELECT count(*) FROM applications a JOIN users u ON u.id = a.user_id WHERE u.email = '${email}' AND ${cond}`));
}

// Every visible control of the form, as a screen reader names it.
async function unnamedControls(page, root) {
  const out = [];
  for (const c of await page.locator(`${root} :is(input, select, textarea, button):visible`).all()) {
    const line = (await c.ariaSnapshot()).split('\n')[0];
    if (!/^- '?[a-z]+ "[^"]+"/.test(line)) out.push(line);
  }
  return out;
}

test('a citizen saves a draft, submits it, gets its protocol number and the receipt in the mailbox', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  await pageReady(page, `${polis.base}/#/`);
  await signInOnPage(page, citizen.email, citizen.password);
  await page.click('a[data-view-link=services]');
  await page.waitForSelector('body[data-shown=services]');

  // the certificate, under certificates, says it needs no documents
  const card = page.locator(`#services-page li[data-service="${service.id}"]`);
  assert.match(await card.textContent(), /Βεβαίωση μη οφειλής προς τον δήμο/);
  assert.match(await card.textContent(), /Δεν χρειάζονται δικαιολογητικά/);
  assert.equal(await page.locator(`ul[aria-labelledby=services-generated] li[data-service="${service.id}"]`).count(), 1);
  await page.screenshot({ path: join(artifactsDir(), 'services-360x740.png'), fullPage: true });
  await card.locator('a', { hasText: 'Υποβολή αίτησης' }).click();
  await page.waitForSelector('body[data-shown=application]');
  assert.deepEqual(await unnamedControls(page, '#apply'), []);

  // a draft: saved, kept over a reload, listed under my applications
  await page.fill('#answer-purpose', purpose);
  await page.click('#apply-save');
  await page.locator('#apply .done', { hasText: 'αποθηκεύτηκε' }).waitFor();
  const id = Number(/#\/applications\/(\d+)$/.exec(page.url())?.[1]);
  assert.ok(id > 0, `the address does not name the draft: ${page.url()}`);
  assert.equal(storedValue(`SELECT status || ' ' || (answers->>'purpose') FROM applications WHERE id = ${id}`), `draft ${purpose}`);
  await page.reload();
  await page.waitForSelector('body[data-shown=application]');
  assert.equal(await page.inputValue('#answer-purpose'), purpose);
  await page.goto(`${polis.base}/#/applications`);
  await page.waitForSelector('body[data-shown=applications]');
  const listed = page.locator(`#applications-list li[data-application="${id}"]`);
  assert.match(await listed.textContent(), /Πρόχειρο/);
  await listed.locator('a').click();
  await page.waitForSelector('body[data-shown=application]');
  // in English: the labels change, the answer stays
  await page.click('button[data-lang=en]');
  assert.match(await page.textContent('label[for=answer-purpose]'), /What you need it for/);
  assert.equal(await page.inputValue('#answer-purpose'), purpose);
  await page.click('button[data-lang=el]');
  assert.equal(await page.inputValue('#answer-purpose'), purpose);

  // submitted: the protocol number shown is the protocol book's
  await page.click('#apply-submit');
  const shown = (await page.locator('.protocol-number').textContent()).trim();
  assert.match(shown, /^\d+\/20\d\d$/);
  const booked = storedValue(`SELECT pe.number || '/' || pe.year || ' ' || pe.correspondent FROM applications a
    JOIN protocol_entries pe ON pe.id = a.protocol_entry_id WHERE a.id = ${id}`);
  assert.equal(booked, `${shown} ${NAME}`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'apply-result');
  await page.screenshot({ path: join(artifactsDir(), 'apply-submitted-360x740.png'), fullPage: true });

  // the receipt in the mailbox, with the number, opens the application read-only
  await page.click('.submitted a[href="#/inbox"]');
  await page.waitForSelector('body[data-shown=inbox]');
  const entry = page.locator('#inbox-list li', { hasText: shown });
  assert.match(await entry.textContent(), new RegExp(`παρελήφθη με αριθμό πρωτοκόλλου ${shown}`));
  await entry.locator(`a[href="#/applications/${id}"]`).click();
  await page.waitForSelector('body[data-shown=application]');
  const readOnly = page.locator(`article[data-application="${id}"]`);
  assert.match(await readOnly.textContent(), new RegExp(`${shown}.*${purpose.replace(/[()]/g, '\\$&')}`, 's'));
  assert.match(await readOnly.textContent(), /Υποβλήθηκε/);
  assert.equal(await page.locator('#apply-form').count(), 0, 'a submitted application is still a form');

  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors, []);
  await context.close();
});

test('a business with a wrong ΑΦΜ sees the error next to it, keeps its answers, and nothing is stored', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  await pageReady(page, `${polis.base}/#/`);
  await signInOnPage(page, citizen.email, citizen.password);
  const before = applicationsOf(citizen.email);
  await page.goto(`${polis.base}/#/services/${service.id}/apply`);
  await page.waitForSelector('body[data-shown=application]');
  assert.equal(await page.isVisible('#apply-tax-number'), false, 'a person is asked for a tax number');
  await page.selectOption('#apply-applicant-kind', 'business');
  await page.fill('#apply-tax-number', '094019281'); // the check digit should be 2
  await page.fill('#apply-business-name', 'Καφέ Η Πλατεία');
  await page.fill('#answer-purpose', purpose);
  assert.deepEqual(await unnamedControls(page, '#apply'), []);
  await page.click('#apply-submit');
  await page.waitForSelector('#apply-tax-number[aria-invalid=true]');
  assert.match(await page.textContent('#apply-tax-number-error'), /ΑΦΜ/);
  await page.screenshot({ path: join(artifactsDir(), 'apply-refused-360x740.png'), fullPage: true });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'apply-tax-number');
  assert.equal(await page.inputValue('#answer-purpose'), purpose);
  assert.equal(await page.inputValue('#apply-business-name'), 'Καφέ Η Πλατεία');
  assert.equal(await page.locator('.protocol-number').count(), 0);
  assert.equal(applicationsOf(citizen.email), before, 'a refused application was stored');

  assert.deepEqual(record.foreign, []);
  // the refusal itself is the one console error (Chromium logs every 4xx)
  assert.deepEqual(record.errors.filter((e) => !/status of 422/.test(e)), []);
  await context.close();
});
