// The tourism view (#/visit): the published POIs as a list that follows
// the search box (results as you type, debounced; the API ignores accents
// and Greek/Latin script), the category chips and "Near me" (distance
// sorted). List and map stay in step: a result under the pointer or the
// keyboard is ringed on the map, a POI tapped on the map opens its page.
import { call } from './api.js';
import { el } from './dom.js';
import { lang, localName, onLangChange, t } from './i18n.js';
import { distanceText, poiCategories, poiName } from './poi_data.js';

const DEBOUNCE_MS = 250;
const LIMIT = 50;
const $ = (id) => document.getElementById(id);

export function initTourism({ map }) {
  const input = $('poi-q');
  const list = $('poi-results');
  const status = $('visit-status');
  const chips = $('poi-chips');
  let chosen = new Set(); // category codes; none = all
  let near = null; // {lat, lon}
  let timer = null;
  let seq = 0; // only the answer to the latest request is drawn
  let last = [];

  function ring(id) {
    map?.setFilter('pois-selected', ['==', ['get', 'id'], id ?? -1]);
  }

  function render() {
    list.replaceChildren();
    for (const f of last) {
      const p = f.properties;
      const li = el('li', 'card');
      li.dataset.poi = p.id;
      const a = el('a', 'card-head', poiName(p));
      a.href = `#/poi/${p.id}`;
      const meta = [p.category_name, p.distance_m !== undefined ? distanceText(p.distance_m) : null].filter(Boolean);
      li.append(a, el('p', 'hint', meta.join(' · ')));
      for (const ev of ['mouseenter', 'focusin']) li.addEventListener(ev, () => ring(p.id));
      list.append(li);
    }
    status.textContent = last.length ? t('visit.count').replace('{n}', last.length) : t('visit.none');
  }

  async function search() {
    const q = new URLSearchParams({ lang: lang(), limit: LIMIT });
    const text = input.value.trim();
    if (text) q.set('q', text);
    if (chosen.size) q.set('category', [...chosen].join(','));
    if (near) q.set('near', `${near.lat.toFixed(6)},${near.lon.toFixed(6)}`);
    const mine = ++seq;
    const r = await call(`/api/v1/pois?${q}`);
    if (mine !== seq) return;
    if (!r.ok) {
      last = [];
      list.replaceChildren();
      status.textContent = r.problem.status === 400 ? r.problem.detail : t('visit.failed');
      return;
    }
    last = r.body.features;
    render();
    list.dataset.query = text; // the list shows this query (tests wait on it)
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  }

  input.addEventListener('input', later);
  input.addEventListener('keydown', (e) => {
    // arrow down moves from the box into the results; Enter opens the first
    if (e.key === 'ArrowDown') list.querySelector('a')?.focus();
    if (e.key === 'Enter') {
      e.preventDefault();
      const first = list.querySelector('a');
      if (first) location.hash = first.getAttribute('href');
    }
  });
  list.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const links = [...list.querySelectorAll('a')];
    const i = links.indexOf(document.activeElement);
    e.preventDefault();
    if (e.key === 'ArrowUp' && i <= 0) return input.focus();
    links[Math.min(links.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))]?.focus();
  });
  list.addEventListener('mouseleave', () => ring(null));

  // "Near me" again turns the distance order off
  $('poi-near').addEventListener('click', () => {
    if (near) {
      near = null;
      $('poi-near').setAttribute('aria-pressed', 'false');
      return search();
    }
    if (!navigator.geolocation) return (status.textContent = t('map.noGeolocation'));
    status.textContent = t('map.locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        near = { lat: pos.coords.latitude, lon: pos.coords.longitude };
        $('poi-near').setAttribute('aria-pressed', 'true');
        map?.flyTo({ center: [near.lon, near.lat], zoom: Math.max(map.getZoom(), 14) });
        search();
      },
      () => (status.textContent = t('map.geolocationDenied')),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });

  async function drawChips() {
    const cats = await poiCategories();
    chips.replaceChildren();
    for (const c of [{ code: '' }, ...cats]) {
      const b = el('button', 'chip', c.code ? localName(c) : t('visit.all'));
      b.type = 'button';
      b.dataset.category = c.code;
      b.setAttribute('aria-pressed', String(c.code ? chosen.has(c.code) : chosen.size === 0));
      b.addEventListener('click', () => {
        if (!c.code) chosen = new Set();
        else if (chosen.has(c.code)) chosen.delete(c.code);
        else chosen.add(c.code);
        drawChips();
        search();
      });
      chips.append(b);
    }
  }

  // a POI tapped on the map opens its page
  map?.on('click', 'pois-point', (e) => {
    const id = e.features?.[0]?.properties?.id;
    if (id !== undefined) location.hash = `#/poi/${id}`;
  });

  onLangChange(() => {
    if (document.body.dataset.view !== 'visit') return;
    drawChips();
    search();
  });

  return {
    async show() {
      await Promise.all([drawChips(), search()]);
    },
  };
}
