// What the POI and event editors (#/places-admin) share: one editor form open
// at a time, the point tapped on the map and the line that tells it, the
// status buttons an item's status leaves, and the rule for text fields in a
// body (a new item leaves out what is empty, an edit clears it).
import { clearProblems } from './field_errors.js';
import { t } from './i18n.js';

// Tells the other editors to close their form: kind is 'poi' or 'event'.
export function announceOpen(kind) {
  document.dispatchEvent(new CustomEvent('polis-editor-open', { detail: kind }));
}

// form closes when an editor of another kind opens.
export function closeWhenOtherOpens(form, kind) {
  document.addEventListener('polis-editor-open', (e) => {
    if (e.detail !== kind) form.hidden = true;
  });
}

// A feature's point as {lng, lat}, null when it has none (or is no point).
export function pointOf(feature) {
  const g = feature?.geometry;
  return g?.type === 'Point' ? { lng: g.coordinates[0], lat: g.coordinates[1] } : null;
}

// The line under the form that says where the item is, or how to place it.
export function placeLineText(point) {
  return point
    ? t('editor.placed').replace('{lat}', point.lat.toFixed(5)).replace('{lon}', point.lng.toFixed(5))
    : t('editor.placeHint');
}

// The status an action button leads to: publish -> published, ...
const ACTION_STATUS = { publish: 'published', archive: 'archived', draft: 'draft' };

// Shows the action buttons (ids `${prefix}-${action}`) that change the
// status of the item being edited; none for a new item (status undefined).
export function showActions(prefix, actions, status) {
  for (const a of actions) document.getElementById(`${prefix}-${a}`).hidden = !status || status === ACTION_STATUS[a];
}

// Shows form cleared of old problems and messages, focus on first.
export function showForm(form, done, first) {
  clearProblems(form);
  done.textContent = '';
  form.hidden = false;
  first.focus();
}

// Puts the text controls[name] of each name into body b, trimmed: an empty
// one is left out of a new item and cleared (null) in an edit.
export function textsInto(b, controls, names, editing) {
  for (const name of names) {
    const v = controls[name].value.trim();
    if (v) b[name] = v;
    else if (editing) b[name] = null;
  }
}
