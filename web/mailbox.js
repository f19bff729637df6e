// The personal mailbox (GET /api/v1/me/inbox): every change and message of
// the reports the user follows, newest first, unread ones marked, with the
// unread count as a badge in the header; "mark read" per message.
import { call } from './api.js';
import { actionButton } from './dom.js';
import { localName, t } from './i18n.js';
import { statusLabel, when } from './report_thread.js';

const $ = (id) => document.getElementById(id);

function showUnread(n) {
  const badge = $('unread');
  badge.hidden = !n;
  badge.textContent = n ? String(n) : '';
  badge.setAttribute('aria-label', t('inbox.unread').replace('{n}', n));
  badge.title = badge.getAttribute('aria-label');
}

function entryText(m) {
  if (m.kind === 'message')
    return `${m.message_from === 'staff' ? t('inbox.fromDepartment') : t('inbox.fromReporter')}: ${m.body}`;
  const change = m.from ? `${statusLabel(m.from)} → ${statusLabel(m.to)}` : statusLabel(m.to);
  return m.public_comment ? `${change}: ${m.public_comment}` : change;
}

function item(m, refresh) {
  const li = document.createElement('li');
  li.className = m.read ? 'card' : 'card unread';
  li.dataset.inbox = m.id;
  const head = document.createElement('p');
  head.className = 'card-head';
  head.textContent = `#${m.report_id} · ${localName({ name_el: m.category_name_el, name_en: m.category_name_en })} · ${when(m.at)}`;
  const body = document.createElement('p');
  body.className = 'inbox-text';
  body.textContent = entryText(m);
  li.append(head, body);
  if (!m.read)
    li.append(
      actionButton(t('inbox.markRead'), async () => {
        const r = await call(`/api/v1/me/inbox/${m.id}/read`, { method: 'POST' });
        if (r.ok) await refresh();
        return r.ok;
      }),
    );
  return li;
}

// Loads the newest page; renders the list when render is true (the view is
// open), the badge always.
export async function refreshInbox(render = true) {
  const r = await call('/api/v1/me/inbox?limit=50');
  if (!r.ok) {
    showUnread(0);
    return;
  }
  showUnread(r.body.unread);
  if (!render) return;
  const list = $('inbox-list');
  const again = () => refreshInbox(true);
  list.replaceChildren(...r.body.items.map((m) => item(m, again)));
  $('inbox-empty').hidden = r.body.items.length > 0;
}

export function clearInbox() {
  showUnread(0);
  $('inbox-list').replaceChildren();
}
