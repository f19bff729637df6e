// The news page (news.html): the published articles, newest first, all or
// of one category, with "Older" following the API's next link; and one
// article (news.html?id=N). Greek or English through i18n.js: the API
// answers in that language (?lang=), in Greek where there is no English.
// Every text from the API is set as text (textContent), never as HTML.
// body[data-shown] says what is on screen ("list:el", "article:en",
// "error:el") once it is drawn.
import { applyI18n, lang, languages, onLangChange, setLang, t } from './i18n.js';
import { el } from './dom.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const articleId = params.get('id');
let next = null; // the API's link to the next (older) page

function shown(view) {
  document.title = `${t('news.title')} · polis`;
  document.body.dataset.shown = `${view}:${lang()}`;
}

function fail(key) {
  const p = $('news-error');
  p.textContent = t(key);
  p.hidden = false;
  shown('error');
}

function dateText(iso) {
  return new Date(iso).toLocaleDateString(lang() === 'en' ? 'en-GB' : 'el-GR', {
    day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Athens',
  });
}

async function getJson(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw Object.assign(new Error(`${path}: ${res.status}`), { status: res.status });
  return res.json();
}

function listItem(a) {
  const li = el('li');
  li.dataset.id = a.id;
  const h = el('h2');
  const link = el('a', null, a.title);
  link.href = `news.html?id=${a.id}`;
  h.append(link);
  li.append(h, el('p', 'meta', `${a.category_name} · ${dateText(a.publish_at)}`));
  if (a.summary) li.append(el('p', null, a.summary));
  return li;
}

function query() {
  const q = new URLSearchParams({ lang: lang() });
  const category = $('news-category').value;
  if (category) q.set('category', category);
  return q;
}

async function loadPage(url, append) {
  try {
    const page = await getJson(url);
    const ul = $('news-list');
    if (!append) ul.replaceChildren();
    for (const a of page.news) ul.append(listItem(a));
    next = page.links.find((l) => l.rel === 'next')?.href ?? null;
    $('news-more').hidden = !next;
    $('news-empty').hidden = ul.children.length > 0;
    shown('list');
  } catch {
    fail('news.failed');
  }
}

function loadList() {
  const q = query();
  $('news-rss').href = `/news/rss.xml?${q}`;
  $('news-atom').href = `/news/atom.xml?${q}`;
  return loadPage(`/api/v1/news?${q}`, false);
}

async function loadCategories() {
  const { categories } = await getJson('/api/v1/news/categories');
  const select = $('news-category');
  const chosen = select.value;
  const all = select.options[0];
  select.replaceChildren(all);
  for (const c of categories) {
    const o = el('option', null, lang() === 'en' ? c.name_en : c.name_el);
    o.value = c.slug;
    select.append(o);
  }
  select.value = chosen;
}

async function loadArticle() {
  try {
    const a = await getJson(`/api/v1/news/${encodeURIComponent(articleId)}?lang=${lang()}`);
    $('article-title').textContent = a.title;
    $('article-category').textContent = a.category_name;
    $('article-date').textContent = dateText(a.publish_at);
    $('article-date').dateTime = a.publish_at;
    $('article-summary').textContent = a.summary ?? '';
    $('article-summary').hidden = !a.summary;
    const paragraphs = (a.body ?? '').split(/\n\s*\n/).filter((p) => p.trim());
    $('article-body').replaceChildren(...paragraphs.map((p) => el('p', null, p)));
    $('news-article').hidden = false;
    shown('article');
  } catch (e) {
    fail(e.status === 404 || e.status === 400 ? 'news.missing' : 'news.failed');
  }
}

async function load() {
  $('news-error').hidden = true;
  if (articleId) return loadArticle();
  $('news-list-view').hidden = false;
  try {
    await loadCategories();
  } catch {
    return fail('news.failed');
  }
  return loadList();
}

for (const b of document.querySelectorAll('[data-lang]'))
  b.addEventListener('click', () => setLang(b.dataset.lang));
$('news-category').addEventListener('change', loadList);
$('news-more').addEventListener('click', () => next && loadPage(next, true));
// a feed's link names the language of the feed it came from
const wanted = params.get('lang');
if (languages.includes(wanted) && wanted !== lang()) setLang(wanted);
onLangChange(load);
applyI18n();
load();
