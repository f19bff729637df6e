// The report categories of the served municipality (GET /api/v1/categories,
// active ones; admins get all), loaded once per sign-in state, and the
// departments they route to (there is no departments list of its own).
import { call } from './api.js';
import { localName } from './i18n.js';

let loaded = null;

export function loadCategories(force = false) {
  if (!loaded || force)
    loaded = call('/api/v1/categories').then((r) => (r.ok ? r.body.categories : []));
  return loaded;
}

// [{id, code, name_el, name_en}] of every department a category names, by code.
export function departmentsOf(categories) {
  const seen = new Map();
  for (const c of categories)
    if (!seen.has(c.department))
      seen.set(c.department, { id: c.department_id, code: c.department, name_el: c.department_name_el, name_en: c.department_name_en });
  return [...seen.values()].sort((a, b) => a.code.localeCompare(b.code));
}

// Fills a <select> with options {value: code, text: local name}, keeping
// the chosen value when it is still there; first is the empty option's text.
export function fillSelect(select, items, first) {
  const keep = select.value;
  select.replaceChildren();
  if (first !== undefined) select.append(new Option(first, ''));
  for (const it of items) select.append(new Option(localName(it) || it.code, it.code));
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}
