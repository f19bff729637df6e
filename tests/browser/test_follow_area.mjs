// Following an area from the citizen map: a signed-in citizen puts a pin,
// opens "follow this area" (Esc closes the dialog and gives the focus back),
// chooses 250 m and roads, and follows it. Someone else then files, through
// the API, a road report inside the circle, one outside it and a lighting
// report inside: only the first reaches the follower's mailbox. The mailbox
// lists the followed area, and "stop following" removes it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickAt, launch, mapIdle, openPage, signInOnPage } from './browser.mjs';
import { addUser, startPolis } from './polis_server.mjs';

const POINT = { lng: 23.5512, lat: 41.0873 }; // in the city of Serres
const FAR = { lng: 23.5512, lat: 41.0973 }; // about 1.1 km north
const tag = `${process.pid}-${Date.now()}`;
const follower = { email: `follower-${tag}@example.org`, password: 'a follower passphrase' };
const other = { email: `neighbour-${tag}@example.org`, password: 'a neighbour passphrase' };
let polis, browser;

before(async () => {
  addUser(follower.email, follower.password);
  addUser(other.email, other.password);
  polis = await startPolis('test_follow_area');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

// Signs in through the API: { cookie, csrf }.
async function apiSignIn({ email, password }) {
  const res = await fetch(`${polis.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200, 'API sign-in');
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: (await res.json()).csrf_token };
}

async function fileReport(session, category, { lng, lat }, description) {
  const res = await fetch(`${polis.base}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body: JSON.stringify({ category, lat, lon: lng, description }),
  });
  const body = await res.json();
  assert.equal(res.status, 201, `filing ${description}: ${JSON.stringify(body)}`);
  return body.id;
}

test('follow an area on the map; a new report inside reaches the mailbox', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  await page.goto(polis.base + '/');
  await mapIdle(page);
  // not signed in: no follow action even with a pin
  await clickAt(page, POINT);
  await page.locator('#place .place-name').waitFor();
  assert.equal(await page.isVisible('#follow-area'), false, 'anonymous users are offered to follow an area');

  await signInOnPage(page, follower.email, follower.password);
  await clickAt(page, POINT);
  await page.locator('#follow-area:not([hidden])').waitFor();
  await page.click('#follow-open');
  await page.waitForSelector('#follow-dialog[open]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'follow-radius', 'the dialog takes the focus');
  // the circle is drawn while choosing
  const drawn = () => page.evaluate(() => window.polisMap.getSource('follow-preview')?.serialize().data?.features?.length ?? 0);
  assert.equal(await drawn(), 1, 'the circle is not drawn on the map');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('#follow-dialog').open);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'follow-open', 'Esc did not give the focus back');
  // the dialog's close event comes in a task after it closed: give it that moment
  await page.waitForFunction(() => !(window.polisMap.getSource('follow-preview')?.serialize().data?.features?.length), null, { timeout: 5000 }).catch(() => {});
  assert.equal(await drawn(), 0, 'the circle stays after closing');
  const none = await page.evaluate(async () => (await (await fetch('/api/v1/me/subscriptions')).json()).items.length);
  assert.equal(none, 0, 'Esc followed the area anyway');

  await page.click('#follow-open');
  await page.waitForSelector('#follow-dialog[open]');
  await page.selectOption('#follow-radius', '250');
  await page.selectOption('#follow-category', 'roads');
  await page.click('#follow-form button[type=submit]');
  await page.waitForFunction(() => !document.querySelector('#follow-dialog').open);
  assert.match(await page.textContent('#follow-done'), /Παρακολουθείτε την περιοχή \(250 μ\.\)/);
  const subs = await page.evaluate(async () => (await (await fetch('/api/v1/me/subscriptions')).json()).items);
  assert.equal(subs.length, 1);
  assert.equal(subs[0].kind, 'area');
  assert.equal(subs[0].radius_m, 250);
  assert.equal(subs[0].category, 'roads');
  assert.ok(Math.abs(subs[0].lat - POINT.lat) < 1e-3 && Math.abs(subs[0].lon - POINT.lng) < 1e-3, `the area is centred elsewhere: ${JSON.stringify(subs[0])}`);

  // someone else files reports through the API
  const neighbour = await apiSignIn(other);
  const inside = await fileReport(neighbour, 'roads', { lng: POINT.lng + 0.001, lat: POINT.lat }, `Λακκούβα μέσα (${tag})`);
  const outside = await fileReport(neighbour, 'roads', FAR, `Λακκούβα έξω (${tag})`);
  const lamp = await fileReport(neighbour, 'street_lighting', POINT, `Σβηστή λάμπα (${tag})`);

  await page.click('#inbox-link');
  await page.waitForSelector('body[data-shown=inbox]');
  const entry = page.locator('#inbox-list li', { hasText: `#${inside}` });
  await entry.waitFor();
  assert.match(await entry.textContent(), /Υποβλήθηκε/);
  const text = await page.textContent('#inbox-list');
  assert.doesNotMatch(text, new RegExp(`#${outside}\\b`), 'a report outside the area reached the mailbox');
  assert.doesNotMatch(text, new RegExp(`#${lamp}\\b`), 'a report of another category reached the mailbox');

  // the mailbox lists the area; stop following removes it
  const item = page.locator('#subs-list li');
  assert.equal(await item.count(), 1);
  const at = `${subs[0].lat.toFixed(5)}, ${subs[0].lon.toFixed(5)}`;
  assert.equal(await item.locator('p').textContent(), `250 μ. γύρω από ${at} · Οδοστρώματα και πεζοδρόμια`);
  const stop = item.getByRole('button');
  assert.match(await stop.getAttribute('aria-label'), /^Διακοπή παρακολούθησης: 250 μ\./);
  await stop.click();
  await page.waitForSelector('#subs-empty:not([hidden])');
  assert.equal(await page.locator('#subs-list li').count(), 0);
  const left = await page.evaluate(async () => (await (await fetch('/api/v1/me/subscriptions')).json()).items.length);
  assert.equal(left, 0, 'the subscription is still there');

  assert.deepEqual(record.foreign, [], 'requests to other hosts');
  assert.deepEqual(record.errors, [], 'console errors');
  await context.close();
});
