// The e-services catalogue for admins, in the admin view: every service
// (inactive ones too: GET /api/v1/services answers admins so), created or
// edited in one form: code, title and description in Greek and English,
// department, the form's fields (the typed definitions report categories
// use, edited with the same field editor), the documents to attach (code,
// names, accepted types, largest size, required), who may apply, the target
// time, the kind of answer and whether it is offered. The API checks
// everything in one statement (nothing half-saved); its errors land on the
// field they name, e.g. code or documents[0].max_kb.
import { call } from './api.js';
import { departmentsOf, fillSelect, loadCategories } from './categories.js';
import { el } from './dom.js';
import { clearProblems } from './field_errors.js';
import { addRow, checkPart, editCard, editorRow, fieldRow, memberOf, part, readFieldRows, renumber, setFieldRows } from './field_editor.js';
import { buildForm, sendJson, setOptions } from './form_fields.js';
import { lang, localName, t } from './i18n.js';
import { serviceText } from './services_page.js';

const FIELDS = { list: 'fields', prefix: 'sf', legendKey: 'admin.field', removeKey: 'admin.removeField' };
const DOCUMENTS = { list: 'documents', prefix: 'sd', legendKey: 'svcadmin.document', removeKey: 'svcadmin.removeDocument' };
const TYPES = ['pdf', 'jpeg', 'png'];
const TEXTS = ['title_el', 'title_en', 'description_el', 'description_en'];

// A required document's row.
function documentRow(d = {}) {
  const input = (value, lng) => {
    const i = el('input');
    i.value = value ?? '';
    if (lng) i.lang = lng;
    return i;
  };
  const types = el('select');
  types.multiple = true;
  types.size = TYPES.length;
  for (const x of TYPES) types.append(new Option(x.toUpperCase(), x, false, (d.types || ['pdf']).includes(x)));
  const maxKb = input(d.max_kb ?? 2048);
  maxKb.type = 'number';
  maxKb.min = '1';
  return editorRow(DOCUMENTS, [
    part('code', 'admin.code', input(d.code)),
    part('name_el', 'admin.nameEl', input(d.name_el, 'el')),
    part('name_en', 'admin.nameEn', input(d.name_en, 'en')),
    part('types', 'svcadmin.types', types),
    part('max_kb', 'svcadmin.maxKb', maxKb),
    checkPart('required', 'admin.required', d.required ?? true),
  ]);
}

function readDocumentRows(box) {
  return [...box.children].map((row) => {
    const v = (m) => memberOf(row, m);
    const kb = v('max_kb').value.trim();
    return {
      code: v('code').value.trim(),
      name_el: v('name_el').value.trim(),
      name_en: v('name_en').value.trim(),
      types: [...v('types').selectedOptions].map((o) => o.value),
      max_kb: kb === '' ? null : Number(kb), // the API names what is wrong
      required: v('required').checked,
    };
  });
}

// The wrapper of a list of rows (name: the API's member): its rows' box and
// the button that adds one, which carries the list's own errors.
function rowsField(name, labelKey, addKey) {
  const wrap = el('div', 'field');
  wrap.dataset.field = name;
  const label = el('span', 'label', t(labelKey));
  label.dataset.i18n = labelKey;
  const box = el('div');
  box.id = `svc-${name}`;
  const add = el('button', 'secondary', t(addKey));
  add.type = 'button';
  add.id = `svc-add-${name}`;
  add.dataset.i18n = addKey;
  add.dataset.control = '';
  const line = el('p', 'error field-error');
  line.id = `svc-${name}-error`;
  add.setAttribute('aria-describedby', line.id);
  wrap.append(label, box, add, line);
  return { wrap, box, add };
}

export function initServiceAdmin() {
  const section = document.querySelector('section[data-view="admin"]');
  const heading = el('h3', null, t('svcadmin.title'));
  heading.id = 'svc-title';
  heading.dataset.i18n = 'svcadmin.title';
  const list = el('ul', 'cards');
  list.id = 'svc-list';
  list.setAttribute('aria-labelledby', heading.id);
  const create = el('button', 'secondary', t('svcadmin.new'));
  create.type = 'button';
  create.id = 'svc-new';
  create.dataset.i18n = 'svcadmin.new';
  const done = el('p', 'done');
  done.id = 'svc-done';
  done.setAttribute('role', 'status');
  const formTitle = el('h4');
  formTitle.id = 'svc-form-title';
  // before the users' part of the view
  section.querySelector('#user-form').previousElementSibling.before(heading, list, create);
  const made = buildForm(section, {
    id: 'svc-form',
    submitKey: 'admin.save',
    fields: [
      { name: 'code', key: 'admin.code' },
      { name: 'title_el', key: 'svcadmin.titleEl', lang: 'el' },
      { name: 'title_en', key: 'svcadmin.titleEn', lang: 'en' },
      { name: 'description_el', key: 'svcadmin.descriptionEl', kind: 'textarea', lang: 'el' },
      { name: 'description_en', key: 'svcadmin.descriptionEn', kind: 'textarea', lang: 'en' },
      { name: 'department', key: 'admin.department', kind: 'select' },
      { name: 'applicants', key: 'services.who', kind: 'select' },
      { name: 'target_hours', key: 'svcadmin.targetHours', kind: 'number' },
      { name: 'answer_kind', key: 'svcadmin.answerKind', kind: 'select' },
      { name: 'active', key: 'admin.active', kind: 'checkbox' },
    ],
    onSubmit: save,
  });
  const { form, controls: c, submit } = made;
  form.hidden = true;
  form.setAttribute('aria-labelledby', formTitle.id);
  form.prepend(formTitle);
  create.after(form);
  form.after(done);
  c.target_hours.min = '1';
  setOptions(c.applicants, ['citizen', 'business', 'any'].map((a) => [a, '', `services.applicants.${a}`]));
  setOptions(c.answer_kind, ['generated', 'uploaded'].map((k) => [k, '', `svcadmin.answer.${k}`]));
  const fields = rowsField('fields', 'svcadmin.fields', 'admin.addField');
  const docs = rowsField('documents', 'svcadmin.documents', 'svcadmin.addDocument');
  const cancel = el('button', 'secondary', t('admin.cancel'));
  cancel.type = 'button';
  cancel.dataset.i18n = 'admin.cancel';
  const actions = el('div', 'actions');
  submit.before(fields.wrap, docs.wrap, actions);
  actions.append(submit, cancel);
  fields.add.addEventListener('click', () => addRow(fields.box, FIELDS, fieldRow(FIELDS)));
  docs.add.addEventListener('click', () => addRow(docs.box, DOCUMENTS, documentRow()));
  cancel.addEventListener('click', () => {
    form.hidden = true;
    create.focus();
  });

  let editing = null; // the service being edited, null when creating
  let services = [];

  async function open(s) {
    editing = s;
    clearProblems(form);
    done.textContent = '';
    formTitle.textContent = s ? t('svcadmin.edit').replace('{code}', s.code) : t('svcadmin.new');
    c.code.value = s?.code || '';
    c.code.disabled = !!s; // a code is for good: applications name it
    for (const k of TEXTS) c[k].value = s?.[k] || '';
    const known = departmentsOf([...(await loadCategories()), ...services]);
    fillSelect(c.department, known, t('form.choose'));
    c.department.value = s?.department || '';
    c.applicants.value = s?.applicants || 'citizen';
    c.target_hours.value = s?.target_hours ?? '';
    c.answer_kind.value = s?.answer_kind || 'generated';
    c.active.checked = s ? s.active : true;
    setFieldRows(fields.box, FIELDS, s?.fields);
    docs.box.replaceChildren(...(s?.documents || []).map(documentRow));
    renumber(docs.box, DOCUMENTS);
    form.hidden = false;
    (s ? c.title_el : c.code).focus();
  }

  async function save() {
    const body = { fields: readFieldRows(fields.box), documents: readDocumentRows(docs.box), active: c.active.checked };
    for (const k of TEXTS) body[k] = c[k].value.trim();
    for (const k of ['department', 'applicants', 'answer_kind']) if (c[k].value) body[k] = c[k].value;
    const hours = c.target_hours.value.trim();
    if (hours !== '') body.target_hours = Number(hours);
    if (!editing) body.code = c.code.value.trim();
    const saved = editing
      ? await sendJson(form, `/api/v1/services/${editing.id}`, body, { method: 'PATCH' })
      : await sendJson(form, '/api/v1/services', body);
    if (!saved) return;
    form.hidden = true;
    await show();
    done.textContent = t('svcadmin.saved').replace('{code}', saved.code);
  }

  function card(s) {
    const dept = localName({ name_el: s.department_name_el, name_en: s.department_name_en });
    const facts = t('svcadmin.facts').replace('{fields}', s.fields.length).replace('{documents}', s.documents.length);
    const li = editCard(serviceText(s), s.code, `${dept} · ${facts}${s.active ? '' : ` · ${t('admin.inactive')}`}`, () => open(s));
    li.dataset.service = s.code;
    return li;
  }

  async function show() {
    const r = await call(`/api/v1/services?lang=${lang()}`);
    services = r.ok ? r.body.services : [];
    list.replaceChildren(...services.map(card));
  }

  create.addEventListener('click', () => open(null));
  return { show };
}
