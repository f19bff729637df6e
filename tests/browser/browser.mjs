// Debian's Chromium driven by playwright-core (no browser download). A
// missing Chromium or playwright-core fails the test with what to install:
// a browser test must never pass because it could not run.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.POLIS_CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the browser tests need Debian's package "chromium" ` +
        '(scripts/test installs it; or: apt-get install chromium)',
    );
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (e) {
    throw new Error(`playwright-core is not installed: run "npm ci" at the repository root (scripts/test does) (${e.message})`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', // we run as root in CI
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

// Opens a page that records every request and every console error, and
// refuses (aborts) any request to a host other than base. Routing requests
// turns Chromium's HTTP cache off, so with { cache: true } (a test of what
// the cache does) a foreign request is only recorded, never let through
// unnoticed: record.foreign fails the test all the same.
export async function openPage(browser, base, viewport = { width: 1280, height: 800 }, { cache = false } = {}) {
  const context = await browser.newContext({ viewport, locale: 'el-GR' });
  const page = await context.newPage();
  const record = { requests: [], foreign: [], errors: [], bytes: 0 };
  const origin = new URL(base).origin;
  const foreign = (url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin;
  if (!cache)
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (!foreign(url)) return route.continue();
      record.foreign.push(url);
      return route.abort();
    });
  page.on('request', (req) => {
    record.requests.push(req.url());
    if (cache && foreign(req.url())) record.foreign.push(req.url());
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // the anonymous GET /api/v1/me is an expected 401
    if (/status of 401/.test(text)) return;
    record.errors.push(text);
  });
  page.on('pageerror', (err) => record.errors.push(`page error: ${err.message}`));
  return { context, page, record };
}

// Waits until the map exists and has drawn everything it asked for.
export async function mapIdle(page) {
  await page.waitForFunction(() => window.polisMap && window.polisMap.isStyleLoaded(), null, { timeout: 30000 });
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const map = window.polisMap;
        map.once('idle', resolve);
        map.triggerRepaint();
      }),
  );
}

// Clicks the map at a longitude/latitude.
export async function clickAt(page, { lng, lat }) {
  const pt = await page.evaluate(([x, y]) => window.polisMap.project([x, y]), [lng, lat]);
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + pt.x, box.y + pt.y);
}

// Opens url and waits until the page's script has run.
export async function pageReady(page, url) {
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
}

// Opens a view of the page (its link's selector) once signed in as email:
// waits until the view shows its data.
export async function openViewSignedIn(page, base, { email, password }, link, view) {
  await pageReady(page, `${base}/#/`);
  await signInOnPage(page, email, password);
  await page.click(link);
  await page.waitForSelector(`body[data-shown="${view}"]`);
}

// Signs in through the page's form and waits until the page shows it.
export async function signInOnPage(page, email, password) {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#me:not([hidden])');
}

// An image made by the page's own canvas (a gradient with a few shapes, so
// it compresses like a photo rather than to nothing): {name, mimeType, buffer}.
export async function makeImage(page, width, height, type = 'image/png') {
  const b64 = await page.evaluate(
    ([w, h, t]) => {
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const g = c.getContext('2d');
      const grad = g.createLinearGradient(0, 0, w, h);
      grad.addColorStop(0, '#4a7');
      grad.addColorStop(1, '#247');
      g.fillStyle = grad;
      g.fillRect(0, 0, w, h);
      for (let i = 0; i < 40; i++) {
        g.fillStyle = `hsl(${(i * 37) % 360} 60% 50%)`;
        g.beginPath();
        g.arc((i * 97) % w, (i * 53) % h, 20 + (i % 7) * 9, 0, 7);
        g.fill();
      }
      return c.toDataURL(t).split(',')[1];
    },
    [width, height, type],
  );
  return { name: type === 'image/png' ? 'photo.png' : 'photo.jpg', mimeType: type, buffer: Buffer.from(b64, 'base64') };
}
