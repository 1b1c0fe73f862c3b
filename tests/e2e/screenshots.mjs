// Takes the README's screenshots from the real app: the release server in mock mode with a fixed
// seed, each page in headless Chromium, in English and in Simplified Chinese (the browser asks for
// each language, as a visitor's would), on a desktop and on a phone, written to
// docs/screenshots/{en,zh-CN}/. Run after a build:
//   node tests/e2e/screenshots.mjs        (EXPORT_DESK_E2E_DIST picks another dashboard build)
//   EXPORT_DESK_SHOTS=notices node tests/e2e/screenshots.mjs   (writes only the pictures named)
// Not a test (no assertions beyond each page rendering its main content): a picture to look at.
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { startServer, openBrowser, repo, watchKey, watchText } from './support.mjs';

const only = process.env.EXPORT_DESK_SHOTS ? new Set(process.env.EXPORT_DESK_SHOTS.split(',')) : null;
/** Writes `page` to `out/name.png`, unless EXPORT_DESK_SHOTS names other pictures. */
const picture = async (page, out, name) => {
  if (only && !only.has(name)) return;
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log(`${path.relative(repo, out)}/${name}.png`);
};

const ROWS = 'table.task-table tbody tr';
const pages = [
  ['overview', '/', ROWS],
  ['cdn-stats', '/cdn/stats', ROWS],
  ['cdn-purge', '/cdn/purge', ROWS],
  ['iotda-exports', '/iotda/exports', ROWS],
  ['cls-exports', '/cls/exports?topic=2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80', ROWS],
  ['settings', '/settings', '#backend_url'],
];
// A phone shows the pages people check on the move: what runs, and one list of each shape.
const phonePages = new Set(['overview', 'cdn-purge', 'cls-exports']);

const server = await startServer(['--demo-tasks', '14', '--seed', '5', '--fail-rate', '0.2', '--task-duration', '10m']);
try {
  for (const locale of ['en', 'zh-CN']) {
    const out = path.join(repo, 'docs/screenshots', locale);
    await mkdir(out, { recursive: true });
    const { browser, page, errors } = await openBrowser({ locale });
    try {
      const shoot = (name) => picture(page, out, name);
      await page.setViewportSize({ width: 1280, height: 860 });
      for (const [name, address, ready] of pages) {
        await page.goto(server.url + address);
        await page.locator(ready).first().waitFor({ timeout: 15_000 });
        await shoot(name);
      }
      // The detail of one refresh/preheat task, reached from the list as a user would.
      await page.goto(server.url + '/cdn/purge');
      await page.locator(`${ROWS} a.task-link`).first().click();
      await page.locator(ROWS).first().waitFor({ timeout: 15_000 });
      await shoot('cdn-purge-detail');
      // A create form with what it refuses, in the reader's words.
      await page.goto(server.url + '/cdn/stats?new=1');
      await page.locator('#create-panel').waitFor({ timeout: 15_000 });
      await page.locator('#create-panel button[type=submit]').click();
      await page.locator('#create-panel [aria-invalid="true"]').first().waitFor();
      await shoot('cdn-stats-form');
      await page.setViewportSize({ width: 390, height: 844 });
      for (const [name, address, ready] of pages.filter(([name]) => phonePages.has(name))) {
        await page.goto(server.url + address);
        await page.locator(ready).first().waitFor({ timeout: 15_000 });
        await shoot(`${name}-phone`);
      }
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    } finally {
      await browser.close();
    }
  }
  // Redo what failed and Create again: a finished refresh task whose failed URLs were refreshed
  // again, and a form filled from a task. Last, as it moves the mock's clock (finishing the tasks
  // the pictures above show running).
  const urls = Array.from({ length: 20 }, (_, i) => `https://www.example.com/static/app-${i}.js`);
  const { refresh_task: taskId } = await server.cloud('POST', '/v1.0/cdn/content/refresh-tasks', { refresh_task: { type: 'file', urls } });
  await server.admin('POST', '/_mock/clock/advance', { seconds: 800 });
  for (const locale of ['en', 'zh-CN']) {
    const out = path.join(repo, 'docs/screenshots', locale);
    const { browser, page, errors } = await openBrowser({ locale });
    try {
      await page.setViewportSize({ width: 1280, height: 860 });
      await page.goto(`${server.url}/cdn/purge/${taskId}`);
      await page.locator('.redo-failed').click();
      await page.locator('.redo-status a').waitFor({ timeout: 15_000 });
      await picture(page, out, 'cdn-purge-redo');
      await page.goto(server.url + pages.find(([name]) => name === 'cls-exports')[1]);
      await page.locator(`${ROWS} .create-again`).first().click();
      await page.locator('.form-filled').filter({ hasText: /\S/ }).waitFor({ timeout: 15_000 });
      await picture(page, out, 'cls-create-again');
      // The notices of watched tasks that finished, over the Overview: one failed, two succeeded
      // (watched as the dashboard keeps them, as if in an earlier visit).
      await page.goto(`${server.url}/cdn/stats?limit=100`);
      await page.locator(ROWS).first().waitFor({ timeout: 15_000 });
      const ids = async (status, n) => page.locator(`${ROWS}:has(.badge[data-status="${status}"])`)
        .evaluateAll((rows, n) => rows.slice(0, n).map((row) => row.dataset.taskId), n);
      const watched = [...await ids('succeeded', 2), ...await ids('failed', 1)];
      await page.evaluate(([key, text]) => localStorage.setItem(key, text),
        [watchKey(server.url), watchText(watched.map((id) => ({ kind: '/cdn/stats', id, since_ms: Date.now() })))]);
      await page.goto(server.url + '/');
      await page.locator('.notice').nth(watched.length - 1).waitFor({ timeout: 15_000 });
      await picture(page, out, 'notices');
      // Finding a task by its id: typed into the Overview's search, opened marked on its list.
      await page.goto(server.url + pages.find(([name]) => name === 'cls-exports')[1]);
      const exportId = await page.locator(ROWS).nth(1).getAttribute('data-task-id');
      await page.goto(server.url + '/');
      await page.locator('#find-id').fill(exportId);
      await page.locator('#find-id').press('Enter');
      await page.locator(`${ROWS}[data-task-id="${exportId}"].highlight`)
        .waitFor({ timeout: 15_000 });
      await picture(page, out, 'find');
      // Several at once: three IoTDA exports chosen and deleted in one go, one of them refused.
      await page.goto(server.url + '/iotda/exports');
      await page.locator(ROWS).nth(2).waitFor({ timeout: 15_000 });
      for (let row = 0; row < 3; row += 1) await page.locator(`${ROWS} input.row-select`).nth(row).check();
      await server.admin('POST', '/_mock/faults', {
        operation: 'iotda:DeleteExportTask', error_code: 'IOTDA.000006', error_msg: 'Refused for the picture', http_status: 400, times: 1,
      });
      await page.locator('.bulk-delete').click();
      await page.locator('.bulk-confirm .confirm-yes').click();
      await page.locator('.bulk-summary:not(:empty)').waitFor({ timeout: 15_000 });
      await picture(page, out, 'bulk');
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.stop();
}
