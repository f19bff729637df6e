// The citizen's report form: the point (from the map or locate-me), the
// category and its extra fields, the open reports of that category nearby
// (support one instead of filing a duplicate, or file anyway), the
// description, photos (made smaller first) and, when not signed in, how to
// reach the reporter. The address of the point is filled in by reverse
// geocoding (the reporter may correct it) and sent as the report's address. Every refusal of the API is shown next to its field.
import { api, call, problemOf } from './api.js';
import { fillSelect, loadCategories } from './categories.js';
import { readFields, renderFields } from './category_fields.js';
import { basemapLoaded } from './address_search.js';
import { actionButton } from './dom.js';
import { clearProblems, showProblem } from './field_errors.js';
import { sendJson } from './form_fields.js';
import { lang, onLangChange, t } from './i18n.js';
import { resizePhoto } from './photo_resize.js';
import { statusLabel } from './report_thread.js';
import { rememberReport } from './report_store.js';

const NEARBY_RADIUS_M = 100;
const $ = (id) => document.getElementById(id);

// onFiled(report): called with {id, lngLat} once the report exists.
export function initReportForm({ getUser, onFiled }) {
  const form = $('report-form');
  const select = $('category');
  const attrs = $('attr-fields');
  const done = $('report-done');
  let categories = [];
  let point = null;         // {lng, lat}
  let pending = null;       // {id, secret, lngLat, sent}: filed, but its photos are not all in yet
  let nearbySeq = 0;
  let addressSeq = 0;
  let autoAddress = ''; // the address last filled in from the point

  const chosen = () => categories.find((c) => c.code === select.value) || null;

  // only active ones: admins get the inactive ones from the API too
  async function loadList() {
    categories = (await loadCategories()).filter((c) => c.active);
    fillSelect(select, categories, t('report.chooseCategory'));
  }

  function rerender() {
    fillSelect(select, categories, t('report.chooseCategory'));
    const answers = readFields(attrs);
    renderFields(attrs, chosen());
    for (const [code, v] of Object.entries(answers)) {
      const el = attrs.querySelector(`[data-code="${CSS.escape(code)}"]`);
      if (el && !Array.isArray(v) && el.type !== 'datetime-local') el.value = v;
    }
    showNearby();
  }

  function showContact() {
    $('contact').hidden = !!getUser();
  }

  // ---- open reports of this category near the point ----
  async function showNearby() {
    const box = $('nearby');
    const list = $('nearby-list');
    const seq = ++nearbySeq;
    if (!point || !select.value) {
      box.hidden = true;
      return;
    }
    const q = new URLSearchParams({
      lat: point.lat.toFixed(6),
      lon: point.lng.toFixed(6),
      category: select.value,
      radius: String(NEARBY_RADIUS_M),
    });
    const r = await call(`/api/v1/reports/nearby?${q}`);
    if (seq !== nearbySeq) return; // a newer point or category is being looked up
    const features = r.ok ? r.body.features : [];
    list.replaceChildren(...features.map(nearbyCard));
    box.hidden = features.length === 0;
  }

  function nearbyCard(f) {
    const p = f.properties;
    const li = document.createElement('li');
    li.className = 'card';
    li.dataset.report = f.id;
    const head = document.createElement('p');
    head.className = 'card-head';
    head.textContent = `#${f.id} · ${statusLabel(p.status)} · ${t('nearby.metres').replace('{n}', Math.round(p.distance_m))}`;
    const text = document.createElement('p');
    text.textContent = p.description;
    const count = document.createElement('p');
    count.className = 'hint';
    count.textContent = t('nearby.supporters').replace('{n}', p.support_count);
    li.append(head, text, count);
    if (getUser()) {
      const b = actionButton(t('nearby.meToo'), async () => {
        const r = await call(`/api/v1/reports/${f.id}/support`, { method: 'POST' });
        if (!r.ok) {
          count.textContent = r.problem.detail;
          return false;
        }
        count.textContent = t('nearby.supporters').replace('{n}', r.body.support_count);
        b.textContent = t('nearby.supported');
        return true;
      });
      li.append(b);
    } else {
      const hint = document.createElement('p');
      hint.className = 'hint';
      hint.textContent = t('nearby.signInToSupport');
      li.append(hint);
    }
    return li;
  }

  // ---- the address of the point (GET /api/v1/geocode/reverse) ----
  // Filled in unless the reporter typed one of their own; none nearby (or
  // no basemap) leaves the field as it is, to be typed.
  async function fillAddress() {
    const input = $('address');
    const seq = ++addressSeq;
    if (!(await basemapLoaded()) || !point) return;
    const q = new URLSearchParams({ lat: point.lat.toFixed(6), lon: point.lng.toFixed(6) });
    const r = await call(`/api/v1/geocode/reverse?${q}`);
    if (seq !== addressSeq || !r.ok) return;
    if (input.value.trim() && input.value !== autoAddress) return; // the reporter's own
    autoAddress = r.body.properties.label;
    input.value = autoAddress;
  }

  // ---- photos: after the report exists, one request each ----
  // skip: how many of the chosen files are in already (a retry after a refusal).
  async function sendPhotos(id, secret, skip) {
    const files = [...$('photo').files];
    const q = secret ? `?secret=${encodeURIComponent(secret)}` : '';
    for (let i = skip; i < files.length; i++) {
      const blob = await resizePhoto(files[i]);
      let res;
      try {
        res = await api(`/api/v1/reports/${id}/photos${q}`, {
          method: 'POST',
          headers: { 'Content-Type': blob.type || 'application/octet-stream' },
          body: blob,
        });
      } catch {
        res = null;
      }
      if (!res || !res.ok) {
        const problem = await problemOf(res);
        return { problem, sent: i };
      }
    }
    return { problem: null, sent: files.length };
  }

  function say(text) {
    done.textContent = text;
  }

  async function photosThen(id, secret, lngLat, skip = 0) {
    const { problem, sent } = await sendPhotos(id, secret, skip);
    if (problem) {
      pending = { id, secret, lngLat, sent };
      showProblem(form, problem, { field: 'photo' });
      say(t('report.filedPhotoFailed').replace('{id}', id));
      return;
    }
    pending = null;
    $('photo').value = '';
    $('description').value = '';
    $('address').value = '';
    autoAddress = '';
    renderFields(attrs, chosen());
    say(t('report.filed').replace('{id}', id));
    point = null; // the next report needs its own point
    onFiled({ id, lngLat });
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    say('');
    const submit = $('report-submit');
    submit.disabled = true;
    try {
      if (pending) return await photosThen(pending.id, pending.secret, pending.lngLat, pending.sent);
      const body = { description: $('description').value.trim() || undefined };
      if (select.value) body.category = select.value;
      const address = $('address').value.trim();
      if (address) body.address = address;
      if (point) {
        body.lat = Number(point.lat.toFixed(7));
        body.lon = Number(point.lng.toFixed(7));
      }
      const answers = readFields(attrs);
      if (Object.keys(answers).length) body.attributes = answers;
      if (!getUser()) {
        const name = $('contact-name').value.trim();
        const email = $('contact-email').value.trim();
        if (name) body.contact_name = name;
        if (email) body.contact_email = email;
        // the reporter is mailed in the language of the page they filed from
        if (email) body.language = lang();
      }
      const made = await sendJson(form, '/api/v1/reports', body);
      if (!made) return;
      const secret = getUser() ? null : made.secret;
      rememberReport(made.id, secret);
      await photosThen(made.id, secret, { ...point });
    } finally {
      submit.disabled = false;
    }
  });

  // other files chosen after a refusal: all of them are new
  $('photo').addEventListener('change', () => {
    if (pending) pending.sent = 0;
  });
  select.addEventListener('change', () => {
    renderFields(attrs, chosen());
    showNearby();
  });
  onLangChange(rerender);

  return {
    ready: loadList(),
    // the list again (an admin may have changed it meanwhile)
    refresh: loadList,
    // the point the report is about (a tap on the map or locate-me)
    setLocation(lngLat) {
      point = { lng: lngLat.lng, lat: lngLat.lat };
      const w = form.querySelector('[data-field="location"]');
      w.querySelector('.field-error').textContent = '';
      $('locate').removeAttribute('aria-invalid');
      showNearby();
      fillAddress();
    },
    userChanged() {
      showContact();
      showNearby();
    },
  };
}

