// "Follow this area" on the citizen map: signed in, with a pin on the map,
// a dialog asks for a radius and, optionally, a category, draws the circle
// on the map while it is open and sends POST /api/v1/me/subscriptions
// (kind area, lat/lon/radius_m, category). Every new report inside then
// reaches the mailbox. The mailbox lists what the user follows (GET
// /api/v1/me/subscriptions) with "stop following" (DELETE) for each.
import { call } from './api.js';
import { fillSelect, loadCategories } from './categories.js';
import { actionButton, el } from './dom.js';
import { clearProblems, showProblem } from './field_errors.js';
import { localName, onLangChange, t } from './i18n.js';

const RADII_M = [100, 250, 500, 1000, 2000];
const PREVIEW = 'follow-preview';
const $ = (id) => document.getElementById(id);

// A circle of radius metres around {lng, lat} as a GeoJSON polygon (a
// drawing aid only: the server buffers the point itself).
function circle({ lng, lat }, metres) {
  const ring = [];
  const dLat = metres / 111320;
  const dLng = metres / (111320 * Math.cos((lat * Math.PI) / 180));
  for (let i = 0; i <= 64; i++) {
    const a = (i / 64) * 2 * Math.PI;
    ring.push([lng + dLng * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: {} };
}

function radiusLabel(m) {
  return m >= 1000 ? t('follow.km').replace('{n}', m / 1000) : t('follow.m').replace('{n}', m);
}

// A subscription in words: "250 m around 41.09100, 23.54960 · Roads".
function describe(s, categories) {
  const cat = categories.find((c) => c.code === s.category);
  const catName = cat ? localName(cat) : s.category;
  if (s.kind === 'report') return t('follow.report').replace('{id}', s.report_id);
  if (s.kind === 'category') return `${t('follow.category')}: ${catName}`;
  const where = s.radius_m
    ? t('follow.circle').replace('{r}', radiusLabel(s.radius_m)).replace('{at}', `${Number(s.lat).toFixed(5)}, ${Number(s.lon).toFixed(5)}`)
    : t('follow.polygon');
  return s.category ? `${where} · ${catName}` : `${where} · ${t('follow.allCategories')}`;
}

export function initFollowArea({ map, getUser }) {
  const box = $('follow-area');
  const dialog = $('follow-dialog');
  const form = $('follow-form');
  const radius = $('follow-radius');
  const category = $('follow-category');
  const done = $('follow-done');
  let point = null;
  let categories = [];

  function fillRadii() {
    const keep = radius.value || '250';
    radius.replaceChildren(...RADII_M.map((m) => new Option(radiusLabel(m), String(m))));
    radius.value = keep;
  }

  async function fillCategories() {
    categories = (await loadCategories()).filter((c) => c.active);
    fillSelect(category, categories, t('follow.allCategories'));
  }

  // Not guarded by map.isStyleLoaded(): that is false while any tile is
  // loading (more so with the municipal layers), and then closing the
  // dialog would leave the circle drawn.
  function preview(on) {
    if (!map) return;
    if (!map.getSource(PREVIEW)) {
      if (!on) return; // nothing drawn yet
      try {
        map.addSource(PREVIEW, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
        map.addLayer({ id: `${PREVIEW}-fill`, type: 'fill', source: PREVIEW, paint: { 'fill-color': '#0b5394', 'fill-opacity': 0.12 } });
        map.addLayer({ id: `${PREVIEW}-line`, type: 'line', source: PREVIEW, paint: { 'line-color': '#0b5394', 'line-width': 2 } });
      } catch {
        return; // the style itself has not loaded yet: no preview this time
      }
    }
    const features = on && point ? [circle(point, Number(radius.value))] : [];
    map.getSource(PREVIEW).setData({ type: 'FeatureCollection', features });
  }

  function update() {
    box.hidden = !getUser() || !point;
  }

  $('follow-open').addEventListener('click', async () => {
    clearProblems(form);
    done.textContent = '';
    fillRadii();
    await fillCategories();
    dialog.showModal(); // Esc closes it (the dialog's own "cancel")
    radius.focus();
    preview(true);
  });
  radius.addEventListener('change', () => preview(true));
  $('follow-cancel').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    preview(false);
    $('follow-open').focus();
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!point) return dialog.close();
    clearProblems(form);
    const body = {
      kind: 'area',
      lat: Number(point.lat.toFixed(6)),
      lon: Number(point.lng.toFixed(6)),
      radius_m: Number(radius.value),
    };
    if (category.value) body.category = category.value;
    const r = await call('/api/v1/me/subscriptions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!r.ok) {
      showProblem(form, r.problem);
      return;
    }
    dialog.close();
    done.textContent = t('follow.done').replace('{r}', radiusLabel(body.radius_m));
  });

  onLangChange(() => {
    done.textContent = ''; // written in the other language
    if (dialog.open) {
      fillRadii();
      fillSelect(category, categories, t('follow.allCategories'));
    }
  });

  return {
    setPoint(lngLat) {
      point = lngLat ? { lng: lngLat.lng, lat: lngLat.lat } : null;
      done.textContent = '';
      update();
    },
    userChanged() {
      if (!getUser() && dialog.open) dialog.close();
      update();
    },
  };
}

// The list of what the user follows, in the mailbox, with "stop following".
export async function showSubscriptions(ids = { list: 'subs-list', empty: 'subs-empty' }) {
  const list = $(ids.list);
  const [r, categories] = await Promise.all([call('/api/v1/me/subscriptions'), loadCategories()]);
  const items = r.ok ? r.body.items : [];
  list.replaceChildren(
    ...items.map((s) => {
      const li = el('li', 'card');
      li.dataset.subscription = s.id;
      const text = describe(s, categories);
      const b = actionButton(t('follow.stop'), async () => {
        const d = await call(`/api/v1/me/subscriptions/${s.id}`, { method: 'DELETE' });
        const gone = d.ok || d.problem.status === 404;
        if (gone) await showSubscriptions(ids);
        return gone;
      });
      b.setAttribute('aria-label', `${t('follow.stop')}: ${text}`);
      li.append(el('p', '', text), b);
      return li;
    }),
  );
  $(ids.empty).hidden = items.length > 0;
}
