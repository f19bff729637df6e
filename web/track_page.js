// The tracking page of an anonymous reporter: /track/{id}#secret=..., the
// link in their mail. The secret stays in the URL's fragment, which the
// browser never sends; the page sends it as the X-Report-Secret header (not
// in a query string, where it would reach logs). It shows the report, its
// history and the staff's public replies, with the reply box, without an
// account.
import { call } from './api.js';
import { el } from './dom.js';
import { localName, t } from './i18n.js';
import { reportThread, statusLabel, when } from './report_thread.js';
import { viewSection } from './views.js';

const $ = (id) => document.getElementById(id);

// { id, secret } from the address; id 0 when the path names none.
function fromAddress() {
  const m = location.pathname.match(/^\/track\/(\d+)$/);
  const secret = new URLSearchParams(location.hash.replace(/^#/, '')).get('secret') || '';
  return { id: m ? Number(m[1]) : 0, secret };
}

function say(key) {
  const out = $('track-status');
  out.dataset.i18n = key;
  out.textContent = t(key);
}

export function initTrackPage() {
  const { page } = viewSection('track', { status: true });
  return async function show() {
    const { id, secret } = fromAddress();
    page.replaceChildren();
    if (!id || !secret) return say('track.badLink');
    say('track.loading');
    const headers = { 'X-Report-Secret': secret };
    const r = await call(`/api/v1/reports/${id}`, { headers });
    if (!r.ok) return say(r.problem.status === 0 ? 'problem.offline' : 'track.notFound');
    const f = r.body;
    const p = f.properties;
    const status = $('track-status');
    delete status.dataset.i18n;
    status.textContent = '';
    const card = el('article', 'card');
    card.dataset.report = f.id;
    card.append(
      el('p', 'card-head', `#${f.id} · ${localName({ name_el: p.category_name_el, name_en: p.category_name_en })} · ${when(p.created_at)}`),
      el('p', `badge-status status-${p.status}`, statusLabel(p.status)),
      el('p', '', p.description || ''),
    );
    card.append(await reportThread(f, { headers }));
    page.append(card);
  };
}
