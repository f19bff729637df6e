// Layer management for admins (the layers view, below the upload): every
// imported layer as a card; Edit opens one form for what PATCH
// /api/v1/layers/{name} takes (titles, description, keywords, licence,
// attribution, visibility, owning department, and the tile settings: zooms,
// simplification, the smallest feature drawn, the feature limit and which
// attributes the tiles carry). Only the members changed are sent, so a
// save never overwrites what someone else changed meanwhile in another
// member. Delete asks once more on the same button, then DELETEs the layer
// (its table and its tiles go with it). The API checks everything; its
// errors land on the field they name (tiles.minzoom, ...).
import { api, apiJson, call, problemOf } from './api.js';
import { departmentsOf, loadCategories } from './categories.js';
import { el } from './dom.js';
import { clearProblems, showProblem } from './field_errors.js';
import { localName, t } from './i18n.js';

const $ = (id) => document.getElementById(id);

// [form control id, the member it edits, how its value is read and written]
const TEXT = (v) => v ?? '';
const NUMBER_OR_NULL = { show: (v) => (v ?? '') === '' ? '' : String(v), read: (s) => (s.trim() === '' ? null : Number(s)) };
const NUMBER = { show: (v) => String(v ?? ''), read: (s) => Number(s) };
const CLEARABLE = { show: TEXT, read: (s) => (s.trim() === '' ? null : s.trim()) };
const REQUIRED = { show: TEXT, read: (s) => s.trim() };
const KEYWORDS = {
  show: (v) => (v || []).join(', '),
  read: (s) => s.split(',').map((k) => k.trim()).filter(Boolean),
};
const CONTROLS = [
  ['le-title-el', 'title_el', REQUIRED],
  ['le-title-en', 'title_en', REQUIRED],
  ['le-description', 'description', CLEARABLE],
  ['le-keywords', 'keywords', KEYWORDS],
  ['le-licence', 'licence', CLEARABLE],
  ['le-attribution', 'attribution', CLEARABLE],
  ['le-visibility', 'visibility', REQUIRED],
  ['le-department', 'department_id', NUMBER_OR_NULL],
  ['le-minzoom', 'tiles.minzoom', NUMBER],
  ['le-maxzoom', 'tiles.maxzoom', NUMBER],
  ['le-simplify', 'tiles.simplify_px', NUMBER],
  ['le-min-size', 'tiles.min_size_px', NUMBER],
  ['le-feature-limit', 'tiles.feature_limit', NUMBER_OR_NULL],
];

function memberOf(layer, path) {
  return path.split('.').reduce((o, k) => o?.[k], layer);
}

function setMember(body, path, value) {
  const [head, tail] = path.split('.');
  if (!tail) body[head] = value;
  else (body[head] ??= {})[tail] = value;
}

// The attribute whitelist: null (every attribute) when all are ticked.
function readWhitelist() {
  const boxes = [...$('le-attributes').querySelectorAll('input')];
  const ticked = boxes.filter((b) => b.checked).map((b) => b.value);
  return ticked.length === boxes.length ? null : ticked;
}

function sameWhitelist(a, b) {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function initLayerAdmin() {
  const form = $('layer-edit');
  const done = $('layer-admin-done');
  let editing = null; // the layer as the API last gave it
  let departments = [];

  function fillDepartments() {
    const select = $('le-department');
    select.replaceChildren(new Option(t('layerAdmin.noDepartment'), ''));
    for (const d of departments) select.append(new Option(localName(d) || d.code, d.id));
  }

  function fillAttributes(layer) {
    const whitelist = layer.tiles?.attributes;
    $('le-attributes').replaceChildren(
      ...(layer.attributes || []).map((a, i) => {
        const box = el('input');
        box.type = 'checkbox';
        box.id = `le-attr-${i}`;
        box.value = a.name;
        box.checked = !whitelist || whitelist.includes(a.name);
        const label = el('label', 'check', a.name);
        label.htmlFor = box.id;
        const row = el('div', 'check');
        row.append(box, label);
        return row;
      }),
    );
  }

  function open(layer) {
    editing = layer;
    clearProblems(form);
    done.textContent = '';
    $('layer-edit-title').textContent = t('layerAdmin.editing').replace('{name}', layer.name);
    fillDepartments();
    for (const [id, path, kind] of CONTROLS) $(id).value = kind.show(memberOf(layer, path));
    fillAttributes(layer);
    disarmDelete();
    form.hidden = false;
    form.dataset.layer = layer.name;
    $('le-title-el').focus();
  }

  function close() {
    form.hidden = true;
    editing = null;
  }

  // Only what differs from the layer as loaded: each stored value goes
  // through the same show and read as the control's, so that an empty
  // description and a null one compare equal.
  function changes() {
    const body = {};
    for (const [id, path, kind] of CONTROLS) {
      const value = kind.read($(id).value);
      const before = kind.read(kind.show(memberOf(editing, path)));
      if (JSON.stringify(value) !== JSON.stringify(before)) setMember(body, path, value);
    }
    const whitelist = readWhitelist();
    if (!sameWhitelist(whitelist, editing.tiles?.attributes)) setMember(body, 'tiles.attributes', whitelist);
    return body;
  }

  function card(layer) {
    const facts = [
      layer.geometry_type,
      t('layerAdmin.features').replace('{n}', layer.feature_count ?? 0),
      t(layer.visibility === 'staff' ? 'layers.staffOnly' : 'layers.public'),
      t('layerAdmin.zooms').replace('{min}', layer.tiles?.minzoom).replace('{max}', layer.tiles?.maxzoom),
    ].filter(Boolean);
    const li = el('li', 'card');
    li.dataset.layer = layer.name;
    li.append(el('p', 'card-head', `${localName({ name_el: layer.title_el, name_en: layer.title_en })} (${layer.name})`), el('p', 'hint', facts.join(' · ')));
    const edit = el('button', 'secondary', t('admin.edit'));
    edit.type = 'button';
    edit.setAttribute('aria-label', `${t('admin.edit')}: ${layer.name}`);
    edit.addEventListener('click', () => open(layer));
    li.append(edit);
    return li;
  }

  async function list() {
    const r = await call('/api/v1/layers');
    const layers = r.ok ? r.body.layers : [];
    $('layer-admin-list').replaceChildren(...layers.map(card));
    return layers;
  }

  function disarmDelete() {
    const b = $('le-delete');
    delete b.dataset.armed;
    b.textContent = t('layerAdmin.delete');
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    const body = changes();
    if (!Object.keys(body).length) {
      done.textContent = t('layerAdmin.nothingChanged');
      return;
    }
    const name = editing.name;
    const res = await apiJson(`/api/v1/layers/${encodeURIComponent(name)}`, body, 'PATCH').catch(() => null);
    if (!res || !res.ok) {
      showProblem(form, await problemOf(res));
      return;
    }
    close();
    await list();
    document.querySelector(`#layer-admin-list [data-layer="${CSS.escape(name)}"] button`)?.focus();
    // last: the status line says it once the list shows the change
    done.textContent = t('layerAdmin.saved').replace('{name}', name);
  });

  $('le-cancel').addEventListener('click', close);

  $('le-delete').addEventListener('click', async () => {
    const b = $('le-delete');
    if (!b.dataset.armed) {
      b.dataset.armed = '1';
      b.textContent = t('layerAdmin.confirmDelete').replace('{name}', editing.name);
      return;
    }
    const name = editing.name;
    const res = await api(`/api/v1/layers/${encodeURIComponent(name)}`, { method: 'DELETE' }).catch(() => null);
    if (!res || res.status !== 204) {
      disarmDelete();
      showProblem(form, await problemOf(res));
      return;
    }
    close();
    await list();
    done.textContent = t('layerAdmin.deleted').replace('{name}', name);
  });

  return {
    async show(user) {
      const admin = user?.role === 'admin';
      $('layer-admin').hidden = !admin;
      if (!admin) return;
      departments = departmentsOf(await loadCategories(true)).filter((d) => d.id);
      await list();
    },
  };
}
