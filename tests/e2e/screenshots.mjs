// Takes the README's screenshots from the real app: the release server in mock mode with a fixed
// seed, each page in headless Chromium, written to docs/screenshots/. Run after a build:
//   node tests/e2e/screenshots.mjs        (EXPORT_DESK_E2E_DIST picks another dashboard build)
// Not a test (no assertions beyond each page rendering its main content): a picture to look at.
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { startServer, openBrowser, repo } from './support.mjs';

const out = path.join(repo, 'docs/screenshots');
await mkdir(out, { recursive: true });
const server = await startServer(['--demo-tasks', '14', '--seed', '5', '--fail-rate', '0.2', '--task-duration', '10m']);
const { browser, page, errors } = await openBrowser();
await page.setViewportSize({ width: 1280, height: 860 });

const shots = [
  ['overview', '/', 'table.task-table tbody tr'],
  ['cdn-stats', '/cdn/stats', 'table.task-table tbody tr'],
  ['cdn-purge', '/cdn/purge', 'table.task-table tbody tr'],
  ['iotda-exports', '/iotda/exports', 'table.task-table tbody tr'],
  ['cls-exports', '/cls/exports?topic=2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80', 'table.task-table tbody tr'],
  ['settings', '/settings', '#backend_url'],
];
try {
  for (const [name, address, ready] of shots) {
    await page.goto(server.url + address);
    await page.locator(ready).first().waitFor({ timeout: 15_000 });
    if (name !== 'settings') {
      // Scroll the list into view below the form, where the tasks are.
      await page.locator('table.task-table').first().scrollIntoViewIfNeeded();
    }
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    console.log(`docs/screenshots/${name}.png`);
  }
  // The detail of one refresh/preheat task, reached from the list as a user would.
  await page.goto(server.url + '/cdn/purge');
  await page.locator('table.task-table tbody tr a').first().click();
  await page.locator('table.task-table tbody tr').first().waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(out, 'cdn-purge-detail.png') });
  console.log('docs/screenshots/cdn-purge-detail.png');
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  await server.stop();
}
