// Signing in and out on the page, with a user made by `polis user add`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './browser.mjs';
import { addUser, startPolis } from './polis_server.mjs';

let polis, browser;
const email = `browser-${process.pid}-${Date.now()}@example.org`;
const password = 'a browser test passphrase';

before(async () => {
  addUser(email, password);
  polis = await startPolis('test_account');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

test('a wrong password says so; the right one shows the email; sign-out works', async () => {
  const { context, page, record } = await openPage(browser, polis.base);
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await page.fill('#email', email);
  await page.fill('#password', 'not the passphrase');
  await page.click('#login button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#login-error').textContent !== '');
  assert.equal(await page.textContent('#login-error'), 'Λάθος email ή κωδικός.');

  await page.fill('#password', password);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#me:not([hidden])');
  assert.equal(await page.textContent('#me-email'), email);
  assert.equal(await page.isVisible('#login'), false);

  // the session survives a reload (cookie + GET /api/v1/me)
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.textContent('#me-email'), email);

  await page.click('#logout');
  await page.waitForSelector('#login:not([hidden])');
  assert.equal(await page.isVisible('#me'), false);
  const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
  assert.equal(me, 401, 'the session still works after signing out');
  assert.deepEqual(record.foreign, []);
  await context.close();
});
