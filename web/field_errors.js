// Showing the API's problem next to the field it names. A form marks each
// field's wrapper with data-field="name" holding one control and one
// .field-error paragraph; the paragraph is tied to the control with
// aria-describedby and the control gets aria-invalid, so a screen reader
// reads the message with the field. Errors naming no field on the form (or
// problems without errors[], like a 413) go to the form's general line.
import { t } from './i18n.js';

// The map's coordinates are one control on the page: the location.
const ALIASES = { lat: 'location', lon: 'location', long: 'location' };

function controlOf(wrapper) {
  return wrapper.querySelector('[data-control]') || wrapper.querySelector('input, select, textarea, button');
}

function errorLine(wrapper) {
  return wrapper.querySelector('.field-error');
}

export function clearProblems(root) {
  for (const w of root.querySelectorAll('[data-field]')) {
    const line = errorLine(w);
    const control = controlOf(w);
    if (line) line.textContent = '';
    if (control) control.removeAttribute('aria-invalid');
  }
  for (const g of root.querySelectorAll('.form-error')) g.textContent = '';
}

// Builds the wrapper of a field: <div data-field=name> label, control, error.
// The error line's id is derived from the control's id.
export function fieldWrapper(name, label, control) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  wrap.dataset.field = name;
  const line = document.createElement('p');
  line.className = 'error field-error';
  line.id = `${control.id}-error`;
  control.dataset.control = '';
  control.setAttribute('aria-describedby', line.id);
  wrap.append(label, control, line);
  return wrap;
}

// The wrapper of name, or of the nearest enclosing name that has one:
// "fields[0].values[2].key" lands on "fields[0].values" when that is a field.
function wrapperFor(root, name) {
  for (let key = ALIASES[name] ?? name; key; key = key.replace(/(\.[^.[]*|\[\d+\])$/, '')) {
    const w = root.querySelector(`[data-field="${CSS.escape(key)}"]`);
    if (w) return w;
    if (!/[.[]/.test(key)) break;
  }
  return null;
}

function describe(e) {
  const parts = [];
  if (e.expected) parts.push(`${t('problem.expected')}: ${e.expected}`);
  if (e.found) parts.push(`${t('problem.found')}: ${e.found}`);
  return parts.join(' · ');
}

function mark(wrapper, text) {
  const line = errorLine(wrapper);
  const control = controlOf(wrapper);
  line.textContent = line.textContent ? `${line.textContent} ${text}` : text;
  if (control) control.setAttribute('aria-invalid', 'true');
  return control;
}

// Shows problem ({status, detail, errors}) on root. field: the field a
// problem without errors[] belongs to (e.g. 'photo' for a 413). Returns the
// first control marked, focused so the keyboard lands on it.
export function showProblem(root, problem, { field = null } = {}) {
  clearProblems(root);
  const general = root.querySelector('.form-error');
  let first = null;
  const left = [];
  for (const e of problem.errors) {
    const w = wrapperFor(root, e.name);
    if (!w) {
      left.push(`${e.name}: ${describe(e)}`);
      continue;
    }
    const c = mark(w, describe(e));
    first = first || c;
  }
  if (!problem.errors.length) {
    const w = field && wrapperFor(root, field);
    const text = problem.status === 0 ? t('problem.offline') : problem.detail;
    if (w) first = mark(w, text);
    else left.push(text);
  }
  if (general && left.length) general.textContent = left.join(' ');
  // the first in the order of the form, not of the API's list
  first = root.querySelector('[aria-invalid="true"]') || first;
  first?.focus();
  return first;
}
