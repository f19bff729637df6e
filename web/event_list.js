// The events of the tourism view: published occurrences between two dates
// (today and 30 days on unless chosen), grouped by day, with times on the
// Greek wall clock (the event's zone) whatever the visitor's own zone, and
// the iCalendar feed to subscribe to.
import { call } from './api.js';
import { el } from './dom.js';
import { lang, t } from './i18n.js';

const DAYS = 30;
const PAGES = 5; // at most 500 occurrences in a range
const ZONE = 'Europe/Athens';
const $ = (id) => document.getElementById(id);

// YYYY-MM-DD of a Date in the events' zone
function isoDay(d) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

function dayHeading(iso, tz) {
  return new Intl.DateTimeFormat(lang(), { timeZone: tz, weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(iso));
}

function clock(iso, tz) {
  return new Intl.DateTimeFormat(lang(), { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

export function initEventList() {
  const form = $('event-range');
  const from = $('ev-from');
  const to = $('ev-to');
  const list = $('event-list');
  const status = $('events-status');

  function defaults() {
    const now = new Date();
    if (!from.value) from.value = isoDay(now);
    if (!to.value) to.value = isoDay(new Date(now.getTime() + DAYS * 86400000));
  }

  async function load() {
    defaults();
    $('ics-link').href = `/api/v1/events.ics?lang=${lang()}`;
    const q = new URLSearchParams({ from: from.value, to: to.value, lang: lang(), limit: 100 });
    const features = [];
    let path = `/api/v1/events?${q}`;
    for (let i = 0; path && i < PAGES; i++) {
      const r = await call(path);
      if (!r.ok) {
        list.replaceChildren();
        status.textContent = r.problem.detail || t('visit.failed');
        return;
      }
      features.push(...r.body.features);
      path = r.body.links?.find((l) => l.rel === 'next')?.href;
    }
    list.replaceChildren();
    status.textContent = features.length ? '' : t('events.none');
    let day = null;
    let ul = null;
    for (const f of features) {
      const p = f.properties;
      const tz = p.tzid || ZONE;
      const heading = dayHeading(p.starts_at, tz);
      if (heading !== day) {
        day = heading;
        ul = el('ul', 'cards');
        list.append(el('h4', 'event-day', heading), ul);
      }
      const li = el('li', 'card event');
      li.dataset.event = p.event_id;
      const when = `${clock(p.starts_at, tz)}–${clock(p.ends_at, tz)}`;
      li.append(el('p', 'card-head', `${when} · ${p.title}`));
      const meta = [p.venue_name, p.free ? t('events.free') : p.price, p.recurring ? t('events.recurring') : null];
      li.append(el('p', 'hint', meta.filter(Boolean).join(' · ')));
      if (p.venue_poi_id) {
        const a = el('a', null, p.venue_name || `#${p.venue_poi_id}`);
        a.href = `#/poi/${p.venue_poi_id}`;
        li.lastChild.replaceChildren(a, document.createTextNode(meta.slice(1).filter(Boolean).map((m) => ` · ${m}`).join('')));
      }
      ul.append(li);
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  for (const input of [from, to]) input.addEventListener('change', load);
  return { show: load };
}
