// A feature's attributes in a popup: a click on the map over a report (of
// the tiles, my own or the staff's list), a POI, a school, a school zone, a
// feature of a municipal layer or (in the views where a click means nothing
// else) a boundary opens a popup with what the feature carries, labelled in
// the page's language (a municipal layer's columns by their names in the
// source file, as the catalogue gives them). The popup is built of DOM nodes
// (values as text, never as HTML); its close button is focused when it
// opens, Escape closes it and gives the focus back to the map, and it is
// drawn again on a language switch.
import { el } from './dom.js';
import { lang, localName, onLangChange, t } from './i18n.js';
import { layerTitle } from './municipal_layers.js';
import { poiCategories } from './poi_data.js';
import { loadStatuses } from './report_statuses.js';

// The style layers a click may hit, by kind (the topmost hit wins).
const KIND_OF = {
  'reports-point': 'report', 'reports-cluster': 'cluster', 'mine-point': 'report', 'staff-point': 'report',
  'pois-point': 'poi', 'editor-point': 'poi', 'schools-point': 'school', 'zones-fill': 'zone', 'zones-line': 'zone',
};
const BOUNDARY_LAYERS = ['municipality-fill'];

// What a click hit: the feature's kind, its properties and, for a
// municipal layer, its catalogue entry; null when nothing of interest.
function hitAt(map, point, municipal, boundaries) {
  const byId = new Map(municipal.filter((l) => l.visible !== false).flatMap((l) => l.styleLayers.map((id) => [id, l])));
  const layers = [...Object.keys(KIND_OF), ...byId.keys(), ...(boundaries ? BOUNDARY_LAYERS : [])]
    .filter((id) => map.getLayer(id));
  const f = map.queryRenderedFeatures(point, { layers })[0];
  if (!f) return null;
  const id = f.layer.id;
  if (byId.has(id)) return { kind: 'layer', props: f.properties, layer: byId.get(id) };
  return { kind: KIND_OF[id] ?? 'boundary', props: f.properties };
}

// Greek or English of a pair of properties (category_name_el/_en, ...).
function pair(p, base) {
  return (lang() === 'en' ? p[`${base}_en`] : p[`${base}_el`]) || p[`${base}_el`] || p[`${base}_en`] || '';
}

function dateText(v) {
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? String(v) : d.toLocaleString(lang(), { dateStyle: 'medium', timeStyle: 'short' });
}

function yesNo(v) {
  return t(v === true || v === 'true' ? 'popup.yes' : 'popup.no');
}

// { title, kind, rows: [[label, value]] } of a hit, values as plain text.
async function describe(hit) {
  const p = hit.props;
  const rows = [];
  const add = (key, value) => {
    if (value !== undefined && value !== null && value !== '') rows.push([t(key), String(value)]);
  };
  switch (hit.kind) {
    case 'report': {
      const statuses = await loadStatuses();
      const s = statuses.find((x) => x.name === p.status);
      const status = s ? (lang() === 'en' ? s.label_en : s.label_el) || s.name : p.status;
      const category = pair(p, 'category_name') || p.category_name || p.category;
      add('popup.status', status);
      add('popup.category', category);
      add('popup.department', pair(p, 'department_name') || p.department);
      add('popup.address', p.address);
      add('popup.description', p.description);
      add('popup.supports', p.support_count);
      add('popup.notes', p.status_notes);
      if (p.created_at) add('popup.created', dateText(p.created_at));
      if (p.updated_at) add('popup.updated', dateText(p.updated_at));
      return { title: p.id !== undefined ? t('popup.report').replace('{id}', p.id) : category, kind: 'popup.kind.report', rows };
    }
    case 'cluster':
      add('popup.count', p.count);
      add('popup.countOpen', p.count_open);
      return { title: t('popup.cluster').replace('{n}', p.count), kind: 'popup.kind.report', rows };
    case 'poi': {
      const categories = await poiCategories();
      const c = categories.find((x) => x.code === p.category);
      add('popup.category', c ? localName(c) || c.code : p.category);
      add('popup.status', p.status === undefined ? undefined : t(`status.${p.status}`));
      return { title: localName(p) || p.name || '', kind: 'popup.kind.poi', rows };
    }
    case 'school':
    case 'zone':
      add('popup.level', p.level ? t(`legend.level.${p.level}`) : undefined);
      if (hit.kind === 'zone') add('popup.provisional', p.provisional === undefined ? undefined : yesNo(p.provisional));
      return { title: localName(p), kind: hit.kind === 'zone' ? 'popup.kind.zone' : 'popup.kind.school', rows };
    case 'boundary':
      add('popup.level', p.level ? t(`popup.boundary.${p.level}`) : undefined);
      add('popup.code', p.code);
      return { title: localName(p), kind: 'popup.kind.boundary', rows };
    default: {
      // a municipal layer: every column the tile carries, by its source name
      const named = new Map((hit.layer.attributes ?? []).map((a) => [a.name, a.source_name || a.name]));
      for (const [k, v] of Object.entries(p))
        if (v !== null && v !== undefined && v !== '') rows.push([named.get(k) ?? k, String(v)]);
      return { title: layerTitle(hit.layer), kind: hit.layer.visibility === 'staff' ? 'popup.kind.staffLayer' : 'popup.kind.layer', rows };
    }
  }
}

function content(d) {
  const root = el('div', 'feature-popup');
  root.setAttribute('role', 'dialog');
  root.setAttribute('aria-labelledby', 'feature-popup-title');
  const title = el('h3', null, d.title || t(d.kind));
  title.id = 'feature-popup-title';
  const list = el('dl');
  for (const [label, value] of d.rows) list.append(el('dt', null, label), el('dd', null, value));
  root.append(title, el('p', 'popup-kind', t(d.kind)), list);
  return root;
}

// Starts listening to clicks on map. municipal() gives the municipal
// layers on the map now (municipal_layers.js); boundaries() says whether a
// click on a boundary alone opens a popup (views where a tap means nothing
// else).
export function initPopups({ map, maplibregl, municipal = () => [], boundaries = () => true }) {
  if (!map) return { close() {} };
  let popup = null;
  let shown = null; // the hit shown, drawn again on a language switch
  let opened = 0;

  function close() {
    popup?.remove();
  }

  function label() {
    const b = popup?.getElement()?.querySelector('.maplibregl-popup-close-button');
    if (!b) return;
    b.setAttribute('aria-label', t('popup.close'));
    b.title = t('popup.close');
  }

  async function open(hit, lngLat) {
    const mine = ++opened;
    const d = await describe(hit);
    if (mine !== opened) return; // another click meanwhile
    close();
    shown = hit;
    popup = new maplibregl.Popup({ closeButton: true, maxWidth: '320px', focusAfterOpen: true, className: 'polis-popup' })
      .setLngLat(lngLat)
      .setDOMContent(content(d));
    popup.on('close', () => {
      if (shown === hit) shown = null;
    });
    popup.addTo(map);
    label();
    popup.getElement()?.querySelector('.maplibregl-popup-close-button')?.focus();
  }

  map.on('click', (e) => {
    const hit = hitAt(map, e.point, municipal(), boundaries());
    if (hit) open(hit, e.lngLat);
    else close();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !popup?.isOpen()) return;
    close();
    map.getCanvas().focus();
  });
  onLangChange(async () => {
    if (!shown || !popup?.isOpen()) return;
    const d = await describe(shown);
    popup.setDOMContent(content(d));
    label();
  });
  return { close };
}
