// The protocol book for staff (#/protocol): the share of the year's
// incoming requests that arrived electronically (the entries per channel
// GET /api/v1/protocol counts), the registration of a request that arrived
// at the counter, by phone, by post or by e-mail (POST /api/v1/protocol:
// the page shows the number N/YYYY it got), and the entries, newest first,
// filtered by year, direction and channel, a page at a time.
import { call } from './api.js';
import { el, headedTable } from './dom.js';
import { clearProblems, showProblem } from './field_errors.js';
import { buildForm, sendJson, setOptions } from './form_fields.js';
import { t } from './i18n.js';
import { viewSection } from './views.js';

const CHANNELS = ['web', 'counter', 'phone', 'post', 'email'];
const PAGE = 50;
const thisYear = () => new Date().getFullYear();

function cell(text) {
  return el('td', null, text ?? '');
}

function entryRow(e) {
  const tr = el('tr');
  tr.dataset.entry = e.id;
  const number = el('th', null, e.protocol_number);
  number.scope = 'row';
  tr.append(
    number,
    cell(t(`protocol.dir.${e.direction}`)),
    cell(new Date(`${e.date}T12:00:00`).toLocaleDateString(document.documentElement.lang)),
    cell(e.subject),
    cell(e.correspondent),
    cell(t(`protocol.ch.${e.channel}`)),
    cell(e.application_id ? `#${e.application_id}` : '—'),
  );
  return tr;
}

// The table of entries and its header.
function entryTable() {
  const keys = ['number', 'direction', 'date', 'subject', 'correspondent', 'channel', 'application'];
  const { table, body } = headedTable('reports', 'protocol-table', keys.map((k) => `protocol.${k}`), 'protocol-rows');
  table.tabIndex = 0; // it scrolls on its own: the keyboard can scroll it
  table.setAttribute('aria-labelledby', 'protocol-entries');
  return { table, body };
}

export function initProtocolBook() {
  const { page, status } = viewSection('protocol', { hint: true, status: true });
  const share = el('p', 'card-head');
  share.id = 'protocol-share';
  share.setAttribute('aria-live', 'polite');
  const perChannel = el('p', 'hint');
  perChannel.id = 'protocol-channels';
  const registerTitle = el('h3', null, t('protocol.register'));
  registerTitle.dataset.i18n = 'protocol.register';
  page.append(share, perChannel, registerTitle);
  const reg = buildForm(page, {
    id: 'protocol-form',
    submitKey: 'protocol.submit',
    fields: [
      { name: 'subject', key: 'protocol.subject' },
      { name: 'correspondent', key: 'protocol.sender' },
      { name: 'channel', key: 'protocol.channel', kind: 'select' },
    ],
    onSubmit: register,
  });
  setOptions(reg.controls.channel, CHANNELS.slice(1).map((c) => [c, '', `protocol.ch.${c}`]));

  const listTitle = el('h3', null, t('protocol.entries'));
  listTitle.id = 'protocol-entries';
  listTitle.dataset.i18n = 'protocol.entries';
  const filters = buildForm(page, {
    id: 'protocol-filters',
    submitKey: 'protocol.show',
    fields: [
      { name: 'year', key: 'protocol.year', kind: 'number' },
      { name: 'direction', key: 'protocol.direction', kind: 'select' },
      { name: 'channel', key: 'protocol.channel', kind: 'select' },
    ],
    onSubmit: () => show(),
  });
  filters.form.className = 'filters';
  filters.form.before(listTitle);
  const f = filters.controls;
  f.year.value = thisYear();
  setOptions(f.direction, [['', '', 'protocol.all'], ...['incoming', 'outgoing'].map((d) => [d, '', `protocol.dir.${d}`])]);
  setOptions(f.channel, [['', '', 'protocol.all'], ...CHANNELS.map((c) => [c, '', `protocol.ch.${c}`])]);
  for (const s of [f.direction, f.channel]) s.addEventListener('change', () => show());
  const { table, body } = entryTable();
  const older = el('button', 'secondary', t('protocol.older'));
  older.type = 'button';
  older.dataset.i18n = 'protocol.older';
  older.hidden = true;
  page.append(table, older);
  let next = null; // the next page's link

  async function register({ controls: c, done }) {
    const entry = await sendJson(reg.form, '/api/v1/protocol', {
      direction: 'incoming',
      subject: c.subject.value.trim(),
      correspondent: c.correspondent.value.trim(),
      channel: c.channel.value,
    });
    if (!entry) return;
    c.subject.value = '';
    c.correspondent.value = '';
    await show();
    done.textContent = t('protocol.registered').replace('{number}', entry.protocol_number);
  }

  // The year's incoming entries by channel: the electronic share.
  async function showShare(year) {
    const r = await call(`/api/v1/protocol?year=${year}&direction=incoming&limit=1`);
    if (!r.ok) {
      share.textContent = perChannel.textContent = '';
      return;
    }
    const n = r.body.channels;
    const total = CHANNELS.reduce((sum, c) => sum + (n[c] || 0), 0);
    const pct = total ? Math.round((100 * (n.web || 0)) / total) : 0;
    share.textContent = t('protocol.share').replace('{year}', year).replace('{web}', n.web || 0).replace('{total}', total).replace('{pct}', pct);
    perChannel.textContent = CHANNELS.map((c) => `${t(`protocol.ch.${c}`)}: ${n[c] || 0}`).join(' · ');
  }

  function addPage(r, replace) {
    const rows = r.body.entries.map(entryRow);
    if (replace) body.replaceChildren(...rows);
    else body.append(...rows);
    next = (r.body.links || []).find((l) => l.rel === 'next')?.href ?? null;
    older.hidden = !next;
    status.textContent = body.children.length ? '' : t('protocol.none');
  }

  async function show() {
    clearProblems(filters.form);
    const q = new URLSearchParams({ limit: PAGE });
    const year = f.year.value.trim();
    if (year) q.set('year', year);
    for (const k of ['direction', 'channel']) if (f[k].value) q.set(k, f[k].value);
    const r = await call(`/api/v1/protocol?${q}`);
    if (!r.ok) {
      showProblem(filters.form, r.problem);
      return;
    }
    addPage(r, true);
    await showShare(/^\d{4}$/.test(year) ? year : thisYear());
  }

  older.addEventListener('click', async () => {
    if (!next) return;
    const r = await call(next);
    if (r.ok) addPage(r, false);
  });

  return { show };
}
