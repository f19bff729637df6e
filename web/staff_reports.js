// The staff list: reports of the staff member's departments (admins: any)
// filtered by status, category, dates and text (q=: the description or
// address, any case, accents or alphabet; or the id), those assigned to the
// staff member (assignee=me) and those overdue (overdue=true), all by the
// API, drawn on the map as well; each row shows the due time and assignee. Esc in the detail closes it and goes back to its row.
// The list and the map stay in step: choosing a row flies the map there,
// clicking a point on the map chooses its row; either opens the detail.
import { call } from './api.js';
import { departmentsOf, fillSelect, loadCategories } from './categories.js';
import { clearProblems, showProblem } from './field_errors.js';
import { localName, onLangChange, t } from './i18n.js';
import { statusLabel, when } from './report_thread.js';
import { loadStatuses } from './report_statuses.js';
import { showDetail } from './staff_detail.js';

import { STAFF_SOURCE } from './map_style.js';
const PAGE = 100;
const $ = (id) => document.getElementById(id);

// A date input's day as an RFC 3339 instant at local midnight; plusDay for
// "until" (the API's bound is exclusive, the user means the whole day).
function dayStart(value, plusDay = false) {
  if (!value) return null;
  const d = new Date(`${value}T00:00`);
  if (Number.isNaN(d.getTime())) return value; // the API says what is wrong
  if (plusDay) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export function initStaff({ map }) {
  const form = $('staff-filters');
  const rows = $('staff-rows');
  const detail = $('staff-detail');
  let user = null;
  let categories = [];
  let departments = [];
  let statuses = [];
  let features = [];
  let selected = null;
  let loadSeq = 0;

  function fillFilters() {
    const mine = user.role === 'admin' ? departments : user.departments;
    fillSelect($('f-department'), mine, user.role === 'admin' ? t('staff.all') : undefined);
    fillSelect($('f-status'), statuses.map((s) => ({ code: s.name, name_el: s.label_el, name_en: s.label_en })), t('staff.all'));
    fillSelect($('f-category'), categories, t('staff.all'));
  }

  function setMapData() {
    // "open" as the server defines it, for the map's colour (map_style.js)
    const open = new Set(statuses.filter((s) => s.open).map((s) => s.name));
    const drawn = features.map((f) => ({ ...f, properties: { ...f.properties, open: open.has(f.properties.status) } }));
    map?.getSource(STAFF_SOURCE)?.setData({ type: 'FeatureCollection', features: drawn });
    map?.setFilter('staff-selected', ['==', ['id'], selected ?? -1]);
  }

  function row(f) {
    const p = f.properties;
    const tr = document.createElement('tr');
    tr.dataset.report = f.id;
    if (f.id === selected) tr.setAttribute('aria-selected', 'true');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'linklike';
    open.textContent = `#${f.id}`;
    open.setAttribute('aria-label', t('staff.open').replace('{id}', f.id));
    open.addEventListener('click', () => choose(f.id, true));
    const badge = document.createElement('span');
    badge.className = `badge-status status-${p.status}`;
    badge.textContent = statusLabel(p.status);
    const cells = [
      open,
      badge,
      localName({ name_el: p.category_name_el, name_en: p.category_name_en }),
      p.description,
      when(p.created_at),
      due(p),
      p.assignee?.name ?? '—',
    ];
    for (const c of cells) {
      const td = document.createElement('td');
      td.append(c);
      tr.append(td);
    }
    tr.addEventListener('click', (e) => {
      if (e.target !== open) choose(f.id, true);
    });
    return tr;
  }

  // The due time, marked when it has passed on an open report.
  function due(p) {
    const span = document.createElement('span');
    span.textContent = p.due_at ? when(p.due_at) : '—';
    if (p.overdue) {
      const badge = document.createElement('span');
      badge.className = 'badge-status overdue';
      badge.textContent = t('staff.overdueBadge');
      span.append(' ', badge);
    }
    return span;
  }

  // Shows every listed report (one report: around it at street level).
  function fitToList() {
    if (!map || !features.length) return;
    const xs = features.map((f) => f.geometry.coordinates[0]);
    const ys = features.map((f) => f.geometry.coordinates[1]);
    const bounds = [[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)]];
    map.fitBounds(bounds, { padding: 40, maxZoom: 16, duration: 0 });
  }

  function render() {
    rows.replaceChildren(...features.map(row));
    $('staff-count').textContent = t('staff.count').replace('{n}', features.length);
    setMapData();
  }

  async function load(keepSelection = false) {
    if (!user) return;
    clearProblems(form);
    const q = new URLSearchParams({ limit: String(PAGE) });
    const put = (k, v) => v && q.set(k, v);
    put('department', $('f-department').value);
    put('status', $('f-status').value);
    put('category', $('f-category').value);
    put('since', dayStart($('f-since').value));
    put('until', dayStart($('f-until').value, true));
    if ($('f-mine').checked) q.set('assignee', 'me');
    if ($('f-overdue').checked) q.set('overdue', 'true');
    // only a text with a letter or digit is a search (a lone "#" is not yet)
    const text = $('f-text').value.trim().replace(/^#(?=\d+$)/, '');
    if (/[\p{L}\p{N}]/u.test(text)) q.set('q', text);
    const seq = ++loadSeq;
    const r = await call(`/api/v1/reports?${q}`);
    if (seq !== loadSeq) return;
    if (!r.ok) {
      features = [];
      render();
      showProblem(form, r.problem);
      return;
    }
    features = r.body.features;
    if (!keepSelection || !features.some((f) => f.id === selected)) {
      selected = null;
      detail.hidden = true;
      fitToList();
    }
    render();
  }

  async function choose(id, fly, message = '') {
    const f = features.find((x) => x.id === id);
    if (!f) return;
    selected = id;
    for (const tr of rows.children) {
      if (Number(tr.dataset.report) === id) tr.setAttribute('aria-selected', 'true');
      else tr.removeAttribute('aria-selected');
    }
    rows.querySelector(`tr[data-report="${id}"]`)?.scrollIntoView({ block: 'nearest' });
    setMapData();
    if (fly) map?.flyTo({ center: f.geometry.coordinates, zoom: Math.max(map.getZoom(), 16) });
    // the detail reads the report again: the list may be a moment old
    const fresh = await call(`/api/v1/reports/${id}`);
    await showDetail(detail, fresh.ok ? fresh.body : f, departments, changed, message);
    if (!message) detail.focus();
  }

  async function changed(id, message) {
    await load(true);
    await choose(id, false, message);
  }

  let typing = null;
  form.addEventListener('input', (e) => {
    if (e.target.id !== 'f-text') return;
    clearTimeout(typing);
    typing = setTimeout(() => load(), 250);
  });
  form.addEventListener('change', (e) => {
    if (e.target.id !== 'f-text') load();
  });
  form.addEventListener('submit', (e) => e.preventDefault());
  detail.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || detail.hidden) return;
    e.preventDefault();
    detail.hidden = true;
    rows.querySelector(`tr[data-report="${selected}"] button`)?.focus();
  });
  onLangChange(() => {
    if (!user) return;
    fillFilters();
    render();
  });
  map?.on('click', 'staff-point', (e) => {
    const id = e.features?.[0]?.id;
    if (id !== undefined) choose(Number(id), false);
  });

  // a new report of the department (or a change of one) reaches the staff
  // member's mailbox stream: the open list and map follow without a reload
  window.addEventListener('polis:inbox', () => {
    if (user && document.body.dataset.view === 'staff') load(true);
  });

  return {
    async show(who) {
      user = who;
      [categories, statuses] = await Promise.all([loadCategories(), loadStatuses()]);
      departments = departmentsOf(categories);
      fillFilters();
      await load();
    },
    hide() {
      features = [];
      selected = null;
      setMapData();
    },
  };
}
