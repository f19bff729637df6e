// Which view the panel shows. From the URL's hash: #/ (report a problem),
// #/mine, #/inbox, #/staff, #/layers, #/admin, #/visit (tourism), #/poi/{id}
// (one place), #/schools (school finder), #/places-admin (POI and event
// editor), #/account (my account), #/signup and #/forgot. Without a "#/"
// hash, from the path of a mailed link: /account/confirm, /account/reset,
// /track/{id} (its fragment, #secret=..., is not a view). Views needing an
// account the user lacks fall back to #/. The chosen nav link gets
// aria-current.
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
};
const PATH_VIEWS = [
  [/^\/account\/confirm$/, 'confirm'],
  [/^\/account\/reset$/, 'reset'],
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
  return VIEWS[hashParts()[0]] ?? 'report';
}

// The hash's second part: the id of #/poi/{id} (null when there is none).
export function viewParam() {
  return hashParts()[1] || null;
}

// allowed(view) says whether the user may see it; onShow(view) runs after.
export function initViews(allowed, onShow) {
  function show() {
    let view = currentView();
    if (!allowed(view)) view = 'report';
    document.body.dataset.view = view;
    for (const s of document.querySelectorAll('[data-view]')) s.hidden = s.dataset.view !== view;
    // #/poi/{id} belongs to the tourism link
    const linked = view === 'poi' ? 'visit' : view;
    for (const a of document.querySelectorAll('[data-view-link]')) {
      if (a.dataset.viewLink === linked) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    onShow(view);
  }
  addEventListener('hashchange', show);
  return show;
}
