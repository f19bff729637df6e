// The map's legend: what each colour and symbol of the current view means
// (reports open and finished, naming the statuses the server counts as each,
// groups of reports and my own; POIs by category; schools and zones by
// level; the POI editor's drafts), the municipality's boundaries, and each
// municipal layer switched on in the Layers control (staff-only ones
// marked). A MapLibre control (a disclosure, open on wide screens), in the
// page's language, drawn again when the view, the layers or the language
// change. Colours come from map_style.js, the table the map draws with.
import { el } from './dom.js';
import { lang, localName, onLangChange, t } from './i18n.js';
import {
  BOUNDARY_COLOUR, MINE_COLOUR, POI_COLOURS, POI_OTHER, REPORT_CLOSED, REPORT_OPEN, SCHOOL_COLOURS,
  UNIT_COLOUR, VIEW_MODE,
} from './map_style.js';
import { layerTitle } from './municipal_layers.js';
import { poiCategories } from './poi_data.js';
import { loadStatuses } from './report_statuses.js';

const WIDE = '(min-width: 900px)';

// One line: a swatch (a dot, a square or a line) and its meaning.
function entry(shape, colour, text, stroke) {
  const li = el('li');
  const swatch = el('span', `legend-swatch ${shape}`);
  swatch.setAttribute('aria-hidden', 'true');
  if (shape === 'line') swatch.style.borderTopColor = colour;
  else swatch.style.background = colour;
  if (stroke) swatch.style.borderColor = stroke;
  li.append(swatch, el('span', null, text));
  return li;
}

function section(title, items) {
  const box = el('section', 'legend-section');
  const list = el('ul');
  list.append(...items);
  box.append(el('h3', null, title), list);
  return box;
}

function statusNames(statuses, open) {
  return statuses.filter((s) => s.open === open).map((s) => (lang() === 'en' ? s.label_en : s.label_el) || s.name).join(', ');
}

async function reportSection(mode) {
  const statuses = await loadStatuses();
  const items = [
    entry('dot', REPORT_OPEN, `${t('legend.open')}: ${statusNames(statuses, true)}`),
    entry('dot', REPORT_CLOSED, `${t('legend.closed')}: ${statusNames(statuses, false)}`),
  ];
  if (mode === 'citizen') {
    items.push(entry('dot big', REPORT_OPEN, t('legend.cluster')));
    items.push(entry('dot', MINE_COLOUR, t('legend.mine')));
  } else {
    items.push(entry('ring', 'transparent', t('legend.selected'), MINE_COLOUR));
  }
  return section(t('legend.reports'), items);
}

async function poiSection(mode) {
  const categories = await poiCategories();
  const items = categories.map((c) => entry('dot', POI_COLOURS[c.code] ?? POI_OTHER, localName(c) || c.code));
  if (mode === 'places') items.push(entry('ring', 'transparent', t('legend.draft'), '#111111'));
  return section(t('legend.pois'), items);
}

function schoolSection() {
  const items = Object.entries(SCHOOL_COLOURS).map(([level, colour]) => entry('dot', colour, t(`legend.level.${level}`)));
  items.push(entry('square', 'rgba(46, 125, 50, 0.2)', t('legend.zone'), SCHOOL_COLOURS.primary));
  return section(t('legend.schools'), items);
}

function layerSection(layers) {
  const items = layers.filter((l) => l.visible !== false).map((l) => {
    const shape = /POLYGON/i.test(l.geometry_type || '') ? 'square' : /LINE/i.test(l.geometry_type || '') ? 'line' : 'dot';
    const text = l.visibility === 'staff' ? `${layerTitle(l)} (${t('basemap.staffOnly')})` : layerTitle(l);
    return entry(shape, l.colour, text, shape === 'square' ? l.colours?.outline : undefined);
  });
  return items.length ? section(t('legend.layers'), items) : null;
}

// Adds the legend to map. update({view, layers}) redraws it for a view
// and the municipal layers now on the map (either may be left out: the last
// one given is kept).
export function initLegend({ map }) {
  if (!map) return { update() {} };
  const root = el('details', 'maplibregl-ctrl maplibregl-ctrl-group legend-control');
  root.id = 'map-legend';
  root.open = matchMedia(WIDE).matches;
  const summary = el('summary');
  const body = el('div', 'legend-body');
  root.append(summary, body);
  map.addControl({ onAdd: () => root, onRemove: () => root.remove() }, 'bottom-left');

  let view = document.body.dataset.view;
  let layers = [];
  let drawn = 0;
  async function draw() {
    const mine = ++drawn;
    const mode = VIEW_MODE[view] ?? 'citizen';
    const parts = [];
    if (mode === 'citizen' || mode === 'staff') parts.push(await reportSection(mode));
    if (mode === 'visit' || mode === 'places') parts.push(await poiSection(mode));
    if (mode === 'schools') parts.push(schoolSection());
    parts.push(section(t('legend.boundaries'), [
      entry('line', BOUNDARY_COLOUR, t('legend.municipality')),
      entry('line dashed', UNIT_COLOUR, t('legend.unit')),
    ]));
    const own = layerSection(layers);
    if (own) parts.push(own);
    if (mine !== drawn) return; // drawn again meanwhile
    summary.textContent = t('legend.title');
    body.replaceChildren(...parts);
    root.dataset.mode = mode; // the tests wait on it (not data-view: views.js hides those)
  }
  onLangChange(draw);
  draw();
  return {
    update(next = {}) {
      if (next.view !== undefined) view = next.view;
      if (next.layers !== undefined) layers = next.layers;
      return draw();
    },
  };
}
