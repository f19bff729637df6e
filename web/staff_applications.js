// The staff's "Applications" (#/queue): the applications of the staff
// member's departments (admins: every department; GET /api/v1/applications,
// newest first) filtered by status, service and "assigned to me" (the API
// filters), as a table: protocol number N/YYYY (opens #/queue/{id}, the
// application's page: staff_application.js), service, applicant, submitted,
// status, assignee and the due time (the service's target time after the
// submission) marked "overdue" when it passed while the application is
// still open.
import { call } from './api.js';
import { el, headedTable } from './dom.js';
import { fieldWrapper } from './field_errors.js';
import { setOptions } from './form_fields.js';
import { localName, t } from './i18n.js';
import { applicationStatus } from './my_applications.js';
import { when } from './report_thread.js';
import { serviceText } from './services_page.js';
import { showStaffApplication } from './staff_application.js';
import { viewParam, viewSection } from './views.js';

const PAGE = 100;
const STATUSES = ['submitted', 'in_progress', 'info_requested', 'approved', 'rejected'];
const OPEN = ['submitted', 'in_progress', 'info_requested'];
const HOUR_MS = 3600 * 1000;

// When the application is due: the server's due_at, else the service's
// target hours after it was submitted (null when neither is known).
export function dueAt(a, service) {
  if (a.due_at) return new Date(a.due_at);
  if (!a.submitted_at || !service?.target_hours) return null;
  return new Date(new Date(a.submitted_at).getTime() + service.target_hours * HOUR_MS);
}

export function isOverdue(a, service, now = Date.now()) {
  const due = dueAt(a, service);
  return !!due && OPEN.includes(a.status) && due.getTime() < now;
}

// "due time" with the overdue mark.
export function dueCell(a, service) {
  const due = dueAt(a, service);
  const span = el('span', null, due ? when(due) : '—');
  if (isOverdue(a, service)) span.append(' ', el('span', 'badge-status overdue', t('queue.overdue')));
  return span;
}

export function applicantName(a) {
  return a.applicant ? a.applicant.display_name || a.applicant.email : t('queue.noApplicant');
}

// Who it is assigned to: "me" for the signed-in member, else the server's
// name for them.
function assigneeName(a, me) {
  const who = a.assignee;
  if (!who) return '—';
  return who.id === me?.id ? t('queue.me') : who.name;
}

function labelled(name, id, key, control) {
  control.id = id;
  const label = el('label', null, t(key));
  label.htmlFor = id;
  label.dataset.i18n = key;
  return fieldWrapper(name, label, control);
}

export function initStaffApplications() {
  const { page, status } = viewSection('queue', { status: true });
  const list = el('div');
  list.id = 'queue-list';
  const one = el('div');
  one.id = 'queue-one';
  page.append(list, one);

  const form = el('form', 'filters');
  form.id = 'queue-filters';
  form.noValidate = true;
  const fStatus = el('select');
  const fService = el('select');
  const fMine = el('input');
  fMine.type = 'checkbox';
  const mineLabel = el('label', 'check');
  mineLabel.htmlFor = 'queue-f-mine';
  fMine.id = 'queue-f-mine';
  const mineWords = el('span', null, t('queue.mine'));
  mineWords.dataset.i18n = 'queue.mine';
  mineLabel.append(fMine, ' ', mineWords);
  const mineWrap = el('div', 'field check');
  mineWrap.append(mineLabel);
  const general = el('p', 'error form-error');
  general.setAttribute('role', 'alert');
  form.append(
    labelled('status', 'queue-f-status', 'queue.status', fStatus),
    labelled('service', 'queue-f-service', 'queue.service', fService),
    mineWrap,
    general,
  );
  const count = el('p', 'status');
  count.id = 'queue-count';
  count.setAttribute('role', 'status');
  const { table, body: rows } = headedTable('reports', 'queue-table', ['queue.protocol', 'queue.service', 'queue.applicant', 'queue.submitted', 'queue.status', 'queue.assignee', 'queue.due'], 'queue-rows');
  const scroll = el('div', 'table-scroll');
  scroll.append(table);
  list.append(form, count, scroll);

  let services = [];
  let user = null;
  let seq = 0;

  function serviceOf(a) {
    return services.find((s) => s.id === a.service.id) || null;
  }

  function row(a) {
    const tr = el('tr');
    tr.dataset.application = a.id;
    tr.dataset.status = a.status;
    const title = localName({ name_el: a.service.title_el, name_en: a.service.title_en });
    const open = el('a', null, a.protocol_number || `#${a.id}`);
    open.href = `#/queue/${a.id}`;
    open.setAttribute('aria-label', t('queue.openOne').replace('{n}', a.protocol_number || a.id).replace('{service}', title));
    const badge = el('span', `badge-status status-${a.status}`, applicationStatus(a.status));
    const cells = [open, title, applicantName(a), a.submitted_at ? when(a.submitted_at) : '—', badge, assigneeName(a, user), dueCell(a, serviceOf(a))];
    for (const c of cells) {
      const td = el('td');
      td.append(c);
      tr.append(td);
    }
    return tr;
  }

  function query(assignee) {
    const q = new URLSearchParams({ limit: String(PAGE) });
    if (fStatus.value) q.set('status', fStatus.value);
    if (fService.value) q.set('service', fService.value);
    if (assignee) q.set('assignee', assignee);
    return `/api/v1/applications?${q}`;
  }

  async function load() {
    const mySeq = ++seq;
    general.textContent = '';
    count.textContent = t('services.loading');
    const all = await call(query(fMine.checked ? 'me' : null));
    if (mySeq !== seq) return; // a newer filter won
    if (!all.ok) {
      count.textContent = '';
      general.textContent = all.problem.status === 0 ? t('problem.offline') : all.problem.detail;
      rows.replaceChildren();
      return;
    }
    const items = all.body.applications;
    count.textContent = items.length ? t('queue.count').replace('{n}', items.length) : t('queue.empty');
    rows.replaceChildren(...items.map((a) => row(a)));
  }

  for (const c of [fStatus, fService, fMine]) c.addEventListener('change', load);
  form.addEventListener('submit', (e) => e.preventDefault());

  return async function show(who) {
    user = who;
    const r = await call('/api/v1/services');
    services = r.ok ? r.body.services : [];
    setOptions(fStatus, [['', t('staff.all')], ...STATUSES.map((s) => [s, applicationStatus(s)])]);
    setOptions(fService, [['', t('staff.all')], ...services.map((s) => [String(s.id), serviceText(s)])]);
    const id = viewParam();
    list.hidden = !!id;
    one.hidden = !id;
    status.textContent = '';
    if (id) {
      const s = await showStaffApplication(one, id, user, (key) => {
        status.textContent = t(key);
      });
      return s;
    }
    one.replaceChildren();
    await load();
  };
}
