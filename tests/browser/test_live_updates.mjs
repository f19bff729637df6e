// Live updates without reload (issue 16): a citizen's page and a staff
// member's page are open side by side. The citizen files a report (through
// the API, as the page's form would); it appears in the staff page's list and
// on its map without the page being reloaded. The staff member replies; the
// citizen's unread badge and open mailbox show it without a reload. Then the
// citizen opens the report's thread in "my reports"; the staff member
// changes its status and replies again, and the open thread (timeline and
// messages) and the card's status follow without a reload. All of it goes
// through GET /api/v1/me/stream (web/live_inbox.js): the pages' fallback poll
// is once a minute, far beyond the wait here. No time is asserted: the waits
// end on the change itself, and the elapsed times are printed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, openViewSignedIn } from './browser.mjs';
import { addUser, startPolis } from './polis_server.mjs';

const tag = `${process.pid}-${Date.now()}`;
const citizen = { email: `live-cit-${tag}@example.org`, password: 'a citizen passphrase' };
const staff = { email: `live-staff-${tag}@example.org`, password: 'a staff passphrase' };
const WAIT_MS = 20000; // well under the 60 s poll: only the stream can make it
let polis, browser;

before(async () => {
  addUser(citizen.email, citizen.password);
  addUser(staff.email, staff.password, 'staff', ['cleaning']);
  polis = await startPolis('test_live_updates');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

async function apiSession({ email, password }) {
  const res = await fetch(`${polis.base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(res.status, 200, 'API sign-in');
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: (await res.json()).csrf_token };
}

async function post(session, path, body, expected = 201) {
  const res = await fetch(`${polis.base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  assert.equal(res.status, expected, `POST ${path}: ${JSON.stringify(json)}`);
  return json;
}

// Marks the page so that a reload (which would also show the change) is seen.
const mark = (page) => page.evaluate(() => { window.__notReloaded = true; });
const notReloaded = (page) => page.evaluate(() => window.__notReloaded === true);

test('a filed report reaches the staff list and map, a reply the citizen, without reload', async () => {
  const staffSide = await openPage(browser, polis.base, { width: 1280, height: 800 });
  await openViewSignedIn(staffSide.page, polis.base, staff, '#staff-link', 'staff');
  const citizenSide = await openPage(browser, polis.base, { width: 360, height: 740 });
  await openViewSignedIn(citizenSide.page, polis.base, citizen, '#inbox-link', 'inbox');
  await mark(staffSide.page);
  await mark(citizenSide.page);
  // the streams are open before anything happens (else the event would be
  // in the first load, not live)
  await staffSide.page.waitForSelector('body[data-live="open"]');
  await citizenSide.page.waitForSelector('body[data-live="open"]');

  const citizenApi = await apiSession(citizen);
  let started = Date.now();
  const { id } = await post(citizenApi, '/api/v1/reports', {
    category: 'cleaning', lat: 41.0913, lon: 23.5491, description: `Live update test ${tag}`,
  });
  await staffSide.page.locator(`#staff-table tr[data-report="${id}"]`).first().waitFor({ timeout: WAIT_MS });
  console.log(`staff list showed report #${id} ${Date.now() - started} ms after the filing's 201`);
  await staffSide.page.waitForFunction(
    (rid) => (window.polisMap.getSource('staff-reports')?.serialize().data?.features ?? []).some((f) => f.id === rid),
    id, { timeout: WAIT_MS });
  assert.ok(await notReloaded(staffSide.page), 'the staff page was reloaded');

  const staffApi = await apiSession(staff);
  started = Date.now();
  await post(staffApi, `/api/v1/reports/${id}/messages`, { body: `We are on it ${tag}` });
  await citizenSide.page.locator('#inbox-list li', { hasText: `We are on it ${tag}` }).waitFor({ timeout: WAIT_MS });
  console.log(`citizen mailbox showed the reply ${Date.now() - started} ms after its 201`);
  assert.match(await citizenSide.page.textContent('#unread'), /^[1-9]\d*$/, 'the unread badge shows no count');
  assert.ok(await notReloaded(citizenSide.page), 'the citizen page was reloaded');

  // the report's thread open in "my reports" follows the staff's next steps
  const { page } = citizenSide;
  await page.click('a[href="#/mine"]');
  const card = page.locator(`#mine-list > li[data-report="${id}"]`);
  await card.locator('details > summary').click();
  await card.locator('.thread .messages li', { hasText: `We are on it ${tag}` }).waitFor();
  assert.equal(await card.locator(':scope > .badge-status').getAttribute('class'), 'badge-status status-submitted');
  started = Date.now();
  await post(staffApi, `/api/v1/reports/${id}/transitions`, { to: 'acknowledged', public_comment: `Crew booked ${tag}` }, 200);
  await post(staffApi, `/api/v1/reports/${id}/messages`, { body: `Crew arrives at 9 ${tag}` });
  await card.locator('.thread .messages li', { hasText: `Crew arrives at 9 ${tag}` }).waitFor({ timeout: WAIT_MS });
  await card.locator('.thread .timeline li', { hasText: `Crew booked ${tag}` }).waitFor({ timeout: WAIT_MS });
  await card.locator(':scope > .badge-status.status-acknowledged').waitFor({ timeout: WAIT_MS });
  console.log(`the open thread and the card's status followed ${Date.now() - started} ms after the transition's 200`);
  assert.equal(await card.locator('details').getAttribute('open'), '', 'the thread stayed open');
  assert.ok(await notReloaded(page), 'the citizen page was reloaded');

  for (const side of [staffSide, citizenSide]) {
    assert.deepEqual(side.record.errors, [], 'console errors');
    await side.context.close();
  }
});
