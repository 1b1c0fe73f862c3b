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
import {
  startStillMock, openBrowser, openCreateForm, purgeTaskPath, everyPage, settled, seriousViolations, TASK_ROWS,
  NGINX_TOPIC, overviewSearchStates, openNotices, bulkStates, BULK_DELETE,
} from './support.mjs';

const NGINX = NGINX_TOPIC;
const ROWS = TASK_ROWS;

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

const serious = () => seriousViolations(page);

/** Collects what axe finds wrong, page by page, so one failing page does not hide the next. */
function findings() {
  const found = [];
  return {
    async check(what) {
      for (const v of await serious()) {
        found.push(`${what}: ${v.impact} ${v.id} (${v.help}), ${v.nodes.length} element(s):\n`
          + v.nodes.slice(0, 5).map((n) => `    ${n.target}\n      ${n.summary.replaceAll('\n', '\n      ')}`).join('\n'));
      }
    },
    assertNone() {
      assert.equal(found.length, 0, `serious or critical WCAG violations:\n${found.join('\n')}`);
    },
  };
}

const loaded = (ready) => settled(page, ready);

const pages = () => everyPage(purgeDetailPath);

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

  test(`${scheme}: the CLS topic picker, searched and with DescribeTopics failing, is accessible`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = findings();
    await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
    await loaded(ROWS);
    await page.fill('#topic-search', 'no such topic');
    await page.press('#topic-search', 'Enter');
    await page.getByRole('status').filter({ hasText: 'No topic matches' }).waitFor();
    await axe.check(`CLS exports (${scheme}, topic search without a match)`);
    await server.admin('POST', '/_mock/faults', { operation: 'cls:DescribeTopics', error_code: 'InternalError', error_msg: 'Down for the accessibility test' });
    try {
      await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
      await page.locator('.topics-error .error-view').waitFor();
      await axe.check(`CLS exports (${scheme}, DescribeTopics failing)`);
    } finally {
      await server.admin('DELETE', '/_mock/faults/cls:DescribeTopics');
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
      await page.locator('.list-export .error-view button:not(.copy-button)').click();
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

  test(`${scheme}: the Overview's search, in each of its states, and a copied id are accessible`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = findings();
    const purgeId = purgeDetailPath.split('?')[0].split('/').pop();
    for (const state of overviewSearchStates(server, purgeId)) {
      await state.open(page);
      await axe.check(`${state.name} (${scheme})`);
    }
    axe.assertNone();
    assert.deepEqual(pageErrors, []);
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

/** A refresh task of 20 files, finished with some failed (the still mock fails half): its page. */
async function finishedTaskWithFailures() {
  const urls = Array.from({ length: 20 }, (_, i) => `https://www.example.com/a11y/${i}.js`);
  const { refresh_task: id } = await server.cloud('POST', '/v1.0/cdn/content/refresh-tasks', { refresh_task: { type: 'file', urls } });
  await server.admin('POST', '/_mock/clock/advance', { seconds: 400 });
  return `/cdn/purge/${id}`;
}

test('the notices of watched tasks that finished, in both themes and on a phone, are accessible', async () => {
  const axe = findings();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await openNotices(page, server);
    await axe.check(`Notices (${scheme})`);
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await openNotices(page, server);
      await axe.check(`Notices (${scheme}, 390 px wide)`);
    } finally {
      await page.setViewportSize({ width: 1300, height: 1000 });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  axe.assertNone();
  assert.deepEqual(pageErrors, []);
});

// Last: it moves the mock's clock, which finishes the tasks the tests above look at unfinished.
test('redo and "Create again": a filled form, a task\'s redo, its outcome and its failure, in both themes and on a phone', async () => {
  const axe = findings();
  const taskPath = await finishedTaskWithFailures();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
    await loaded(ROWS);
    await openCreateForm(page);
    await page.fill('#export-query', 'typed before');
    await page.locator(ROWS).locator('.create-again').first().click();
    await page.locator('.form-filled button.restore-draft').waitFor();
    await axe.check(`CLS exports (${scheme}, filled by Create again, the typed draft kept)`);

    await page.goto(server.url + taskPath);
    await loaded(ROWS);
    await page.locator('.redo-failed').waitFor();
    await axe.check(`Refresh/preheat task (${scheme}, finished with failed URLs)`);
    await server.admin('POST', '/_mock/faults', { operation: 'cdn:CreateRefreshTasks', error_code: 'CDN.0002', times: 1 });
    await page.locator('.redo-failed').click();
    await page.locator('.task-actions ~ .error-view').waitFor();
    await axe.check(`Refresh/preheat task (${scheme}, redo failing)`);
    await page.locator('.task-actions ~ .error-view').getByRole('button', { name: 'Retry' }).click();
    await page.locator('.redo-status a').waitFor();
    await axe.check(`Refresh/preheat task (${scheme}, redo done)`);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.goto(server.url + taskPath);
    await loaded(ROWS);
    await page.locator('.redo-failed').click();
    await page.locator('.redo-status a').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the task's page is ${width} px wide at 390 px`);
    await axe.check('Refresh/preheat task (390 px wide, redo done)');
  } finally {
    await page.setViewportSize({ width: 1300, height: 1000 });
  }
  axe.assertNone();
  assert.deepEqual(pageErrors, []);
});

for (const scheme of ['light', 'dark']) {
  test(`${scheme}: several rows at once (asked, running, refused per row) are accessible`, async () => {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = findings();
    for (const { name, path, ready } of pages().filter((p) => BULK_DELETE[p.name])) {
      for (const state of bulkStates(server)) {
        await page.goto(server.url + path);
        await loaded(ready);
        await state.open(page, BULK_DELETE[name]);
        await axe.check(`${name} (${scheme}, ${state.name})`);
        await state.close?.(page, BULK_DELETE[name]);
      }
    }
    axe.assertNone();
    assert.deepEqual(pageErrors, []);
  });
}
