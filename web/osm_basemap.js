// The OpenStreetMap basemap (`polis basemap import`) under everything else:
// the sources and layers of the basemap style (GET /styles/basemap.json in
// the page's language, or the external style POLIS_BASEMAP_STYLE_URL names;
// index.html carries which as data-basemap-style) are added to the map over
// the municipality's land and under the municipal layers, boundary lines,
// reports, POIs and schools (OSM_TOP of map_style.js). The style's
// background is left out: the page keeps its own land colour, so a server
// with no basemap imported (its tiles are empty) looks as before. Street and
// place labels follow the page's language (polis's own style only).
import { lang, onLangChange } from './i18n.js';
import { OSM_TOP } from './map_style.js';

const PREFIX = 'osm-';

function own(base) {
  return base.startsWith('/');
}

async function fetchStyle(base, language) {
  const url = own(base) ? `${base}?lang=${language}` : base;
  try {
    const res = await fetch(url, { credentials: own(base) ? 'same-origin' : 'omit' });
    return res.ok ? await res.json() : null;
  } catch {
    return null; // no basemap: the page as it was
  }
}

export async function initOsmBasemap(map) {
  const base = document.documentElement.dataset.basemapStyle;
  if (!map || !base) return;
  const style = await fetchStyle(base, lang());
  if (!style?.sources || !Array.isArray(style.layers)) return;
  if (style.glyphs) map.setGlyphs(style.glyphs);
  if (typeof style.sprite === 'string') map.setSprite(style.sprite);
  for (const [id, source] of Object.entries(style.sources)) map.addSource(PREFIX + id, source);
  const labelled = [];
  for (const layer of style.layers) {
    if (layer.type === 'background' || !layer.source) continue;
    map.addLayer({ ...layer, id: PREFIX + layer.id, source: PREFIX + layer.source }, OSM_TOP);
    if (layer.layout?.['text-field']) labelled.push(layer.id);
  }
  window.polisBasemapLayers = labelled.map((id) => PREFIX + id); // for the browser tests
  if (!own(base)) return;
  onLangChange(async () => {
    const again = await fetchStyle(base, lang());
    for (const layer of again?.layers ?? [])
      if (labelled.includes(layer.id)) map.setLayoutProperty(PREFIX + layer.id, 'text-field', layer.layout['text-field']);
  });
}
