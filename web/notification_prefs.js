// Notifications in "my account": for each kind of notification (GET
// /api/v1/me/notification-preferences) whether it is also mailed: off, at
// once or in a daily digest; the mailbox always gets it. Below, following a
// category or one report (POST /api/v1/me/subscriptions; areas are
// followed from the map), and the list of what the user follows.
import { call } from './api.js';
import { fillSelect, loadCategories } from './categories.js';
import { el } from './dom.js';
import { addField, buildForm, sendJson, setOptions } from './form_fields.js';
import { localName, t } from './i18n.js';
import { showSubscriptions } from './follow_area.js';

const MODES = ['off', 'immediate', 'daily'];
const $ = (id) => document.getElementById(id);
const LIST = { list: 'acct-subs-list', empty: 'acct-subs-empty' };

function initPreferences() {
  let items = []; // the kinds as last listed
  const { form, done } = buildForm($('prefs-page'), {
    id: 'prefs',
    submitKey: 'prefs.save',
    fields: [],
    async onSubmit() {
      const email = Object.fromEntries(items.map((p) => [p.kind, $(`prefs-${p.kind.replace(/_/g, '-')}`).value]));
      const r = await sendJson(form, '/api/v1/me/notification-preferences', { email }, { method: 'PUT' });
      if (!r) return;
      render(r.items);
      done.textContent = t('prefs.saved');
    },
  });
  const rows = el('div');
  form.prepend(rows);

  function render(list) {
    items = list;
    rows.replaceChildren();
    for (const p of items) {
      const select = addField(rows, { id: `prefs-${p.kind.replace(/_/g, '-')}`, name: `email.${p.kind}`, key: 'prefs.email', kind: 'select' });
      // the label is the kind's own, from the API in both languages
      const label = rows.querySelector(`label[for="${select.id}"]`);
      delete label.dataset.i18n;
      label.textContent = localName({ name_el: p.label_el, name_en: p.label_en });
      setOptions(select, MODES.map((m) => [m, '', `prefs.${m}`]));
      select.value = p.email;
    }
  }

  return async function show() {
    done.textContent = '';
    const r = await call('/api/v1/me/notification-preferences');
    render(r.ok ? r.body.items : []);
  };
}

// A form that follows one thing: POST /api/v1/me/subscriptions with body().
function followForm(id, fields, submitKey, body) {
  return buildForm($('follows-page'), {
    id,
    submitKey,
    fields,
    async onSubmit({ form, controls, done }) {
      if (!(await sendJson(form, '/api/v1/me/subscriptions', body(controls)))) return;
      done.textContent = t('follows.done');
      form.reset();
      await showSubscriptions(LIST);
    },
  }).controls;
}

function initFollows() {
  const category = followForm('follow-cat', [{ name: 'category', key: 'follows.category', kind: 'select' }], 'follows.followCategory', (c) => ({
    kind: 'category',
    category: c.category.value,
  })).category;
  followForm('follow-rep', [{ name: 'report', key: 'follows.report', kind: 'number' }], 'follows.followReport', (c) => ({
    kind: 'report',
    report: Number(c.report.value),
  }));
  const title = el('h3', null, t('follow.listTitle'));
  title.dataset.i18n = 'follow.listTitle';
  const empty = el('p', 'hint', t('follow.none'));
  empty.id = LIST.empty;
  empty.dataset.i18n = 'follow.none';
  const list = el('ul', 'cards');
  list.id = LIST.list;
  $('follows-page').append(title, empty, list);
  return async function show() {
    fillSelect(category, (await loadCategories()).filter((c) => c.active));
    await showSubscriptions(LIST);
  };
}

export function initNotificationPrefs() {
  const showPrefs = initPreferences();
  const showFollows = initFollows();
  return { show: () => Promise.all([showPrefs(), showFollows()]) };
}
