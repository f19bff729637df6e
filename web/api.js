// Talking to the API: same-origin fetch with the session cookie, the CSRF
// token on every write (sign-in and GET /api/v1/me hand it out), and the
// problem+json answers (RFC 9457) turned into one shape the forms can show.
let csrf = null;

export function setCsrf(token) {
  csrf = token ?? null;
}

export function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  if (csrf && options.method && options.method !== 'GET') headers['X-CSRF-Token'] = csrf;
  return fetch(path, { credentials: 'same-origin', ...options, headers });
}

// A JSON body as a write: POST (or method) with Content-Type set.
export function apiJson(path, body, method = 'POST') {
  return api(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

// { status, detail, errors: [{name, expected, found}] } of a failed
// response; the detail falls back to the status text when the body is not
// a problem (h2o's own 413, a proxy's 502), and status 0 means offline.
export async function problemOf(res) {
  if (!res) return { status: 0, detail: '', errors: [] };
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not JSON
  }
  return {
    status: res.status,
    detail: body?.detail || body?.title || `${res.status} ${res.statusText}`,
    errors: Array.isArray(body?.errors) ? body.errors : [],
  };
}

// Runs a request and parses it: { ok: true, body } or { ok: false, problem }.
// A network failure is a problem with status 0.
export async function call(path, options) {
  let res;
  try {
    res = await api(path, options);
  } catch {
    return { ok: false, problem: { status: 0, detail: '', errors: [] } };
  }
  if (!res.ok) return { ok: false, problem: await problemOf(res) };
  if (res.status === 204) return { ok: true, body: null };
  return { ok: true, body: await res.json().catch(() => null) };
}
