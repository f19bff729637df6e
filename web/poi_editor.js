// The POI editor (#/places-admin, tourism office and admins): every POI
// (drafts and archived too) listed and drawn on the map; a form to create
// or edit one (placed by tapping the map), publish / archive / back to
// draft, and photos. The API judges everything; its refusals appear next
// to the field they name.
import { api, apiJson, call, problemOf } from './api.js';
import { el } from './dom.js';
import { announceOpen, closeWhenOtherOpens, placeLineText, pointOf, showActions, showForm, textsInto } from './editor_form.js';
import { clearProblems, showProblem } from './field_errors.js';
import { addField, setOptions } from './form_fields.js';
import { lang, localName, t } from './i18n.js';
import { EDITOR_SOURCE } from './map_style.js';
import { resizePhoto } from './photo_resize.js';
import { poiCategories, poiName } from './poi_data.js';

const FLAGS = ['wheelchair', 'toilets_wheelchair', 'parking_disabled', 'guide_dogs'];
const TEXTS = [
  ['name_el', 'editor.nameEl', 'text', 'el'],
  ['name_en', 'editor.nameEn', 'text', 'en'],
  ['description_el', 'editor.descriptionEl', 'textarea', 'el'],
  ['description_en', 'editor.descriptionEn', 'textarea', 'en'],
  ['address', 'editor.address', 'text'],
  ['phone', 'editor.phone', 'tel'],
  ['website', 'editor.website', 'url'],
  ['opening_hours', 'editor.hours', 'text'],
];
const $ = (id) => document.getElementById(id);

export function initPoiEditor({ map }) {
  const form = $('poi-form');
  const fields = $('poi-fields');
  const list = $('poi-admin-list');
  const done = $('poi-done');
  const controls = {};
  let editing = null; // the Feature being edited, null for a new one
  let point = null; // {lng, lat} set by tapping the map
  let pois = [];

  controls.category = addField(fields, { id: 'p-category', name: 'category', key: 'editor.category', kind: 'select' });
  for (const [name, key, kind, l] of TEXTS)
    controls[name] = addField(fields, { id: `p-${name.replace('_', '-')}`, name, key, kind, lang: l });
  const flags = el('fieldset', 'field');
  flags.dataset.field = 'accessibility';
  const legend = el('legend', null, t('editor.accessibility'));
  legend.dataset.i18n = 'editor.accessibility';
  flags.append(legend);
  for (const f of FLAGS) controls[`flag_${f}`] = addField(flags, { id: `p-flag-${f}`, name: `accessibility.${f}`, key: `access.${f}`, kind: 'checkbox' });
  const flagsError = el('p', 'error field-error');
  flagsError.id = 'p-accessibility-error';
  flags.append(flagsError);
  fields.append(flags);
  controls.tags = addField(fields, { id: 'p-tags', name: 'tags', key: 'editor.tags' });

  function placeText() {
    $('p-place').textContent = placeLineText(point);
  }

  async function loadList() {
    const r = await call(`/api/v1/pois?status=all&limit=100&lang=${lang()}`);
    pois = r.ok ? r.body.features : [];
    map?.getSource(EDITOR_SOURCE)?.setData({ type: 'FeatureCollection', features: pois });
    list.replaceChildren();
    for (const f of pois) {
      const p = f.properties;
      const li = el('li', 'card');
      li.dataset.poi = p.id;
      li.dataset.status = p.status;
      const b = el('button', 'linkish', poiName(p));
      b.type = 'button';
      b.addEventListener('click', () => open(f));
      li.append(b, el('p', 'hint', `${p.category_name || p.category} · ${t(`status.${p.status}`)}`));
      list.append(li);
    }
  }

  function actions() {
    showActions('p', ['publish', 'archive', 'draft'], editing?.properties.status);
    $('p-photo-field').hidden = !editing;
  }

  async function open(feature) {
    announceOpen('poi');
    editing = feature;
    const p = feature?.properties ?? {};
    setOptions(controls.category, (await poiCategories()).map((c) => [c.code, localName(c)]));
    controls.category.value = p.category ?? controls.category.options[0]?.value ?? '';
    for (const [name] of TEXTS) controls[name].value = p[name] ?? '';
    for (const f of FLAGS) controls[`flag_${f}`].checked = !!p.accessibility?.[f];
    controls.tags.value = (p.tags ?? []).join(', ');
    point = pointOf(feature);
    placeText();
    $('poi-form-title').textContent = feature ? t('editor.editPoi').replace('{name}', poiName(p)) : t('editor.newPoi');
    map?.setFilter('editor-selected', ['==', ['id'], feature?.id ?? -1]);
    actions();
    showForm(form, done, controls.category);
  }

  // the form as a body: a new POI leaves out what is empty, an edit clears it
  function body() {
    const b = { category: controls.category.value };
    textsInto(b, controls, TEXTS.map(([name]) => name), editing);
    b.accessibility = {};
    for (const f of FLAGS) if (controls[`flag_${f}`].checked) b.accessibility[f] = true;
    b.tags = controls.tags.value.split(',').map((s) => s.trim()).filter(Boolean);
    // a polygon POI keeps its shape unless the map was tapped
    if (point && (!editing || editing.geometry.type === 'Point' || point.moved))
      b.geometry = { type: 'Point', coordinates: [Number(point.lng.toFixed(7)), Number(point.lat.toFixed(7))] };
    return b;
  }

  async function saved(res) {
    if (!res?.ok) {
      showProblem(form, await problemOf(res));
      return;
    }
    editing = await res.json();
    clearProblems(form);
    const p = editing.properties;
    done.textContent = t('editor.saved').replace('{name}', poiName(p)).replace('{status}', t(`status.${p.status}`));
    $('poi-form-title').textContent = t('editor.editPoi').replace('{name}', poiName(p));
    actions();
    await loadList();
    map?.setFilter('editor-selected', ['==', ['id'], editing.id]);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const path = editing ? `/api/v1/pois/${editing.id}` : '/api/v1/pois';
    await saved(await apiJson(path, body(), editing ? 'PATCH' : 'POST').catch(() => null));
  });
  for (const action of ['publish', 'archive', 'draft'])
    $(`p-${action}`).addEventListener('click', async () => {
      await saved(await api(`/api/v1/pois/${editing.id}/${action}`, { method: 'POST' }).catch(() => null));
    });
  $('p-cancel').addEventListener('click', () => {
    form.hidden = true;
    editing = null;
    map?.setFilter('editor-selected', ['==', ['id'], -1]);
  });
  $('poi-new').addEventListener('click', () => open(null));
  $('p-photo').addEventListener('change', async () => {
    const file = $('p-photo').files[0];
    if (!file || !editing) return;
    const blob = await resizePhoto(file);
    const res = await api(`/api/v1/pois/${editing.id}/photos`, {
      method: 'POST',
      headers: { 'Content-Type': blob.type || 'application/octet-stream' },
      body: blob,
    }).catch(() => null);
    if (!res?.ok) return showProblem(form, await problemOf(res), { field: 'photo' });
    clearProblems(form);
    done.textContent = t('editor.photoAdded');
    $('p-photo').value = '';
  });
  closeWhenOtherOpens(form, 'poi');

  return {
    show: loadList,
    pois: () => pois,
    // a tap on the map places the POI when its form is open
    place(lngLat) {
      if (form.hidden) return false;
      point = { lng: lngLat.lng, lat: lngLat.lat, moved: true };
      placeText();
      return true;
    },
    // a map click on a listed POI opens it
    openId(id) {
      const f = pois.find((x) => x.id === id);
      if (f) open(f);
    },
  };
}
