// The map's style, built here rather than fetched: only our own vector
// tiles and GeoJSON (names of reports and POIs are HTML). The OpenStreetMap
// basemap, its labels included, is added at run time under OSM_TOP
// (osm_basemap.js). Citizens see the public reports tiles (clusters below zoom 14)
// and their own reports; staff see their list (a GeoJSON source the list
// fills) with the chosen report ringed. Visitors see the published POIs
// (circles coloured by category; names in the HTML list), the school finder
// the schools and their zones, the POI editor the POIs it lists (drafts too).
// The municipality's imported layers (buildings, streets, ...) are added
// at run time as the basemap, under BASEMAP_TOP (municipal_layers.js).
export const BOUNDARY_SOURCE = 'boundaries';
export const REPORTS_SOURCE = 'reports';
export const MINE_SOURCE = 'mine';
export const STAFF_SOURCE = 'staff-reports';
export const POIS_SOURCE = 'pois';
export const SCHOOLS_SOURCE = 'schools';
export const ZONES_SOURCE = 'school_zones';
export const EDITOR_SOURCE = 'editor-pois';

// The tile layers this style draws itself; every other layer of GET /tiles
// is a municipal layer (municipal_layers.js) drawn as basemap.
export const BUILT_IN_TILE_LAYERS = [BOUNDARY_SOURCE, REPORTS_SOURCE, POIS_SOURCE, SCHOOLS_SOURCE, ZONES_SOURCE, 'basemap'];

// The OpenStreetMap basemap's layers go under this one (an empty marker):
// over the municipality's land, under the municipal layers.
export const OSM_TOP = 'osm-top';

// Municipal layers go under this layer: over the land, under the chosen
// municipality's tint, the boundary lines and every marker.
export const BASEMAP_TOP = 'selected-fill';

const EMPTY = { type: 'FeatureCollection', features: [] };

// The layers of each view: shown or hidden when the view changes.
export const VIEW_LAYERS = {
  citizen: ['reports-cluster', 'reports-point', 'mine-point'],
  staff: ['staff-point', 'staff-selected'],
  visit: ['pois-point', 'pois-selected'],
  schools: ['zones-fill', 'zones-line', 'schools-point'],
  places: ['editor-point', 'editor-selected'],
};

// Which layers each view shows (views not named here: the citizen's).
export const VIEW_MODE = { staff: 'staff', visit: 'visit', poi: 'visit', schools: 'schools', places: 'places' };

// One colour per POI category (dark enough for a white ring on the pale
// basemap); categories added later by admins get the last one.
// (the legend, legend.js, shows the same colours: one table for both)
export const POI_COLOURS = {
  sight: '#b03a2e', museum: '#7d3c98', monument: '#6e2c00', church: '#1f618d',
  nature: '#1e8449', beach_lake: '#117a8b', route: '#7e5109', sport: '#b9770e',
  food: '#c0392b', accommodation: '#2e4053', service: '#566573', school: '#9a7d0a',
  municipal_building: '#0b5394', culture: '#a93279',
};
export const POI_OTHER = '#4d5656';
export const SCHOOL_COLOURS = {
  nursery: '#c2185b', kindergarten: '#e65100', primary: '#2e7d32',
  lower_secondary: '#1565c0', upper_secondary: '#6a1b9a', vocational: '#4e342e',
};
export const SCHOOL_OTHER = '#455a64';
const byProperty = (prop, colours, other) => ['match', ['get', prop], ...Object.entries(colours).flat(), other];
const POI_COLOUR = byProperty('category', POI_COLOURS, POI_OTHER);
const SCHOOL_COLOUR = byProperty('level', SCHOOL_COLOURS, SCHOOL_OTHER);
// reports: open, finished, my own; the municipality's outline
export const REPORT_OPEN = '#b45309';
export const REPORT_CLOSED = '#6b7280';
export const MINE_COLOUR = '#0b5394';
export const BOUNDARY_COLOUR = '#0b5394';
export const UNIT_COLOUR = '#7f8c96';
const HIDDEN = { visibility: 'none' };
const RING = { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 13, 'circle-stroke-color': '#0b5394', 'circle-stroke-width': 3 };

// Open reports are orange, finished ones grey. Which statuses are open is
// the server's (table report_statuses): a tile's report carries count_open
// (1 or 0), the staff list's features an open flag set from the API.
const OPEN_TILE = ['>', ['get', 'count_open'], 0];
const OPEN_STAFF = ['==', ['get', 'open'], true];

export function mapStyle(origin) {
  return {
    version: 8,
    sources: {
      [BOUNDARY_SOURCE]: {
        type: 'vector',
        // absolute: MapLibre fetches tiles from its worker
        tiles: [`${origin}/tiles/boundaries/{z}/{x}/{y}.mvt`],
        minzoom: 0,
        maxzoom: 16,
        attribution: 'polis',
      },
      [REPORTS_SOURCE]: {
        type: 'vector',
        tiles: [`${origin}/tiles/reports/{z}/{x}/{y}.mvt`],
        minzoom: 0,
        maxzoom: 16,
      },
      [MINE_SOURCE]: { type: 'geojson', data: EMPTY },
      [STAFF_SOURCE]: { type: 'geojson', data: EMPTY },
      [POIS_SOURCE]: { type: 'vector', tiles: [`${origin}/tiles/pois/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 16 },
      [SCHOOLS_SOURCE]: { type: 'vector', tiles: [`${origin}/tiles/schools/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 16 },
      [ZONES_SOURCE]: { type: 'vector', tiles: [`${origin}/tiles/school_zones/{z}/{x}/{y}.mvt`], minzoom: 0, maxzoom: 16 },
      [EDITOR_SOURCE]: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#e8eef2' } },
      {
        id: 'municipality-fill',
        type: 'fill',
        source: BOUNDARY_SOURCE,
        'source-layer': 'boundaries',
        filter: ['==', ['get', 'level'], 'municipality'],
        paint: { 'fill-color': '#fbfaf4', 'fill-opacity': 1 },
      },
      { id: OSM_TOP, type: 'background', layout: { visibility: 'none' } },
      {
        id: 'selected-fill',
        type: 'fill',
        source: BOUNDARY_SOURCE,
        'source-layer': 'boundaries',
        filter: ['==', ['get', 'id'], -1],
        paint: { 'fill-color': '#ffd966', 'fill-opacity': 0.45 },
      },
      {
        id: 'unit-line',
        type: 'line',
        source: BOUNDARY_SOURCE,
        'source-layer': 'boundaries',
        minzoom: 9,
        filter: ['==', ['get', 'level'], 'unit'],
        paint: { 'line-color': UNIT_COLOUR, 'line-width': 0.8, 'line-dasharray': [3, 2] },
      },
      {
        id: 'municipality-line',
        type: 'line',
        source: BOUNDARY_SOURCE,
        'source-layer': 'boundaries',
        filter: ['==', ['get', 'level'], 'municipality'],
        paint: {
          'line-color': BOUNDARY_COLOUR,
          'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.6, 12, 2.2],
        },
      },
      {
        id: 'reports-cluster',
        type: 'circle',
        source: REPORTS_SOURCE,
        'source-layer': 'reports',
        filter: ['==', ['get', 'cluster'], true],
        paint: {
          'circle-color': REPORT_OPEN,
          'circle-opacity': 0.75,
          'circle-radius': ['interpolate', ['linear'], ['get', 'count'], 1, 6, 50, 16, 500, 26],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
      {
        id: 'reports-point',
        type: 'circle',
        source: REPORTS_SOURCE,
        'source-layer': 'reports',
        filter: ['!=', ['get', 'cluster'], true],
        paint: {
          'circle-color': ['case', OPEN_TILE, REPORT_OPEN, REPORT_CLOSED],
          'circle-radius': 6,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
      {
        id: 'mine-point',
        type: 'circle',
        source: MINE_SOURCE,
        paint: {
          'circle-color': MINE_COLOUR,
          'circle-radius': 8,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      },
      {
        id: 'staff-point',
        type: 'circle',
        source: STAFF_SOURCE,
        layout: { visibility: 'none' },
        paint: {
          'circle-color': ['case', OPEN_STAFF, REPORT_OPEN, REPORT_CLOSED],
          'circle-radius': 7,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 1.5,
        },
      },
      {
        id: 'staff-selected',
        type: 'circle',
        source: STAFF_SOURCE,
        filter: ['==', ['id'], -1],
        layout: { visibility: 'none' },
        paint: {
          'circle-color': 'rgba(0,0,0,0)',
          'circle-radius': 13,
          'circle-stroke-color': '#0b5394',
          'circle-stroke-width': 3,
        },
      },
      // school zones under the schools, in the school finder only; the
      // zones serving the chosen point are filled (the finder sets the filter)
      { id: 'zones-fill', type: 'fill', source: ZONES_SOURCE, 'source-layer': 'school_zones', layout: HIDDEN,
        filter: ['in', ['get', 'id'], ['literal', []]], paint: { 'fill-color': SCHOOL_COLOUR, 'fill-opacity': 0.2 } },
      { id: 'zones-line', type: 'line', source: ZONES_SOURCE, 'source-layer': 'school_zones', layout: HIDDEN,
        paint: { 'line-color': SCHOOL_COLOUR, 'line-width': 1.2, 'line-opacity': 0.7 } },
      { id: 'schools-point', type: 'circle', source: SCHOOLS_SOURCE, 'source-layer': 'schools', layout: HIDDEN,
        paint: { 'circle-color': SCHOOL_COLOUR, 'circle-radius': 6, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } },
      { id: 'pois-point', type: 'circle', source: POIS_SOURCE, 'source-layer': 'pois', layout: HIDDEN,
        paint: { 'circle-color': POI_COLOUR, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 4, 15, 8],
          'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } },
      { id: 'pois-selected', type: 'circle', source: POIS_SOURCE, 'source-layer': 'pois', layout: HIDDEN,
        filter: ['==', ['get', 'id'], -1], paint: RING },
      { id: 'editor-point', type: 'circle', source: EDITOR_SOURCE, layout: HIDDEN,
        paint: { 'circle-color': POI_COLOUR, 'circle-radius': 7, 'circle-stroke-width': 2,
          'circle-stroke-color': ['match', ['get', 'status'], 'published', '#ffffff', '#111111'] } },
      { id: 'editor-selected', type: 'circle', source: EDITOR_SOURCE, layout: HIDDEN, filter: ['==', ['id'], -1], paint: RING },
    ],
  };
}
