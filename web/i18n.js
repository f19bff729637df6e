// The one message catalogue of the pages, Greek and English, and the
// language switch: the choice is kept in localStorage and applied to every
// element with data-i18n (text) or data-i18n-aria (aria-label).
import el from './i18n_el.js';
import en from './i18n_en.js';

const messages = { el, en };

export const languages = Object.keys(messages);
const KEY = 'polis.lang';
const listeners = [];

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: fall back to the default
  }
}

let current = languages.includes(stored()) ? stored() : 'el';

export function lang() {
  return current;
}

// The text of key in the current language (the key itself when missing, so
// a forgotten entry shows up on screen instead of an empty label).
export function t(key) {
  return messages[current][key] ?? messages.el[key] ?? key;
}

// Greek or English field of an API object: name_el / name_en.
export function localName(obj) {
  if (!obj) return '';
  return (current === 'en' ? obj.name_en : obj.name_el) || obj.name_el || obj.name_en || '';
}

export function applyI18n(root = document) {
  document.documentElement.lang = current;
  document.title = `${t('app.title')} · polis`;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria]'))
    el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll('[data-lang]'))
    el.setAttribute('aria-pressed', String(el.dataset.lang === current));
}

export function onLangChange(fn) {
  listeners.push(fn);
}

export function setLang(next) {
  if (!languages.includes(next)) return;
  current = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // not remembered, still switched
  }
  applyI18n();
  for (const fn of listeners) fn(current);
}
