// The keyboard and screen-reader pass over the citizen form and the staff
// list: tabbing through the report form (with a category's extra field
// shown) and through the staff filters and rows reaches every control, each
// with an accessible name (the accessibility tree's, as a screen reader
// reads it) and a visible focus ring; Esc closes the staff detail and puts
// the focus back on its row; every status badge has a contrast of at least
// 4.5:1 (WCAG AA). Also in English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clickAt, launch, mapIdle, openPage, openViewSignedIn, signInOnPage } from './browser.mjs';
import { addUser, startPolis } from './polis_server.mjs';

const POINT = { lng: 23.5512, lat: 41.0873 };
const STATUSES = ['submitted', 'acknowledged', 'in_progress', 'reopened', 'resolved', 'rejected', 'duplicate', 'closed'];
const tag = `${process.pid}-${Date.now()}`;
const staff = { email: `a11y-staff-${tag}@example.org`, password: 'a staff passphrase' };
let polis, browser;

before(async () => {
  addUser(staff.email, staff.password, 'staff', ['technical_works']);
  polis = await startPolis('test_accessibility');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

// What the focused element is, as the accessibility tree has it: the first
// line of its ARIA snapshot ('- combobox "Κατηγορία"'), its id, whether it
// is inside root, and its focus ring (marked by an attribute: a date
// input keeps the focus in its own parts, where :focus does not reach).
async function focused(page, root) {
  const info = await page.evaluate((r) => {
    const e = document.activeElement;
    for (const old of document.querySelectorAll('[data-a11y-focus]')) old.removeAttribute('data-a11y-focus');
    e.setAttribute('data-a11y-focus', '');
    const s = getComputedStyle(e);
    return {
      id: e.id || e.className || e.tagName,
      inside: !!document.querySelector(r)?.contains(e) && e !== document.body,
      ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    };
  }, root);
  if (!info.inside) return info;
  const snap = await page.locator('[data-a11y-focus]').ariaSnapshot();
  return { ...info, aria: snap.split('\n')[0] };
}

// Tabs from the current focus until it leaves root; each stop is checked.
// Returns the ids reached, in order.
async function tabThrough(page, root, max = 60) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page, root);
    if (!f.inside) return seen;
    if (seen[seen.length - 1] !== f.id) seen.push(f.id); // a date input has three stops
    assert.match(f.aria, /^- '?[a-z]+ "[^"]+"/, `${f.id} has no accessible name: ${f.aria}`);
    assert.ok(f.ring, `${f.id} shows no focus ring`);
  }
  assert.fail(`the focus never left ${root}`);
}

// WCAG contrast of two CSS rgb() colours.
function contrast(fg, bg) {
  const lum = (c) => {
    const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}

test('the report form: every stop of the keyboard has a name and a focus ring', async () => {
  for (const lang of ['el', 'en']) {
    const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
    await page.goto(polis.base + '/');
    await mapIdle(page);
    if (lang === 'en') await page.click('button[data-lang=en]');
    await clickAt(page, POINT);
    await page.locator('#place .place-name').waitFor();
    await page.selectOption('#category', 'water_sewage'); // has a required list field
    await page.locator('#attr-kind').waitFor();
    await page.focus('#locate');
    await page.keyboard.press('Shift+Tab'); // so that the first Tab lands on #locate
    const stops = await tabThrough(page, '#report-form');
    for (const id of ['locate', 'category', 'attr-kind', 'description', 'photo', 'contact-name', 'contact-email', 'report-submit'])
      assert.ok(stops.includes(id), `${lang}: the keyboard never reaches #${id} (stops: ${stops.join(', ')})`);
    // sending it empty: the error is tied to the field it names
    await page.fill('#description', '');
    await page.focus('#report-submit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#description[aria-invalid=true]');
    const described = await page.locator('#description').ariaSnapshot();
    assert.match(described, /textbox/, described);
    const desc = await page.evaluate(() =>
      document.querySelector('#description').getAttribute('aria-describedby').split(' ').map((i) => document.getElementById(i).textContent).join(' '),
    );
    assert.ok(desc.trim().length > 0, `${lang}: the description's error is not tied to it`);
    assert.deepEqual(record.foreign, []);
    await context.close();
  }
});

test('the staff list: filters, rows and the detail by keyboard; Esc closes the detail', async () => {
  // a report of the staff member's department to list
  const res = await fetch(`${polis.base}/api/v1/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ category: 'roads', lat: POINT.lat, lon: POINT.lng, description: `Σπασμένο κράσπεδο ${tag}`, contact_email: 'x@example.org' }),
  });
  assert.equal(res.status, 201);
  const id = (await res.json()).id;

  const { context, page, record } = await openPage(browser, polis.base, { width: 1280, height: 800 });
  await page.goto(polis.base + '/');
  await page.waitForSelector('body[data-ready]');
  await signInOnPage(page, staff.email, staff.password);
  await page.click('#staff-link');
  await page.waitForSelector('body[data-shown=staff]');
  // the list is filtered a moment after typing: wait for that answer (when the
  // report is the only one of the department, the rows match before it)
  const filtered = page.waitForResponse((r) => r.url().includes(`q=${tag}`));
  await page.fill('#f-text', tag);
  await filtered;
  await page.waitForFunction((i) => {
    const rows = document.querySelectorAll('#staff-rows tr');
    return rows.length === 1 && rows[0].dataset.report === String(i);
  }, id);
  await page.focus('#f-department');
  await page.keyboard.press('Shift+Tab');
  const filters = await tabThrough(page, '#staff-filters');
  assert.deepEqual(filters, ['f-department', 'f-status', 'f-category', 'f-text', 'f-since', 'f-until',
    'f-mine', 'f-overdue']);
  const rowButton = page.locator(`#staff-rows tr[data-report="${id}"] button`);
  await rowButton.focus();
  const f = await focused(page, '#staff-table');
  assert.match(f.aria, new RegExp(`^- '?button "[^"]*#${id}"`), `the row's button is not named after its report: ${f.aria}`);

  // Enter opens the detail (focus moves into it); Esc closes it and returns to the row
  await page.keyboard.press('Enter');
  await page.waitForSelector('#staff-detail:not([hidden]) #d-to');
  await page.waitForFunction(() => document.querySelector('#staff-detail').contains(document.activeElement));
  await tabThrough(page, '#staff-detail', 40);
  await page.focus('#d-to');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#staff-detail', { state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.closest('tr')?.dataset.report), String(id), 'Esc did not return to the row');

  // every status badge, as drawn in the list, has a contrast of at least 4.5:1
  const colours = await page.evaluate((statuses) => {
    const host = document.querySelector('#staff-rows td:nth-child(2)');
    return statuses.map((s) => {
      const b = document.createElement('span');
      b.className = `badge-status status-${s}`;
      b.textContent = s;
      host.append(b);
      const c = getComputedStyle(b);
      const out = { s, fg: c.color, bg: c.backgroundColor };
      b.remove();
      return out;
    });
  }, STATUSES);
  for (const { s, fg, bg } of colours) {
    assert.ok(!/rgba\(0, 0, 0, 0\)/.test(bg), `status ${s} has no background of its own`);
    const ratio = contrast(fg, bg);
    assert.ok(ratio >= 4.5, `status ${s}: contrast ${ratio.toFixed(2)} (${fg} on ${bg})`);
  }
  assert.deepEqual(record.foreign, []);
  assert.deepEqual(record.errors, []);
  await context.close();
});

test("the account's pages: sign-up and my account by keyboard, named and ringed, in both languages", async () => {
  const citizen = { email: `a11y-cit-${tag}@example.org`, password: 'a citizen passphrase' };
  addUser(citizen.email, citizen.password);
  for (const lang of ['el', 'en']) {
    const { context, page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
    await page.goto(polis.base + '/#/signup');
    await page.waitForSelector('body[data-shown="signup"]');
    if (lang === 'en') await page.click('button[data-lang=en]');
    await page.focus('#signup-email');
    await page.keyboard.press('Shift+Tab');
    const stops = await tabThrough(page, '#signup');
    for (const id of ['signup-email', 'signup-password', 'signup-display-name', 'signup-consent'])
      assert.ok(stops.includes(id), `${lang}: the keyboard never reaches #${id} (stops: ${stops.join(', ')})`);
    // the consent box is described by the privacy notice it agrees to
    const described = await page.evaluate(() =>
      document.querySelector('#signup-consent').getAttribute('aria-describedby').split(' ').map((i) => document.getElementById(i).textContent).join(' '),
    );
    assert.ok(described.length > 100, `${lang}: the consent box is not tied to the notice: ${described}`);

    await openViewSignedIn(page, polis.base, citizen, '#settings-link', 'account');
    await page.focus('#prefs-own-reports');
    await page.keyboard.press('Shift+Tab');
    const all = await tabThrough(page, 'section[data-view="account"]', 80);
    for (const id of ['prefs-own-reports', 'follow-cat-category', 'follow-rep-report', 'pw-current-password', 'newkey-name', 'newkey-password', 'export-link', 'delete-sure'])
      assert.ok(all.includes(id), `${lang}: the keyboard never reaches #${id} (stops: ${all.join(', ')})`);
    assert.deepEqual(record.foreign, []);
    await context.close();
  }
});
