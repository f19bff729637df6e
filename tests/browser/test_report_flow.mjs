// The must-show flow in a real browser: a signed-in citizen on a phone
// files a report with a photo through the page and sees it on the map; the
// department's staff find it in their list on a desktop (list and map in
// step), change its status with a public comment; the citizen's mailbox
// then shows the new status with an unread badge. Nothing is fetched from
// any other host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { clickAt, launch, makeImage, mapIdle, openPage, signInOnPage } from './browser.mjs';
import { addUser, artifactsDir, startPolis, storedValue } from './polis_server.mjs';

const POINT = { lng: 23.5512, lat: 41.0873 }; // in the city of Serres
const tag = `${process.pid}-${Date.now()}`;
const citizen = { email: `citizen-${tag}@example.org`, password: 'a citizen passphrase' };
const staff = { email: `water-${tag}@example.org`, password: 'a staff passphrase' };
const description = `Διαρροή νερού στο πεζοδρόμιο (${tag})`;
const comment = 'Το συνεργείο είναι καθ’ οδόν.';
let polis, browser;

before(async () => {
  addUser(citizen.email, citizen.password);
  addUser(staff.email, staff.password, 'staff', ['water_sewage']);
  polis = await startPolis('test_report_flow');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

// Rendered features of layer whose id is id.
function drawn(page, layer, id) {
  return page.evaluate(
    ([l, i]) => window.polisMap.queryRenderedFeatures({ layers: [l] }).some((f) => Number(f.id ?? f.properties.id) === i),
    [layer, id],
  );
}

test('file with a photo, staff change the status, the citizen reads it in the mailbox', async () => {
  // ---- the citizen, on a phone ----
  const phone = await openPage(browser, polis.base, { width: 360, height: 740 });
  const cp = phone.page;
  await cp.goto(polis.base + '/');
  await mapIdle(cp);
  await signInOnPage(cp, citizen.email, citizen.password);
  assert.equal(await cp.isVisible('#contact'), false, 'signed in, the page still asks for contact details');
  await clickAt(cp, POINT);
  await cp.locator('#place .place-name').waitFor();
  await cp.selectOption('#category', 'water_sewage');
  // the category's required list field appears, in Greek, marked required
  const kind = cp.locator('#attr-kind');
  await kind.waitFor();
  assert.match(await cp.textContent('label[for=attr-kind]'), /Είδος προβλήματος.*υποχρεωτικό/);
  await kind.selectOption('leak');
  await cp.fill('#description', description);
  const big = await makeImage(cp, 2400, 1800); // resized in the page before it is sent
  await cp.setInputFiles('#photo', big);
  await cp.$eval('#category', (e) => e.scrollIntoView({ block: 'start' }));
  const formShot = join(artifactsDir(), 'citizen-report-360x740.png');
  await cp.screenshot({ path: formShot });
  assert.ok(statSync(formShot).size > 10000, 'the phone screenshot is suspiciously small');

  await cp.click('#report-submit');
  await cp.waitForFunction(() => /#\d+/.test(document.querySelector('#report-done').textContent), null, { timeout: 20000 });
  const id = Number(/#(\d+)/.exec(await cp.textContent('#report-done'))[1]);
  assert.equal(await cp.textContent('#photo-error'), '', 'the photo was refused');

  // the photo arrived as a JPEG of at most 1600 px (made smaller in the page)
  const photo = await cp.evaluate(async (rid) => {
    const r = await (await fetch(`/api/v1/reports/${rid}`)).json();
    const p = r.properties.photos;
    const res = await fetch(p[0]);
    const img = await createImageBitmap(await res.blob());
    return { n: p.length, type: res.headers.get('content-type'), w: img.width, h: img.height, status: r.properties.status };
  }, id);
  assert.deepEqual(photo, { n: 1, type: 'image/jpeg', w: 1600, h: 1200, status: 'submitted' });

  // on the map: among "my reports" and in the public reports tiles
  await cp.waitForFunction(() => window.polisMap.getZoom() >= 15.9, null, { timeout: 15000 });
  await mapIdle(cp);
  assert.ok(await drawn(cp, 'mine-point', id), `report ${id} is not drawn among my reports`);
  assert.ok(await drawn(cp, 'reports-point', id), `report ${id} is not in the reports tiles`);
  // open as the server defines it (report_statuses): the map colours by count_open
  const open = await cp.evaluate((i) => {
    const f = window.polisMap.queryRenderedFeatures({ layers: ['reports-point'] }).find((g) => Number(g.id ?? g.properties.id) === i);
    return f?.properties.count_open;
  }, id);
  assert.equal(open, 1, `a submitted report's tile feature should say count_open 1, found ${open}`);
  const mapShot = join(artifactsDir(), 'citizen-map-360x740.png');
  await cp.screenshot({ path: mapShot });

  // ---- the department's staff, on a desktop ----
  const desk = await openPage(browser, polis.base, { width: 1280, height: 800 });
  const sp = desk.page;
  await sp.goto(polis.base + '/');
  await sp.waitForSelector('body[data-ready]');
  await signInOnPage(sp, staff.email, staff.password);
  await sp.click('#staff-link');
  await sp.waitForSelector('body[data-shown=staff]');
  const row = sp.locator(`#staff-rows tr[data-report="${id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /Υποβλήθηκε/);
  // the status filter offers the server's statuses, in workflow order, with its labels
  const offered = await sp.$$eval('#f-status option', (os) => os.map((o) => o.value).filter(Boolean));
  const server = await (await fetch(`${polis.base}/api/v1/report-statuses`)).json();
  assert.deepEqual(offered, server.statuses.map((st) => st.name));
  assert.deepEqual(offered.slice(0, 4), ['submitted', 'acknowledged', 'in_progress', 'reopened']);
  assert.match(await row.textContent(), /Διαρροή νερού/);
  // only the staff member's department is listed
  const departments = await sp.$$eval('#f-department option', (o) => o.map((x) => x.value));
  assert.deepEqual(departments, ['water_sewage']);
  // the text filter narrows the list to this report
  // the text is searched by the API (q=), not only in the loaded page
  const searched = sp.waitForRequest((r) => new URL(r.url()).searchParams.get('q') === tag);
  await sp.fill('#f-text', tag);
  await searched;
  await sp.waitForFunction(() => document.querySelectorAll('#staff-rows tr').length === 1);
  await mapIdle(sp);
  const listShot = join(artifactsDir(), 'staff-list-1280x800.png');
  await sp.screenshot({ path: listShot });
  assert.ok(statSync(listShot).size > 20000, 'the staff screenshot is suspiciously small');

  // a row flies the map there; a point on the map chooses its row
  await sp.click(`#staff-rows tr[data-report="${id}"] button`);
  await sp.waitForSelector('#staff-detail:not([hidden]) #d-to');
  await sp.waitForFunction(() => window.polisMap.getZoom() >= 15.9 && !window.polisMap.isMoving(), null, { timeout: 15000 });
  const center = await sp.evaluate(() => window.polisMap.getCenter());
  const [lng, lat] = await sp.evaluate(async (rid) => (await (await fetch(`/api/v1/reports/${rid}`)).json()).geometry.coordinates, id);
  assert.ok(Math.abs(center.lng - lng) < 1e-5 && Math.abs(center.lat - lat) < 1e-5, `the map did not fly to the report: ${JSON.stringify(center)}`);
  await sp.evaluate(() => document.querySelector(`#staff-rows tr[aria-selected]`).removeAttribute('aria-selected'));
  await mapIdle(sp);
  await clickAt(sp, { lng, lat });
  await sp.waitForSelector(`#staff-rows tr[data-report="${id}"][aria-selected=true]`);
  await sp.waitForSelector('#staff-detail:not([hidden]) #d-to');

  await sp.selectOption('#d-to', 'in_progress');
  await sp.fill('#d-comment', comment);
  await sp.fill('#d-note', 'Στείλαμε το συνεργείο Β.');
  await sp.click('#staff-detail .transition button[type=submit]');
  await sp.waitForFunction(() => /Αποθηκεύτηκε/.test(document.querySelector('#staff-detail').textContent), null, { timeout: 10000 });
  assert.match(await row.textContent(), /Σε εξέλιξη/);
  assert.match(await sp.textContent('#staff-detail .timeline'), /Στείλαμε το συνεργείο Β\./, 'staff do not see the internal note');
  // the photo shows in the detail; a message to the reporter goes from the reply box
  await sp.waitForFunction(() => document.querySelector('#staff-detail .photos img')?.naturalWidth === 1600);
  await sp.fill('#staff-detail .reply textarea', 'Θα χρειαστεί να κλείσουμε το νερό για μία ώρα.');
  await sp.click('#staff-detail .reply button[type=submit]');
  await sp.locator('#staff-detail .messages li', { hasText: 'μία ώρα' }).waitFor();
  await sp.screenshot({ path: join(artifactsDir(), 'staff-detail-1280x800.png'), fullPage: true });

  // ---- the citizen's mailbox ----
  await cp.reload();
  await cp.waitForSelector('body[data-ready]');
  await cp.waitForSelector('#unread:not([hidden])');
  const unread = Number(await cp.textContent('#unread'));
  assert.ok(unread >= 1, `unread badge shows ${unread}`);
  await cp.click('#inbox-link');
  await cp.waitForSelector('body[data-shown=inbox]');
  const entry = cp.locator('#inbox-list li.unread', { hasText: `#${id}` }).filter({ hasText: 'Σε εξέλιξη' });
  await entry.waitFor();
  assert.match(await entry.textContent(), new RegExp(comment));
  assert.doesNotMatch(await cp.textContent('#inbox-list'), /συνεργείο Β/, 'the internal note reached the citizen');
  assert.match(await cp.textContent('#inbox-list'), /Από την υπηρεσία: Θα χρειαστεί να κλείσουμε το νερό για μία ώρα\./);
  await entry.getByRole('button').click();
  await cp.waitForFunction((n) => Number(document.querySelector('#unread').textContent || 0) === n - 1, unread);

  // my reports shows the new status and its timeline
  await cp.click('a[href="#/mine"]');
  await cp.waitForSelector('body[data-shown=mine]');
  const mine = cp.locator(`#mine-list li[data-report="${id}"]`);
  assert.match(await mine.textContent(), /Σε εξέλιξη/);
  // from GET /api/v1/me/reports (not the whole export), with the last step and its comment
  assert.match(await mine.locator('.last-step').textContent(), new RegExp(`^Τελευταίο βήμα: Σε εξέλιξη · .* · ${comment}\$`));
  assert.ok(phone.record.requests.some((u) => u.includes('/api/v1/me/reports')), 'my reports did not use /api/v1/me/reports');
  assert.ok(!phone.record.requests.some((u) => u.includes('/api/v1/me/export')), 'my reports still reads the export');
  await mine.locator('summary').click();
  await mine.locator('.timeline').waitFor();
  assert.match(await mine.locator('.timeline').textContent(), new RegExp(comment));

  for (const r of [phone.record, desk.record]) {
    assert.deepEqual(r.foreign, [], 'requests to other hosts');
    assert.deepEqual(r.errors, [], 'console errors');
  }
  await phone.context.close();
  await desk.context.close();
});

test('an anonymous reporter who files from the English page is mailed in English', async () => {
  const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  await page.goto(polis.base + '/');
  await mapIdle(page);
  await page.click('[data-lang="en"]');
  await clickAt(page, POINT);
  await page.locator('#place .place-name').waitFor();
  await page.selectOption('#category', 'greenery');
  await page.fill('#description', `A fallen branch blocks the pavement (${tag})`);
  await page.fill('#contact-email', `anon-en-${tag}@example.org`);
  await page.click('#report-submit');
  await page.waitForFunction(() => /#\d+/.test(document.querySelector('#report-done').textContent), null, { timeout: 20000 });
  const id = Number(/#(\d+)/.exec(await page.textContent('#report-done'))[1]);
  // the fan-out writes the reporter's mails in this language (test_mail_prefs)
  assert.equal(storedValue(`SELECT contact_language FROM reports WHERE id = ${id}`), 'en');
  assert.deepEqual(record.foreign, [], 'requests to other hosts');
  await context.close();
});
