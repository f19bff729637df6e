// The personal mailbox (GET /api/v1/me/inbox): every change and message of
// the reports the user follows, newest first, unread ones marked, with the
// unread count as a badge in the header; "mark read" per message. An
// application's entries (received with its protocol number, the receipt, a
// request for more, the answer, a rejection, other status changes) link to
// the application, and those that carry a document (the receipt, the signed
// answer) to its PDF (GET /api/v1/documents/{id}).
import { call } from './api.js';
import { actionButton, el } from './dom.js';
import { localName, t } from './i18n.js';
import { applicationStatus } from './my_applications.js';
import { statusLabel, when } from './report_thread.js';

const $ = (id) => document.getElementById(id);

function showUnread(n) {
  const badge = $('unread');
  badge.hidden = !n;
  badge.textContent = n ? String(n) : '';
  badge.setAttribute('aria-label', t('inbox.unread').replace('{n}', n));
  badge.title = badge.getAttribute('aria-label');
}

// "From → To: comment", the statuses named by label
function changeText(m, label) {
  const change = m.from ? `${label(m.from)} → ${label(m.to)}` : label(m.to);
  return m.public_comment ? `${change}: ${m.public_comment}` : change;
}

function entryText(m) {
  if (m.kind === 'application_received') return t('inbox.applicationReceived').replace('{n}', m.protocol_number);
  if (m.kind === 'application_receipt') return t('inbox.applicationReceipt');
  if (m.kind === 'application_info_requested')
    return `${t('inbox.applicationInfoRequested')}${m.public_comment ? `: ${m.public_comment}` : ''}`;
  if (m.kind === 'application_answer')
    return t('inbox.applicationAnswer').replace('{n}', m.document?.protocol_number ?? '');
  if (m.kind === 'application_rejected')
    return `${t('inbox.applicationRejected')}${m.public_comment ? `: ${m.public_comment}` : ''}`;
  if (m.kind === 'application_status') return changeText(m, applicationStatus);
  if (m.kind === 'message')
    return `${m.message_from === 'staff' ? t('inbox.fromDepartment') : t('inbox.fromReporter')}: ${m.body}`;
  return changeText(m, statusLabel);
}

function item(m, refresh) {
  const li = document.createElement('li');
  li.className = m.read ? 'card' : 'card unread';
  li.dataset.inbox = m.id;
  const head = document.createElement('p');
  head.className = 'card-head';
  head.textContent = m.application_id
    ? `${m.protocol_number} · ${localName({ name_el: m.service_title_el, name_en: m.service_title_en })} · ${when(m.at)}`
    : `#${m.report_id} · ${localName({ name_el: m.category_name_el, name_en: m.category_name_en })} · ${when(m.at)}`;
  const body = document.createElement('p');
  body.className = 'inbox-text';
  body.textContent = entryText(m);
  li.append(head, body);
  if (m.application_id) {
    const a = el('a', null, t('inbox.openApplication'));
    a.href = `#/applications/${m.application_id}`;
    const line = el('p');
    line.append(a);
    if (m.document?.id) {
      const pdf = el('a', null, t(m.kind === 'application_receipt' ? 'inbox.receiptPdf' : 'inbox.answerPdf'));
      pdf.href = `/api/v1/documents/${m.document.id}`;
      pdf.dataset.document = m.document.id;
      line.append(' · ', pdf);
    }
    li.append(line);
  }
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
