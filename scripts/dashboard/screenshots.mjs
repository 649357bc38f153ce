// Drives headless Chromium over the Aspire dashboard and saves its Resources, Traces and Metrics pages.
// The dashboard is a Blazor app fed over a websocket: a page is shot a few seconds after it has loaded, not at
// its first paint (a plain `chromium --screenshot` of it is blank). Usage: node screenshots.mjs OUT_DIR DASHBOARD_URL
import puppeteer from 'puppeteer-core';

const [out, base] = process.argv.slice(2);
const settle = ms => new Promise(resolve => setTimeout(resolve, ms));
const pages = [
  ['resources.png', '/'],
  ['traces.png', '/traces/resource/gateway'],
  ['metrics.png', '/metrics/resource/gateway?meter=ReactiveCache.Gateway&instrument=reactivecache.gateway.requests&duration=5&view=Graph'],
];

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  defaultViewport: { width: 1600, height: 900 },
});
try {
  const page = await browser.newPage();
  for (const [file, path] of pages) {
    await page.goto(new URL(path, base).href, { waitUntil: 'load', timeout: 60_000 });
    await settle(8_000);
    await page.screenshot({ path: `${out}/${file}` });
    console.log(`${out}/${file}: ${path}`);
  }
} finally {
  await browser.close();
}
