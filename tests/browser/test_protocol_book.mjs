// The protocol book in a real browser: a staff member registers a request
// that arrived at the counter (without a subject first: the error is next
// to the subject and nothing is registered), sees the number N/YYYY it got,
// which is the one the book holds, finds the entry on top of the list (and
// under the counter channel, not under the online one), and the count of
// the year's entries by channel and the electronic share change with it.
// Also in English. Citizens have no protocol book.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openPage, pageReady, signInOnPage } from './browser.mjs';
import { addUser, artifactsDir, startPolis, storedValue } from './polis_server.mjs';

const tag = `${process.pid}-${Date.now()}`;
const staff = { email: `protocol-staff-${tag}@example.org`, password: 'a staff passphrase' };
const citizen = { email: `protocol-cit-${tag}@example.org`, password: 'a citizen passphrase' };
const subject = `Αίτηση κοπής δέντρου ${tag}`;
let polis, browser;

before(async () => {
  addUser(staff.email, staff.password, 'staff', ['greenery']);
  addUser(citizen.email, citizen.password);
  polis = await startPolis('test_protocol_book');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

const expected = (e) => !/status of 422/.test(e);
const entries = () => Number(storedValue(`SELECT count(*) FROM protocol_entries WHERE subject = '${subject}'`));

// The share line and the counts by channel as numbers: { web, total, pct, counter }.
async function shareShown(page) {
  const line = await page.textContent('#protocol-share');
  const m = /(\d{4}): (\d+) \D+ (\d+) \((\d+)%\)/.exec(line);
  assert.ok(m, `no share in "${line}"`);
  const counts = (await page.textContent('#protocol-channels')).match(/\d+/g).map(Number);
  assert.equal(counts.length, 5, 'the counts by channel are not five');
  const [web, counter] = counts;
  const total = counts.reduce((a, b) => a + b, 0);
  assert.equal(Number(m[2]), web, 'the share names another count of online requests');
  assert.equal(Number(m[3]), total, "the share's total is not the sum of the channels");
  assert.equal(Number(m[4]), total ? Math.round((100 * web) / total) : 0);
  return { year: Number(m[1]), web, total, counter };
}

test('staff register a counter arrival, see its number, the list and the share change', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await pageReady(page, `${polis.base}/#/`);
  await signInOnPage(page, staff.email, staff.password);
  await page.click('#protocol-link');
  await page.waitForSelector('body[data-shown=protocol]');
  const before = await shareShown(page);
  const snap = await page.locator('section[data-view=protocol]').ariaSnapshot();
  assert.deepEqual(snap.split('\n').filter((l) => /^- (textbox|combobox|spinbutton|button)( \[[^\]]*\])?(:.*)?$/.test(l.trim())), [], 'a control has no name');
  assert.equal(before.year, new Date().getFullYear());

  // no subject: refused next to it, nothing registered
  await page.fill('#protocol-form-correspondent', 'Μαρία Κωνσταντίνου');
  await page.selectOption('#protocol-form-channel', 'counter');
  await page.click('#protocol-form button[type=submit]');
  await page.waitForSelector('#protocol-form-subject[aria-invalid=true]');
  assert.notEqual((await page.textContent('#protocol-form-subject-error')).trim(), '');
  assert.equal(await page.inputValue('#protocol-form-correspondent'), 'Μαρία Κωνσταντίνου');

  await page.fill('#protocol-form-subject', subject);
  await page.click('#protocol-form button[type=submit]');
  await page.locator('#protocol-form .done').filter({ hasText: /\d+\/\d{4}/ }).waitFor();
  const number = /(\d+\/\d{4})/.exec(await page.textContent('#protocol-form .done'))[1];
  assert.equal(entries(), 1);
  assert.equal(
    storedValue(`SELECT number || '/' || year || ' ' || channel || ' ' || direction || ' ' || correspondent FROM protocol_entries WHERE subject = '${subject}'`),
    `${number} counter incoming Μαρία Κωνσταντίνου`,
  );
  assert.equal(await page.inputValue('#protocol-form-subject'), '', 'the form still holds the registered arrival');

  // the list: the new entry, with its number, among the newest
  const row = page.locator('#protocol-rows tr', { hasText: subject });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(`^${number}Εισερχόμενο.*${subject}Μαρία ΚωνσταντίνουΣτο γκισέ`));
  // the share: one more at the counter (others may register meanwhile: at least one)
  const afterShare = await shareShown(page);
  assert.ok(afterShare.counter >= before.counter + 1, `the counter count stayed ${afterShare.counter}`);
  assert.ok(afterShare.total >= before.total + 1);
  await page.screenshot({ path: join(artifactsDir(), 'protocol-book-1280x800.png'), fullPage: true });

  // filters: under the counter channel, not under the online one
  const online = page.waitForResponse((r) => r.url().includes('channel=web'));
  await page.selectOption('#protocol-filters-channel', 'web');
  await online;
  await page.waitForFunction(() => [...document.querySelectorAll('#protocol-rows tr')].every((r) => /Ηλεκτρονικά/.test(r.textContent)));
  assert.equal(await row.count(), 0, 'a counter arrival is listed as online');
  await page.selectOption('#protocol-filters-channel', 'counter');
  await row.waitFor();

  // in English
  await page.click('button[data-lang=en]');
  await page.locator('#protocol-share', { hasText: 'Electronic requests' }).waitFor();
  assert.match(await page.locator('#protocol-rows tr', { hasText: subject }).textContent(), /Incoming.*At the counter/);
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter(expected), []);
  await context.close();
});

test('citizens have no protocol book', async () => {
  const { context, page } = await openPage(browser, polis.base);
  await pageReady(page, `${polis.base}/#/`);
  await signInOnPage(page, citizen.email, citizen.password);
  assert.equal(await page.isVisible('#protocol-link'), false);
  await page.goto(`${polis.base}/#/protocol`);
  await page.waitForSelector('body[data-shown=report]');
  await context.close();
});
