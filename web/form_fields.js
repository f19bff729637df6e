// Form fields built in script, shaped the way field_errors.js expects
// (wrapper data-field=name, control, error line): used by the POI and event
// editors, whose many fields would otherwise be a page of repeated HTML.
// Labels carry data-i18n, so a language switch renames them.
import { el } from './dom.js';
import { fieldWrapper } from './field_errors.js';
import { t } from './i18n.js';

// kind: input type ('text', 'url', 'tel', 'number', 'date',
// 'datetime-local'), 'textarea', 'select' or 'checkbox'. Returns the control.
export function addField(parent, { id, name, key, kind = 'text', lang }) {
  const control = kind === 'textarea' ? el('textarea') : kind === 'select' ? el('select') : el('input');
  if (control.tagName === 'INPUT') control.type = kind;
  if (kind === 'textarea') control.rows = 3;
  control.id = id;
  if (lang) control.lang = lang;
  const label = el('label', null, t(key));
  label.htmlFor = id;
  label.dataset.i18n = key;
  if (kind === 'checkbox') {
    // the box inside its label, as the other forms do
    const wrap = fieldWrapper(name, label, control);
    wrap.classList.add('check');
    label.textContent = '';
    const span = el('span', null, t(key));
    span.dataset.i18n = key;
    delete label.dataset.i18n;
    label.append(control, ' ', span);
    parent.append(wrap);
    return control;
  }
  parent.append(fieldWrapper(name, label, control));
  return control;
}

// <option>s of select: [[value, text, i18nKey?], ...]
export function setOptions(select, options) {
  const keep = select.value;
  select.replaceChildren(
    ...options.map(([value, text, key]) => {
      const o = el('option', null, key ? t(key) : text);
      o.value = value;
      if (key) o.dataset.i18n = key;
      return o;
    }),
  );
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}
