// The one message catalogue of the pages, Greek and English, and the
// language switch: the choice is kept in localStorage and applied to every
// element with data-i18n (text) or data-i18n-aria (aria-label).
const messages = {
  el: {
    'app.title': 'Χάρτης του πολίτη',
    'nav.skip': 'Μετάβαση στο πλαίσιο',
    'lang.label': 'Γλώσσα',
    'map.label': 'Χάρτης του δήμου',
    'map.locate': 'Πού βρίσκομαι;',
    'map.locating': 'Αναζήτηση θέσης…',
    'map.noGeolocation': 'Ο περιηγητής δεν δίνει τη θέση σας.',
    'map.geolocationDenied': 'Δεν ήταν δυνατό να βρεθεί η θέση σας.',
    'map.noLibrary': 'Ο χάρτης δεν φορτώθηκε.',
    'map.zoomIn': 'Μεγέθυνση',
    'map.zoomOut': 'Σμίκρυνση',
    'place.title': 'Σημείο',
    'place.hint': 'Πατήστε στον χάρτη για να δείτε σε ποιον δήμο βρίσκεται το σημείο.',
    'place.looking': 'Αναζήτηση…',
    'place.outside': 'Το σημείο δεν ανήκει σε κανέναν δήμο της υπηρεσίας.',
    'place.failed': 'Η αναζήτηση απέτυχε. Δοκιμάστε ξανά.',
    'place.unit': 'Δημοτική ενότητα',
    'place.community': 'Κοινότητα',
    'account.title': 'Λογαριασμός',
    'account.email': 'Email',
    'account.password': 'Κωδικός',
    'account.signIn': 'Σύνδεση',
    'account.signOut': 'Αποσύνδεση',
    'account.signedInAs': 'Συνδεδεμένος/η ως',
    'account.missing': 'Συμπληρώστε email και κωδικό.',
    'account.wrong': 'Λάθος email ή κωδικός.',
    'account.tooMany': 'Πολλές προσπάθειες. Δοκιμάστε σε λίγο.',
    'account.failed': 'Η σύνδεση απέτυχε. Δοκιμάστε ξανά.',
  },
  en: {
    'app.title': 'Citizen map',
    'nav.skip': 'Skip to the panel',
    'lang.label': 'Language',
    'map.label': 'Map of the municipality',
    'map.locate': 'Where am I?',
    'map.locating': 'Finding your position…',
    'map.noGeolocation': 'This browser does not give your position.',
    'map.geolocationDenied': 'Your position could not be found.',
    'map.noLibrary': 'The map did not load.',
    'map.zoomIn': 'Zoom in',
    'map.zoomOut': 'Zoom out',
    'place.title': 'Place',
    'place.hint': 'Tap the map to see which municipality the point is in.',
    'place.looking': 'Looking it up…',
    'place.outside': 'The point is not in any municipality served here.',
    'place.failed': 'The lookup failed. Please try again.',
    'place.unit': 'Municipal unit',
    'place.community': 'Community',
    'account.title': 'Account',
    'account.email': 'Email',
    'account.password': 'Password',
    'account.signIn': 'Sign in',
    'account.signOut': 'Sign out',
    'account.signedInAs': 'Signed in as',
    'account.missing': 'Enter your email and password.',
    'account.wrong': 'Wrong email or password.',
    'account.tooMany': 'Too many attempts. Please wait a moment.',
    'account.failed': 'Signing in failed. Please try again.',
  },
};

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
