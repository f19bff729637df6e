// Talking to the API as the signed-in user: the session cookie goes by
// itself (same origin); writes also need the CSRF token that sign-in and
// GET /api/v1/me hand out.
let csrf = null;

export function api(path, options = {}) {
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  if (csrf && options.method && options.method !== 'GET') headers['X-CSRF-Token'] = csrf;
  return fetch(path, { credentials: 'same-origin', ...options, headers });
}

// The user behind the session cookie, or null.
export async function whoAmI() {
  try {
    const res = await api('/api/v1/me');
    if (!res.ok) return null;
    const body = await res.json();
    csrf = body.csrf_token ?? null;
    return body.user;
  } catch {
    return null;
  }
}

// { user } on success, { status } (HTTP status, 0 offline) otherwise.
export async function signIn(email, password) {
  try {
    const res = await api('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!res.ok) return { status: res.status };
    const body = await res.json();
    csrf = body.csrf_token;
    return { user: body.user };
  } catch {
    return { status: 0 };
  }
}

export async function signOut() {
  try {
    await api('/api/v1/auth/logout', { method: 'POST' });
  } finally {
    csrf = null;
  }
}
