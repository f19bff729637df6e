// Form fields built in script, shaped the way field_errors.js expects
// (wrapper data-field=name, control, error line): used by the POI and event
// editors and the account pages, and by the fields of index.html.
// Labels carry data-i18n, so a language switch renames them.
import { call } from './api.js';
import { el } from './dom.js';
import { clearProblems, fieldWrapper, showProblem } from './field_errors.js';
import { t } from './i18n.js';

// control as a field: its label (i18n key), the control, an optional hint
// (i18n key) and the error line, in <div class="field" data-field=name>; a
// checkbox sits inside its label. Returns the wrapper.
export function wrapField(control, { name, key, hint }) {
  const check = control.type === 'checkbox';
  const label = el('label');
  const words = check ? el('span') : label;
  words.textContent = t(key);
  words.dataset.i18n = key;
  if (!check) label.htmlFor = control.id;
  const wrap = fieldWrapper(name, label, control);
  if (check) {
    wrap.classList.add('check');
    label.append(control, ' ', words);
  }
  if (hint) {
    const p = el('p', 'hint', t(hint));
    p.id = `${control.id}-hint`;
    p.dataset.i18n = hint;
    control.after(p);
    control.setAttribute('aria-describedby', `${p.id} ${control.getAttribute('aria-describedby')}`);
  }
  return wrap;
}

// The page's own fields are written in index.html as the bare control with
// data-field (the name the API gives it), data-label (its label's i18n key)
// and, when it has one, data-hint: each is wrapped here, before any script
// reads the page.
export function expandFields(root = document) {
  for (const control of root.querySelectorAll('[data-label]')) {
    const { field: name, label: key, hint } = control.dataset;
    for (const a of ['field', 'label', 'hint']) delete control.dataset[a];
    const spot = document.createComment('');
    control.replaceWith(spot);
    spot.replaceWith(wrapField(control, { name, key, hint }));
  }
}

// kind: input type ('text', 'url', 'tel', 'number', 'date',
// 'datetime-local'), 'textarea', 'select' or 'checkbox'. Returns the control.
export function addField(parent, { id, name, key, kind = 'text', lang }) {
  const control = kind === 'textarea' ? el('textarea') : kind === 'select' ? el('select') : el('input');
  if (control.tagName === 'INPUT') control.type = kind;
  if (kind === 'textarea') control.rows = 3;
  control.id = id;
  if (lang) control.lang = lang;
  parent.append(wrapField(control, { name, key }));
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

// A form built in script: the fields (addField's options), a submit button,
// the general error line (role=alert) and a done line (role=status) for the
// result, appended to parent. The button's text is submitKey (by default
// the i18n key "<id>.submit"). On submit the done line is emptied and
// onSubmit(made) runs. Returns made: { form, controls: {name: control},
// done, submit }.
export function buildForm(parent, { id, fields, submitKey = `${id}.submit`, onSubmit }) {
  const form = el('form', 'editor');
  form.id = id;
  form.noValidate = true;
  const controls = {};
  for (const f of fields) {
    const control = addField(form, { id: `${id}-${f.name.replace(/_/g, '-')}`, ...f });
    if (f.autocomplete) control.autocomplete = f.autocomplete;
    controls[f.name] = control;
  }
  const submit = el('button', 'primary', t(submitKey));
  submit.type = 'submit';
  submit.dataset.i18n = submitKey;
  const general = el('p', 'error form-error');
  general.setAttribute('role', 'alert');
  const done = el('p', 'done');
  done.setAttribute('role', 'status');
  form.append(submit, general, done);
  parent.append(form);
  const made = { form, controls, done, submit };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    done.textContent = '';
    await onSubmit?.(made);
  });
  return made;
}

// Sends body as JSON (POST or method, with headers added) for form: clears the form's
// problems, and shows the API's refusal next to the fields it names.
// Returns the answer's body ({} for a 204) or null when it was refused.
export async function sendJson(form, path, body, { method = 'POST', headers = {} } = {}) {
  clearProblems(form);
  const r = await call(path, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (r.ok) return r.body ?? {};
  showProblem(form, r.problem);
  return null;
}
