// The small DOM helpers the views share.

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
