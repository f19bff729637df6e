// The address search on the map, one box shared by the citizen map, the
// tourism map and the school finder: typed text gives suggestions from the
// geocoder (GET /api/v1/geocode, debounced, nearest the map's centre first),
// an ARIA 1.2 combobox (arrows move through them, Enter or a click chooses,
// Escape closes); the chosen place is flown to and handed to onChoose (the
// school finder looks it up). A server with no basemap imported finds no
// addresses: the box says so instead of "nothing found".
import { call } from './api.js';
import { el } from './dom.js';
import { onLangChange, t } from './i18n.js';

const DEBOUNCE_MS = 250;
const LIMIT = 6;
const ADDRESS_ZOOM = 17; // a house number or a POI
const AREA_ZOOM = 15; // a street or a place

export function initAddressSearch({ map, onChoose }) {
  const box = el('div', 'address-search maplibregl-ctrl');
  box.setAttribute('role', 'search');
  const label = el('label', 'visually-hidden');
  label.htmlFor = 'address-q';
  const input = el('input');
  Object.assign(input, { id: 'address-q', type: 'search', autocomplete: 'off', spellcheck: false });
  for (const [k, v] of Object.entries({
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': 'address-options',
    'aria-describedby': 'address-status',
  }))
    input.setAttribute(k, v);
  const list = el('ul', 'address-options');
  list.id = 'address-options';
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  const status = el('p', 'address-status');
  status.id = 'address-status';
  status.setAttribute('role', 'status');
  box.append(label, input, list, status);

  let found = []; // the features listed
  let active = -1; // the option under the arrows
  let timer = null;
  let seq = 0; // only the answer to the latest text is listed
  let said = null; // {key, n}: the status line, re-rendered on a language switch

  function labelBox() {
    label.textContent = t('search.label');
    input.placeholder = t('search.placeholder');
    list.setAttribute('aria-label', t('search.label'));
    status.textContent = said ? t(said.key).replace('{n}', said.n) : '';
  }

  function say(key, n = 0) {
    said = key ? { key, n } : null;
    status.textContent = said ? t(key).replace('{n}', n) : '';
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function mark(i) {
    active = i;
    for (const [k, li] of [...list.children].entries()) li.setAttribute('aria-selected', String(k === i));
    if (i < 0) input.removeAttribute('aria-activedescendant');
    else {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    }
  }

  function render() {
    list.replaceChildren(
      ...found.map((f, i) => {
        const li = el('li', 'address-option', f.properties.label);
        li.id = `address-option-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset.kind = f.properties.kind;
        // mousedown, not click: the input keeps the focus
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(i);
        });
        return li;
      }),
    );
    list.hidden = found.length === 0;
    input.setAttribute('aria-expanded', String(found.length > 0));
    active = -1;
  }

  async function search() {
    const text = input.value.trim();
    const mine = ++seq;
    if (!text) {
      found = [];
      render();
      return say(null);
    }
    const q = new URLSearchParams({ q: text, limit: LIMIT });
    if (map) {
      const c = map.getCenter();
      q.set('near', `${c.lat.toFixed(6)},${c.lng.toFixed(6)}`);
    }
    const r = await call(`/api/v1/geocode?${q}`);
    if (mine !== seq) return;
    found = r.ok ? r.body.features : [];
    render();
    if (!r.ok) say(r.problem.status === 400 ? 'search.badText' : 'search.failed');
    else if (found.length) say('search.count', found.length);
    else say(r.body.basemap_loaded === false ? 'search.noBasemap' : 'search.none');
  }

  function choose(i) {
    const f = found[i];
    if (!f) return;
    const [lng, lat] = f.geometry.coordinates;
    input.value = f.properties.label;
    close();
    say(null);
    const exact = f.properties.kind === 'address' || f.properties.kind === 'poi';
    map?.flyTo({ center: [lng, lat], zoom: Math.max(map.getZoom(), exact ? ADDRESS_ZOOM : AREA_ZOOM) });
    onChoose?.({ lng, lat }, f);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    const n = found.length;
    if (e.key === 'ArrowDown' && n) {
      e.preventDefault();
      if (list.hidden) render();
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      mark((active + 1) % n);
    } else if (e.key === 'ArrowUp' && n && !list.hidden) {
      e.preventDefault();
      mark(active <= 0 ? n - 1 : active - 1);
    } else if (e.key === 'Enter') {
      e.preventDefault(); // the box is not a form to send
      if (!list.hidden && n) choose(active < 0 ? 0 : active);
      else if (input.value.trim()) {
        clearTimeout(timer);
        search();
      }
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);
  onLangChange(labelBox);
  labelBox();
  map?.addControl({ onAdd: () => box, onRemove: () => box.remove() }, 'top-left');

  return {
    // shown on the maps that search (the citizen, tourism and school views)
    setVisible(visible) {
      box.hidden = !visible;
      if (!visible) close();
    },
  };
}

// Whether the server has a basemap to look addresses up in (the geocoder's
// basemap_loaded, asked once, whatever the text): without one the report
// form does not ask for the address of its pin, which could only be a 404.
let loaded = null;
export function basemapLoaded() {
  loaded ??= call('/api/v1/geocode?q=0&limit=1').then((r) => r.ok && r.body.basemap_loaded === true);
  return loaded;
}
