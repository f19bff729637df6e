// The school finder (#/schools): a point tapped on the map (or "Where am
// I?") and, per level, the school whose zone holds it, its distance and
// whether the zone is provisional; the zones found are filled on the map.
// A point outside every zone is said plainly (the API's 404).
import { api } from './api.js';
import { el } from './dom.js';
import { lang, onLangChange, t } from './i18n.js';
import { distanceText } from './poi_data.js';

const $ = (id) => document.getElementById(id);

export function initSchoolFinder({ map, maplibregl }) {
  const out = $('school-results');
  const status = $('schools-status');
  let pin = null;
  let point = null;
  let answer = null; // {ok, body | detail}

  function render() {
    out.replaceChildren();
    status.textContent = '';
    if (!answer) return;
    if (!answer.ok) {
      status.textContent = answer.outside ? `${t('schools.outside')} ${answer.detail}` : t('schools.failed');
      return;
    }
    for (const s of answer.body.schools) {
      const p = s.school.properties;
      const li = el('li', 'card');
      li.dataset.level = s.level;
      li.append(el('p', 'card-head', s.level_name), el('p', 'school-name', p.name || p.name_el));
      li.append(el('p', 'hint', t('schools.distance').replace('{d}', distanceText(s.distance_m))));
      if (s.zone.provisional) li.append(el('p', 'hint provisional', t('schools.provisional')));
      out.append(li);
    }
    const missing = answer.body.missing_levels ?? [];
    if (missing.length) status.textContent = t('schools.missing').replace('{levels}', missing.join(', '));
  }

  async function lookup(lngLat) {
    point = lngLat;
    if (map && maplibregl) {
      pin ??= new maplibregl.Marker({ color: '#0b5394' });
      pin.setLngLat(lngLat).addTo(map);
    }
    status.textContent = t('schools.looking');
    out.dataset.state = 'looking';
    const q = new URLSearchParams({ lat: lngLat.lat.toFixed(6), lon: lngLat.lng.toFixed(6), lang: lang() });
    let res = null;
    try {
      res = await api(`/api/v1/schools/zone?${q}`);
    } catch {
      // offline: said below
    }
    if (res?.ok) answer = { ok: true, body: await res.json() };
    else if (res?.status === 404) answer = { ok: false, outside: true, detail: (await res.json().catch(() => ({}))).detail || '' };
    else answer = { ok: false };
    const zones = answer.ok ? answer.body.schools.map((s) => s.zone.id) : [];
    map?.setFilter('zones-fill', ['in', ['get', 'id'], ['literal', zones]]);
    render();
    out.dataset.state = answer.ok ? 'found' : answer.outside ? 'outside' : 'failed';
  }

  $('schools-locate').addEventListener('click', () => {
    if (!navigator.geolocation) return (status.textContent = t('map.noGeolocation'));
    status.textContent = t('map.locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const lngLat = { lng: pos.coords.longitude, lat: pos.coords.latitude };
        map?.flyTo({ center: lngLat, zoom: Math.max(map.getZoom(), 14) });
        lookup(lngLat);
      },
      () => (status.textContent = t('map.geolocationDenied')),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });

  // the level names come from the API in the language asked
  onLangChange(() => {
    if (point && document.body.dataset.view === 'schools') lookup(point);
  });

  return {
    lookup,
    show() {
      pin?.getElement().removeAttribute('hidden');
    },
    hide() {
      pin?.getElement().setAttribute('hidden', '');
    },
  };
}
