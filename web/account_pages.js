// The account pages a visitor reaches without being signed in: sign up
// (with the privacy notice and the consent it asks for), "forgot my
// password", and the pages the mailed links open: /account/confirm
// (confirms the address with the link's token), /account/email (confirms a
// new address asked for on "my account") and /account/reset (a new password
// with the link's token). Each says its result in a status line.
import { el } from './dom.js';
import { showProblem } from './field_errors.js';
import { buildForm, sendJson } from './form_fields.js';
import { lang, t } from './i18n.js';
import { viewSection } from './views.js';

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

// An extra description of control (a hint or a notice), read with it.
function describeWith(control, node) {
  control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby')} ${node.id}`);
}

function initSignUp(page) {
  const notice = el('p', 'hint', t('signup.privacy'));
  notice.id = 'signup-privacy';
  notice.dataset.i18n = 'signup.privacy';
  page.append(notice);
  const { controls } = buildForm(page, {
    id: 'signup',
    fields: [
      { name: 'email', key: 'account.email', kind: 'email', autocomplete: 'email' },
      { name: 'password', key: 'account.newPassword', kind: 'password', autocomplete: 'new-password' },
      { name: 'display_name', key: 'signup.name', autocomplete: 'name' },
      { name: 'consent', key: 'signup.consent', kind: 'checkbox' },
    ],
    async onSubmit({ form, controls: c, done }) {
      if (!c.consent.checked)
        return showProblem(form, { status: 422, detail: '', errors: [{ name: 'consent', expected: t('signup.consentNeeded') }] });
      // the language of the page is the language of the account's mail
      const body = { email: c.email.value.trim(), password: c.password.value, language: lang() };
      if (c.display_name.value.trim()) body.display_name = c.display_name.value.trim();
      if (!(await sendJson(form, '/api/v1/auth/register', body))) return;
      form.reset();
      say(done, 'signup.sent');
    },
  });
  const hint = el('p', 'hint', t('signup.passwordHint'));
  hint.id = 'signup-password-hint';
  hint.dataset.i18n = 'signup.passwordHint';
  controls.password.after(hint);
  describeWith(controls.password, hint);
  describeWith(controls.consent, notice);
}

function initForgot(page) {
  buildForm(page, {
    id: 'forgot',
    fields: [{ name: 'email', key: 'account.email', kind: 'email', autocomplete: 'email' }],
    async onSubmit({ form, controls, done }) {
      if (await sendJson(form, '/api/v1/auth/reset-request', { email: controls.email.value.trim() })) say(done, 'forgot.sent');
    },
  });
}

// The token of the mailed link (?token=...), or ''.
function linkToken() {
  return new URLSearchParams(location.search).get('token') || '';
}

// A page that sends the link's token to path as soon as it is shown; its
// texts are the i18n keys `${keys}.noToken`, `.working`, `.done`, `.failed`.
// The returned show() resolves to the API's answer when it accepted the
// token.
function initConfirm(page, out, path, keys) {
  const problems = el('div'); // the home of the API's refusal (its general line)
  const general = el('p', 'error form-error');
  general.setAttribute('role', 'alert');
  problems.append(general);
  page.append(problems);
  let asked = null; // the token already sent: a view shown again does not resend it
  return async function show() {
    const token = linkToken();
    if (asked === token) return;
    asked = token;
    out.replaceChildren();
    if (!token) return say(out, `${keys}.noToken`);
    say(out, `${keys}.working`);
    const answer = await sendJson(problems, path, { token });
    if (!answer) return say(out, `${keys}.failed`);
    say(out, `${keys}.done`);
    out.append(' ', signInLink());
    return answer;
  };
}

function initReset(page) {
  buildForm(page, {
    id: 'reset',
    fields: [{ name: 'new_password', key: 'account.newPassword', kind: 'password', autocomplete: 'new-password' }],
    async onSubmit({ form, controls, done }) {
      const token = linkToken();
      if (!token) return showProblem(form, { status: 422, detail: t('reset.noToken'), errors: [] });
      if (!(await sendJson(form, '/api/v1/auth/reset', { token, new_password: controls.new_password.value }))) return;
      form.reset();
      say(done, 'reset.done');
      done.append(' ', signInLink());
    },
  });
}

// The views' sections are made here; returns { showConfirm,
// showEmailConfirm } (the confirm pages act when they are shown).
export function initAccountPages() {
  initSignUp(viewSection('signup').page);
  initForgot(viewSection('forgot', { hint: true }).page);
  initReset(viewSection('reset').page);
  const confirm = viewSection('confirm', { status: true });
  const emailConfirm = viewSection('emailconfirm', { status: true });
  return {
    showConfirm: initConfirm(confirm.page, confirm.status, '/api/v1/auth/confirm', 'confirm'),
    showEmailConfirm: initConfirm(emailConfirm.page, emailConfirm.status, '/api/v1/auth/email-confirm', 'emailconfirm'),
  };
}
