// "My account" (#/account, signed in): change the password and the e-mail
// address, my API keys (list, create with the password, revoke), download
// my data, delete the account. Notification preferences and follows are
// notification_prefs.js.
import { call, setCsrf } from './api.js';
import { actionButton, el } from './dom.js';
import { showProblem } from './field_errors.js';
import { buildForm, sendJson } from './form_fields.js';
import { t } from './i18n.js';
import { when } from './report_thread.js';

const SCOPES = ['read', 'report'];
const $ = (id) => document.getElementById(id);

function initPassword() {
  buildForm($('password-page'), {
    id: 'pw',
    submitKey: 'settings.changePassword',
    fields: [
      { name: 'current_password', key: 'settings.currentPassword', kind: 'password', autocomplete: 'current-password' },
      { name: 'new_password', key: 'account.newPassword', kind: 'password', autocomplete: 'new-password' },
    ],
    async onSubmit({ form, controls, done }) {
      const body = { current_password: controls.current_password.value, new_password: controls.new_password.value };
      const r = await sendJson(form, '/api/v1/auth/password', body);
      if (!r) return;
      setCsrf(r.csrf_token); // a fresh session came with it
      form.reset();
      done.textContent = t('settings.passwordChanged');
    },
  });
}

// The address changes only when the link mailed to the new one is opened
// (the account page of /account/email); until then sign-in takes the old.
function initEmail() {
  buildForm($('email-page'), {
    id: 'email-change',
    submitKey: 'settings.changeEmail',
    fields: [
      { name: 'new_email', key: 'settings.newEmail', kind: 'email', autocomplete: 'email' },
      { name: 'password', key: 'account.password', kind: 'password', autocomplete: 'current-password' },
    ],
    async onSubmit({ form, controls, done }) {
      const address = controls.new_email.value.trim();
      const r = await sendJson(form, '/api/v1/me/email', { new_email: address, password: controls.password.value });
      if (!r) return;
      form.reset();
      done.textContent = `${t('settings.emailSent')} ${address}`;
    },
  });
}

function keyItem(k, refresh) {
  const li = el('li', 'card');
  li.dataset.key = k.id;
  const used = k.last_used_at ? when(k.last_used_at) : t('settings.keyNeverUsed');
  li.append(
    el('p', 'card-head', `${k.name} · ${k.prefix}…`),
    el('p', 'hint', `${k.scopes.map((s) => t(`scope.${s}`)).join(', ')} · ${t('settings.keyUsed')}: ${used}`),
  );
  const b = actionButton(t('settings.revoke'), async () => {
    const r = await call(`/api/v1/me/keys/${k.id}`, { method: 'DELETE' });
    const gone = r.ok || r.problem.status === 404;
    if (gone) await refresh();
    return gone;
  });
  b.setAttribute('aria-label', `${t('settings.revoke')}: ${k.name}`);
  li.append(b);
  return li;
}

function initKeys() {
  const page = $('keys-page');
  const list = el('ul', 'cards');
  list.id = 'keys-list';
  const empty = el('p', 'hint', t('settings.noKeys'));
  empty.dataset.i18n = 'settings.noKeys';
  page.append(list, empty);
  async function refresh() {
    const r = await call('/api/v1/me/keys');
    const keys = r.ok ? r.body.keys : [];
    list.replaceChildren(...keys.map((k) => keyItem(k, refresh)));
    empty.hidden = keys.length > 0;
  }
  const { controls } = buildForm(page, {
    id: 'newkey',
    submitKey: 'settings.createKey',
    fields: [
      { name: 'name', key: 'admin.keyName', autocomplete: 'off' },
      ...SCOPES.map((s) => ({ name: `scope_${s}`, key: `scope.${s}`, kind: 'checkbox' })),
      { name: 'password', key: 'account.password', kind: 'password', autocomplete: 'current-password' },
    ],
    async onSubmit({ form, controls: c, done }) {
      const scopes = SCOPES.filter((s) => c[`scope_${s}`].checked);
      const r = await sendJson(form, '/api/v1/me/keys', { name: c.name.value.trim(), scopes, password: c.password.value });
      if (!r) return;
      c.name.value = '';
      c.password.value = '';
      done.textContent = `${t('admin.keyOnce')} ${r.key}`;
      await refresh();
    },
  });
  controls.scope_read.checked = true;
  // the API names the scopes as one field
  controls.scope_read.closest('[data-field]').dataset.field = 'scopes';
  return refresh;
}

function initDelete(onDeleted) {
  buildForm($('delete-page'), {
    id: 'delete',
    submitKey: 'settings.delete',
    fields: [{ name: 'sure', key: 'settings.deleteSure', kind: 'checkbox' }],
    async onSubmit({ form, controls, done }) {
      if (!controls.sure.checked) {
        controls.sure.focus();
        done.textContent = t('settings.deleteTick');
        return;
      }
      const r = await call('/api/v1/me', { method: 'DELETE' });
      if (!r.ok) return showProblem(form, r.problem);
      form.reset();
      onDeleted();
    },
  });
}

// onDeleted runs once the account is gone (the page signs out).
export function initAccountSettings({ onDeleted }) {
  initPassword();
  initEmail();
  const refreshKeys = initKeys();
  initDelete(onDeleted);
  return { show: refreshKeys };
}
