// Who is signed in: the session cookie goes by itself (same origin); the
// CSRF token it comes with is handed to api.js for every write.
import { api, setCsrf } from './api.js';

// The user behind the session cookie, or null.
export async function whoAmI() {
  try {
    const res = await api('/api/v1/me');
    if (!res.ok) return null;
    const body = await res.json();
    setCsrf(body.csrf_token);
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
    setCsrf(body.csrf_token);
    return { user: body.user };
  } catch {
    return { status: 0 };
  }
}

export async function signOut() {
  try {
    await api('/api/v1/auth/logout', { method: 'POST' });
  } finally {
    setCsrf(null);
  }
}

// Staff and admins see the staff pages; the departments are the user's.
export function isStaff(user) {
  return !!user && (user.role === 'staff' || user.role === 'admin');
}

// The tourism office (staff of department "tourism") and admins edit POIs
// and events; /api/v1/me lists departments as objects with a code.
export function isTourism(user) {
  return user?.role === 'admin' || (user?.role === 'staff' && (user.departments ?? []).some((d) => (d.code ?? d) === 'tourism'));
}
