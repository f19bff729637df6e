// An e-service end to end in a real browser, the citizen on a phone and a
// member of staff at a desk, in two browser contexts: a citizen with a Greek
// name applies for the demo family status certificate with a PDF of the
// identity card attached (a real PDF: Chromium's own page.pdf()), sees the
// protocol number N/YYYY on screen and the receipt in the mailbox (the
// server signs receipts: it has the demo key and certificate of `polis
// signing demo-cert`); staff find the application in the department's queue,
// assign it to themselves and ask for one more document; the citizen sees
// the request on the application's page, uploads a second PDF and answers;
// staff see both files and approve; the answer appears in the citizen's
// mailbox and on the application's page, whose link downloads (with the
// citizen's cookies) a PDF in which pdftotext finds the citizen's Greek name
// and the answer's outgoing protocol number, whose signature pdfsig
// validates, and whose QR code (pdftoppm + zbarimg) opens /verify/{code},
// a page that shows the SHA-256 of the bytes downloaded. No console error,
// nothing fetched from another host.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openPage, pageReady, signInOnPage } from './browser.mjs';
import { EVENT_DEADLINE_MS, addUser, artifactsDir, databaseEnv, databaseUrl, env, startPolis, storedValue } from './polis_server.mjs';

const tag = `${process.pid}-${Date.now()}`;
const citizen = { email: `eservice-citizen-${tag}@example.org`, password: 'a citizen passphrase' };
const staff = { email: `eservice-staff-${tag}@example.org`, password: 'a staff passphrase' };
const NAME = 'Ελευθερία Αναστασίου';
const ASK = 'Χρειάζεται και η πίσω όψη της ταυτότητας';
const YEAR = new Date().getFullYear();
let polis, browser, service, dir;

function run(command, args, options = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  dir = mkdtempSync(join(artifactsDir(), 'eservice-'));
  // the demo signing pair (its CN: the served municipality of the fixture)
  run(env('POLIS_BIN'), ['signing', 'demo-cert', dir], { env: { ...process.env, ...databaseEnv(databaseUrl()) } });
  // a database of its own: its receipts are signed by this server alone
  polis = await startPolis(
    'test_eservice_flow',
    { POLIS_SIGNING_KEY: join(dir, 'signing-key.pem'), POLIS_SIGNING_CERT: join(dir, 'signing-cert.pem'), POLIS_VAR: join(dir, 'var') },
    { ownDatabase: true },
  );
  addUser(citizen.email, citizen.password, 'citizen', [], polis.databaseUrl);
  storedValue(`UPDATE users SET display_name = '${NAME}' WHERE email = '${citizen.email}'`, polis.databaseUrl);
  addUser(staff.email, staff.password, 'staff', ['citizen_services'], polis.databaseUrl);
  browser = await launch();
  const res = await fetch(`${polis.base}/api/v1/services`);
  service = (await res.json()).services.find((s) => s.code === 'family_status');
  assert.ok(service, 'the demo service family_status is not in the catalogue');
  assert.deepEqual(service.documents.map((d) => [d.code, d.required]), [['id_card', true]]);
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

// A real one-page PDF with text, made by Chromium: {name, mimeType, buffer}.
async function makePdf(name, text) {
  const page = await browser.newPage();
  await page.setContent(`<h1>${text}</h1><p>${NAME}</p>`);
  const buffer = await page.pdf({ format: 'A4' });
  await page.close();
  return { name, mimeType: 'application/pdf', buffer };
}

// The controls inside root that a screen reader would read without a name:
// the lines of root's accessibility tree with a control's role and no name.
const CONTROL = /^\s*- (textbox|combobox|listbox|checkbox|button|spinbutton|radio)\b(?! ")/;
async function unnamedControls(page, root) {
  const tree = await page.locator(root).first().ariaSnapshot();
  return tree.split('\n').filter((line) => CONTROL.test(line));
}

// Reloads the mailbox until an entry about application id has text
// (a receipt is signed by a job, seconds after the submission); returns it.
async function mailboxEntry(page, id, text) {
  const deadline = Date.now() + EVENT_DEADLINE_MS;
  for (;;) {
    await page.goto(`${polis.base}/#/inbox`);
    await page.reload();
    await page.waitForSelector('body[data-shown=inbox]');
    const entry = page.locator('#inbox-list li', { has: page.locator(`a[href="#/applications/${id}"]`), hasText: text });
    if ((await entry.count()) > 0) return entry.first();
    if (Date.now() > deadline) throw new Error(`no mailbox entry "${text}" about application ${id}`);
    await page.waitForTimeout(500); // the job's next round
  }
}

test('apply with a PDF, staff ask for more, the citizen answers, staff approve, the signed answer checks out', async () => {
  const c = await openPage(browser, polis.base, { width: 360, height: 740 });
  const s = await openPage(browser, polis.base, { width: 1280, height: 900 });
  const cp = c.page;
  const sp = s.page;

  // ---- the citizen applies, with the identity card attached ----
  await pageReady(cp, `${polis.base}/#/`);
  await signInOnPage(cp, citizen.email, citizen.password);
  await cp.goto(`${polis.base}/#/services/${service.id}/apply`);
  await cp.waitForSelector('body[data-shown=application]');
  await cp.selectOption('#answer-purpose', 'bank');
  await cp.click('#apply-save');
  await cp.locator('#apply .done', { hasText: 'αποθηκεύτηκε' }).waitFor();
  const id = Number(/#\/applications\/(\d+)$/.exec(cp.url())?.[1]);
  assert.ok(id > 0, `the address does not name the draft: ${cp.url()}`);
  await cp.setInputFiles('#apply-file-id_card:not([disabled])', await makePdf('id-card.pdf', 'Αστυνομική ταυτότητα'));
  await cp.locator('#apply ul.files li', { hasText: 'id-card.pdf' }).waitFor();
  await cp.click('#apply-submit');
  const number = (await cp.locator('.protocol-number').textContent()).trim();
  assert.match(number, new RegExp(`^\\d+/${YEAR}$`));
  await cp.screenshot({ path: join(artifactsDir(), 'eservice-submitted-360x740.png'), fullPage: true });
  const receipt = await mailboxEntry(cp, id, 'απόδειξη');
  assert.match(await receipt.textContent(), new RegExp(number));
  assert.equal(await receipt.locator('a[data-document]').count(), 1, 'the receipt links its PDF');

  // ---- staff find it in the queue, assign it to themselves, ask for more ----
  await pageReady(sp, `${polis.base}/#/`);
  await signInOnPage(sp, staff.email, staff.password);
  await sp.click('a[data-view-link=queue]');
  await sp.waitForSelector('body[data-shown=queue]');
  const row = sp.locator(`#queue-rows tr[data-application="${id}"]`);
  await row.waitFor();
  const rowText = await row.textContent();
  for (const part of [number, service.title_el, NAME, 'Υποβλήθηκε']) assert.ok(rowText.includes(part), `the row lacks ${part}: ${rowText}`);
  await sp.selectOption('#queue-f-status', 'submitted');
  await sp.locator(`#queue-rows tr[data-application="${id}"]`).waitFor();
  assert.deepEqual(await unnamedControls(sp, '#queue-page'), []);
  // in English: the headings and the status in words
  await sp.click('button[data-lang=en]');
  await sp.waitForSelector('body[data-shown=queue]');
  await sp.locator('#queue-table th', { hasText: 'Protocol no.' }).waitFor();
  await row.locator('.badge-status', { hasText: 'Submitted' }).waitFor();
  await sp.click('button[data-lang=el]');
  await row.locator('.badge-status', { hasText: 'Υποβλήθηκε' }).waitFor();
  await sp.screenshot({ path: join(artifactsDir(), 'eservice-queue-1280x900.png'), fullPage: true });
  await row.locator('a').click();
  await sp.waitForSelector('#step-assign');
  assert.ok((await sp.textContent('#queue-one')).includes('id-card.pdf'), 'the attached file is not listed');
  assert.deepEqual(await unnamedControls(sp, '#queue-one'), []);
  assert.equal(await sp.inputValue('#step-assign-assignee'), storedValue(`SELECT id FROM users WHERE email = '${staff.email}'`, polis.databaseUrl));
  await sp.click('#step-assign button[type=submit]');
  await sp.locator('#staff-app-done', { hasText: 'Σε επεξεργασία' }).waitFor();
  await sp.fill('#step-request-info-comment', ASK);
  await sp.selectOption('#step-request-info-documents', 'id_card');
  await sp.click('#step-request-info button[type=submit]');
  await sp.locator('#staff-app-done', { hasText: 'Ζητούνται στοιχεία' }).waitFor();
  assert.equal(await sp.locator('#step-approve').count(), 0, 'approving is offered while the citizen is asked');
  // back in the queue: assigned to me, found by "only mine", overdue once its due time passed
  storedValue(`UPDATE applications SET due_at = now() - interval '1 hour' WHERE id = ${id}`, polis.databaseUrl);
  await sp.click('#queue-one a[href="#/queue"]');
  await sp.selectOption('#queue-f-status', 'info_requested'); // the filter chosen before is kept
  await sp.check('#queue-f-mine');
  const mine = sp.locator(`#queue-rows tr[data-application="${id}"]`);
  await mine.locator('.badge-status', { hasText: 'Ζητούνται στοιχεία' }).waitFor();
  const mineText = await mine.textContent();
  assert.ok(mineText.includes('Εγώ') && mineText.includes('εκπρόθεσμη'), `the row: ${mineText}`);
  await mine.locator('a').click();
  await sp.waitForSelector('#step-assign');

  // ---- the citizen sees the request, uploads a second PDF, answers ----
  await cp.goto(`${polis.base}/#/applications/${id}`);
  await cp.reload();
  await cp.waitForSelector('body[data-shown=application]');
  const request = cp.locator('.info-request');
  await request.waitFor();
  assert.match(await request.textContent(), new RegExp(`${ASK}.*Αστυνομική ταυτότητα`, 's'));
  await cp.setInputFiles('#apply-file-id_card', await makePdf('id-card-back.pdf', 'Πίσω όψη'));
  await request.locator('ul.files li', { hasText: 'id-card-back.pdf' }).waitFor();
  assert.deepEqual(await unnamedControls(cp, '.info-request'), []);
  await cp.fill('#reply-comment', 'Επισύναψα την πίσω όψη');
  await cp.screenshot({ path: join(artifactsDir(), 'eservice-reply-360x740.png'), fullPage: true });
  await cp.click('#reply button[type=submit]');
  await cp.locator('#reply-done', { hasText: 'Σε επεξεργασία' }).waitFor();
  assert.equal(await cp.locator('.info-request').count(), 0, 'the request is still shown after the answer');

  // ---- staff, on the page read before the answer, are told it changed; then approve ----
  await sp.click('#step-assign button[type=submit]');
  await sp.locator('#step-assign .form-error', { hasText: 'changed meanwhile' }).waitFor();
  s.record.errors = s.record.errors.filter((e) => !/status of 409/.test(e)); // Chromium logs every 4xx
  await sp.reload();
  await sp.waitForSelector('#step-approve');
  const files = sp.locator('#queue-one ul.files a[href*="/files/"]');
  assert.deepEqual((await files.allTextContents()).sort(), ['id-card-back.pdf', 'id-card.pdf']);
  await sp.click('#step-approve button[type=submit]');
  await sp.locator('#staff-app-done', { hasText: 'Εγκρίθηκε' }).waitFor();
  await sp.screenshot({ path: join(artifactsDir(), 'eservice-approved-1280x900.png'), fullPage: true });

  // ---- the answer in the citizen's mailbox and on the application's page ----
  const answer = await mailboxEntry(cp, id, 'εγκρίθηκε');
  const outgoing = new RegExp(`(\\d+/${YEAR})`).exec((await answer.textContent()).replace(number, ''))?.[1];
  assert.ok(outgoing, `the answer's entry names no protocol number: ${await answer.textContent()}`);
  await cp.goto(`${polis.base}/#/applications/${id}`);
  await cp.waitForSelector('body[data-shown=application]');
  const link = cp.locator(`article[data-application="${id}"] .reply a[data-document]`, { hasText: 'απάντηση' });
  await link.waitFor();
  const href = await link.getAttribute('href');
  assert.equal(href, await answer.locator('a[data-document]').getAttribute('href'));
  const res = await c.context.request.get(`${polis.base}${href}`);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  const pdf = await res.body();
  const file = join(dir, 'answer.pdf');
  writeFileSync(file, pdf);
  const text = run('pdftotext', [file, '-']);
  assert.ok(text.includes(NAME), `pdftotext finds no ${NAME}: ${text}`);
  assert.ok(text.includes(outgoing), `pdftotext finds no ${outgoing}: ${text}`);
  assert.match(run('pdfsig', [file]), /Signature Validation: Signature is Valid\./);
  run('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', file, join(dir, 'page')]);
  const qr = run('zbarimg', ['-q', '--raw', join(dir, 'page-1.png')]).trim();
  assert.match(qr, new RegExp(`^${polis.base}/verify/[A-Za-z0-9]+$`));
  await cp.goto(qr);
  const sha = createHash('sha256').update(pdf).digest('hex');
  assert.ok((await cp.textContent('body')).includes(sha), 'the verification page does not show the SHA-256 of the downloaded file');
  await cp.screenshot({ path: join(artifactsDir(), 'eservice-verify-360x740.png'), fullPage: true });

  for (const r of [c.record, s.record]) {
    assert.deepEqual(r.foreign, []);
    assert.deepEqual(r.errors, []);
  }
  await c.context.close();
  await s.context.close();
});
