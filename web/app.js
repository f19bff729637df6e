// The citizen map: MapLibre over polis' own vector tiles, "which
// municipality is this" on tap, locate-me, and signing in. Everything it
// loads comes from this server (the page's CSP enforces that).
import { applyI18n, lang, localName, onLangChange, setLang, t } from './i18n.js';
import { mapStyle } from './map_style.js';
import { api, signIn, signOut, whoAmI } from './session.js';

const SERRES = { center: [23.5496, 41.091], zoom: 11 }; // until the API names the served area

const $ = (id) => document.getElementById(id);
const statusLine = $('status');

// ---- language ----
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

let map = null;
let pin = null;
if (maplibregl) {
  map = new maplibregl.Map({
    container: 'map',
    style: mapStyle(location.origin),
    center: SERRES.center,
    zoom: SERRES.zoom,
    maxZoom: 18,
    attributionControl: { compact: true },
    cooperativeGestures: false,
  });
  window.polisMap = map; // for the browser tests and for debugging
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.on('click', (e) => placePin(e.lngLat));
  labelControls();
  onLangChange(labelControls);
}

// MapLibre's own buttons carry English titles; give them ours.
function labelControls() {
  for (const [cls, key] of [['maplibregl-ctrl-zoom-in', 'map.zoomIn'], ['maplibregl-ctrl-zoom-out', 'map.zoomOut']]) {
    const b = document.querySelector(`.${cls}`);
    if (!b) continue;
    b.title = t(key);
    b.setAttribute('aria-label', t(key));
  }
}

// ---- which municipality is this ----
let lastPlace = null; // the last answer of /api/v1/locate, re-rendered on a language switch

function renderPlace() {
  const out = $('place');
  delete out.dataset.i18n;
  if (!lastPlace) return;
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

async function placePin(lngLat) {
  if (!pin) pin = new maplibregl.Marker({ color: '#c0392b' });
  pin.setLngLat(lngLat).addTo(map);
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

// ---- account ----
const form = $('login');
const loginError = $('login-error');

function showUser(user) {
  $('me').hidden = !user;
  form.hidden = !!user;
  $('me-email').textContent = user ? user.email : '';
  if (!user) $('password').value = '';
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
  const { user, status } = await signIn(email, password);
  if (user) return showUser(user);
  loginProblem(status === 401 ? 'account.wrong' : status === 429 ? 'account.tooMany' : 'account.failed');
});

$('logout').addEventListener('click', async () => {
  await signOut();
  showUser(null);
  $('email').focus();
});

showUser(await whoAmI());
document.body.dataset.ready = lang(); // the page's script has run (tests wait on it)
