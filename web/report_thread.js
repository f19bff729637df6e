// One report as its reporter and the department's staff read it: the
// status timeline (GET .../history: every change with its public comment;
// staff also see internal notes), the photos, and the message thread with
// a reply box (GET/POST .../messages). Shared by "my reports" and the staff
// detail. access is how an anonymous reporter proves the report is theirs:
// { query: '?secret=...' } (reports filed from this browser) or
// { headers: { 'X-Report-Secret': ... } } (the tracking page). An open
// thread follows its report live: a new mailbox entry about it (the
// 'polis:inbox' event of live_inbox.js) reads the timeline and the messages
// again, without a reload.
import { api, call } from './api.js';
import { fieldWrapper } from './field_errors.js';
import { sendJson } from './form_fields.js';
import { lang, localName, t } from './i18n.js';
import { el } from './dom.js';

export function when(at) {
  return new Date(at).toLocaleString(lang() === 'en' ? 'en-GB' : 'el-GR', { dateStyle: 'medium', timeStyle: 'short' });
}

export function statusLabel(status) {
  return t(`status.${status}`);
}

function timeline(events) {
  const ol = el('ol', 'timeline');
  for (const ev of events) {
    const li = el('li');
    li.append(el('span', 'tl-status', statusLabel(ev.to)), el('span', 'tl-when', ` ${when(ev.at)}`));
    if (ev.public_comment) li.append(el('p', 'tl-comment', ev.public_comment));
    if (ev.internal_note) li.append(el('p', 'tl-note', `${t('thread.internalNote')}: ${ev.internal_note}`));
    ol.append(li);
  }
  return ol;
}

function messageItem(m) {
  const li = el('li', `msg msg-${m.from}`);
  const who = m.from === 'reporter' ? t('thread.fromReporter') : m.author || localName({ name_el: m.department_name_el, name_en: m.department_name_en });
  li.append(el('p', 'msg-head', `${who} · ${when(m.at)}`), el('p', 'msg-body', m.body));
  return li;
}

let formSeq = 0;

function replyForm(id, { query = '', headers = {} }, list) {
  const form = el('form', 'reply');
  form.noValidate = true;
  const n = ++formSeq;
  const label = el('label', null, t('thread.reply'));
  label.htmlFor = `reply-${n}`;
  const box = el('textarea');
  box.id = `reply-${n}`;
  box.rows = 3;
  const send = el('button', 'primary', t('thread.send'));
  send.type = 'submit';
  form.append(fieldWrapper('body', label, box), send, el('p', 'error form-error'));
  form.querySelector('.form-error').setAttribute('role', 'alert');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    send.disabled = true;
    const sent = await sendJson(form, `/api/v1/reports/${id}/messages${query}`, { body: box.value }, { headers });
    send.disabled = false;
    if (!sent) return;
    // the thread again: the answer to a post does not name its author
    const again = await call(`/api/v1/reports/${id}/messages${query}`, { headers });
    if (again.ok) list.replaceChildren(...again.body.messages.map(messageItem));
    box.value = '';
  });
  return form;
}

// An image that needs a header (the report's secret) is fetched by script:
// an <img> cannot send one.
async function photoSource(img, src, headers) {
  if (!Object.keys(headers).length) {
    img.src = src;
    return;
  }
  try {
    const res = await api(src, { headers });
    if (res.ok) img.src = URL.createObjectURL(await res.blob());
  } catch {
    // offline: the photo stays empty, its alt text says what it is
  }
}

// Each thread on the page (a .thread[data-thread-of]) and how to read it again.
const reloaders = new WeakMap();

addEventListener('polis:inbox', (e) => {
  const id = Number(e.detail?.report_id);
  if (!Number.isInteger(id)) return;
  for (const wrap of document.querySelectorAll(`.thread[data-thread-of="${id}"]`)) reloaders.get(wrap)?.();
});

// Reads the timeline and the messages of a thread again into its lists;
// an answer older than the last one shown is dropped.
function reloader(id, { query = '', headers = {} }, wrap) {
  let asked = 0;
  return async () => {
    const mine = ++asked;
    const [hist, msgs] = await Promise.all([
      call(`/api/v1/reports/${id}/history${query}`, { headers }),
      call(`/api/v1/reports/${id}/messages${query}`, { headers }),
    ]);
    if (mine !== asked) return;
    if (hist.ok) wrap.querySelector('.timeline')?.replaceWith(timeline(hist.body.events));
    if (msgs.ok) wrap.querySelector('.messages')?.replaceChildren(...msgs.body.messages.map(messageItem));
  };
}

// The timeline, photos and messages of report feature f, in a fragment.
export async function reportThread(f, access = {}) {
  const { query = '', headers = {} } = access;
  const id = f.id;
  const wrap = el('div', 'thread');
  wrap.dataset.threadOf = id;
  reloaders.set(wrap, reloader(id, access, wrap));
  const [hist, msgs] = await Promise.all([
    call(`/api/v1/reports/${id}/history${query}`, { headers }),
    call(`/api/v1/reports/${id}/messages${query}`, { headers }),
  ]);
  wrap.append(el('h4', null, t('thread.timeline')));
  wrap.append(hist.ok ? timeline(hist.body.events) : el('p', 'error', hist.problem.detail));
  const photos = f.properties.photos || [];
  if (photos.length) {
    wrap.append(el('h4', null, t('thread.photos')));
    const row = el('div', 'photos');
    photos.forEach((src, i) => {
      const img = el('img');
      photoSource(img, `${src}${query}`, headers);
      img.alt = t('thread.photoAlt').replace('{n}', i + 1).replace('{id}', id);
      img.loading = 'lazy';
      row.append(img);
    });
    wrap.append(row);
  }
  wrap.append(el('h4', null, t('thread.messages')));
  if (!msgs.ok) {
    wrap.append(el('p', 'error', msgs.problem.detail));
    return wrap;
  }
  const list = el('ul', 'messages');
  list.append(...msgs.body.messages.map(messageItem));
  wrap.append(list, replyForm(id, access, list));
  return wrap;
}
