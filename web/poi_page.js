// One place's page (#/poi/{id}): name and description in the current
// language, photos, opening hours (the OSM string and a readable version),
// address, phone, website and accessibility; the map flies there and rings
// it. A draft or unknown id is the API's 404, said as such.
import { call } from './api.js';
import { el } from './dom.js';
import { t } from './i18n.js';
import { readableHours } from './opening_hours.js';
import { poiDescription, poiName } from './poi_data.js';

function row(dl, label, value) {
  if (!value) return;
  dl.append(el('dt', null, label));
  const dd = el('dd');
  if (typeof value === 'string') dd.textContent = value;
  else dd.append(value);
  dl.append(dd);
}

function link(href, text) {
  const a = el('a', null, text);
  a.href = href;
  return a;
}

function hours(raw) {
  const box = el('div', 'hours');
  const code = el('code', null, raw);
  code.lang = 'en';
  box.append(code);
  const lines = el('ul', 'hours-readable');
  for (const line of readableHours(raw)) lines.append(el('li', null, line));
  box.append(lines, el('p', 'hint', t('poi.hoursHint')));
  return box;
}

function accessibility(flags) {
  const keys = Object.keys(flags || {});
  if (!keys.length) return null;
  const ul = el('ul', 'flags');
  for (const k of keys) {
    const label = t(`access.${k}`);
    ul.append(el('li', null, `${label === `access.${k}` ? k : label}: ${flags[k] ? t('poi.yes') : t('poi.no')}`));
  }
  return ul;
}

export function initPoiPage({ map }) {
  const root = document.getElementById('poi-page');
  let poi = null;

  function render() {
    root.replaceChildren(link('#/visit', t('visit.back')));
    if (!poi) {
      root.append(el('p', 'error', t('visit.notFound')));
      return;
    }
    const p = poi.properties;
    const h = el('h2', null, poiName(p));
    h.id = 'poi-title';
    root.append(h, el('p', 'hint', p.category_name || p.category));
    const text = poiDescription(p);
    if (text) root.append(el('p', 'poi-description', text));
    if (p.photos?.length) {
      const photos = el('div', 'photos');
      p.photos.forEach((src, i) => {
        const img = el('img');
        img.src = src;
        img.loading = 'lazy';
        img.alt = t('visit.photo').replace('{n}', i + 1);
        photos.append(img);
      });
      root.append(photos);
    }
    const dl = el('dl', 'facts');
    row(dl, t('poi.hours'), p.opening_hours ? hours(p.opening_hours) : null);
    row(dl, t('poi.address'), p.address);
    row(dl, t('poi.phone'), p.phone ? link(`tel:${p.phone.replace(/[^+\d]/g, '')}`, p.phone) : null);
    if (p.website) {
      const a = link(p.website, p.website);
      a.rel = 'noopener noreferrer';
      row(dl, t('poi.website'), a);
    }
    row(dl, t('poi.accessibility'), accessibility(p.accessibility));
    root.append(dl);
  }

  // the point of a Point, the middle of a polygon's first ring otherwise
  function centre(g) {
    if (g.type === 'Point') return g.coordinates;
    const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
    const sum = ring.reduce((a, c) => [a[0] + c[0], a[1] + c[1]], [0, 0]);
    return [sum[0] / ring.length, sum[1] / ring.length];
  }

  return {
    async show(id) {
      const r = /^\d+$/.test(id ?? '') ? await call(`/api/v1/pois/${id}`) : { ok: false };
      poi = r.ok ? r.body : null;
      render();
      if (poi) {
        map?.setFilter('pois-selected', ['==', ['get', 'id'], poi.properties.id]);
        map?.flyTo({ center: centre(poi.geometry), zoom: Math.max(map.getZoom(), 15) });
      }
    },
    render,
  };
}
