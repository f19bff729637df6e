// The small DOM helpers the views share.
import { t } from './i18n.js';

// A new element: tag, optional class name, optional text.
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// A secondary button that runs action on a click, disabled meanwhile (no
// second request while one is on its way); it stays disabled when action
// returns true (its work is done).
export function actionButton(text, action) {
  const b = el('button', 'secondary', text);
  b.type = 'button';
  b.addEventListener('click', async () => {
    b.disabled = true;
    b.disabled = (await action(b)) === true;
  });
  return b;
}

// A table of class cls with id: a header row of column headings (the
// i18n keys in keys, translated now and on a language switch) and an empty
// body with id bodyId for the rows.
export function headedTable(cls, id, keys, bodyId) {
  const table = el('table', cls);
  table.id = id;
  const head = el('tr');
  for (const key of keys) {
    const th = el('th', null, t(key));
    th.scope = 'col';
    th.dataset.i18n = key;
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  body.id = bodyId;
  table.append(thead, body);
  return { table, body };
}
