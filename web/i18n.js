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
    'place.hint': 'Πατήστε στον χάρτη στο σημείο του προβλήματος ή «Πού βρίσκομαι;».',
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
    'nav.label': 'Σελίδες',
    'nav.report': 'Νέα αναφορά',
    'nav.mine': 'Οι αναφορές μου',
    'nav.inbox': 'Μηνύματα',
    'nav.staff': 'Υπηρεσία',
    'report.title': 'Αναφορά προβλήματος',
    'report.location': 'Σημείο του προβλήματος',
    'report.category': 'Κατηγορία',
    'report.chooseCategory': '— Επιλέξτε κατηγορία —',
    'report.description': 'Περιγραφή',
    'report.photos': 'Φωτογραφίες (έως 5)',
    'report.photosHint': 'Μικραίνουν αυτόματα πριν σταλούν.',
    'report.contact': 'Στοιχεία επικοινωνίας (προαιρετικά)',
    'report.contactName': 'Όνομα',
    'report.contactEmail': 'Email',
    'report.send': 'Αποστολή αναφοράς',
    'report.filed': 'Η αναφορά #{id} καταχωρίστηκε. Θα τη βρείτε στις «Οι αναφορές μου».',
    'report.filedPhotoFailed': 'Η αναφορά #{id} καταχωρίστηκε, αλλά μια φωτογραφία δεν έγινε δεκτή. Διορθώστε την και πατήστε ξανά Αποστολή.',
    'form.required': 'υποχρεωτικό',
    'form.choose': '— Επιλέξτε —',
    'nearby.title': 'Έχουν ήδη αναφερθεί κοντά',
    'nearby.hint': 'Αν κάποιο είναι το ίδιο πρόβλημα, πατήστε «Κι εγώ» αντί για νέα αναφορά· αλλιώς συνεχίστε.',
    'nearby.metres': '{n} μ.',
    'nearby.supporters': 'Υποστηρικτές: {n}',
    'nearby.meToo': 'Κι εγώ',
    'nearby.supported': 'Το υποστηρίζετε',
    'nearby.signInToSupport': 'Συνδεθείτε για να το υποστηρίξετε.',
    'problem.expected': 'Αναμενόταν',
    'problem.found': 'δόθηκε',
    'problem.offline': 'Δεν υπάρχει σύνδεση με τον διακομιστή. Δοκιμάστε ξανά.',
    'status.submitted': 'Υποβλήθηκε',
    'status.acknowledged': 'Παρελήφθη',
    'status.in_progress': 'Σε εξέλιξη',
    'status.reopened': 'Άνοιξε ξανά',
    'status.resolved': 'Επιλύθηκε',
    'status.rejected': 'Απορρίφθηκε',
    'status.duplicate': 'Διπλότυπη',
    'status.closed': 'Έκλεισε',
    'thread.timeline': 'Ιστορικό',
    'thread.internalNote': 'Εσωτερική σημείωση',
    'thread.photos': 'Φωτογραφίες',
    'thread.photoAlt': 'Φωτογραφία {n} της αναφοράς #{id}',
    'thread.messages': 'Μηνύματα',
    'thread.fromReporter': 'Πολίτης',
    'thread.reply': 'Απάντηση',
    'thread.send': 'Αποστολή',
    'mine.title': 'Οι αναφορές μου',
    'mine.empty': 'Δεν έχετε στείλει αναφορές από αυτή τη συσκευή ή τον λογαριασμό.',
    'mine.more': 'Ιστορικό και μηνύματα',
    'mine.follow': 'Παρακολούθηση',
    'mine.unfollow': 'Διακοπή παρακολούθησης',
    'inbox.title': 'Μηνύματα',
    'inbox.empty': 'Δεν υπάρχουν μηνύματα.',
    'inbox.unread': '{n} αδιάβαστα',
    'inbox.fromDepartment': 'Από την υπηρεσία',
    'inbox.fromReporter': 'Από τον πολίτη',
    'inbox.markRead': 'Σήμανση ως αναγνωσμένο',
    'staff.title': 'Αναφορές της υπηρεσίας',
    'staff.department': 'Τμήμα',
    'staff.status': 'Κατάσταση',
    'staff.category': 'Κατηγορία',
    'staff.text': 'Κείμενο',
    'staff.since': 'Από',
    'staff.until': 'Έως',
    'staff.id': 'Αρ.',
    'staff.descriptionCol': 'Περιγραφή',
    'staff.created': 'Υποβολή',
    'staff.all': 'Όλα',
    'staff.count': '{n} αναφορές',
    'staff.open': 'Άνοιγμα της αναφοράς #{id}',
    'detail.status': 'Κατάσταση',
    'detail.department': 'Τμήμα',
    'detail.created': 'Υποβολή',
    'detail.description': 'Περιγραφή',
    'detail.address': 'Διεύθυνση',
    'detail.supporters': 'Υποστηρικτές',
    'detail.reporter': 'Πολίτης',
    'detail.change': 'Αλλαγή κατάστασης',
    'detail.newStatus': 'Νέα κατάσταση',
    'detail.keep': 'χωρίς αλλαγή',
    'detail.publicComment': 'Δημόσιο σχόλιο (το διαβάζει ο πολίτης)',
    'detail.internalNote': 'Εσωτερική σημείωση (μόνο για την υπηρεσία)',
    'detail.reassign': 'Μεταφορά σε άλλο τμήμα',
    'detail.sameDepartment': '— Ίδιο τμήμα —',
    'detail.duplicateOf': 'Διπλότυπη της αναφοράς αρ.',
    'detail.save': 'Αποθήκευση',
    'detail.saved': 'Αποθηκεύτηκε: {status}.',
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
    'place.hint': 'Tap the map where the problem is, or "Where am I?".',
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
    'nav.label': 'Pages',
    'nav.report': 'New report',
    'nav.mine': 'My reports',
    'nav.inbox': 'Mailbox',
    'nav.staff': 'Staff',
    'report.title': 'Report a problem',
    'report.location': 'Where the problem is',
    'report.category': 'Category',
    'report.chooseCategory': '— Choose a category —',
    'report.description': 'Description',
    'report.photos': 'Photos (up to 5)',
    'report.photosHint': 'They are made smaller before they are sent.',
    'report.contact': 'Contact details (optional)',
    'report.contactName': 'Name',
    'report.contactEmail': 'Email',
    'report.send': 'Send the report',
    'report.filed': 'Report #{id} was filed. You will find it under "My reports".',
    'report.filedPhotoFailed': 'Report #{id} was filed, but a photo was not accepted. Fix it and press Send again.',
    'form.required': 'required',
    'form.choose': '— Choose —',
    'nearby.title': 'Already reported nearby',
    'nearby.hint': 'If one of these is the same problem, press "Me too" instead of filing it again; otherwise carry on.',
    'nearby.metres': '{n} m',
    'nearby.supporters': 'Supporters: {n}',
    'nearby.meToo': 'Me too',
    'nearby.supported': 'You support it',
    'nearby.signInToSupport': 'Sign in to support it.',
    'problem.expected': 'Expected',
    'problem.found': 'found',
    'problem.offline': 'The server cannot be reached. Please try again.',
    'status.submitted': 'Submitted',
    'status.acknowledged': 'Acknowledged',
    'status.in_progress': 'In progress',
    'status.reopened': 'Reopened',
    'status.resolved': 'Resolved',
    'status.rejected': 'Rejected',
    'status.duplicate': 'Duplicate',
    'status.closed': 'Closed',
    'thread.timeline': 'Timeline',
    'thread.internalNote': 'Internal note',
    'thread.photos': 'Photos',
    'thread.photoAlt': 'Photo {n} of report #{id}',
    'thread.messages': 'Messages',
    'thread.fromReporter': 'Citizen',
    'thread.reply': 'Reply',
    'thread.send': 'Send',
    'mine.title': 'My reports',
    'mine.empty': 'No reports were sent from this device or account.',
    'mine.more': 'Timeline and messages',
    'mine.follow': 'Follow',
    'mine.unfollow': 'Stop following',
    'inbox.title': 'Mailbox',
    'inbox.empty': 'No messages.',
    'inbox.unread': '{n} unread',
    'inbox.fromDepartment': 'From the department',
    'inbox.fromReporter': 'From the citizen',
    'inbox.markRead': 'Mark as read',
    'staff.title': 'Department reports',
    'staff.department': 'Department',
    'staff.status': 'Status',
    'staff.category': 'Category',
    'staff.text': 'Text',
    'staff.since': 'From',
    'staff.until': 'Until',
    'staff.id': 'No.',
    'staff.descriptionCol': 'Description',
    'staff.created': 'Filed',
    'staff.all': 'All',
    'staff.count': '{n} reports',
    'staff.open': 'Open report #{id}',
    'detail.status': 'Status',
    'detail.department': 'Department',
    'detail.created': 'Filed',
    'detail.description': 'Description',
    'detail.address': 'Address',
    'detail.supporters': 'Supporters',
    'detail.reporter': 'Citizen',
    'detail.change': 'Change the status',
    'detail.newStatus': 'New status',
    'detail.keep': 'unchanged',
    'detail.publicComment': 'Public comment (the citizen reads it)',
    'detail.internalNote': 'Internal note (staff only)',
    'detail.reassign': 'Move to another department',
    'detail.sameDepartment': '— Same department —',
    'detail.duplicateOf': 'Duplicate of report no.',
    'detail.save': 'Save',
    'detail.saved': 'Saved: {status}.',
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
