// WCAG 2.2 AA by axe-core, end to end: every page in every state a visitor meets (loaded, a create
// form's errors, a row's delete confirmation, a failing list call's error, a phone-sized window),
// in the light and the dark theme. Real server (mock mode, half the tasks fail so every status
// colour is on screen), real browser, axe-core from npm injected into the page.
//
// axe runs only the WCAG A and AA rules (2.0, 2.1 and 2.2; its best-practice rules are advice, not
// the standard), and the test fails on any violation axe rates serious or critical, naming each
// rule, the elements and axe's summary so a regression says what broke.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repo, startStillMock, openBrowser, openCreateForm, purgeTaskPath } from './support.mjs';

const AXE = path.join(repo, 'node_modules/axe-core/axe.min.js');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const NGINX = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';
const ROWS = 'table.task-table tbody tr[data-task-id]';

let server;
let browser;
let page;
let pageErrors;
let purgeDetailPath;

before(async () => {
  server = await startStillMock();
  ({ browser, page, errors: pageErrors } = await openBrowser());
  purgeDetailPath = await purgeTaskPath(page, server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The serious and critical WCAG A/AA violations axe finds on the page as it is now. */
async function seriousViolations() {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate((tags) => window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] })
    .then((results) => results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }))), WCAG_AA);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Collects what axe finds wrong, page by page, so one failing page does not hide the next. */
function findings() {
  const found = [];
  return {
    async check(what) {
      for (const v of await seriousViolations()) {
        found.push(`${what}: ${v.impact} ${v.id} (${v.help}), ${v.nodes.length} element(s):\n`
          + v.nodes.slice(0, 5).map((n) => `    ${n.target}\n      ${n.summary.replaceAll('\n', '\n      ')}`).join('\n'));
      }
    },
    assertNone() {
      assert.equal(found.length, 0, `serious or critical WCAG violations:\n${found.join('\n')}`);
    },
  };
}

/** Waits until the page's first load has settled: its rows (or its own marker) are there and no
 * list is still loading. */
async function loaded(ready) {
  await page.locator(ready).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[role=status].loading'));
}

const pages = () => [
  { name: 'Overview', path: '/', ready: ROWS },
  { name: 'CDN statistics', path: '/cdn/stats', ready: ROWS, list: 'cdn:ListExportTasks', form: true },
  { name: 'Refresh and preheat', path: '/cdn/purge', ready: ROWS, list: 'cdn:ShowHistoryTasks', form: true },
  { name: 'Refresh/preheat task', path: purgeDetailPath, ready: ROWS, list: 'cdn:ShowHistoryTaskDetails' },
  { name: 'IoTDA exports', path: '/iotda/exports', ready: ROWS, list: 'iotda:ListExportTasks', form: true, remove: true },
  { name: 'CLS exports', path: `/cls/exports?topic=${NGINX}`, ready: ROWS, list: 'cls:DescribeExports', form: true, remove: true },
  { name: 'Settings', path: '/settings', ready: 'form.task-form' },
  { name: 'Not found', path: '/no/such/page', ready: 'h1' },
];

for (const scheme of ['light', 'dark']) {
  test(`${scheme}: every page, loaded, has no serious WCAG violation`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = findings();
    for (const { name, path, ready } of pages()) {
      await page.goto(server.url + path);
      await loaded(ready);
      await axe.check(`${name} (${scheme}, loaded)`);
    }
    axe.assertNone();
    assert.deepEqual(pageErrors, []);
  });

  test(`${scheme}: every create form, submitted empty, shows its errors accessibly`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = findings();
    for (const { name, path, ready } of pages().filter((p) => p.form)) {
      await page.goto(server.url + path);
      await loaded(ready);
      await openCreateForm(page);
      const form = page.locator('.create-form');
      for (const box of await form.locator('textarea, input:not([type=radio]):not([type=checkbox]):not([type=hidden])').all()) {
        if ((await box.isVisible()) && (await box.isEditable())) await box.fill('');
      }
      await form.locator('button[type=submit]').click();
      await form.locator('[aria-invalid="true"]').first().waitFor();
      await axe.check(`${name} (${scheme}, form errors)`);
    }
    axe.assertNone();
  });

  test(`${scheme}: a row's delete confirmation is accessible`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = findings();
    for (const { name, path, ready } of pages().filter((p) => p.remove)) {
      await page.goto(server.url + path);
      await loaded(ready);
      await page.locator(ROWS).getByRole('button', { name: /^Delete/ }).first().click();
      await page.locator(`${ROWS} [role="group"]`).waitFor();
      await axe.check(`${name} (${scheme}, delete confirmation open)`);
    }
    axe.assertNone();
  });

  test(`${scheme}: a list's CSV export, running, failed and saved, is accessible`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = findings();
    for (const { name, path, ready, list } of pages().filter((p) => p.list)) {
      await page.goto(server.url + path);
      await loaded(ready);
      // Running: the first call held back by the mock, so the progress bar stays on screen.
      await server.admin('POST', '/_mock/faults', { operation: list, latency_ms: 600000 });
      try {
        await page.locator('.list-export-download').click();
        await page.locator('.list-export [role=progressbar]').waitFor();
        await axe.check(`${name} (${scheme}, CSV export running)`);
        await page.locator('.list-export-cancel').click();
        await page.locator('.list-export-cancelled').waitFor();
        // Failed: the error view, with Retry and Cancel.
        await server.admin('POST', '/_mock/faults', { operation: list, error_code: 'InternalError', error_msg: 'Down for the accessibility test' });
        await page.locator('.list-export-download').click();
        await page.locator('.list-export .error-view').waitFor();
        await axe.check(`${name} (${scheme}, CSV export failed)`);
      } finally {
        await server.admin('DELETE', `/_mock/faults/${list}`);
      }
      await page.locator('.list-export .error-view button').click();
      await page.locator('.list-export-saved').waitFor();
      await axe.check(`${name} (${scheme}, CSV export saved)`);
    }
    axe.assertNone();
  });

  test(`${scheme}: a failing list call's error is accessible`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = findings();
    for (const { name, path, list } of pages().filter((p) => p.list)) {
      await server.admin('POST', '/_mock/faults', { operation: list, error_code: 'InternalError', error_msg: 'Down for the accessibility test' });
      try {
        await page.goto(server.url + path);
        await page.locator('main .error-view').first().waitFor();
        await axe.check(`${name} (${scheme}, list call failing)`);
      } finally {
        await server.admin('DELETE', `/_mock/faults/${list}`);
      }
    }
    // The Overview gathers every kind's list: one failing shows as a problem beside the others.
    await server.admin('POST', '/_mock/faults', { operation: 'cls:DescribeExports', error_code: 'InternalError', error_msg: 'Down for the accessibility test' });
    try {
      await page.goto(server.url + '/');
      await page.locator('.overview-problem .error-view').waitFor();
      await axe.check(`Overview (${scheme}, one provider failing)`);
    } finally {
      await server.admin('DELETE', '/_mock/faults/cls:DescribeExports');
    }
    axe.assertNone();
  });

  test(`${scheme}: every page in a phone-sized window has no serious WCAG violation`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = findings();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const { name, path, ready } of pages()) {
        await page.goto(server.url + path);
        await loaded(ready);
        await axe.check(`${name} (${scheme}, 390 px wide)`);
      }
    } finally {
      await page.setViewportSize({ width: 1300, height: 1000 });
    }
    axe.assertNone();
  });
}
