// The news page in a real browser, on a phone: it lists the published and
// due articles newest first (not a draft, not one scheduled for tomorrow),
// shows a title holding "<b>" as those characters (text, never HTML), keeps
// to one category when one is chosen, opens an article with its paragraphs,
// and after the ΕΛ/EN switch shows it in English. A screenshot is kept.
// Nothing is fetched from another host, and the page logs no error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openPage } from './browser.mjs';
import { artifactsDir, startPolis, storedValue } from './polis_server.mjs';

const WATER_EL = 'Διακοπή νερού <b>Κέντρο</b>';
const WATER_EN = 'Water cut <b>Centre</b>';
const PRESS_EL = 'Δελτίο Τύπου για το φεστιβάλ';
let polis, browser;

before(async () => {
  polis = await startPolis('test_news_page', {}, { ownDatabase: true });
  browser = await launch();
  // written straight into the page's own database: the API's writes are test_news's
  const row = (slug, el, en, status, at) => `SELECT id, '${el}', ${en ? `'${en}'` : 'NULL'},
      'Περίληψη: ${el}', ${en ? `'Summary: ${en}'` : 'NULL'},
      'Πρώτη παράγραφος.' || chr(10) || chr(10) || 'Δεύτερη παράγραφος.',
      ${en ? "'First paragraph.' || chr(10) || chr(10) || 'Second paragraph.'" : 'NULL'},
      '${status}', ${at} FROM news_categories WHERE slug = '${slug}'`;
  storedValue(`INSERT INTO news (category_id, title_el, title_en, summary_el, summary_en,
      body_el, body_en, status, publish_at)
    ${row('announcements', WATER_EL, WATER_EN, 'published', "now() - interval '1 day'")}
    UNION ALL ${row('press', PRESS_EL, null, 'published', "now() - interval '2 days'")}
    UNION ALL ${row('press', 'Πρόχειρο άρθρο', null, 'draft', 'NULL')}
    UNION ALL ${row('announcements', 'Αυριανό άρθρο', null, 'published', "now() + interval '1 day'")}`,
    polis.databaseUrl);
});

after(async () => {
  await browser?.close();
  await polis?.stop();
});

const titles = (page) => page.$$eval('#news-list li h2', (h) => h.map((x) => x.textContent));

test('the list, a category, an article, the language switch', async () => {
  const { page, record } = await openPage(browser, polis.base, { width: 360, height: 740 });
  await page.goto(polis.base + '/assets/news.html');
  await page.waitForSelector('body[data-shown="list:el"]');
  assert.deepEqual(await titles(page), [WATER_EL, PRESS_EL]);
  assert.equal(await page.$$eval('#news-list b', (b) => b.length), 0, 'a title became HTML');
  assert.match(await page.getAttribute('#news-rss', 'href'), /^\/news\/rss\.xml\?lang=el$/);

  await page.selectOption('#news-category', 'press');
  await page.waitForFunction(() => document.querySelectorAll('#news-list li').length === 1);
  assert.deepEqual(await titles(page), [PRESS_EL]);
  assert.match(await page.getAttribute('#news-atom', 'href'), /category=press/);
  await page.selectOption('#news-category', '');
  await page.waitForFunction(() => document.querySelectorAll('#news-list li').length === 2);
  await page.screenshot({ path: join(artifactsDir(), 'news-list-360x740.png'), fullPage: true });

  await page.click(`#news-list li a:text-is("${WATER_EL}")`);
  await page.waitForSelector('body[data-shown="article:el"]');
  assert.equal(await page.textContent('#article-title'), WATER_EL);
  assert.deepEqual(await page.$$eval('#article-body p', (p) => p.map((x) => x.textContent)),
    ['Πρώτη παράγραφος.', 'Δεύτερη παράγραφος.']);
  await page.click('[data-lang="en"]');
  await page.waitForSelector('body[data-shown="article:en"]');
  assert.equal(await page.textContent('#article-title'), WATER_EN);
  assert.equal(await page.textContent('#news-article a'), 'All news');
  await page.screenshot({ path: join(artifactsDir(), 'news-article-360x740.png'), fullPage: true });

  assert.deepEqual(record.foreign, [], 'fetched from another host');
  assert.deepEqual(record.errors, [], 'errors in the page');
});

test('an article that is not public is "not found"', async () => {
  const { page } = await openPage(browser, polis.base, { width: 360, height: 740 });
  const draft = storedValue("SELECT id FROM news WHERE title_el = 'Πρόχειρο άρθρο'", polis.databaseUrl);
  await page.goto(`${polis.base}/assets/news.html?id=${draft}&lang=el`);
  await page.waitForSelector('body[data-shown="error:el"]');
  assert.equal(await page.textContent('#news-error'), 'Δεν βρέθηκε αυτό το άρθρο.');
});
