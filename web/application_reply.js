// The applicant's side of a submitted application's page (my_applications.js
// appends it): while staff ask for more (status info_requested), what they
// asked (the history's request when the application carries one, else the
// mailbox's entry about it) and which document, the documents' uploads
// (application_files.js: files are taken while more is asked for) and the
// answer with a comment (POST /api/v1/applications/{id}/respond), after
// which the page shows the application as the server answered it; and
// always, once issued, links to the application's documents (the receipt
// and the signed answer: the mailbox's entries carry them).
import { call } from './api.js';
import { el } from './dom.js';
import { filesSection } from './application_files.js';
import { buildForm, sendJson } from './form_fields.js';
import { localName, t } from './i18n.js';

// The application's mailbox entries (the newest page; an application's
// entries are among the recent ones while it is being processed).
async function entriesOf(app) {
  const r = await call('/api/v1/me/inbox?limit=100');
  return r.ok ? r.body.items.filter((m) => m.application_id === app.id) : [];
}

// What staff asked last: {comment, documents: [codes]}.
function lastRequest(app, entries) {
  const steps = Array.isArray(app.history) ? app.history.filter((h) => (h.event ?? h.to ?? h.to_status) === 'info_requested') : [];
  const h = steps[steps.length - 1];
  if (h) return { comment: h.public_comment ?? h.comment, documents: h.requested_documents ?? h.requested ?? [] };
  const m = entries.find((e) => e.kind === 'application_info_requested'); // newest first
  return m ? { comment: m.public_comment, documents: m.requested_documents ?? [] } : null;
}

function requestBox(app, service, asked) {
  const box = el('section', 'info-request');
  box.setAttribute('aria-labelledby', 'reply-title');
  const h = el('h4', null, t('reply.title'));
  h.id = 'reply-title';
  box.append(h);
  if (asked?.comment) box.append(el('p', 'tl-comment', asked.comment));
  const docs = (asked?.documents || [])
    .map((code) => (service?.documents || app.required_documents || []).find((d) => d.code === code))
    .filter(Boolean);
  if (docs.length) box.append(el('p', null, `${t('reply.documents')}: ${docs.map((d) => localName(d)).join(', ')}`));
  return box;
}

// The answer: a comment, then POST .../respond; onAnswered(app) after.
function answerForm(box, app, onAnswered) {
  buildForm(box, {
    id: 'reply',
    fields: [{ name: 'comment', key: 'reply.comment', kind: 'textarea' }],
    submitKey: 'reply.send',
    onSubmit: async ({ form, controls: c }) => {
      // no version: the uploads just made change it, and the answer is about them
      const body = {};
      if (c.comment.value.trim()) body.comment = c.comment.value.trim();
      const made = await sendJson(form, `/api/v1/applications/${app.id}/respond`, body);
      if (made) onAnswered(made);
    },
  });
}

function documentLinks(entries) {
  const docs = entries.filter((m) => m.document?.id);
  if (!docs.length) return null;
  const ul = el('ul', 'files');
  ul.setAttribute('aria-label', t('reply.issued'));
  for (const m of docs) {
    const a = el('a', null, t(m.kind === 'application_receipt' ? 'inbox.receiptPdf' : 'inbox.answerPdf'));
    a.href = `/api/v1/documents/${m.document.id}`;
    a.dataset.document = m.document.id;
    const li = el('li');
    li.append(a);
    if (m.document.protocol_number) li.append(` · ${m.document.protocol_number}`);
    ul.append(li);
  }
  return ul;
}

// Fills box (in the application's page) for app of service; onAnswered(app)
// redraws the page with the answered application.
export async function fillReply(box, app, service, onAnswered) {
  const entries = await entriesOf(app);
  const links = documentLinks(entries);
  if (links) box.append(el('h4', null, t('reply.issued')), links);
  if (app.status !== 'info_requested') return;
  const section = requestBox(app, service, lastRequest(app, entries));
  if (service) section.append(filesSection(service, app));
  answerForm(section, app, onAnswered);
  box.append(section);
}
