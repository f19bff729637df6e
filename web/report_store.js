// The reports filed from this browser, kept in localStorage as {id, secret}
// so that an anonymous reporter can come back to them (the secret is what
// GET /api/v1/reports/{id}?secret= asks for). Signed-in reports keep no
// secret: the session shows them.
const KEY = 'polis.reports';

export function storedReports() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list.filter((r) => Number.isInteger(r?.id)) : [];
  } catch {
    return [];
  }
}

export function rememberReport(id, secret) {
  const list = storedReports().filter((r) => r.id !== id);
  list.unshift(secret ? { id, secret } : { id });
  try {
    localStorage.setItem(KEY, JSON.stringify(list.slice(0, 50)));
  } catch {
    // storage full or disabled: the tracking link was shown on the page
  }
}

// The ?secret= query of a stored report ('' when none).
export function secretQuery(id) {
  const s = storedReports().find((r) => r.id === id)?.secret;
  return s ? `?secret=${encodeURIComponent(s)}` : '';
}
