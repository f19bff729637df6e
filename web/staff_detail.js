// One report in the staff pages: what was reported and by whom, the status
// change (with a public comment the reporter reads in the mailbox and an
// internal note only staff see), reassignment to another department, and
// the timeline, photos and messages. The server decides every move
// (POST /api/v1/reports/{id}/transitions: 403 not yours, 409 not allowed).
import { apiJson, problemOf } from './api.js';
import { clearProblems, fieldWrapper, showProblem } from './field_errors.js';
import { localName, t } from './i18n.js';
import { reportThread, statusLabel, when } from './report_thread.js';
import { el } from './dom.js';

// The moves the workflow allows staff (gis/report_workflow.c), to offer
// only sensible choices; the API still checks.
const NEXT = {
  submitted: ['acknowledged', 'in_progress', 'resolved', 'rejected', 'duplicate'],
  acknowledged: ['in_progress', 'resolved', 'rejected', 'duplicate'],
  in_progress: ['resolved', 'rejected', 'duplicate'],
  reopened: ['acknowledged', 'in_progress', 'resolved', 'rejected', 'duplicate'],
  resolved: ['closed', 'in_progress'],
  rejected: ['closed', 'in_progress'],
  duplicate: ['closed', 'in_progress'],
  closed: [],
};

function labelled(name, id, text, control) {
  control.id = id;
  const label = el('label', null, text);
  label.htmlFor = id;
  return fieldWrapper(name, label, control);
}

function transitionForm(f, departments, onChanged) {
  const p = f.properties;
  const form = el('form', 'transition');
  form.noValidate = true;
  form.append(el('h4', null, t('detail.change')));
  const to = el('select');
  to.append(new Option(`${statusLabel(p.status)} (${t('detail.keep')})`, p.status));
  for (const s of NEXT[p.status] || []) to.append(new Option(statusLabel(s), s));
  const comment = el('textarea');
  comment.rows = 3;
  const note = el('textarea');
  note.rows = 2;
  const dept = el('select');
  dept.append(new Option(t('detail.sameDepartment'), ''));
  for (const d of departments) if (d.code !== p.department) dept.append(new Option(localName(d), d.code));
  const dup = el('input');
  dup.type = 'number';
  dup.min = '1';
  dup.inputMode = 'numeric';
  const dupField = labelled('duplicate_of', 'd-duplicate', t('detail.duplicateOf'), dup);
  dupField.hidden = true;
  to.addEventListener('change', () => {
    dupField.hidden = to.value !== 'duplicate';
  });
  const send = el('button', 'primary', t('detail.save'));
  send.type = 'submit';
  form.append(
    labelled('to', 'd-to', t('detail.newStatus'), to),
    labelled('public_comment', 'd-comment', t('detail.publicComment'), comment),
    labelled('internal_note', 'd-note', t('detail.internalNote'), note),
    labelled('department', 'd-department', t('detail.reassign'), dept),
    dupField,
    send,
  );
  const general = el('p', 'error form-error');
  general.setAttribute('role', 'alert');
  const ok = el('p', 'done');
  ok.setAttribute('role', 'status');
  form.append(general, ok);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    ok.textContent = '';
    const body = { to: to.value };
    if (comment.value.trim()) body.public_comment = comment.value.trim();
    if (note.value.trim()) body.internal_note = note.value.trim();
    if (dept.value) body.department = dept.value;
    if (to.value === 'duplicate' && dup.value) body.duplicate_of = Number(dup.value);
    send.disabled = true;
    let res;
    try {
      res = await apiJson(`/api/v1/reports/${f.id}/transitions`, body);
    } catch {
      res = null;
    }
    send.disabled = false;
    if (!res || !res.ok) return showProblem(form, await problemOf(res));
    const done = await res.json();
    await onChanged(f.id, t('detail.saved').replace('{status}', statusLabel(done.status)));
  });
  return form;
}

// Fills box with report f; onChanged(id, message) reloads after a change.
export async function showDetail(box, f, departments, onChanged, message = '') {
  const p = f.properties;
  box.replaceChildren();
  const title = el('h3', null, `#${f.id} · ${localName({ name_el: p.category_name_el, name_en: p.category_name_en })}`);
  title.id = 'detail-title';
  box.append(title);
  if (message) {
    const m = el('p', 'done', message);
    m.setAttribute('role', 'status');
    box.append(m);
  }
  const dl = el('dl', 'facts');
  const fact = (k, v) => {
    if (v === null || v === undefined || v === '') return;
    dl.append(el('dt', null, t(k)), el('dd', null, String(v)));
  };
  fact('detail.status', statusLabel(p.status));
  fact('detail.department', localName({ name_el: p.department_name_el, name_en: p.department_name_en }));
  fact('detail.created', when(p.created_at));
  fact('detail.description', p.description);
  fact('detail.address', p.address);
  for (const [k, v] of Object.entries(p.attributes || {})) fact(k, Array.isArray(v) ? v.join(', ') : v);
  fact('detail.supporters', p.support_count);
  if (p.reporter) fact('detail.reporter', [p.reporter.name, p.reporter.email, p.reporter.phone].filter(Boolean).join(' · '));
  box.append(dl, transitionForm(f, departments, onChanged), await reportThread(f));
  box.hidden = false;
}
