// "My reports": the reports filed from this browser (localStorage, with the
// secret of anonymous ones) and, signed in, the account's own reports (from
// GET /api/v1/me/export), each with its status, and on demand its timeline,
// photos and messages with a reply box; signed-in users can follow one.
import { call } from './api.js';
import { localName, t } from './i18n.js';
import { reportThread, statusLabel, when } from './report_thread.js';
import { secretQuery, storedReports } from './report_store.js';

const $ = (id) => document.getElementById(id);

// The ids of the signed-in user's reports and follows.
async function accountReports() {
  const r = await call('/api/v1/me/export');
  if (!r.ok) return { ids: [], follows: new Set() };
  return {
    ids: (r.body.reports || []).map((x) => x.id),
    follows: new Set((r.body.follows || []).map((x) => x.report_id)),
  };
}

function followButton(id, following) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary';
  const show = () => {
    b.textContent = following ? t('mine.unfollow') : t('mine.follow');
    b.setAttribute('aria-pressed', String(following));
  };
  show();
  b.addEventListener('click', async () => {
    b.disabled = true;
    const r = await call(`/api/v1/reports/${id}/follow`, { method: following ? 'DELETE' : 'POST' });
    b.disabled = false;
    if (r.ok) following = !following;
    show();
  });
  return b;
}

function card(f, query, user, follows) {
  const p = f.properties;
  const li = document.createElement('li');
  li.className = 'card';
  li.dataset.report = f.id;
  const head = document.createElement('p');
  head.className = 'card-head';
  head.textContent = `#${f.id} · ${localName({ name_el: p.category_name_el, name_en: p.category_name_en })}`;
  const status = document.createElement('p');
  status.className = `badge-status status-${p.status}`;
  status.textContent = statusLabel(p.status);
  const text = document.createElement('p');
  text.textContent = p.description;
  const meta = document.createElement('p');
  meta.className = 'hint';
  meta.textContent = when(p.created_at);
  const more = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = t('mine.more');
  more.append(summary);
  more.addEventListener('toggle', async () => {
    if (!more.open || more.dataset.loaded) return;
    more.dataset.loaded = '1';
    more.append(await reportThread(f, query));
  });
  li.append(head, status, text, meta);
  if (user) li.append(followButton(f.id, follows.has(f.id)));
  li.append(more);
  return li;
}

// Renders the list; returns the features shown (for the map).
export async function showMyReports(user) {
  const list = $('mine-list');
  const local = storedReports();
  const account = user ? await accountReports() : { ids: [], follows: new Set() };
  const ids = [...new Set([...local.map((r) => r.id), ...account.ids])].sort((a, b) => b - a);
  const loaded = await Promise.all(
    ids.map(async (id) => {
      const q = secretQuery(id);
      const r = await call(`/api/v1/reports/${id}${q}`);
      return r.ok ? { f: r.body, q } : null;
    }),
  );
  const shown = loaded.filter(Boolean);
  list.replaceChildren(...shown.map(({ f, q }) => card(f, q, user, account.follows)));
  $('mine-empty').hidden = shown.length > 0;
  return shown.map(({ f }) => f);
}
