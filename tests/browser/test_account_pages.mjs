// The account's pages as a new user meets them, on a phone, with mail that
// really goes over SMTP (the server sends to the test's own sink, and the
// links are read from the mail as it arrived): sign up (the privacy
// notice, the consent box that must be ticked), the confirmation link from
// the mail opened in the browser confirms, then signing in works; "forgot
// my password" mails a link whose page sets a new password that signing in
// then takes; changing the e-mail address on "my account" mails a link to
// the new address (and a notice to the old) whose page makes the change;
// notification preferences saved are shown again after a reload; an
// anonymous reporter who left an e-mail gets a mail on the staff's reply
// whose link opens the tracking page: the report, its history and the
// reply, and the secret never leaves the browser in a URL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, openViewSignedIn, pageReady } from './browser.mjs';
import { EVENT_DEADLINE_MS, accessLog, addUser, requestsLogged, startPolis } from './polis_server.mjs';

const PHONE = { width: 360, height: 740 };
let polis, browser;
const stamp = `${process.pid}-${Date.now()}`;
const staff = { email: `pages-staff-${stamp}@example.org`, password: 'a staff member passphrase' };

before(async () => {
  polis = await startPolis('test_account_pages', { POLIS_RATE_REGISTER: '1000', POLIS_RATE_RESET: '1000' }, { realMail: true });
  addUser(staff.email, staff.password, 'staff', ['greenery'], polis.databaseUrl);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

async function signIn(page, email, password) {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#login button[type=submit]');
}

// The text of a status line once it says something other than before.
async function statusText(page, selector) {
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim() !== '', selector);
  return page.textContent(selector);
}

test('sign up, confirm from the link of the mail that arrived, sign in; forgot and reset the password', async () => {
  const email = `pages-${stamp}@example.org`;
  const { context, page, record } = await openPage(browser, polis.base, PHONE);
  await pageReady(page, polis.base + '/');
  await page.click('a[href="#/signup"]');
  await page.waitForSelector('body[data-shown="signup"]');
  assert.match(await page.textContent('#signup-privacy'), /τα δίνει σε τρίτους/);

  // without the consent box ticked nothing is sent, and the box says why
  await page.fill('#signup-email', email);
  await page.fill('#signup-password', 'a new user passphrase');
  await page.click('#signup button[type=submit]');
  await page.waitForSelector('#signup-consent[aria-invalid="true"]');
  assert.match(await page.textContent('#signup-consent-error'), /συγκατάθεσή/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'signup-consent');

  // a password the API refuses is shown next to the password
  await page.check('#signup-consent');
  await page.fill('#signup-password', 'short');
  await page.click('#signup button[type=submit]');
  await page.waitForSelector('#signup-password[aria-invalid="true"]');
  assert.match(await page.textContent('#signup-password-error'), /10 characters/);

  await page.fill('#signup-password', 'a new user passphrase');
  await page.click('#signup button[type=submit]');
  assert.match(await statusText(page, '#signup .done'), /Σας στείλαμε email/);

  // signing in before confirming is refused
  await page.click('a[href="#/"]');
  await signIn(page, email, 'a new user passphrase');
  await page.waitForFunction(() => document.querySelector('#login-error').textContent !== '');

  const confirm = await polis.mailedLink(email, 'Confirm your account');
  assert.ok(confirm.startsWith(`${polis.base}/account/confirm?token=`), `the mailed link: ${confirm}`);
  await pageReady(page, confirm);
  assert.equal(await page.getAttribute('body', 'data-view'), 'confirm');
  await page.waitForFunction(() => /επιβεβαιώθηκε/.test(document.querySelector('#confirm-status').textContent));
  await page.click('#confirm-status a');
  await signIn(page, email, 'a new user passphrase');
  await page.waitForSelector('#me:not([hidden])');
  assert.equal(await page.textContent('#me-email'), email);
  await page.click('#logout');
  await page.waitForSelector('#login:not([hidden])');

  // forgot: the mailed link opens the page that sets a new password
  await page.click('a[href="#/forgot"]');
  await page.waitForSelector('body[data-shown="forgot"]');
  await page.fill('#forgot-email', email);
  await page.click('#forgot button[type=submit]');
  assert.match(await statusText(page, '#forgot .done'), /στον δρόμο/);
  const reset = await polis.mailedLink(email, 'Password reset');
  assert.ok(reset.startsWith(`${polis.base}/account/reset?token=`), `the mailed link: ${reset}`);
  await pageReady(page, reset);
  assert.equal(await page.getAttribute('body', 'data-view'), 'reset');
  await page.fill('#reset-new-password', 'another passphrase for pages');
  await page.click('#reset button[type=submit]');
  assert.match(await statusText(page, '#reset .done'), /Ο κωδικός άλλαξε/);
  assert.equal(await page.getAttribute('#reset .done a', 'href'), '#/');
  // the link works once
  await page.fill('#reset-new-password', 'a third passphrase for pages');
  await page.click('#reset button[type=submit]');
  assert.match(await statusText(page, '#reset .form-error'), /token/);

  await page.click('a[href="#/"]');
  await signIn(page, email, 'another passphrase for pages');
  await page.waitForSelector('#me:not([hidden])');
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter((e) => !/status of (401|403|422)/.test(e)), []);
  await context.close();
});

test('change the e-mail address: the link mailed to the new address changes it, sign-in follows', async () => {
  const old = `pages-change-${stamp}@example.org`;
  const fresh = `pages-changed-${stamp}@example.org`;
  const password = 'an address changing passphrase';
  addUser(old, password, 'citizen', [], polis.databaseUrl);
  const { context, page, record } = await openPage(browser, polis.base, PHONE);
  await openViewSignedIn(page, polis.base, { email: old, password }, '#settings-link', 'account');

  // a wrong password is shown next to the password, and nothing is mailed
  await page.fill('#email-change-new-email', fresh);
  await page.fill('#email-change-password', 'not my passphrase at all');
  await page.click('#email-change button[type=submit]');
  await page.waitForSelector('#email-change-password[aria-invalid="true"]');
  assert.notEqual(await page.textContent('#email-change-password-error'), '');

  await page.fill('#email-change-password', password);
  await page.click('#email-change button[type=submit]');
  assert.match(await statusText(page, '#email-change .done'), new RegExp(`στείλαμε στο ${fresh}`));
  assert.equal(await page.textContent('#me-email'), old, 'nothing changes before the link is opened');

  // the old address is told; the new one gets the link
  const notice = await polis.mail.waitForMail(old, 'E-mail address change', EVENT_DEADLINE_MS);
  assert.match(notice.text, new RegExp(fresh));
  const link = await polis.mailedLink(fresh, 'Confirm your new address');
  assert.ok(link.startsWith(`${polis.base}/account/email?token=`), `the mailed link: ${link}`);
  await pageReady(page, link);
  assert.equal(await page.getAttribute('body', 'data-view'), 'emailconfirm');
  await page.waitForFunction(() => /σας άλλαξε/.test(document.querySelector('#emailconfirm-status').textContent));
  // the link works once
  await pageReady(page, link);
  await page.waitForFunction(() => /δεν άλλαξε/.test(document.querySelector('#emailconfirm-status').textContent));

  // still signed in (sessions stay), now under the new address; sign-in takes it
  await page.waitForSelector('#me:not([hidden])');
  assert.equal(await page.textContent('#me-email'), fresh);
  await page.click('#logout');
  await page.waitForSelector('#login:not([hidden])');
  await signIn(page, fresh, password);
  await page.waitForSelector('#me:not([hidden])');
  assert.equal(await page.textContent('#me-email'), fresh);
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors.filter((e) => !/status of (401|403|422)/.test(e)), []);
  await context.close();
});

test('notification preferences are saved and shown again after a reload; a category is followed', async () => {
  const email = `pages-prefs-${stamp}@example.org`;
  addUser(email, 'a preferences passphrase', 'citizen', [], polis.databaseUrl);
  const { context, page } = await openPage(browser, polis.base, PHONE);
  await openViewSignedIn(page, polis.base, { email, password: 'a preferences passphrase' }, '#settings-link', 'account');
  // the kinds come with their labels in the page's language
  assert.match(await page.textContent('label[for="prefs-own-reports"]'), /Οι αναφορές μου/);
  assert.equal(await page.inputValue('#prefs-subscriptions'), 'daily');
  await page.selectOption('#prefs-subscriptions', 'off');
  await page.selectOption('#prefs-own-reports', 'daily');
  await page.click('#prefs button[type=submit]');
  assert.match(await statusText(page, '#prefs .done'), /αποθηκεύτηκαν/);

  await page.selectOption('#follow-cat-category', 'greenery');
  await page.click('#follow-cat button[type=submit]');
  await page.locator('#acct-subs-list li', { hasText: 'Πράσινο' }).waitFor();

  await pageReady(page, polis.base + '/#/account');
  await page.waitForSelector('body[data-shown="account"]');
  assert.equal(await page.inputValue('#prefs-subscriptions'), 'off');
  assert.equal(await page.inputValue('#prefs-own-reports'), 'daily');
  assert.equal(await page.inputValue('#prefs-followed-reports'), 'immediate');
  assert.equal(await page.locator('#acct-subs-list li', { hasText: 'Πράσινο' }).count(), 1);
  // in English the labels are English
  await page.click('[data-lang="en"]');
  await page.waitForFunction(() => /My reports/.test(document.querySelector('label[for="prefs-own-reports"]')?.textContent));
  await context.close();
});

// Signs in with fetch (no browser): { cookie, csrf }.
async function apiSession(email, password) {
  const res = await fetch(`${polis.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200, `staff sign-in: ${res.status}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: (await res.json()).csrf_token };
}

async function asStaff(session, method, path, body) {
  const res = await fetch(`${polis.base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body: JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.text()}`);
}

test("the mail on the staff's reply links to the tracking page: the anonymous report, its history and the reply", async () => {
  const reporter = `pages-anon-${stamp}@example.org`;
  const filed = await fetch(`${polis.base}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      category: 'greenery',
      lat: 41.0917,
      lon: 23.5494,
      description: `Ένα δέντρο έπεσε στο πεζοδρόμιο ${stamp}`,
      contact_email: reporter,
    }),
  });
  assert.equal(filed.status, 201);
  const { id } = await filed.json();
  const session = await apiSession(staff.email, staff.password);
  await asStaff(session, 'POST', `/api/v1/reports/${id}/transitions`, { to: 'acknowledged', public_comment: 'Το είδαμε, έρχεται συνεργείο.' });
  await asStaff(session, 'POST', `/api/v1/reports/${id}/messages`, { body: 'Θα το απομακρύνουμε αύριο το πρωί.' });

  // the reply's mail (its text holds the reply) links to the tracking page
  const link = await polis.mailedLink(reporter, (m) => m.text.includes('απομακρύνουμε αύριο'));
  assert.ok(link.startsWith(`${polis.base}/track/${id}#secret=`), `the mailed link: ${link}`);
  const secret = decodeURIComponent(link.slice(link.indexOf('#secret=') + '#secret='.length));

  const { context, page, record } = await openPage(browser, polis.base, PHONE);
  await pageReady(page, link);
  await page.waitForSelector('body[data-shown="track"]');
  const card = page.locator(`#track-page [data-report="${id}"]`);
  await card.waitFor();
  assert.match(await card.textContent(), new RegExp(`δέντρο έπεσε στο πεζοδρόμιο ${stamp}`));
  assert.match(await card.locator('.timeline').textContent(), /έρχεται συνεργείο/);
  assert.match(await card.locator('.messages').textContent(), /απομακρύνουμε αύριο/);

  // the reporter answers from the same page
  await card.locator('textarea').fill('Ευχαριστώ πολύ!');
  await card.locator('form.reply button[type=submit]').click();
  await card.locator('.messages li', { hasText: 'Ευχαριστώ πολύ!' }).waitFor();

  // the secret went as a header only: no URL the browser asked for, and no
  // line of the server's access log, holds it
  assert.deepEqual(record.requests.filter((u) => u.includes(secret) || u.includes(encodeURIComponent(secret))), []);
  await requestsLogged(polis.base);
  assert.deepEqual(accessLog(polis.log).filter((r) => r.path.includes('secret')), []);
  await context.close();
});
