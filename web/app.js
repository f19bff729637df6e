// The pages: MapLibre over polis' own vector tiles; "which municipality is
// this" on tap, locate-me, the report form, my reports, the mailbox and the
// staff list, the protocol book, the tourism pages, the school finder and the POI/event editor,
// the e-services with their application pages (views.js picks one by the
// URL's hash), and the account: signing in,
// signing up, the pages of the mailed links, my account, and the tracking
// page of anonymous reporters.
// Everything it loads comes from this server (the page's CSP enforces that).
import { loadCategories } from './categories.js';
import { expandFields } from './form_fields.js';
import { applyI18n, lang, localName, onLangChange, setLang, t } from './i18n.js';
import { clearInbox, refreshInbox } from './mailbox.js';
import { MINE_SOURCE, VIEW_LAYERS, VIEW_MODE, mapStyle } from './map_style.js';
import { showMyReports } from './my_reports.js';
import { initReportForm } from './report_form.js';
import { secretQuery } from './report_store.js';
import { api, setCsrf } from './api.js';
import { isStaff, isTourism, signIn, signOut, whoAmI } from './session.js';
import { initStaff } from './staff_reports.js';
import { startLiveInbox, stopLiveInbox } from './live_inbox.js';
import { initCategoryAdmin } from './admin_categories.js';
import { initUserAdmin } from './admin_users.js';
import { initServiceAdmin } from './admin_services.js';
import { initProtocolBook } from './protocol_book.js';
import { initLayerAdmin } from './layer_admin.js';
import { initLayerUpload } from './layer_upload.js';
import { initViews, viewParam } from './views.js';
import { initTourism } from './tourism.js';
import { initEventList } from './event_list.js';
import { initPoiPage } from './poi_page.js';
import { initSchoolFinder } from './school_finder.js';
import { initAddressSearch } from './address_search.js';
import { initPoiEditor } from './poi_editor.js';
import { initEventEditor } from './event_editor.js';
import { initFollowArea, showSubscriptions } from './follow_area.js';
import { initMunicipalLayers } from './municipal_layers.js';
import { initOsmBasemap } from './osm_basemap.js';
import { initPopups } from './popup.js';
import { initLegend } from './legend.js';
import { initAccountPages } from './account_pages.js';
import { initAccountSettings } from './account_settings.js';
import { initNotificationPrefs } from './notification_prefs.js';
import { initTrackPage } from './track_page.js';
import { initServicesPage } from './services_page.js';
import { initApplicationForm } from './application_form.js';
import { initMyApplications } from './my_applications.js';
// ---- staff: the applications of their departments ----
import { initStaffApplications } from './staff_applications.js';

// The map opens on the served municipality (GET /api/v1/municipality: the
// centre of its boundary); the whole world when its boundary is not loaded.
const OPENING_ZOOM = 11;
const servedArea = api('/api/v1/municipality')
  .then((res) => (res.ok ? res.json() : null))
  .catch(() => null);
const INBOX_POLL_MS = 60000;

const $ = (id) => document.getElementById(id);
const statusLine = $('status');
let user = null;

// ---- language ----
expandFields(); // the fields of index.html get their labels and error lines first
applyI18n();
for (const b of document.querySelectorAll('[data-lang]'))
  b.addEventListener('click', () => setLang(b.dataset.lang));

function say(key) {
  statusLine.dataset.i18n = key; // re-rendered on a language switch
  statusLine.textContent = t(key);
}

// ---- the map ----
let maplibregl;
try {
  maplibregl = await import(`${document.documentElement.dataset.maplibre}/maplibre-gl.mjs`);
} catch (e) {
  console.error('MapLibre did not load', e);
  say('map.noLibrary');
}
const served = await servedArea; // asked for while MapLibre loaded
const opening = Array.isArray(served?.center)
  ? { center: served.center, zoom: OPENING_ZOOM }
  : { center: [0, 0], zoom: 1 };

let map = null;
let pin = null;
const mapLoaded = new Promise((resolve) => {
  if (!maplibregl) return resolve();
  map = new maplibregl.Map({
    container: 'map',
    style: mapStyle(location.origin),
    center: opening.center,
    zoom: opening.zoom,
    maxZoom: 18,
    attributionControl: { compact: true },
    cooperativeGestures: false,
  });
  window.polisMap = map; // for the browser tests and for debugging
  // MapLibre reports its fetches as errors (console.error when nobody listens),
  // also those the browser cancels because the page is being left (a mailed
  // link opened in the same tab while the style loads): those are no error.
  let leaving = false;
  for (const type of ['beforeunload', 'pagehide']) addEventListener(type, () => { leaving = true; });
  map.on('error', (e) => {
    if (!leaving) console.error(e.error ?? e);
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.on('click', (e) => {
    const view = document.body.dataset.view;
    if (view === 'schools') schoolFinder?.lookup(e.lngLat);
    else if (view === 'places') placeInEditor(e);
    else if (view !== 'staff' && view !== 'visit' && view !== 'poi') placePin(e.lngLat);
  });
  map.once('load', resolve);
  labelControls();
  onLangChange(labelControls);
});

// MapLibre's own buttons carry English titles; give them ours.
function labelControls() {
  for (const [cls, key] of [['maplibregl-ctrl-zoom-in', 'map.zoomIn'], ['maplibregl-ctrl-zoom-out', 'map.zoomOut']]) {
    const b = document.querySelector(`.${cls}`);
    if (!b) continue;
    b.title = t(key);
    b.setAttribute('aria-label', t(key));
  }
}

// The layers of the other view are hidden.
async function showLayers(view) {
  await mapLoaded;
  if (!map) return;
  const mode = VIEW_MODE[view] ?? 'citizen';
  for (const [m, ids] of Object.entries(VIEW_LAYERS))
    for (const id of ids) map.setLayoutProperty(id, 'visibility', m === mode ? 'visible' : 'none');
  if (pin) pin.getElement().hidden = mode !== 'citizen';
  legend?.update({ view });
  if (mode === 'schools') schoolFinder?.show();
  else schoolFinder?.hide();
  addressSearch?.setVisible(SEARCH_VIEWS.includes(view));
}

// ---- which municipality is this ----
let lastPlace = null; // the last answer of /api/v1/locate, re-rendered on a language switch

function renderPlace() {
  const out = $('place');
  if (!lastPlace) return; // the hint, kept in the language by its data-i18n
  delete out.dataset.i18n;
  if (lastPlace.key) {
    out.textContent = t(lastPlace.key);
    return;
  }
  out.replaceChildren();
  const name = document.createElement('strong');
  name.className = 'place-name';
  name.textContent = localName(lastPlace.municipality);
  out.append(name);
  for (const [part, key] of [['unit', 'place.unit'], ['community', 'place.community']]) {
    if (!lastPlace[part]) continue;
    const line = document.createElement('span');
    line.className = 'place-part';
    line.textContent = `${t(key)}: ${localName(lastPlace[part])}`;
    out.append(line);
  }
}
onLangChange(renderPlace);

// views whose lists were drawn in the other language are drawn again (the
// report form and the staff list redraw themselves, keeping what was typed)
onLangChange(() => {
  if (['mine', 'inbox', 'layers', 'admin', 'account', 'track', 'services', 'applications', 'protocol', 'queue'].includes(document.body.dataset.view)) showView();
});

async function placePin(lngLat) {
  if (!pin) pin = new maplibregl.Marker({ color: '#c0392b' });
  pin.setLngLat(lngLat).addTo(map);
  reportForm.setLocation(lngLat);
  followArea.setPoint(lngLat);
  lastPlace = { key: 'place.looking' };
  renderPlace();
  const q = new URLSearchParams({ lat: lngLat.lat.toFixed(6), lon: lngLat.lng.toFixed(6) });
  try {
    const res = await api(`/api/v1/locate?${q}`);
    if (res.status === 404) lastPlace = { key: 'place.outside' };
    else if (!res.ok) lastPlace = { key: 'place.failed' };
    else lastPlace = await res.json();
  } catch {
    lastPlace = { key: 'place.failed' };
  }
  renderPlace();
  const id = lastPlace.municipality?.id ?? -1;
  map.setFilter('selected-fill', ['==', ['get', 'id'], id]);
}

// ---- locate me ----
$('locate').addEventListener('click', () => {
  if (!navigator.geolocation) return say('map.noGeolocation');
  say('map.locating');
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      statusLine.textContent = '';
      delete statusLine.dataset.i18n;
      const lngLat = { lng: pos.coords.longitude, lat: pos.coords.latitude };
      map?.flyTo({ center: lngLat, zoom: Math.max(map.getZoom(), 14) });
      if (map) placePin(lngLat);
    },
    () => say('map.geolocationDenied'),
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
  );
});

// ---- the report form, my reports, the mailbox, the staff list ----
let mine = []; // the features of "my reports", drawn on the map

async function drawMine() {
  await mapLoaded;
  map?.getSource(MINE_SOURCE)?.setData({ type: 'FeatureCollection', features: mine });
}

async function refreshMine(render) {
  if (render) mine = await showMyReports(user, (all) => {
    mine = all;
    drawMine();
  });
  await drawMine();
}

const reportForm = initReportForm({
  getUser: () => user,
  async onFiled({ id, lngLat }) {
    pin?.remove(); // the report itself is drawn now
    followArea.setPoint(null);
    lastPlace = null;
    $('place').dataset.i18n = 'place.hint';
    $('place').textContent = t('place.hint');
    map?.setFilter('selected-fill', ['==', ['get', 'id'], -1]);
    const r = await api(`/api/v1/reports/${id}${secretQuery(id)}`);
    if (r.ok) mine = [await r.json(), ...mine.filter((f) => f.id !== id)];
    await drawMine();
    if (lngLat?.lng !== undefined) map?.flyTo({ center: lngLat, zoom: Math.max(map.getZoom(), 16) });
    if (user) refreshInbox(document.body.dataset.view === 'inbox');
  },
});

const followArea = initFollowArea({ map, getUser: () => user });
const layerUpload = initLayerUpload();
const layerAdmin = initLayerAdmin();
const categoryAdmin = initCategoryAdmin();
const userAdmin = initUserAdmin();
const serviceAdmin = initServiceAdmin();
const protocolBook = initProtocolBook();
let staff = null;
mapLoaded.then(() => {
  staff = initStaff({ map });
});
// the OpenStreetMap basemap and the municipality's own layers under everything
// else (the latter with their control)
mapLoaded.then(() => initOsmBasemap(map));
// (staff see their staff-only layers too: read again when that changes);
// a click on a feature shows its attributes (on a boundary only where a tap
// means nothing else), and the legend follows the view and the layers
let legend = null;
let municipal = null;
const municipalReady = mapLoaded.then(async () => {
  legend = initLegend({ map });
  legend.update({ view: document.body.dataset.view });
  municipal = await initMunicipalLayers({ map, onChange: (layers) => legend?.update({ layers }) });
  return municipal;
});
mapLoaded.then(() =>
  initPopups({
    map,
    maplibregl,
    municipal: () => municipal?.layers() ?? [],
    boundaries: () => ['staff', 'visit', 'poi'].includes(document.body.dataset.view),
  }),
);
let staffLayersShown = null; // whether the layers were read as staff

// ---- tourism, the school finder, the POI and event editor ----
const tourism = initTourism({ map });
const eventList = initEventList();
const poiPage = initPoiPage({ map });
const schoolFinder = initSchoolFinder({ map, maplibregl });
// the maps with an address search; in the school finder a chosen address
// is looked up like a tapped point
const SEARCH_VIEWS = ['report', 'visit', 'schools'];
const addressSearch = map
  ? initAddressSearch({
      map,
      onChoose(lngLat) {
        if (document.body.dataset.view === 'schools') schoolFinder.lookup(lngLat);
      },
    })
  : null;
const poiEditor = initPoiEditor({ map });
const eventEditor = initEventEditor({ poisOf: poiEditor.pois });
onLangChange(() => {
  if (document.body.dataset.view === 'poi') poiPage.render();
  if (document.body.dataset.view === 'visit') eventList.show(); // titles in the new language
  if (document.body.dataset.view === 'places') poiEditor.show();
});

// ---- the account's pages ----
const accountPages = initAccountPages();
const accountSettings = initAccountSettings({
  onDeleted() {
    setCsrf(null);
    showUser(null);
    location.hash = '#/';
  },
});
const notificationPrefs = initNotificationPrefs();
const showTrack = initTrackPage();

// ---- e-services: the catalogue, an application, my applications ----
const showServices = initServicesPage();
const showApplication = initApplicationForm();
const showMyApplications = initMyApplications();
const SIGNED_IN_VIEWS = ['inbox', 'account', 'applications', 'application'];

// ---- staff: the applications of their departments (#/queue, #/queue/{id}) ----
const showQueue = initStaffApplications();
const STAFF_VIEWS = ['staff', 'layers', 'queue', 'protocol'];

// In the editor a tap places the open form's POI or event; with no form
// open, a tap on a listed POI opens it.
function placeInEditor(e) {
  if (eventEditor.place(e.lngLat) || poiEditor.place(e.lngLat)) return;
  const hit = map.queryRenderedFeatures(e.point, { layers: ['editor-point'] })[0];
  if (hit) poiEditor.openId(hit.id);
}

const showView = initViews(
  (view) =>
    SIGNED_IN_VIEWS.includes(view) ? !!user : STAFF_VIEWS.includes(view) ? isStaff(user) : view === 'admin' ? user?.role === 'admin' : view === 'places' ? isTourism(user) : true,
  async (view) => {
    await showLayers(view);
    if (view === 'report') await reportForm.refresh();
    if (view === 'mine') await refreshMine(true);
    if (view === 'inbox') await Promise.all([refreshInbox(true), showSubscriptions()]);
    if (view === 'layers') await Promise.all([layerUpload.show(), layerAdmin.show(user)]);
    if (view === 'admin') await Promise.all([categoryAdmin.show(), serviceAdmin.show(), userAdmin.show()]);
    if (view === 'protocol') await protocolBook.show();
    if (view === 'visit') await Promise.all([tourism.show(), eventList.show()]);
    if (view === 'poi') await poiPage.show(viewParam());
    if (view === 'places') await poiEditor.show().then(eventEditor.show);
    if (view === 'account') await Promise.all([accountSettings.show(), notificationPrefs.show()]);
    if (view === 'confirm') await accountPages.showConfirm();
    // signed in here, the page then names the account by its new address
    if (view === 'emailconfirm' && (await accountPages.showEmailConfirm()) && user) {
      user = (await whoAmI()) ?? user;
      $('me-email').textContent = user.email;
    }
    if (view === 'track') await showTrack();
    if (view === 'services') await showServices(user);
    if (view === 'application') await showApplication();
    if (view === 'applications') await showMyApplications();
    if (view === 'queue') await showQueue(user);
    await mapLoaded;
    if (view === 'staff') await staff?.show(user);
    else staff?.hide();
    // the view has its data (tests wait on it); a view left meanwhile says nothing
    if (document.body.dataset.view === view) document.body.dataset.shown = view;
  },
);

// ---- account ----
const form = $('login');
const loginError = $('login-error');
let poll = null;
let wasAdmin = false;

function showUser(next) {
  user = next;
  $('me').hidden = !user;
  form.hidden = !!user;
  $('account-links').hidden = !!user;
  $('me-email').textContent = user ? user.email : '';
  if (!user) $('password').value = '';
  $('inbox-link').hidden = !user;
  $('applications-link').hidden = !user;
  $('staff-link').hidden = !isStaff(user);
  $('layers-link').hidden = !isStaff(user);
  $('protocol-link').hidden = !isStaff(user);
  $('queue-link').hidden = !isStaff(user);
  $('admin-link').hidden = user?.role !== 'admin';
  $('places-link').hidden = !isTourism(user);
  if (staffLayersShown !== null && staffLayersShown !== isStaff(user)) municipalReady.then((m) => m?.reload());
  staffLayersShown = isStaff(user);
  reportForm.userChanged();
  followArea.userChanged();
  clearInterval(poll);
  if (user) {
    const refresh = () => refreshInbox(document.body.dataset.view === 'inbox');
    refreshInbox(false);
    startLiveInbox(refresh); // new entries at once; the poll is the fallback
    poll = setInterval(refresh, INBOX_POLL_MS);
  } else {
    stopLiveInbox();
    clearInbox();
  }
  // admins see inactive categories too: reload when that changes
  const admin = next?.role === 'admin';
  if (admin !== wasAdmin) loadCategories(true);
  wasAdmin = admin;
  showView();
}

function loginProblem(key) {
  loginError.dataset.i18n = key;
  loginError.textContent = t(key);
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  loginError.textContent = '';
  delete loginError.dataset.i18n;
  const email = $('email').value.trim();
  const password = $('password').value;
  if (!email || !password) return loginProblem('account.missing');
  const { user: who, status } = await signIn(email, password);
  if (who) return showUser(who);
  loginProblem(status === 401 ? 'account.wrong' : status === 429 ? 'account.tooMany' : 'account.failed');
});

// "Sign in with <provider>" when the server has an identity provider
// (GET /api/v1/auth/oidc says enabled); back on this page afterwards
let oidc = null;
function showOidcLink() {
  if (!oidc) return;
  const link = $('oidc-link');
  link.textContent = t('account.signInWith').replace('{label}', oidc.label);
  link.href = `${oidc.start}?return_to=${encodeURIComponent(`/${location.hash}`)}`;
  $('oidc-signin').hidden = false;
}
api('/api/v1/auth/oidc')
  .then((res) => (res.ok ? res.json() : null))
  .then((info) => {
    oidc = info && info.enabled ? info : null;
    showOidcLink();
  })
  .catch(() => {});
onLangChange(showOidcLink);
window.addEventListener('hashchange', showOidcLink);

$('logout').addEventListener('click', async () => {
  await signOut();
  showUser(null);
  $('email').focus();
});

await reportForm.ready;
showUser(await whoAmI());
refreshMine(true);
document.body.dataset.ready = lang(); // the page's script has run (tests wait on it)
