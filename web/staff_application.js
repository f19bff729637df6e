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

// A list of files, named (aria-label) by the document they are for.
function fileList(files, label) {
  const ul = el('ul', 'files');
  if (label) ul.setAttribute('aria-label', label);
  ul.append(...files.map(fileItem));
  return ul;
}

// The attached files, by the document they are for (those of no listed
// document last).
function filesBox(app) {
  const files = app.files || [];
  const docs = app.required_documents || [];
  const parts = [];
  for (const d of docs) {
    const mine = files.filter((f) => f.document_code === d.code);
    if (mine.length) parts.push(el('h5', null, localName(d)), fileList(mine, localName(d)));
  }
  const other = files.filter((f) => !docs.some((d) => d.code === f.document_code));
  if (other.length) parts.push(fileList(other));
  if (!files.length) parts.push(el('p', 'hint', t('staffApp.noFiles')));
  const title = el('h4', null, t('staffApp.files'));
  title.id = 'staff-app-files';
  const box = el('section', 'documents');
  box.setAttribute('aria-labelledby', title.id);
  box.append(title, ...parts);
  return box;
}

async function colleagues(app, user) {
  const r = await call(`/api/v1/departments/${encodeURIComponent(app.department)}/staff`);
  const others = r.ok ? r.body.filter((p) => p.id !== user.id) : [];
  return [[String(user.id), t('staffApp.toMe')], ...others.map((p) => [String(p.id), p.name])];
}

// Each step's form: its fields, button, the JSON body it sends (null: sent
// otherwise, see approve) and what it fills in once built.
function stepDefs(app, service, user) {
  const text = (c) => c.value.trim() || undefined;
  const uploaded = service?.answer_kind === 'uploaded';
  const comment = { name: 'comment', key: 'staffApp.comment', kind: 'textarea' };
  return {
    assign: {
      fields: [{ name: 'assignee', key: 'staffApp.assignee', kind: 'select' }, comment],
      submitKey: 'staffApp.assign',
      body: (c) => ({ assignee: Number(c.assignee.value), comment: text(c.comment) }),
      setup: async (c) => setOptions(c.assignee, await colleagues(app, user)),
    },
    'request-info': {
      fields: [
        { name: 'comment', key: 'staffApp.askWhat', kind: 'textarea', required: true },
        { name: 'documents', key: 'staffApp.missing', kind: 'select' },
      ],
      submitKey: 'staffApp.requestInfo',
      body: (c) => ({ comment: c.comment.value.trim(), documents: c.documents.value ? [c.documents.value] : undefined }),
      setup: (c) =>
        setOptions(c.documents, [['', t('staffApp.noDocument')], ...(app.required_documents || []).map((d) => [d.code, localName(d)])]),
    },
    approve: {
      hint: uploaded ? 'staffApp.uploadedHint' : 'staffApp.generatedHint',
      fields: uploaded ? [{ name: 'file', key: 'staffApp.answerFile', kind: 'file' }, comment] : [comment],
      submitKey: uploaded ? 'staffApp.approveUploaded' : 'staffApp.approve',
      body: uploaded ? null : (c) => ({ comment: text(c.comment) }),
      setup: (c) => {
        if (uploaded) c.file.accept = 'application/pdf';
      },
    },
    reject: {
      fields: [{ name: 'reason', key: 'staffApp.reason', kind: 'textarea', required: true }],
      submitKey: 'staffApp.reject',
      body: (c) => ({ reason: c.reason.value.trim() }),
    },
  };
}

// An uploaded answer: multipart/form-data with the parts file and comment.
async function sendAnswerFile(form, path, c) {
  clearProblems(form);
  const data = new FormData();
  if (c.file.files[0]) data.append('file', c.file.files[0]);
  data.append('comment', c.comment.value.trim());
  const r = await call(path, { method: 'POST', body: data });
  if (r.ok) return r.body;
  showProblem(form, r.problem, { field: 'file' });
  return null;
}

// The forms of the steps; after(app, key) shows the application answered.
async function stepForms(box, app, service, user, after) {
  const steps = STEPS[app.status] || [];
  if (!steps.length) return;
  box.append(el('h4', null, t('staffApp.steps')));
  const defs = stepDefs(app, service, user);
  for (const step of steps) {
    const d = defs[step];
    const path = `/api/v1/applications/${app.id}/${step}`;
    const f = buildForm(box, {
      id: `step-${step}`,
      fields: d.fields,
      submitKey: d.submitKey,
      onSubmit: async ({ form, controls: c }) => {
        const sent = d.body
          ? await sendJson(form, path, { ...d.body(c), version: app.version })
          : await sendAnswerFile(form, path, c);
        if (sent) await after(sent, 'staffApp.done');
      },
    });
    for (const field of d.fields) if (field.required) f.controls[field.name].setAttribute('aria-required', 'true');
    if (d.hint) f.form.prepend(el('p', 'hint', t(d.hint)));
    await d.setup?.(f.controls);
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
