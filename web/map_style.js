// The map's style, built here rather than fetched: only our own vector
// tiles and GeoJSON (no glyphs, no sprites, so no symbol layers; names are
// HTML). Citizens see the public reports tiles (clusters below zoom 14)
// and their own reports; staff see their list (a GeoJSON source the list
// fills) with the chosen report ringed.
export const BOUNDARY_SOURCE = 'boundaries';
export const REPORTS_SOURCE = 'reports';
export const MINE_SOURCE = 'mine';
export const STAFF_SOURCE = 'staff-reports';

const EMPTY = { type: 'FeatureCollection', features: [] };

// The layers of each view: shown or hidden when the view changes.
export const VIEW_LAYERS = {
  citizen: ['reports-cluster', 'reports-point', 'mine-point'],
  staff: ['staff-point', 'staff-selected'],
};

// Open reports are orange, finished ones grey.
const OPEN = ['match', ['get', 'status'], ['submitted', 'acknowledged', 'in_progress', 'reopened'], true, false];

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
        paint: { 'line-color': '#7f8c96', 'line-width': 0.8, 'line-dasharray': [3, 2] },
      },
      {
        id: 'municipality-line',
        type: 'line',
        source: BOUNDARY_SOURCE,
        'source-layer': 'boundaries',
        filter: ['==', ['get', 'level'], 'municipality'],
        paint: {
          'line-color': '#0b5394',
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
          'circle-color': '#b45309',
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
          'circle-color': ['case', OPEN, '#b45309', '#6b7280'],
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
          'circle-color': '#0b5394',
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
          'circle-color': ['case', OPEN, '#b45309', '#6b7280'],
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
    ],
  };
}
