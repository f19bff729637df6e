// The editor of typed field definitions (Open311 attributes: code,
// datatype, required, descriptions, and for lists their values, one per
// line as "key | Ελληνικά | English"), shared by the report categories'
// admin and the e-services' admin, which store the same definitions; the
// rows it is made of, which the services' documents reuse; and the cards of
// both lists. A row is a <fieldset> of parts, each part's wrapper
// data-field="<list>[i].<member>", the name the API's errors use (e.g.
// fields[1].values).
import { el } from './dom.js';
import { t } from './i18n.js';

const DATATYPES = ['string', 'text', 'number', 'datetime', 'singlevaluelist', 'multivaluelist'];
const isList = (dt) => dt === 'singlevaluelist' || dt === 'multivaluelist';

// list: the API's name of the array ('fields'); prefix: the controls' ids
// ('cf' gives cf-0-code); legendKey: a row's legend, with {n}.
export const CATEGORY_FIELDS = { list: 'fields', prefix: 'cf', legendKey: 'admin.field', removeKey: 'admin.removeField' };

// One input of a row: its label, the control and its error line.
export function part(member, labelKey, control) {
  const wrap = el('div', 'field');
  wrap.dataset.member = member;
  const label = el('label', null, t(labelKey));
  const line = el('p', 'error field-error');
  control.dataset.control = '';
  wrap.append(label, control, line);
  return wrap;
}

// The card of one edited definition in an admin list: its name and code,
// a line of facts, and "Edit" (named after it) that runs onEdit.
export function editCard(name, code, facts, onEdit) {
  const li = el('li', 'card');
  li.append(el('p', 'card-head', `${name} (${code})`), el('p', 'hint', facts));
  const edit = el('button', 'secondary', t('admin.edit'));
  edit.type = 'button';
  edit.setAttribute('aria-label', `${t('admin.edit')}: ${name}`);
  edit.addEventListener('click', onEdit);
  li.append(edit);
  return li;
}

// A checkbox's part, the box beside its label.
export function checkPart(member, labelKey, checked) {
  const box = el('input');
  box.type = 'checkbox';
  box.checked = !!checked;
  const p = part(member, labelKey, box);
  p.classList.add('check');
  return p;
}

// Names, ids and labels follow the rows' order after an add or a removal.
export function renumber(box, layout) {
  [...box.children].forEach((row, i) => {
    row.querySelector('legend').textContent = t(layout.legendKey).replace('{n}', i + 1);
    for (const w of row.querySelectorAll('[data-member]')) {
      const id = `${layout.prefix}-${i}-${w.dataset.member}`;
      const control = w.querySelector('[data-control]');
      const line = w.querySelector('.field-error');
      w.dataset.field = `${layout.list}[${i}].${w.dataset.member}`;
      control.id = id;
      line.id = `${id}-error`;
      control.setAttribute('aria-describedby', line.id);
      w.querySelector('label').htmlFor = id;
    }
  });
}

// A row of box: a legend, the parts and a button that removes the row.
export function editorRow(layout, parts) {
  const row = el('fieldset', 'field-row');
  row.append(el('legend'), ...parts);
  const remove = el('button', 'secondary', t(layout.removeKey));
  remove.type = 'button';
  remove.addEventListener('click', () => {
    const box = row.parentElement;
    row.remove();
    renumber(box, layout);
  });
  row.append(remove);
  return row;
}

// The control of member in a row.
export function memberOf(row, member) {
  return row.querySelector(`[data-member="${member}"] [data-control]`);
}

// A field definition's row.
export function fieldRow(layout, f = {}) {
  const code = el('input');
  code.value = f.code || '';
  const dt = el('select');
  for (const d of DATATYPES) dt.append(new Option(t(`datatype.${d}`), d));
  dt.value = f.datatype || 'string';
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
  return editorRow(layout, [
    part('code', 'admin.code', code),
    part('datatype', 'admin.datatype', dt),
    checkPart('required', 'admin.required', f.required),
    part('description_el', 'admin.descriptionEl', dEl),
    part('description_en', 'admin.descriptionEn', dEn),
    valuesPart,
  ]);
}

// box's rows drawn from definitions (a list of fields), numbered.
export function setFieldRows(box, layout, fields) {
  box.replaceChildren(...(fields || []).map((f) => fieldRow(layout, f)));
  renumber(box, layout);
}

// Appends an empty row and puts the focus in it.
export function addRow(box, layout, row) {
  box.append(row);
  renumber(box, layout);
  box.lastElementChild.querySelector('input').focus();
}

// The definitions as the API takes them, in the rows' order.
export function readFieldRows(box) {
  return [...box.children].map((row, i) => {
    const v = (m) => memberOf(row, m);
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
