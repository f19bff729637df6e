// One application (#/services/{id}/apply: a new one; #/applications/{id}:
// a saved one). A draft is a form: the service's fields (category_fields.js,
// named answers.CODE as the API's errors name them), who applies (a person,
// or a business with its tax number (ΑΦΜ) and name), the documents
// (application_files.js), "Save draft" (POST /api/v1/applications, then
// PATCH) and "Submit" (saved first, then POST .../submit): the protocol
// number N/YYYY is shown at once with a link to the mailbox. A refusal is
// shown next to each field it names and nothing typed is lost. A submitted
// application is shown read-only (my_applications.js). What the applicant's
// identity provider verified (the draft's verified_identity, or for a new
// one /api/v1/me's identity) is shown read-only, "verified by <provider>",
// and a business's tax number is the verified one.
import { call } from './api.js';
import { el } from './dom.js';
import { showProblem } from './field_errors.js';
import { readFields, renderFields, writeFields } from './category_fields.js';
import { buildForm, sendJson, setOptions } from './form_fields.js';
import { onLangChange, t } from './i18n.js';
import { filesSection } from './application_files.js';
import { applicationPage } from './my_applications.js';
import { serviceText, targetTime } from './services_page.js';
import { viewPath, viewSection } from './views.js';

const KINDS = ['citizen', 'business'];

export function initApplicationForm() {
  const { page, status } = viewSection('application', { status: true });
  let service = null;
  let app = null; // the saved draft, or null before its first save
  let made = null; // buildForm's { form, controls, done, submit }
  let answersBox = null;
  let verified = null; // { name, tax_number, label } from the identity provider, or null

  function say(key) {
    status.dataset.i18n = key;
    status.textContent = t(key);
  }

  function kind() {
    return service.applicants === 'any' ? made.controls.applicant_kind.value : service.applicants;
  }

  // What the form holds, as the API takes it.
  function current() {
    const c = made.controls;
    return {
      applicant_kind: kind(),
      tax_number: c.tax_number.value.trim(),
      business_name: c.business_name.value.trim(),
      answers: readFields(answersBox),
    };
  }

  function showBusiness() {
    const business = kind() === 'business';
    for (const name of ['tax_number', 'business_name'])
      made.controls[name].closest('[data-field]').hidden = !business;
  }

  // The request body: a person sends no business members; an emptied one
  // of a business's draft is cleared (null), of a new one left out.
  function body(values) {
    const out = { applicant_kind: values.applicant_kind, answers: values.answers };
    if (values.applicant_kind !== 'business') return out;
    for (const name of ['tax_number', 'business_name'])
      if (values[name]) out[name] = values[name];
      else if (app) out[name] = null;
    return out;
  }

  // Saves the form as the draft; returns it, or null (shown on the form).
  async function save() {
    const values = current();
    const saved = app
      ? await sendJson(made.form, `/api/v1/applications/${app.id}`, body(values), { method: 'PATCH' })
      : await sendJson(made.form, '/api/v1/applications', { service: service.id, ...body(values) });
    if (!saved) return null;
    const first = !app;
    app = { ...saved, files: saved.files ?? app?.files };
    verified = app.verified_identity ?? verified;
    // a reload opens the draft (no hashchange: the form stays as it is)
    if (first) {
      history.replaceState(null, '', `#/applications/${app.id}`);
      made.form.querySelector('section.documents')?.replaceWith(filesSection(service, app));
    }
    return app;
  }

  function showSubmitted(done) {
    page.replaceChildren();
    const box = el('div', 'submitted');
    box.setAttribute('role', 'status');
    const head = el('h3', null, t('apply.submitted'));
    head.id = 'apply-result';
    head.tabIndex = -1;
    const number = el('p', 'protocol');
    number.append(`${t('apply.protocol')}: `, el('strong', 'protocol-number', done.protocol_number));
    const links = el('p');
    const inbox = el('a', null, t('apply.toInbox'));
    inbox.href = '#/inbox';
    const mine = el('a', null, t('apply.toMine'));
    mine.href = '#/applications';
    links.append(inbox, ' · ', mine);
    box.append(head, number, el('p', 'hint', `${t('services.target')}: ${targetTime(service.target_hours)}`), links);
    page.append(box);
    head.focus();
  }

  function renderForm(values) {
    page.replaceChildren(el('h3', null, serviceText(service)), el('p', null, serviceText(service, 'description')));
    made = buildForm(page, {
      id: 'apply',
      fields: [
        { name: 'applicant_kind', key: 'apply.kind', kind: 'select' },
        { name: 'tax_number', key: 'apply.taxNumber' },
        { name: 'business_name', key: 'apply.businessName' },
      ],
      async onSubmit() {
        made.submit.disabled = true;
        try {
          if (!(await save())) return;
          const r = await call(`/api/v1/applications/${app.id}/submit`, { method: 'POST' });
          if (!r.ok) return showProblem(made.form, r.problem);
          app = r.body;
          showSubmitted(r.body);
        } finally {
          made.submit.disabled = false;
        }
      },
    });
    const c = made.controls;
    setOptions(c.applicant_kind, KINDS.map((k) => [k, null, `apply.kind.${k}`]));
    c.applicant_kind.closest('[data-field]').hidden = service.applicants !== 'any';
    if (service.applicants !== 'any') c.applicant_kind.value = service.applicants;
    c.tax_number.inputMode = 'numeric';
    c.tax_number.maxLength = 9;
    c.tax_number.autocomplete = 'off';
    c.business_name.autocomplete = 'organization';
    c.business_name.maxLength = 200;
    c.applicant_kind.addEventListener('change', showBusiness);
    if (verified) showVerified(c);
    // the service's own fields and its documents come before the buttons
    answersBox = el('div', 'answers');
    renderFields(answersBox, service, { name: 'answers', idPrefix: 'answer' });
    const saveButton = el('button', 'secondary', t('apply.save'));
    saveButton.type = 'button';
    saveButton.id = 'apply-save';
    saveButton.addEventListener('click', async () => {
      saveButton.disabled = true;
      made.done.textContent = '';
      if (await save()) made.done.textContent = t('apply.saved');
      saveButton.disabled = false;
    });
    made.submit.id = 'apply-submit';
    made.submit.before(answersBox, filesSection(service, app), saveButton);
    if (values) {
      if (service.applicants === 'any') c.applicant_kind.value = values.applicant_kind;
      c.tax_number.value = values.tax_number ?? '';
      c.business_name.value = values.business_name ?? '';
      writeFields(answersBox, values.answers);
    }
    if (verified?.tax_number) c.tax_number.value = verified.tax_number;
    showBusiness();
  }

  // The verified values above the form; the tax number cannot be typed over.
  function showVerified(c) {
    const parts = [];
    if (verified.name) parts.push(`${t('apply.verifiedName')}: ${verified.name}`);
    if (verified.tax_number) parts.push(`${t('apply.verifiedTaxNumber')}: ${verified.tax_number}`);
    const box = el('p', 'verified', `${parts.join(' · ')} (${t('apply.verifiedBy').replace('{label}', verified.label)})`);
    box.id = 'apply-verified';
    made.form.prepend(box);
    if (verified.tax_number) c.tax_number.readOnly = true;
  }

  // What the identity provider verified: the draft's, or the account's for a new one.
  async function loadVerified() {
    if (app) return app.verified_identity ?? null;
    const r = await call('/api/v1/me');
    const id = r.ok ? r.body.user?.identity : null;
    if (!id || !(id.verified_name || id.tax_number)) return null;
    return { name: id.verified_name, tax_number: id.tax_number, label: id.label };
  }

  async function loadService(id) {
    const r = await call(`/api/v1/services/${id}`);
    return r.ok ? r.body : null;
  }

  // Opens what the address names; false when there is nothing to show.
  async function open() {
    const [head, id] = viewPath();
    service = null;
    app = null;
    made = null;
    page.replaceChildren();
    say('services.loading');
    if (head === 'applications') {
      const r = await call(`/api/v1/applications/${encodeURIComponent(id)}`);
      if (!r.ok) return say(r.problem.status === 0 ? 'problem.offline' : 'apply.notFound');
      app = r.body;
    }
    service = await loadService(app ? app.service.id : encodeURIComponent(id));
    status.textContent = '';
    delete status.dataset.i18n;
    if (app && app.status !== 'draft') {
      page.append(applicationPage(app, service));
      return;
    }
    if (!service) return say('apply.noService');
    verified = await loadVerified();
    renderForm(app);
  }

  onLangChange(() => {
    if (document.body.dataset.view !== 'application' || !service) return;
    if (made && made.form.isConnected) renderForm(current());
    else if (app && app.status !== 'draft') page.replaceChildren(applicationPage(app, service));
  });

  return open;
}
