// Which view the panel shows. From the URL's hash: #/ (report a problem),
// #/mine, #/inbox, #/staff, #/layers, #/admin, #/visit (tourism), #/poi/{id}
// (one place), #/schools (school finder), #/places-admin (POI and event
// editor), #/account (my account), #/signup and #/forgot, #/services (the
// e-services), #/applications (my applications) and one application:
// #/services/{id}/apply (a new one) or #/applications/{id}; for staff the
// department's applications, #/queue, and one of them, #/queue/{id}, and
// #/protocol (the protocol book). Without a "#/"
// hash, from the path of a mailed link: /account/confirm, /account/reset,
// /account/email (confirms a new address), /track/{id} (its fragment,
// #secret=..., is not a view). Views needing an account the user lacks fall
// back to #/. The chosen nav link gets aria-current.
import { el } from './dom.js';
import { t } from './i18n.js';

const VIEWS = {
  '': 'report',
  mine: 'mine',
  inbox: 'inbox',
  staff: 'staff',
  layers: 'layers',
  admin: 'admin',
  visit: 'visit',
  poi: 'poi',
  schools: 'schools',
  'places-admin': 'places',
  account: 'account',
  signup: 'signup',
  forgot: 'forgot',
  services: 'services',
  applications: 'applications',
  protocol: 'protocol',
  // staff: the applications of their departments, and one (#/queue/{id})
  queue: 'queue',
};
const PATH_VIEWS = [
  [/^\/account\/confirm$/, 'confirm'],
  [/^\/account\/reset$/, 'reset'],
  [/^\/account\/email$/, 'emailconfirm'],
  [/^\/track\/\d+$/, 'track'],
];

function hashParts() {
  return location.hash.replace(/^#\/?/, '').split('/');
}

export function currentView() {
  if (!location.hash.startsWith('#/')) {
    const byPath = PATH_VIEWS.find(([re]) => re.test(location.pathname));
    if (byPath) return byPath[1];
  }
  const [head, id, tail] = hashParts();
  if ((head === 'services' && id && tail === 'apply') || (head === 'applications' && id)) return 'application';
  return VIEWS[head] ?? 'report';
}

// The nav link a view belongs to: a place's page to tourism, an
// application to the services or to my applications (where it was opened).
function linkOf(view) {
  if (view === 'poi') return 'visit';
  if (view === 'application') return hashParts()[0];
  return view;
}

// The hash's second part: the id of #/poi/{id} (null when there is none).
export function viewParam() {
  return hashParts()[1] || null;
}

// The hash's parts: ['services', '3', 'apply'] for #/services/3/apply.
export function viewPath() {
  return hashParts();
}

// allowed(view) says whether the user may see it; onShow(view) runs after.
export function initViews(allowed, onShow) {
  function show() {
    let view = currentView();
    if (!allowed(view)) view = 'report';
    document.body.dataset.view = view;
    for (const s of document.querySelectorAll('[data-view]')) s.hidden = s.dataset.view !== view;
    const linked = linkOf(view);
    for (const a of document.querySelectorAll('[data-view-link]')) {
      if (a.dataset.viewLink === linked) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    onShow(view);
  }
  addEventListener('hashchange', show);
  return show;
}

// A view's section made in script, before the panel's account section:
// <section data-view=name hidden> with its title (i18n "name.title"),
// optionally its hint ("name.hint") and a status line (role=status), and
// the element the view's module fills. Returns { page, status }.
export function viewSection(name, { hint = false, status = false } = {}) {
  const section = el('section');
  section.dataset.view = name;
  section.hidden = true;
  section.setAttribute('aria-labelledby', `${name}-title`);
  const title = el('h2', null, t(`${name}.title`));
  title.id = `${name}-title`;
  title.dataset.i18n = `${name}.title`;
  section.append(title);
  if (hint) {
    const p = el('p', 'hint', t(`${name}.hint`));
    p.dataset.i18n = `${name}.hint`;
    section.append(p);
  }
  let line = null;
  if (status) {
    line = el('p', 'status');
    line.id = `${name}-status`;
    line.setAttribute('role', 'status');
    section.append(line);
  }
  const page = el('div');
  page.id = `${name}-page`;
  section.append(page);
  document.querySelector('#panel > section.account').before(section);
  return { page, status: line };
}
