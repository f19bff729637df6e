// The municipality's own layers as the basemap: every imported layer the
// catalogue GET /api/v1/layers shows the signed-in user (public layers that
// GET /tiles serves; for staff and admins their staff-only layers too, whose
// tiles the server gives them alone, privately) gets a vector source and style layers by
// its geometry type (fill and outline for polygons such as buildings, lines
// for streets or networks, small circles for points) in a calm palette,
// under the reports and POIs. The "Layers" control (native checkboxes, so
// keyboard and screen readers work) shows or hides each one; the choice is
// remembered in localStorage. The layers are read again when the user
// changes (signing in as staff adds the staff-only ones, signing out takes
// them away).
import { call } from './api.js';
import { el } from './dom.js';
import { lang, onLangChange, t } from './i18n.js';
import { BASEMAP_TOP, BUILT_IN_TILE_LAYERS } from './map_style.js';

const HIDDEN_KEY = 'polis.hiddenLayers';
// Below this zoom a city's buildings or lights are clutter, and each tile
// would carry a whole district: the layers start at street scale.
const MIN_ZOOM = 12;

// Pale fills, mid-grey lines, muted points: the basemap stays behind the
// reports (orange) and POIs (strong colours). Layers take them in turn.
const PALETTE = [
  { fill: '#e6dfd3', outline: '#b8ab98', line: '#9c9488', point: '#5b6f82' },
  { fill: '#dde6d5', outline: '#a3b394', line: '#8a9aa8', point: '#6f5b82' },
  { fill: '#dce3ea', outline: '#9fb0c0', line: '#a89a86', point: '#82705b' },
];

const POLYGON = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const LINE = ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]];
const POINT = ['in', ['geometry-type'], ['literal', ['Point', 'MultiPoint']]];

// The style layers of one municipal layer. A layer of mixed or unknown
// geometry ('GEOMETRY') gets all three kinds, each filtered to its own.
function municipalStyleLayers(name, geometryType, colours) {
  const gt = (geometryType || 'GEOMETRY').toUpperCase();
  const any = !/POLYGON|LINE|POINT/.test(gt) || gt.includes('COLLECTION');
  const base = { source: `municipal-${name}`, 'source-layer': name, minzoom: MIN_ZOOM };
  const out = [];
  if (any || gt.includes('POLYGON')) {
    out.push({ ...base, id: `municipal-${name}-fill`, type: 'fill', filter: POLYGON,
      paint: { 'fill-color': colours.fill, 'fill-opacity': 0.9 } });
    out.push({ ...base, id: `municipal-${name}-outline`, type: 'line', filter: POLYGON,
      paint: { 'line-color': colours.outline, 'line-width': 0.6 } });
  }
  if (any || gt.includes('LINE'))
    out.push({ ...base, id: `municipal-${name}-line`, type: 'line', filter: LINE,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': colours.line, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1, 17, 4] } });
  if (any || gt.includes('POINT'))
    out.push({ ...base, id: `municipal-${name}-point`, type: 'circle', filter: POINT,
      paint: { 'circle-color': colours.point, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 17, 5],
        'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } });
  return out;
}

function hiddenSet() {
  try {
    return new Set(JSON.parse(localStorage.getItem(HIDDEN_KEY) || '[]'));
  } catch {
    return new Set(); // storage disabled or garbled: everything shown
  }
}

function remember(hidden) {
  try {
    localStorage.setItem(HIDDEN_KEY, JSON.stringify([...hidden]));
  } catch {
    // not remembered, still switched
  }
}

function title(layer) {
  return (lang() === 'en' ? layer.title_en : layer.title_el) || layer.title_el || layer.title_en || layer.name;
}

// The catalogue entries of the municipal layers the user may see: the
// public ones that have tiles (listed by GET /tiles, which names public
// layers only) and the staff-only ones the catalogue gives staff.
async function municipalLayers() {
  const [tiles, catalogue] = await Promise.all([call('/tiles'), call('/api/v1/layers')]);
  if (!tiles.ok || !catalogue.ok) return [];
  const served = new Set((tiles.body?.layers ?? []).map((l) => l.id));
  return (catalogue.body?.layers ?? []).filter(
    (l) => !BUILT_IN_TILE_LAYERS.includes(l.name) &&
      ((l.visibility === 'public' && served.has(l.name)) || l.visibility === 'staff'),
  ).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// The name of a layer in the current language (the legend and popups use it).
export const layerTitle = title;

// A MapLibre control: a disclosure button and one checkbox per layer.
function layersControl(layers, map, hidden, changed) {
  const root = el('details', 'maplibregl-ctrl maplibregl-ctrl-group layers-control');
  root.id = 'layers-control';
  const summary = el('summary');
  const box = el('fieldset');
  const legend = el('legend');
  box.append(legend);
  const labels = [];
  for (const layer of layers) {
    const input = el('input');
    input.type = 'checkbox';
    input.id = `basemap-${layer.name}`;
    input.dataset.layer = layer.name;
    input.checked = !hidden.has(layer.name);
    input.addEventListener('change', () => {
      if (input.checked) hidden.delete(layer.name);
      else hidden.add(layer.name);
      remember(hidden);
      show(map, layer, input.checked);
      changed();
    });
    const label = el('label', 'check');
    label.htmlFor = input.id;
    const text = el('span');
    const swatch = el('span', 'legend-swatch');
    swatch.setAttribute('aria-hidden', 'true');
    swatch.style.background = layer.colour;
    label.append(input, swatch, text);
    let badge = null;
    if (layer.visibility === 'staff') {
      badge = el('span', 'staff-badge');
      label.append(badge);
    }
    labels.push([text, layer, badge]);
    box.append(label);
  }
  function render() {
    summary.textContent = t('basemap.layers');
    legend.textContent = t('basemap.legend');
    for (const [text, layer, badge] of labels) {
      text.textContent = title(layer);
      if (badge) badge.textContent = t('basemap.staffOnly');
    }
  }
  render();
  onLangChange(render);
  root.append(summary, box);
  return { onAdd: () => root, onRemove: () => root.remove() };
}

function show(map, layer, visible) {
  layer.visible = visible;
  for (const id of layer.styleLayers) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
}

// Adds the layers to map (once its style has loaded) and the control when
// there is at least one; reload() reads the catalogue again (the user
// changed) and puts back what it lists. onChange(layers) is told each time
// the layers or their visibility change. Returns { reload, layers() } once
// the first layers are in place.
export async function initMunicipalLayers({ map, onChange = () => {} }) {
  if (!map) return { reload: async () => {}, layers: () => [] };
  let current = [];
  let control = null;
  let generation = 0;
  function clear() {
    if (control) map.removeControl(control);
    control = null;
    for (const layer of current) {
      for (const id of layer.styleLayers) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(`municipal-${layer.name}`)) map.removeSource(`municipal-${layer.name}`);
    }
    current = [];
  }
  async function reload() {
    const mine = ++generation;
    const layers = await municipalLayers();
    if (mine !== generation) return; // a later reload is under way
    const before = current.map((l) => `${l.name}:${l.visibility}`).join();
    if (layers.map((l) => `${l.name}:${l.visibility}`).join() !== before || !current.length) {
      clear();
      current = layers;
      if (layers.length) add(layers);
      onChange(current);
    }
    // the layers on the map now (the tests wait on it)
    document.body.dataset.municipalLayers = current.map((l) => l.name).join(' ') || '-';
  }
  function add(layers) {
    const hidden = hiddenSet();
    layers.forEach((layer, i) => {
      layer.colours = PALETTE[i % PALETTE.length];
      layer.colour = /POLYGON/i.test(layer.geometry_type || '') ? layer.colours.fill
        : /LINE/i.test(layer.geometry_type || '') ? layer.colours.line : layer.colours.point;
      map.addSource(`municipal-${layer.name}`, {
        type: 'vector',
        // absolute: MapLibre fetches tiles from its worker
        tiles: [`${location.origin}/tiles/${encodeURIComponent(layer.name)}/{z}/{x}/{y}.mvt`],
        minzoom: 0,
        maxzoom: 18,
      });
      const styleLayers = municipalStyleLayers(layer.name, layer.geometry_type, layer.colours);
      for (const s of styleLayers) map.addLayer(s, BASEMAP_TOP);
      layer.styleLayers = styleLayers.map((s) => s.id);
      show(map, layer, !hidden.has(layer.name));
    });
    control = layersControl(layers, map, hidden, () => onChange(current));
    map.addControl(control, 'top-left');
  }
  await reload();
  return { reload, layers: () => current };
}
