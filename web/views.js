// Which view the panel shows, from the URL's hash: #/ (report a problem),
// #/mine, #/inbox, #/staff, #/layers and #/admin; all but the first two need the right account and fall
// back to #/ otherwise. The chosen nav link gets aria-current.
const VIEWS = { '': 'report', mine: 'mine', inbox: 'inbox', staff: 'staff', layers: 'layers', admin: 'admin' };

export function currentView() {
  const name = location.hash.replace(/^#\/?/, '');
  return VIEWS[name] ?? 'report';
}

// allowed(view) says whether the user may see it; onShow(view) runs after.
export function initViews(allowed, onShow) {
  function show() {
    let view = currentView();
    if (!allowed(view)) view = 'report';
    document.body.dataset.view = view;
    for (const s of document.querySelectorAll('[data-view]')) s.hidden = s.dataset.view !== view;
    for (const a of document.querySelectorAll('[data-view-link]')) {
      if (a.dataset.viewLink === view) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    onShow(view);
  }
  addEventListener('hashchange', show);
  return show;
}
