// One application in the staff pages (#/queue/{id}): what the applicant
// answered, the attached files (download links), the history, and the steps
// its status allows (the server decides each: 403 not yours, 409 a status
// the step does not start from or a version that changed meanwhile, 422 a
// field, each shown in words next to what it names):
//   assign          to me or to a colleague of the department
//                   (GET /api/v1/departments/{code}/staff), with a comment
//   request-info    a comment and the document that is missing
//   approve         a comment; for a service whose answer is uploaded, the
//                   answer's PDF too (multipart/form-data: file, comment)
//   reject          the reason (required)
// After a step the page shows the application as the server answered it,
// with the new status in the status line.
import { call } from './api.js';
import { el } from './dom.js';
import { clearProblems, showProblem } from './field_errors.js';
import { buildForm, sendJson, setOptions } from './form_fields.js';
import { localName, t } from './i18n.js';
import { applicationPage, applicationStatus } from './my_applications.js';
import { when } from './report_thread.js';
import { applicantName, dueCell, isOverdue } from './staff_applications.js';

// The steps each status allows (services/application_steps: the API checks).
const STEPS = {
  submitted: ['assign', 'request-info', 'approve', 'reject'],
  in_progress: ['assign', 'request-info', 'approve', 'reject'],
  info_requested: ['assign', 'reject'],
};

function fileItem(f) {
  const li = el('li', 'file');
  const a = el('a', null, f.original_name);
  a.href = f.href || `/api/v1/applications/${f.application_id}/files/${f.id}`;
  a.download = f.original_name;
  const parts = [`${Math.ceil(f.bytes / 1024)} KB`];
  if (f.pages) parts.push(t('files.pages').replace('{n}', f.pages));
  if (f.uploaded_at) parts.push(when(f.uploaded_at));
  li.append(a, ` · ${parts.join(' · ')}`);
  return li;
}

// The attached files, by the document they are for.
function filesBox(app) {
  const box = el('section', 'documents');
  box.setAttribute('aria-labelledby', 'staff-app-files');
  const h = el('h4', null, t('staffApp.files'));
  h.id = 'staff-app-files';
  box.append(h);
  const files = app.files || [];
  if (!files.length) {
    box.append(el('p', 'hint', t('staffApp.noFiles')));
    return box;
  }
  for (const d of app.required_documents || []) {
    const mine = files.filter((f) => f.document_code === d.code);
    if (!mine.length) continue;
    const ul = el('ul', 'files');
    ul.setAttribute('aria-label', localName(d));
    ul.append(...mine.map(fileItem));
    box.append(el('h5', null, localName(d)), ul);
  }
  const known = new Set((app.required_documents || []).map((d) => d.code));
  const other = files.filter((f) => !known.has(f.document_code));
  if (other.length) {
    const ul = el('ul', 'files');
    ul.append(...other.map(fileItem));
    box.append(ul);
  }
  return box;
}

async function colleagues(app, user) {
  const r = await call(`/api/v1/departments/${encodeURIComponent(app.department)}/staff`);
  const others = r.ok ? r.body.filter((p) => p.id !== user.id) : [];
  return [[String(user.id), t('staffApp.toMe')], ...others.map((p) => [String(p.id), p.name])];
}

// The forms of the steps; after(app, key) shows the application answered.
async function stepForms(box, app, service, user, after) {
  const steps = STEPS[app.status] || [];
  if (!steps.length) return;
  const h = el('h4', null, t('staffApp.steps'));
  box.append(h);
  const path = (step) => `/api/v1/applications/${app.id}/${step}`;
  const done = (body) => body && after(body, 'staffApp.done');
  const text = (c) => c.value.trim() || undefined;

  if (steps.includes('assign')) {
    const f = buildForm(box, {
      id: 'step-assign',
      fields: [
        { name: 'assignee', key: 'staffApp.assignee', kind: 'select' },
        { name: 'comment', key: 'staffApp.comment', kind: 'textarea' },
      ],
      submitKey: 'staffApp.assign',
      onSubmit: async ({ form, controls: c }) =>
        done(await sendJson(form, path('assign'), { assignee: Number(c.assignee.value), comment: text(c.comment), version: app.version })),
    });
    setOptions(f.controls.assignee, await colleagues(app, user));
  }
  if (steps.includes('request-info')) {
    const f = buildForm(box, {
      id: 'step-info',
      fields: [
        { name: 'comment', key: 'staffApp.askWhat', kind: 'textarea' },
        { name: 'documents', key: 'staffApp.missing', kind: 'select' },
      ],
      submitKey: 'staffApp.requestInfo',
      onSubmit: async ({ form, controls: c }) => {
        const body = { comment: c.comment.value.trim(), version: app.version };
        if (c.documents.value) body.documents = [c.documents.value];
        done(await sendJson(form, path('request-info'), body));
      },
    });
    f.controls.comment.setAttribute('aria-required', 'true');
    setOptions(f.controls.documents, [['', t('staffApp.noDocument')], ...(app.required_documents || []).map((d) => [d.code, localName(d)])]);
  }
  if (steps.includes('approve')) {
    const uploaded = service?.answer_kind === 'uploaded';
    const fields = [{ name: 'comment', key: 'staffApp.comment', kind: 'textarea' }];
    if (uploaded) fields.unshift({ name: 'file', key: 'staffApp.answerFile', kind: 'file' });
    const f = buildForm(box, {
      id: 'step-approve',
      fields,
      submitKey: uploaded ? 'staffApp.approveUploaded' : 'staffApp.approve',
      onSubmit: async ({ form, controls: c }) => {
        if (!uploaded) return done(await sendJson(form, path('approve'), { comment: text(c.comment), version: app.version }));
        clearProblems(form);
        const data = new FormData();
        if (c.file.files[0]) data.append('file', c.file.files[0]);
        data.append('comment', c.comment.value.trim());
        const r = await call(path('approve'), { method: 'POST', body: data });
        if (r.ok) return done(r.body);
        showProblem(form, r.problem, { field: 'file' });
      },
    });
    if (uploaded) f.controls.file.accept = 'application/pdf';
    f.form.prepend(el('p', 'hint', t(uploaded ? 'staffApp.uploadedHint' : 'staffApp.generatedHint')));
  }
  if (steps.includes('reject')) {
    const f = buildForm(box, {
      id: 'step-reject',
      fields: [{ name: 'reason', key: 'staffApp.reason', kind: 'textarea' }],
      submitKey: 'staffApp.reject',
      onSubmit: async ({ form, controls: c }) =>
        done(await sendJson(form, path('reject'), { reason: c.reason.value.trim(), version: app.version })),
    });
    f.controls.reason.setAttribute('aria-required', 'true');
  }
}

async function render(box, app, service, user, message) {
  const back = el('a', null, t('staffApp.back'));
  back.href = '#/queue';
  const line = el('p', 'done', message || '');
  line.id = 'staff-app-done';
  line.setAttribute('role', 'status');
  line.tabIndex = -1;
  const article = applicationPage(app, service, { applicant: false });
  const facts = article.querySelector('.facts');
  facts?.prepend(el('dt', null, t('queue.applicant')), el('dd', null, applicantName(app)));
  // the due time: the page shows the server's; the overdue mark is ours
  if (!app.due_at) {
    const due = el('dd');
    due.append(dueCell(app, service));
    facts?.append(el('dt', null, t('queue.due')), due);
  } else if (isOverdue(app, service)) {
    article.querySelector('.badge-status')?.after(' ', el('span', 'badge-status overdue', t('queue.overdue')));
  }
  if (app.document?.id) {
    const pdf = el('a', null, t('inbox.answerPdf'));
    pdf.href = `/api/v1/documents/${app.document.id}`;
    pdf.dataset.document = app.document.id;
    const p = el('p');
    p.append(pdf);
    article.append(p);
  }
  article.append(filesBox(app));
  box.replaceChildren(back, line, article);
  const after = (next, key) =>
    render(box, { ...app, ...next }, service, user, t(key).replace('{status}', applicationStatus(next.status))).then(() =>
      document.getElementById('staff-app-done')?.focus(),
    );
  await stepForms(article, app, service, user, after);
}

// Fills box with application id; say(key) reports what could not be shown.
export async function showStaffApplication(box, id, user, say) {
  box.replaceChildren();
  const r = await call(`/api/v1/applications/${encodeURIComponent(id)}`);
  if (!r.ok) return say(r.problem.status === 0 ? 'problem.offline' : 'apply.notFound');
  const s = await call(`/api/v1/services/${r.body.service.id}`);
  await render(box, r.body, s.ok ? s.body : null, user, '');
}
