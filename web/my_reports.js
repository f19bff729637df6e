// "My reports": signed in, the account's own reports (GET /api/v1/me/reports,
// newest first, a page at a time with "older reports"), plus the reports
// filed from this browser (localStorage, with the secret of anonymous ones).
// Each shows its status and its last step, and on demand its timeline,
// photos and messages with a reply box; signed-in users can follow one.
// The areas the user follows are listed below (follow_area.js). A change of
// status that reaches the mailbox (the 'polis:inbox' event of
// live_inbox.js) shows on its card at once; an open thread follows by
// itself (report_thread.js).
import { call } from './api.js';
import { el } from './dom.js';
import { localName, t } from './i18n.js';
import { reportThread, statusLabel, when } from './report_thread.js';
import { secretQuery, storedReports } from './report_store.js';

const PAGE = 50;
const $ = (id) => document.getElementById(id);

let older = null; // the next page's path of the account's list, or null

function nextOf(body) {
  const href = (body.links || []).find((l) => l.rel === 'next')?.href;
  if (!href) return null;
  const u = new URL(href, location.origin);
  return u.pathname + u.search;
}

function followButton(id, following) {
  const b = el('button', 'secondary');
  b.type = 'button';
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

// "Last step: Acknowledged · 3 May 2026, 10:20 · comment"
function lastStep(ev) {
  const parts = [`${t('mine.lastStep')}: ${statusLabel(ev.to)}`, when(ev.at)];
  if (ev.public_comment) parts.push(ev.public_comment);
  return el('p', 'last-step', parts.join(' · '));
}

function statusBadge(status) {
  return el('p', `badge-status status-${status}`, statusLabel(status));
}

addEventListener('polis:inbox', (e) => {
  const entry = e.detail;
  if (entry?.kind !== 'status' || !entry.to) return;
  const li = $('mine-list')?.querySelector(`:scope > li[data-report="${Number(entry.report_id)}"]`);
  if (!li) return;
  li.querySelector(':scope > .badge-status')?.replaceWith(statusBadge(entry.to));
  const step = lastStep(entry);
  const old = li.querySelector(':scope > .last-step');
  if (old) old.replaceWith(step);
  else li.querySelector(':scope > .hint')?.after(step);
});

function card(f, query, user) {
  const p = f.properties;
  const li = el('li', 'card');
  li.dataset.report = f.id;
  const head = el('p', 'card-head', `#${f.id} · ${localName({ name_el: p.category_name_el, name_en: p.category_name_en })}`);
  const status = statusBadge(p.status);
  const meta = el('p', 'hint', `${t('mine.filed')} ${when(p.created_at)}`);
  const more = el('details');
  more.append(el('summary', '', t('mine.more')));
  more.addEventListener('toggle', async () => {
    if (!more.open || more.dataset.loaded) return;
    more.dataset.loaded = '1';
    more.append(await reportThread(f, { query }));
  });
  li.append(head, status, el('p', '', p.description), meta);
  if (p.last_event && p.last_event.from) li.append(lastStep(p.last_event));
  if (user) li.append(followButton(f.id, !!p.following));
  li.append(more);
  return li;
}

// The reports of this browser the account's list does not hold, read one
// by one (an anonymous one with its secret).
async function localOnly(known) {
  const ids = storedReports().map((r) => r.id).filter((id) => !known.has(id));
  const loaded = await Promise.all(
    ids.map(async (id) => {
      const q = secretQuery(id);
      const r = await call(`/api/v1/reports/${id}${q}`);
      return r.ok ? { f: r.body, q } : null;
    }),
  );
  return loaded.filter(Boolean);
}

function showOlder(user, shown, onMore) {
  const b = $('mine-older');
  b.hidden = !older;
  b.onclick = async () => {
    b.disabled = true;
    const r = await call(older);
    b.disabled = false;
    if (!r.ok) return;
    older = nextOf(r.body);
    const list = $('mine-list');
    for (const f of r.body.features) {
      if (shown.some((s) => s.id === f.id)) continue;
      shown.push(f);
      list.append(card(f, '', user));
    }
    b.hidden = !older;
    onMore?.(shown);
  };
}

// Renders the list; returns the features shown (for the map). onMore(all)
// runs when "older reports" added some.
export async function showMyReports(user, onMore) {
  let account = [];
  older = null;
  if (user) {
    const r = await call(`/api/v1/me/reports?limit=${PAGE}`);
    if (r.ok) {
      account = r.body.features;
      older = nextOf(r.body);
    }
  }
  const local = await localOnly(new Set(account.map((f) => f.id)));
  const items = [...account.map((f) => ({ f, q: '' })), ...local].sort((a, b) => b.f.id - a.f.id);
  $('mine-list').replaceChildren(...items.map(({ f, q }) => card(f, q, user)));
  $('mine-empty').hidden = items.length > 0;
  const shown = items.map(({ f }) => f);
  showOlder(user, shown, onMore);
  return shown;
}
