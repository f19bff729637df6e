// The staff list's "assigned to me" and "overdue only" filters (issue 18):
// a staff member sees two reports of the department, one assigned to them
// and past its due time, one assigned to a colleague and due tomorrow; each
// row shows its due time (the late one marked overdue) and its assignee;
// "assigned to me" leaves their own, "overdue only" the late one, both sent
// to the API as assignee=me and overdue=true; in English too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { launch, mapIdle, openPage, signInOnPage } from './browser.mjs';
import { addUser, artifactsDir, startPolis, storedValue } from './polis_server.mjs';

const tag = `${process.pid}-${Date.now()}`;
const me = { email: `strays-a-${tag}@example.org`, password: 'a staff passphrase' };
const colleague = { email: `strays-b-${tag}@example.org`, password: 'a staff passphrase' };
let polis, browser;

before(async () => {
  addUser(me.email, me.password, 'staff', ['stray_animals']);
  addUser(colleague.email, colleague.password, 'staff', ['stray_animals']);
  polis = await startPolis('test_staff_filters');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

async function file(description) {
  const r = await fetch(`${polis.base}/api/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'stray_animals', lat: 41.0873, lon: 23.5512, description }),
  });
  const text = await r.text();
  assert.equal(r.status, 201, text);
  return JSON.parse(text).id;
}

// Assigned straight in the database (POST .../assign is test_assignment's):
// email's account, due `due` from now.
function assign(id, email, due) {
  storedValue(`UPDATE reports SET assignee_id = (SELECT id FROM users WHERE email = '${email}'),
    due_at = now() + interval '${due}' WHERE id = ${id} RETURNING id`);
}

const rowIds = (page) => page.$$eval('#staff-rows tr', (trs) => trs.map((tr) => Number(tr.dataset.report)).sort());

async function expectRows(page, ids) {
  const want = [...ids].sort();
  await page.waitForFunction(
    (w) => JSON.stringify([...document.querySelectorAll('#staff-rows tr')].map((tr) => Number(tr.dataset.report)).sort()) === JSON.stringify(w),
    want,
    { timeout: 10000 },
  ).catch(() => {});
  assert.deepEqual(await rowIds(page), want);
}

test('assigned to me and overdue only narrow the staff list', async () => {
  const late = await file(`Αδέσποτο σκυλί στην πλατεία (${tag})`);
  const fresh = await file(`Γάτα σε δέντρο (${tag})`);
  assign(late, me.email, '-1 hour');
  assign(fresh, colleague.email, '1 day');

  const { page } = await openPage(browser, polis.base, { width: 1280, height: 800 });
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await signInOnPage(page, me.email, me.password);
  await page.click('#staff-link');
  await page.waitForSelector('body[data-shown=staff]');
  await page.fill('#f-text', tag);
  await expectRows(page, [late, fresh]);

  const lateRow = page.locator(`#staff-rows tr[data-report="${late}"]`);
  const freshRow = page.locator(`#staff-rows tr[data-report="${fresh}"]`);
  assert.match(await lateRow.textContent(), /εκπρόθεσμη/);
  assert.match(await lateRow.textContent(), new RegExp(me.email));
  assert.doesNotMatch(await freshRow.textContent(), /εκπρόθεσμη/);
  assert.match(await freshRow.textContent(), new RegExp(colleague.email));

  const mine = page.waitForRequest((r) => new URL(r.url()).searchParams.get('assignee') === 'me');
  await page.check('#f-mine');
  await mine;
  await expectRows(page, [late]);
  await mapIdle(page);
  const shot = join(artifactsDir(), 'staff-filters-mine-1280x800.png');
  await page.screenshot({ path: shot });
  assert.ok(statSync(shot).size > 20000, 'the staff screenshot is suspiciously small');

  await page.uncheck('#f-mine');
  await expectRows(page, [late, fresh]);
  const overdue = page.waitForRequest((r) => new URL(r.url()).searchParams.get('overdue') === 'true');
  await page.check('#f-overdue');
  await overdue;
  await expectRows(page, [late]);

  // in English: the labels and the badge follow the language
  await page.click('button[data-lang=en]');
  await page.waitForFunction(() => /Overdue only/.test(document.querySelector('#staff-filters').textContent));
  assert.match(await lateRow.textContent(), /overdue/);
  assert.match(await page.textContent('#staff-table thead'), /Due\s+Assignee/);
});
