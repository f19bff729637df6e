// Category admin: every category (admins also see inactive ones), created
// or edited in one form with its extra fields (Open311 attributes: code,
// datatype, required, descriptions, and for lists their values, one per
// line as "key | Ελληνικά | English"; the editor is web/field_editor.js,
// shared with the e-services' admin). The API checks everything; its
// errors land on the field they name, e.g. fields[1].values.
import { apiJson, problemOf } from './api.js';
import { departmentsOf, fillSelect, loadCategories } from './categories.js';
import { clearProblems, showProblem } from './field_errors.js';
import { localName, t } from './i18n.js';
import { CATEGORY_FIELDS, addRow, editCard, fieldRow, readFieldRows, setFieldRows } from './field_editor.js';

const $ = (id) => document.getElementById(id);

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
    setFieldRows(box, CATEGORY_FIELDS, c?.fields);
    form.hidden = false;
    (c ? $('c-name-el') : $('c-code')).focus();
  }

  function card(c) {
    const facts = `${localName({ name_el: c.department_name_el, name_en: c.department_name_en })} · ${t('admin.nFields').replace('{n}', c.fields.length)}${c.active ? '' : ` · ${t('admin.inactive')}`}${c.private ? ` · ${t('admin.privateShort')}` : ''}`;
    const li = editCard(localName(c), c.code, facts, () => open(c));
    li.dataset.category = c.code;
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
    addRow(box, CATEGORY_FIELDS, fieldRow(CATEGORY_FIELDS));
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    const body = {
      name_el: $('c-name-el').value.trim(),
      name_en: $('c-name-en').value.trim(),
      active: $('c-active').checked,
      private: $('c-private').checked,
      fields: readFieldRows(box),
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
