// Users and API keys, for admins: the list of accounts (GET
// /api/v1/admin/users), a new account with a generated password shown once,
// and per account a new API key (name, scopes) shown once.
import { call } from './api.js';
import { departmentsOf, fillSelect, loadCategories } from './categories.js';
import { clearProblems, fieldWrapper } from './field_errors.js';
import { sendJson } from './form_fields.js';
import { t } from './i18n.js';
import { el } from './dom.js';

const SCOPES = ['read', 'report', 'staff'];
const $ = (id) => document.getElementById(id);

// The inline form that makes a key for user u.
function keyForm(u) {
  const form = el('form', 'key-form');
  form.noValidate = true;
  const name = el('input');
  name.id = `k-name-${u.id}`;
  const label = el('label', null, t('admin.keyName'));
  label.htmlFor = name.id;
  const scopes = el('fieldset');
  scopes.append(el('legend', null, t('admin.scopes')));
  for (const s of SCOPES) {
    const l = el('label', 'check');
    const box = el('input');
    box.type = 'checkbox';
    box.value = s;
    box.checked = s === 'read';
    l.append(box, ` ${t(`scope.${s}`)}`);
    scopes.append(l);
  }
  const scopesWrap = el('div', 'field');
  scopesWrap.dataset.field = 'scopes';
  const scopesError = el('p', 'error field-error');
  scopesError.id = `k-scopes-${u.id}-error`;
  scopes.setAttribute('aria-describedby', scopesError.id);
  scopes.dataset.control = '';
  scopesWrap.append(scopes, scopesError);
  const send = el('button', 'secondary', t('admin.createKey'));
  send.type = 'submit';
  const general = el('p', 'error form-error');
  general.setAttribute('role', 'alert');
  const out = el('p', 'done secret');
  out.setAttribute('role', 'status');
  form.append(fieldWrapper('name', label, name), scopesWrap, send, general, out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    out.textContent = '';
    const chosen = [...scopes.querySelectorAll('input:checked')].map((b) => b.value);
    const key = await sendJson(form, `/api/v1/admin/users/${u.id}/keys`, { name: name.value.trim(), scopes: chosen });
    if (!key) return;
    out.textContent = `${t('admin.keyOnce')} ${key.key}`;
    name.value = '';
  });
  return form;
}

function row(u) {
  const tr = el('tr');
  tr.dataset.user = u.id;
  const keys = el('td');
  const more = el('details');
  more.append(el('summary', null, t('admin.newKey')), keyForm(u));
  keys.append(more);
  // the list gives department codes, a new account's answer the departments
  const codes = (u.departments || []).map((d) => (typeof d === 'string' ? d : d.code));
  tr.append(el('td', null, u.email), el('td', null, t(`role.${u.role}`)), el('td', null, codes.join(', ')), keys);
  return tr;
}

export function initUserAdmin() {
  const form = $('user-form');

  async function list() {
    fillSelect($('u-departments'), departmentsOf(await loadCategories()));
    // every user, a page of 100 at a time (paged by id), so that one just
    // made is listed however many came before it
    const users = [];
    for (let after = 0; ; ) {
      const r = await call(`/api/v1/admin/users?limit=100&after=${after}`);
      if (!r.ok) break;
      users.push(...r.body.users);
      if (r.body.users.length < 100) break;
      after = r.body.users[r.body.users.length - 1].id;
    }
    $('user-rows').replaceChildren(...users.map(row));
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearProblems(form);
    $('user-done').textContent = '';
    const body = {
      email: $('u-email').value.trim(),
      role: $('u-role').value,
      departments: [...$('u-departments').selectedOptions].map((o) => o.value),
    };
    if ($('u-name').value.trim()) body.display_name = $('u-name').value.trim();
    const made = await sendJson(form, '/api/v1/admin/users', body);
    if (!made) return;
    $('user-done').textContent = t('admin.passwordOnce').replace('{email}', made.user.email) + ` ${made.password}`;
    form.reset();
    // the new account goes on top at once: listing every account again
    // (thousands in a city) would keep the admin waiting for its key form
    $('user-rows').prepend(row(made.user));
  });

  return { show: list };
}
