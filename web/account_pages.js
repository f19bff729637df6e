// The account pages a visitor reaches without being signed in: sign up
// (with the privacy notice and the consent it asks for), "forgot my
// password", and the two pages the mailed links open: /account/confirm
// (confirms the address with the link's token) and /account/reset (a new
// password with the link's token). Each says its result in a status line.
import { el } from './dom.js';
import { showProblem } from './field_errors.js';
import { buildForm, sendJson } from './form_fields.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

// A text that follows the language: data-i18n set, text filled.
function say(node, key) {
  node.dataset.i18n = key;
  node.textContent = t(key);
}

// The "sign in" link under a result: the sign-in form of the panel.
function signInLink() {
  const a = el('a', null, t('account.goSignIn'));
  a.href = '#/';
  a.dataset.i18n = 'account.goSignIn';
  a.addEventListener('click', () => setTimeout(() => $('email')?.focus(), 0));
  return a;
}

function initSignUp() {
  const page = $('signup-page');
  const notice = el('p', 'hint', t('signup.privacy'));
  notice.id = 'signup-privacy';
  notice.dataset.i18n = 'signup.privacy';
  page.append(notice);
  const { form, controls, done } = buildForm(page, {
    id: 'signup',
    submitKey: 'signup.submit',
    fields: [
      { name: 'email', key: 'account.email', kind: 'email', autocomplete: 'email' },
      { name: 'password', key: 'account.newPassword', kind: 'password', autocomplete: 'new-password' },
      { name: 'display_name', key: 'signup.name', autocomplete: 'name' },
      { name: 'consent', key: 'signup.consent', kind: 'checkbox' },
    ],
  });
  controls.password.setAttribute('aria-describedby', `${controls.password.id}-error signup-password-hint`);
  const hint = el('p', 'hint', t('signup.passwordHint'));
  hint.id = 'signup-password-hint';
  hint.dataset.i18n = 'signup.passwordHint';
  controls.password.after(hint);
  controls.consent.setAttribute('aria-describedby', `${controls.consent.id}-error signup-privacy`);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    done.textContent = '';
    if (!controls.consent.checked)
      return showProblem(form, { status: 422, detail: '', errors: [{ name: 'consent', expected: t('signup.consentNeeded') }] });
    const body = { email: controls.email.value.trim(), password: controls.password.value };
    if (controls.display_name.value.trim()) body.display_name = controls.display_name.value.trim();
    if (!(await sendJson(form, '/api/v1/auth/register', body))) return;
    form.reset();
    say(done, 'signup.sent');
  });
}

function initForgot() {
  const { form, controls, done } = buildForm($('forgot-page'), {
    id: 'forgot',
    submitKey: 'forgot.submit',
    fields: [{ name: 'email', key: 'account.email', kind: 'email', autocomplete: 'email' }],
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    done.textContent = '';
    if (!(await sendJson(form, '/api/v1/auth/reset-request', { email: controls.email.value.trim() }))) return;
    say(done, 'forgot.sent');
  });
}

// The token of the mailed link (?token=...), or ''.
function linkToken() {
  return new URLSearchParams(location.search).get('token') || '';
}

function initConfirm() {
  const out = $('confirm-result');
  let asked = null; // the token already sent: a view shown again does not resend it
  return async function show() {
    const token = linkToken();
    if (asked === token) return;
    asked = token;
    out.replaceChildren();
    if (!token) return say(out, 'confirm.noToken');
    say(out, 'confirm.working');
    const form = $('confirm-form'); // the problem's home (its general line)
    const r = await sendJson(form, '/api/v1/auth/confirm', { token });
    if (!r) return say(out, 'confirm.failed');
    say(out, 'confirm.done');
    out.append(' ', signInLink());
  };
}

function initReset() {
  const page = $('reset-page');
  const { form, controls, done } = buildForm(page, {
    id: 'reset',
    submitKey: 'reset.submit',
    fields: [{ name: 'new_password', key: 'account.newPassword', kind: 'password', autocomplete: 'new-password' }],
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    done.textContent = '';
    const token = linkToken();
    if (!token) return showProblem(form, { status: 422, detail: t('reset.noToken'), errors: [] });
    if (!(await sendJson(form, '/api/v1/auth/reset', { token, new_password: controls.new_password.value }))) return;
    form.reset();
    say(done, 'reset.done');
    done.append(' ', signInLink());
  });
}

// Returns { showConfirm } (the confirm page acts when it is shown).
export function initAccountPages() {
  initSignUp();
  initForgot();
  initReset();
  return { showConfirm: initConfirm() };
}
