// The map's style, built here rather than fetched: only our own vector
// tiles (no glyphs, no sprites, so no symbol layers; names are HTML).
export const BOUNDARY_SOURCE = 'boundaries';

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
    ],
  };
}
