// The event editor (#/places-admin): open an event (the upcoming published
// ones are listed, any by its number), or make a new one: titles,
// descriptions, start and end on the Greek wall clock, a repeat (none,
// daily, weekly, monthly, ending after a count or on a date), the venue as
// one of the POIs or a point tapped on the map, kind, free or a price;
// save, publish, archive. The API's refusals appear next to their field.
import { api, apiJson, call, problemOf } from './api.js';
import { el } from './dom.js';
import { announceOpen, closeWhenOtherOpens, placeLineText, pointOf, showActions, showForm, textsInto } from './editor_form.js';
import { clearProblems, showProblem } from './field_errors.js';
import { addField, setOptions } from './form_fields.js';
import { lang, t } from './i18n.js';
import { poiName } from './poi_data.js';
import { FREQS, buildRrule, parseRrule } from './rrule.js';

const CATEGORIES = ['concert', 'theatre', 'festival', 'exhibition', 'sport', 'market', 'religious', 'conference', 'children', 'other'];
const TEXTS = [
  ['title_el', 'editor.titleEl', 'text', 'el'],
  ['title_en', 'editor.titleEn', 'text', 'en'],
  ['description_el', 'editor.descriptionEl', 'textarea', 'el'],
  ['description_en', 'editor.descriptionEn', 'textarea', 'en'],
];
const $ = (id) => document.getElementById(id);

// "2026-10-17T19:00:00+03:00" -> "2026-10-17T19:00" (the event's wall clock)
const wallClock = (iso) => (iso ? iso.slice(0, 16) : '');

export function initEventEditor({ poisOf }) {
  const form = $('event-form');
  const fields = $('event-fields');
  const done = $('event-done');
  const c = {};
  let editing = null;
  let point = null;
  let keptRule = null; // a rule the picker cannot show, kept unless changed

  for (const [name, key, kind, l] of TEXTS) c[name] = addField(fields, { id: `e-${name.replace('_', '-')}`, name, key, kind, lang: l });
  c.starts_at = addField(fields, { id: 'e-starts', name: 'starts_at', key: 'editor.startsAt', kind: 'datetime-local' });
  c.ends_at = addField(fields, { id: 'e-ends', name: 'ends_at', key: 'editor.endsAt', kind: 'datetime-local' });
  const repeat = el('fieldset', 'field');
  repeat.dataset.field = 'rrule';
  const legend = el('legend', null, t('editor.repeat'));
  legend.dataset.i18n = 'editor.repeat';
  repeat.append(legend);
  c.freq = addField(repeat, { id: 'e-freq', name: 'rrule.freq', key: 'editor.repeat', kind: 'select' });
  c.count = addField(repeat, { id: 'e-count', name: 'rrule.count', key: 'repeat.count', kind: 'number' });
  c.count.min = 1;
  c.until = addField(repeat, { id: 'e-until', name: 'rrule.until', key: 'repeat.until', kind: 'date' });
  const ruleError = el('p', 'error field-error');
  ruleError.id = 'e-rrule-error';
  repeat.append(ruleError);
  fields.append(repeat);
  c.venue_poi_id = addField(fields, { id: 'e-venue', name: 'venue_poi_id', key: 'editor.venue', kind: 'select' });
  const where = el('div', 'field');
  where.dataset.field = 'location';
  const placeLine = el('p', 'hint');
  placeLine.id = 'e-place';
  placeLine.dataset.control = '';
  placeLine.tabIndex = -1;
  const whereError = el('p', 'error field-error');
  whereError.id = 'e-place-error';
  where.append(placeLine, whereError);
  fields.append(where);
  c.venue_name = addField(fields, { id: 'e-venue-name', name: 'venue_name', key: 'editor.venueName' });
  c.category = addField(fields, { id: 'e-category', name: 'category', key: 'editor.eventCategory', kind: 'select' });
  c.free = addField(fields, { id: 'e-free', name: 'free', key: 'editor.free', kind: 'checkbox' });
  c.price = addField(fields, { id: 'e-price', name: 'price', key: 'editor.price' });

  function placeText() {
    placeLine.textContent = placeLineText(point);
  }

  function options() {
    setOptions(c.freq, [['', '', 'repeat.none'], ...FREQS.map((f) => [f, '', `repeat.${f}`])]);
    setOptions(c.category, [['', '', 'form.choose'], ...CATEGORIES.map((k) => [k, '', `ecat.${k}`])]);
    setOptions(c.venue_poi_id, [['', '', 'editor.venueMap'], ...poisOf().map((f) => [String(f.id), poiName(f.properties)])]);
  }

  function actions() {
    showActions('e', ['publish', 'archive'], editing?.properties.status);
  }

  function open(feature) {
    announceOpen('event');
    editing = feature;
    options();
    const p = feature?.properties ?? {};
    for (const [name] of TEXTS) c[name].value = p[name] ?? '';
    c.starts_at.value = wallClock(p.starts_at);
    c.ends_at.value = wallClock(p.ends_at);
    const rule = parseRrule(p.rrule);
    keptRule = rule.other ? p.rrule : null;
    c.freq.value = rule.freq;
    c.count.value = rule.count;
    c.until.value = rule.until;
    c.venue_poi_id.value = p.venue_poi_id ? String(p.venue_poi_id) : '';
    point = pointOf(feature);
    placeText();
    c.venue_name.value = p.venue_name ?? '';
    c.category.value = p.category ?? '';
    c.free.checked = !!p.free;
    c.price.value = p.price ?? '';
    $('event-form-title').textContent = feature ? t('editor.editEvent').replace('{id}', feature.id) : t('editor.newEvent');
    actions();
    showForm(form, done, c.title_el);
  }

  function body() {
    const b = {};
    textsInto(b, c, [...TEXTS.map(([name]) => name), 'venue_name', 'price'], editing);
    // a local date-time without offset: the API reads it in the event's zone
    b.starts_at = c.starts_at.value ? `${c.starts_at.value}:00` : '';
    b.ends_at = c.ends_at.value ? `${c.ends_at.value}:00` : '';
    b.tzid = 'Europe/Athens';
    const rule = buildRrule({ freq: c.freq.value, count: c.count.value, until: c.until.value });
    b.rrule = keptRule && !c.freq.value ? keptRule : rule;
    if (!b.rrule && !editing) delete b.rrule;
    if (c.venue_poi_id.value) b.venue_poi_id = Number(c.venue_poi_id.value);
    else {
      if (editing) b.venue_poi_id = null;
      if (point) Object.assign(b, { lat: Number(point.lat.toFixed(7)), lon: Number(point.lng.toFixed(7)) });
    }
    if (c.category.value) b.category = c.category.value;
    b.free = c.free.checked;
    return b;
  }

  async function saved(res) {
    if (!res?.ok) return showProblem(form, await problemOf(res));
    editing = await res.json();
    clearProblems(form);
    done.textContent = t('editor.saved')
      .replace('{name}', editing.properties.title_el)
      .replace('{status}', t(`status.${editing.properties.status}`));
    $('event-form-title').textContent = t('editor.editEvent').replace('{id}', editing.id);
    actions();
    await loadList();
  }

  async function openId(id) {
    const r = await call(`/api/v1/events/${id}?lang=${lang()}`);
    if (r.ok) open(r.body);
    else $('event-open-error').textContent = r.problem.detail;
  }

  async function loadList() {
    // drafts and archived ones too: this list is the tourism office's
    const r = await call(`/api/v1/events?lang=${lang()}&limit=100&status=all`);
    const seen = new Map();
    for (const f of r.ok ? r.body.features : []) if (!seen.has(f.properties.event_id)) seen.set(f.properties.event_id, f.properties);
    const list = $('event-admin-list');
    list.replaceChildren();
    for (const [id, p] of seen) {
      const li = el('li', 'card');
      li.dataset.event = id;
      const b = el('button', 'linkish', `#${id} ${p.title}`);
      b.type = 'button';
      b.addEventListener('click', () => openId(id));
      li.append(b, el('p', 'hint', `${p.starts_at.slice(0, 16).replace('T', ' ')} · ${t(`status.${p.status}`)}`));
      list.append(li);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const path = editing ? `/api/v1/events/${editing.id}` : '/api/v1/events';
    await saved(await apiJson(path, body(), editing ? 'PATCH' : 'POST').catch(() => null));
  });
  for (const action of ['publish', 'archive'])
    $(`e-${action}`).addEventListener('click', async () =>
      saved(await api(`/api/v1/events/${editing.id}/${action}`, { method: 'POST' }).catch(() => null)),
    );
  $('e-cancel').addEventListener('click', () => {
    form.hidden = true;
    editing = null;
  });
  $('event-new').addEventListener('click', () => open(null));
  $('event-open').addEventListener('submit', (e) => {
    e.preventDefault();
    $('event-open-error').textContent = '';
    if (/^\d+$/.test($('event-open-id').value)) openId($('event-open-id').value);
  });
  closeWhenOtherOpens(form, 'event');

  return {
    show: loadList,
    place(lngLat) {
      if (form.hidden) return false;
      point = lngLat;
      c.venue_poi_id.value = '';
      placeText();
      return true;
    },
  };
}
