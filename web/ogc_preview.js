// The map preview of the OGC API's HTML pages (api/ogc_html.c): a page of
// items or one item drawn on polis's own basemap. The page has no inline
// script (its Content-Security-Policy forbids it): this module reads what
// to draw from the page itself, the GeoJSON alternate link in its head,
// and MapLibre's URL prefix from <html data-maplibre>. Everything comes
// from this server.
const root = document.documentElement;
const container = document.getElementById('map');
const link = document.querySelector('link[rel="alternate"][type="application/geo+json"]');

const COLOUR = '#c0392b';
const BLANK = { version: 8, sources: {}, layers: [{ id: 'land', type: 'background', paint: { 'background-color': '#f2efe9' } }] };

async function json(url) {
  try {
    const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

// [minLon, minLat, maxLon, maxLat] of every coordinate in data, or null.
function bounds(data) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
      b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
    } else c.forEach(walk);
  };
  const features = data.type === 'Feature' ? [data] : data.features ?? [];
  for (const f of features) if (f.geometry?.coordinates) walk(f.geometry.coordinates);
  return b[0] <= b[2] ? b : null;
}

async function start() {
  if (!container || !link || !root.dataset.maplibre) return;
  const [maplibregl, data, basemap] = await Promise.all([
    import(`${root.dataset.maplibre}/maplibre-gl.mjs`),
    json(link.href),
    root.dataset.basemapStyle ? json(root.dataset.basemapStyle) : null,
  ]);
  if (!data) return;
  const style = basemap?.sources && Array.isArray(basemap.layers) ? basemap : BLANK;
  const map = new maplibregl.Map({ container, style, center: [0, 0], zoom: 1, maxZoom: 18, attributionControl: { compact: true } });
  map.on('error', (e) => console.warn('map:', e.error?.message ?? e));
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.on('load', () => {
    map.addSource('features', { type: 'geojson', data });
    map.addLayer({ id: 'features-fill', type: 'fill', source: 'features', filter: ['match', ['geometry-type'], ['Polygon', 'MultiPolygon'], true, false], paint: { 'fill-color': COLOUR, 'fill-opacity': 0.25 } });
    map.addLayer({ id: 'features-line', type: 'line', source: 'features', filter: ['match', ['geometry-type'], ['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'], true, false], paint: { 'line-color': COLOUR, 'line-width': 2 } });
    map.addLayer({ id: 'features-point', type: 'circle', source: 'features', filter: ['match', ['geometry-type'], ['Point', 'MultiPoint'], true, false], paint: { 'circle-color': COLOUR, 'circle-radius': 6, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5 } });
    const b = bounds(data);
    if (b) map.fitBounds(b, { padding: 40, maxZoom: 16, duration: 0 });
    window.polisMap = map; // once it has its features: for the browser tests and for debugging
  });
}

start();
