// A category's extra fields (Open311 attributes: string, text, number,
// singlevaluelist, multivaluelist, datetime) as form controls, and their
// answers read back as the report's `attributes` object. Each field's
// wrapper is data-field="attributes.CODE", the name the API's errors use.
// E-services use the same definitions for their forms, named "answers"
// (renderFields' options), and put a saved draft's answers back
// (writeFields).
import { fieldWrapper } from './field_errors.js';
import { lang, localName, t } from './i18n.js';

function describeField(f) {
  return (lang() === 'en' ? f.description_en : f.description_el) || f.description_el || f.description_en || f.code;
}

function labelFor(f, id) {
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = describeField(f);
  if (f.required) {
    const mark = document.createElement('span');
    mark.className = 'required';
    mark.textContent = ` (${t('form.required')})`;
    label.append(mark);
  }
  return label;
}

function control(f, id, name) {
  let el;
  switch (f.datatype) {
    case 'text':
      el = document.createElement('textarea');
      el.rows = 3;
      break;
    case 'number':
      el = document.createElement('input');
      el.type = 'number';
      el.step = 'any';
      el.inputMode = 'decimal';
      break;
    case 'datetime':
      el = document.createElement('input');
      el.type = 'datetime-local';
      break;
    case 'singlevaluelist':
    case 'multivaluelist': {
      el = document.createElement('select');
      el.multiple = f.datatype === 'multivaluelist';
      if (!el.multiple) el.append(new Option(t('form.choose'), ''));
      for (const v of f.values || []) el.append(new Option(localName(v), v.key));
      break;
    }
    default:
      el = document.createElement('input');
      el.type = 'text';
  }
  el.id = id;
  el.name = `${name}.${f.code}`;
  el.dataset.code = f.code;
  el.dataset.datatype = f.datatype;
  if (f.required) el.setAttribute('aria-required', 'true');
  return el;
}

// Replaces container's content with the controls of category.fields, in
// their order. name: the member the API's errors name ("attributes.CODE");
// idPrefix: the controls' ids ("attr-CODE").
export function renderFields(container, category, { name = 'attributes', idPrefix = 'attr' } = {}) {
  container.replaceChildren();
  const fields = [...(category?.fields || [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const f of fields) {
    const id = `${idPrefix}-${f.code}`;
    container.append(fieldWrapper(`${name}.${f.code}`, labelFor(f, id), control(f, id, name)));
  }
}

// An RFC 3339 instant → "2024-05-01T09:30" in this browser's time (what a
// datetime-local control shows).
function rfc3339ToLocal(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// Puts answers ({code: value}, as readFields gives them) back into the
// controls renderFields made; codes without a control are left out.
export function writeFields(container, answers) {
  for (const [code, v] of Object.entries(answers || {})) {
    const el = container.querySelector(`[data-code="${CSS.escape(code)}"]`);
    if (!el) continue;
    if (el.dataset.datatype === 'multivaluelist') {
      const keys = new Set(Array.isArray(v) ? v.map(String) : [String(v)]);
      for (const o of el.options) o.selected = keys.has(o.value);
    } else if (el.dataset.datatype === 'datetime') el.value = rfc3339ToLocal(v);
    else el.value = String(v);
  }
}

// "2024-05-01T09:30" (local) → RFC 3339 with this browser's offset.
function localToRfc3339(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value; // the API names what is wrong
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${value.length === 16 ? `${value}:00` : value}${sign}${pad(off / 60)}:${pad(off % 60)}`;
}

// The answers given, {code: value}; empty fields are left out (the API
// says which required ones are missing).
export function readFields(container) {
  const out = {};
  for (const el of container.querySelectorAll('[data-code]')) {
    const code = el.dataset.code;
    switch (el.dataset.datatype) {
      case 'multivaluelist': {
        const keys = [...el.selectedOptions].map((o) => o.value);
        if (keys.length) out[code] = keys;
        break;
      }
      case 'number':
        if (el.value !== '') out[code] = Number(el.value);
        break;
      case 'datetime':
        if (el.value) out[code] = localToRfc3339(el.value);
        break;
      default:
        if (el.value.trim() !== '') out[code] = el.value.trim();
    }
  }
  return out;
}
