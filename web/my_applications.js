// "My applications" (#/applications): the signed-in user's applications
// for e-services (GET /api/v1/me/applications, newest first, drafts too),
// each with its service, status, protocol number and dates; a draft opens
// in its form, a submitted one in its read-only page (applicationPage:
// the answers as given and the history).
import { call } from './api.js';
import { fillReply } from './application_reply.js';
import { el } from './dom.js';
import { localName, t } from './i18n.js';
import { when } from './report_thread.js';
import { serviceText } from './services_page.js';
import { viewSection } from './views.js';

const PAGE = 50;

export function applicationStatus(status) {
  return t(`appstatus.${status}`);
}

function badge(status) {
  return el('p', `badge-status status-${status}`, applicationStatus(status));
}

// An answer as the person reads it: a list's chosen names, a time in words.
function answerText(field, v) {
  const values = Array.isArray(v) ? v : [v];
  if (field?.values) return values.map((k) => localName(field.values.find((x) => x.key === k)) || k).join(', ');
  if (field?.datatype === 'datetime') return when(v);
  return values.join(', ');
}

function fieldName(field, code) {
  return (localName({ name_el: field?.description_el, name_en: field?.description_en }) || code);
}

// The steps so far: the server's history when it gives one, else the
// dates the application itself carries.
function history(app) {
  const steps = Array.isArray(app.history)
    ? app.history.map((h) => ({ to: h.to ?? h.to_status, at: h.at, comment: h.public_comment }))
    : [{ to: 'draft', at: app.created_at }, app.submitted_at && { to: 'submitted', at: app.submitted_at }].filter(Boolean);
  const ol = el('ol', 'timeline');
  for (const s of steps) {
    const li = el('li');
    li.append(el('span', 'tl-status', applicationStatus(s.to)), el('span', 'tl-when', ` ${when(s.at)}`));
    if (s.comment) li.append(el('p', 'tl-comment', s.comment));
    ol.append(li);
  }
  return ol;
}

// A submitted application, read-only. service: its catalogue entry (for
// the fields' names), or null when it is no longer offered. For the
// applicant (not staff: applicant false) the page also carries their side
// of the processing (application_reply.js): the documents issued, and what
// staff asked for with the upload and the answer while they ask.
export function applicationPage(app, service, { applicant = true } = {}) {
  const box = el('article', 'card application');
  box.dataset.application = app.id;
  const title = serviceText(service) || localName({ name_el: app.service.title_el, name_en: app.service.title_en });
  box.append(el('h3', null, title), badge(app.status));
  const facts = el('dl', 'facts');
  const fact = (key, value) => value && facts.append(el('dt', null, t(key)), el('dd', null, value));
  fact('apply.protocol', app.protocol_number);
  fact('applications.submitted', app.submitted_at && when(app.submitted_at));
  fact('applications.due', app.due_at && when(app.due_at));
  fact('apply.kind', t(`apply.kind.${app.applicant_kind}`));
  fact('apply.businessName', app.business_name);
  fact('apply.taxNumber', app.tax_number);
  const fields = service?.fields || [];
  for (const [code, v] of Object.entries(app.answers || {})) {
    const field = fields.find((f) => f.code === code);
    facts.append(el('dt', null, fieldName(field, code)), el('dd', null, answerText(field, v)));
  }
  box.append(facts, el('h4', null, t('applications.history')), history(app));
  if (applicant) {
    const reply = el('div', 'reply');
    box.append(reply);
    fillReply(reply, app, service, (next) => {
      // in place: whoever holds app (the application's view, redrawing it on
      // a language switch) holds the answered one
      Object.assign(app, next);
      const page = applicationPage(app, service);
      box.replaceWith(page);
      const done = el('p', 'done');
      done.id = 'reply-done';
      done.setAttribute('role', 'status');
      page.prepend(done);
      // filled once in the page, so that screen readers announce it
      setTimeout(() => {
        done.textContent = t('reply.sent').replace('{status}', applicationStatus(next.status));
      }, 0);
    });
  }
  return box;
}

function card(a) {
  const li = el('li', 'card');
  li.dataset.application = a.id;
  li.dataset.status = a.status;
  const title = localName({ name_el: a.service.title_el, name_en: a.service.title_en });
  const head = el('p', 'card-head', a.protocol_number ? `${a.protocol_number} · ${title}` : title);
  const dates = [`${t('applications.created')} ${when(a.created_at)}`];
  if (a.submitted_at) dates.push(`${t('applications.submitted')} ${when(a.submitted_at)}`);
  const open = el('a', null, t(a.status === 'draft' ? 'applications.continue' : 'applications.open'));
  open.href = `#/applications/${a.id}`;
  open.setAttribute('aria-label', `${open.textContent}: ${title}`);
  li.append(head, badge(a.status), el('p', 'hint', dates.join(' · ')), open);
  return li;
}

export function initMyApplications() {
  const { page, status } = viewSection('applications', { status: true });
  const list = el('ul', 'cards');
  list.id = 'applications-list';
  page.append(list);
  return async function show() {
    const r = await call(`/api/v1/me/applications?limit=${PAGE}`);
    if (!r.ok) {
      status.textContent = r.problem.status === 0 ? t('problem.offline') : r.problem.detail;
      return;
    }
    const items = r.body.applications;
    status.textContent = items.length ? '' : t('applications.empty');
    list.replaceChildren(...items.map(card));
  };
}
