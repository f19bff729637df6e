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
// refuses (aborts) any request to a host other than base.
export async function openPage(browser, base, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: 'el-GR' });
  const page = await context.newPage();
  const record = { requests: [], foreign: [], errors: [], bytes: 0 };
  const origin = new URL(base).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) return route.continue();
    record.foreign.push(url);
    return route.abort();
  });
  page.on('request', (req) => record.requests.push(req.url()));
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
