// Category admin: every category (admins also see inactive ones), created
// or edited in one form with its extra fields (Open311 attributes: code,
// datatype, required, descriptions, and for lists their values, one per
// line as "key | Ελληνικά | English"). The API checks everything; its
// errors land on the field they name, e.g. fields[1].values.
import { apiJson, problemOf } from './api.js';
import { departmentsOf, fillSelect, loadCategories } from './categories.js';
import { clearProblems, showProblem } from './field_errors.js';
import { localName, t } from './i18n.js';
import { el } from './dom.js';

const DATATYPES = ['string', 'text', 'number', 'datetime', 'singlevaluelist', 'multivaluelist'];
const isList = (dt) => dt === 'singlevaluelist' || dt === 'multivaluelist';
const $ = (id) => document.getElementById(id);

// One input of a field row: wrapper data-field="fields[i].member".
function part(member, labelKey, control) {
  const wrap = el('div', 'field');
  wrap.dataset.member = member;
  const label = el('label', null, t(labelKey));
  const line = el('p', 'error field-error');
  control.dataset.control = '';
  wrap.append(label, control, line);
  return wrap;
}

function fieldRow(f = {}) {
  const row = el('fieldset', 'field-row');
  row.append(el('legend'));
  const code = el('input');
  code.value = f.code || '';
  const dt = el('select');
  for (const d of DATATYPES) dt.append(new Option(t(`datatype.${d}`), d));
  dt.value = f.datatype || 'string';
  const required = el('input');
  required.type = 'checkbox';
  required.checked = !!f.required;
  const dEl = el('input');
  dEl.lang = 'el';
  dEl.value = f.description_el || '';
  const dEn = el('input');
  dEn.lang = 'en';
  dEn.value = f.description_en || '';
  const values = el('textarea');
  values.rows = 3;
  values.value = (f.values || []).map((v) => `${v.key} | ${v.name_el || ''} | ${v.name_en || ''}`).join('\n');
  const valuesPart = part('values', 'admin.values', values);
  valuesPart.append(el('p', 'hint', t('admin.valuesHint')));
  const sync = () => (valuesPart.hidden = !isList(dt.value));
  dt.addEventListener('change', sync);
  sync();
  const remove = el('button', 'secondary', t('admin.removeField'));
  remove.type = 'button';
  remove.addEventListener('click', () => {
    const box = row.parentElement;
    row.remove();
    renumber(box);
  });
  const req = part('required', 'admin.required', required);
  req.classList.add('check');
  row.append(
    part('code', 'admin.code', code),
    part('datatype', 'admin.datatype', dt),
    req,
    part('description_el', 'admin.descriptionEl', dEl),
    part('description_en', 'admin.descriptionEn', dEn),
    valuesPart,
    remove,
  );
  return row;
}

// Names, ids and labels follow the rows' order after an add or a removal.
function renumber(box) {
  [...box.children].forEach((row, i) => {
    row.querySelector('legend').textContent = t('admin.field').replace('{n}', i + 1);
    for (const w of row.querySelectorAll('[data-member]')) {
      const name = `fields[${i}].${w.dataset.member}`;
      const id = `cf-${i}-${w.dataset.member}`;
      const control = w.querySelector('[data-control]');
      const line = w.querySelector('.field-error');
      w.dataset.field = name;
      control.id = id;
      line.id = `${id}-error`;
      control.setAttribute('aria-describedby', line.id);
      w.querySelector('label').htmlFor = id;
    }
  });
}

function readRows(box) {
  return [...box.children].map((row, i) => {
    const v = (m) => row.querySelector(`[data-member="${m}"] [data-control]`);
    const f = { code: v('code').value.trim(), datatype: v('datatype').value, required: v('required').checked, order: i + 1 };
    if (v('description_el').value.trim()) f.description_el = v('description_el').value.trim();
    if (v('description_en').value.trim()) f.description_en = v('description_en').value.trim();
    if (isList(f.datatype))
      f.values = v('values')
        .value.split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          const [key, nameEl, nameEn] = line.split('|').map((s) => s.trim());
          return { key, name_el: nameEl || key, name_en: nameEn || nameEl || key };
        });
    return f;
  });
}

export function initCategoryAdmin() {
  const form = $('cat-form');
  const box = $('c-fields');
  let editing = null; // the category being edited, null when creating
  let categories = [];

  function open(c) {
    editing = c;
    clearProblems(form);
    $('cat-done').textContent = '';
    $('cat-form-title').textContent = c ? t('admin.editCategory').replace('{code}', c.code) : t('admin.newCategory');
    $('c-code').value = c?.code || '';
    $('c-code').disabled = !!c; // a code is for good: reports and apps use it
    $('c-name-el').value = c?.name_el || '';
    $('c-name-en').value = c?.name_en || '';
    fillSelect($('c-department'), departmentsOf(categories), t('form.choose'));
    $('c-department').value = c?.department || '';
    $('c-icon').value = c?.icon || '';
    $('c-active').checked = c ? c.active : true;
    $('c-private').checked = c ? c.private : false;
    box.replaceChildren(...(c?.fields || []).map(fieldRow));
    renumber(box);
    form.hidden = false;
    (c ? $('c-name-el') : $('c-code')).focus();
  }

  function card(c) {
    const li = el('li', 'card');
    li.dataset.category = c.code;
    li.append(
      el('p', 'card-head', `${localName(c)} (${c.code})`),
      el('p', 'hint', `${localName({ name_el: c.department_name_el, name_en: c.department_name_en })} · ${t('admin.nFields').replace('{n}', c.fields.length)}${c.active ? '' : ` · ${t('admin.inactive')}`}${c.private ? ` · ${t('admin.privateShort')}` : ''}`),
    );
    const edit = el('button', 'secondary', t('admin.edit'));
    edit.type = 'button';
    edit.setAttribute('aria-label', `${t('admin.edit')}: ${localName(c)}`);
    edit.addEventListener('click', () => open(c));
    li.append(edit);
    return li;
  }

  async function list() {
    categories = await loadCategories(true);
    $('cat-list').replaceChildren(...categories.map(card));
  }

  $('cat-new').addEventListener('click', () => open(null));
  $('cat-cancel').addEventListener('click', () => {
    form.hidden = true;
    $('cat-new').focus();
  });
  $('c-add-field').addEventListener('click', () => {
    box.append(fieldRow());
    renumber(box);
    box.lastElementChild.querySelector('input').focus();
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    const body = {
      name_el: $('c-name-el').value.trim(),
      name_en: $('c-name-en').value.trim(),
      active: $('c-active').checked,
      private: $('c-private').checked,
      fields: readRows(box),
    };
    if (!editing) body.code = $('c-code').value.trim();
    if ($('c-department').value) body.department = $('c-department').value;
    if ($('c-icon').value.trim()) body.icon = $('c-icon').value.trim();
    let res;
    try {
      res = editing ? await apiJson(`/api/v1/categories/${editing.id}`, body, 'PATCH') : await apiJson('/api/v1/categories', body);
    } catch {
      res = null;
    }
    if (!res || !res.ok) return showProblem(form, await problemOf(res));
    const saved = await res.json();
    form.hidden = true;
    await list();
    $('cat-done').textContent = t('admin.categorySaved').replace('{code}', saved.code);
  });

  return { show: list };
}
