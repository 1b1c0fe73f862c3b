// Several rows at once (issue 13 point 5), end to end: real server (mock mode), real browser. Rows
// chosen by keyboard, "select all", one confirmation, a delete that fails for one row (a mock
// fault), Cancel midway, CLS's files by their links, and IoTDA's queued downloads, one per 30 s: the
// mock's clock moves the server's window, playwright's clock the page's countdown (no real waits).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, TASK_ROWS, NGINX_TOPIC } from './support.mjs';

/** An origin other than the dashboard's, as a real COS link's is: playwright answers for it. */
const FILES_ORIGIN = 'http://files.cross-origin.test';

let server;
let browser;
let page;
let pageErrors;
let consoleErrors;

before(async () => {
  // Every demo task finishes within 300 s of mock time, and none fails.
  server = await startServer(['--task-duration', '300s', '--fail-rate', '0', '--demo-tasks', '12', '--seed', '11']);
  await server.admin('POST', '/_mock/clock/advance', { seconds: 400 });
  ({ browser, page, errors: pageErrors, consoleErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const rows = () => page.locator(TASK_ROWS);
const ids = async () => rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.taskId));
const bar = () => page.locator('.bulk-bar');
const summary = () => page.locator('.bulk-summary');
const outcome = (id) => page.locator(`.bulk-outcome[data-task-id="${id}"]`);
/** Counts the files the browser saves; `until(n)` resolves once it has seen `n`. */
function watchDownloads() {
  const names = [];
  const waiting = [];
  const listener = (download) => {
    names.push(download.suggestedFilename());
    for (const w of waiting.filter((w) => names.length >= w.n)) w.resolve();
  };
  page.on('download', listener);
  return {
    names,
    until: (n) => (names.length >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve }))),
    stop: () => page.off('download', listener),
  };
}

const active = () => page.evaluate(() => document.activeElement?.className ?? '');

test('CLS: rows are chosen with the keyboard, one by one and all on the page', async () => {
  await page.goto(`${server.url}/cls/exports?topic=${NGINX_TOPIC}`);
  await rows().first().waitFor();
  const listed = await ids();
  assert.ok(listed.length >= 3, `${listed.length} exports listed`);
  assert.equal(await bar().isVisible(), false, 'no bar before a row is chosen');

  const first = rows().first().locator('input.row-select');
  assert.equal(await first.getAttribute('aria-label'), `Select export ${listed[0]}`);
  await first.focus();
  await page.keyboard.press('Space');
  await bar().waitFor();
  assert.equal(await page.locator('.bulk-count').innerText(), '1 selected');
  const all = page.locator('input.select-page');
  assert.equal(await all.evaluate((box) => box.indeterminate), true, 'some chosen: the header box is indeterminate');
  // Shift+Tab from the first row's box reaches the header's; Space chooses the whole page.
  await page.keyboard.press('Shift+Tab');
  assert.match(await active(), /select-page/);
  await page.keyboard.press('Space');
  assert.equal(await page.locator('.bulk-count').innerText(), `${listed.length} selected`);
  assert.equal(await all.evaluate((box) => box.checked && !box.indeterminate), true);
  // Space again clears the page; the bar goes.
  await page.keyboard.press('Space');
  await bar().waitFor({ state: 'hidden' });
  await page.keyboard.press('Space');
  await bar().waitFor();
  // "Clear selection" goes with the bar: the focus goes to "Select all", not to the page's body.
  await page.locator('.bulk-clear').focus();
  await page.keyboard.press('Enter');
  await bar().waitFor({ state: 'hidden' });
  assert.match(await active(), /select-page/, 'focus after Clear selection');
  await page.keyboard.press('Space');
  await bar().waitFor();
  // The choice survives a refresh of the list (a new answer, its rows compared by id).
  await server.admin('DELETE', '/_mock/journal');
  await page.locator('.tasks .refresh-status button').click();
  await page.waitForFunction(() => !document.querySelector('[role=status].loading'));
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cls:DescribeExports');
  assert.equal(entries.length, 1, 'listed again');
  assert.equal(await page.locator('.bulk-count').innerText(), `${listed.length} selected`);
  // The question closes with Escape or with Cancel, deleting nothing, and hands the focus back to Delete.
  await server.admin('DELETE', '/_mock/journal');
  for (const close of [() => page.keyboard.press('Escape'), () => page.locator('.confirm-cancel').click()]) {
    await page.locator('.bulk-delete').click();
    await page.waitForFunction(() => document.activeElement?.classList.contains('confirm-cancel'));
    await close();
    await page.waitForFunction(() => document.activeElement?.classList.contains('bulk-delete'));
  }
  const deletes = await server.admin('GET', '/_mock/journal?operation=cls:DeleteExport');
  assert.equal(deletes.entries.length, 0, 'nothing deleted');
  assert.equal(await page.locator('.bulk-count').innerText(), `${listed.length} selected`, 'the choice stays');
});

test('CLS: Download saves each export’s file from another origin without leaving the dashboard', async () => {
  // A real CosPath is a signed COS link on another origin, where a link's `download` is ignored: the
  // list's answer is rewritten to point there, and one file is served to be shown (text/plain, no
  // attachment), which a plain link click would open in place of the dashboard.
  await page.route(`${server.url}/**`, async (route) => {
    if (route.request().headers()['x-tc-action'] !== 'DescribeExports') return route.fallback();
    const response = await route.fetch();
    const answer = await response.json();
    assert.ok(Array.isArray(answer.Response?.Exports), JSON.stringify(answer));
    for (const e of answer.Response.Exports) {
      if (e.CosPath) e.CosPath = FILES_ORIGIN + new URL(e.CosPath).pathname;
    }
    await route.fulfill({ response, json: answer });
  });
  const requested = [];
  const waiting = [];
  await page.route(`${FILES_ORIGIN}/**`, async (route) => {
    const request = route.request();
    requested.push({ url: request.url(), inFrame: request.frame() !== page.mainFrame() });
    for (const w of waiting.filter((w) => requested.length >= w.n)) w.resolve();
    // The first file is served to be shown, the others as attachments.
    const shown = requested.length === 1;
    await route.fulfill({
      status: 200,
      headers: shown
        ? { 'content-type': 'text/plain' }
        : { 'content-type': 'application/gzip', 'content-disposition': 'attachment; filename="log.tar.gz"' },
      body: shown ? 'a log line\n' : 'gzip bytes',
    });
  });
  const downloads = watchDownloads();
  try {
    await page.locator('.tasks .refresh-status button').click();
    await page.locator(`table.task-table a[href^="${FILES_ORIGIN}/"]`).first().waitFor();
    const listed = await ids();
    assert.equal(await page.locator(`table.task-table a[href^="${FILES_ORIGIN}/"]`).count(), listed.length, 'the rows link to the other origin');
    const dashboard = page.url();
    await page.locator('.bulk-download').click();
    await summary().filter({ hasText: `Finished: ${listed.length} done.` }).waitFor();
    for (const id of listed) assert.match(await outcome(id).innerText(), /Download started/);
    // Each file's link is offered again beside its outcome, in case the browser held one back.
    assert.equal(await page.locator(`.bulk-outcome a.bulk-link[href^="${FILES_ORIGIN}/"]`).count(), listed.length);
    assert.match(await page.locator('.bulk').innerText(), /may ask whether this site may download several files/);
    // Every file was asked for, each from a frame of its own, and the dashboard stayed.
    if (requested.length < listed.length) await new Promise((resolve) => waiting.push({ n: listed.length, resolve }));
    assert.equal(requested.length, listed.length, JSON.stringify(requested));
    assert.ok(requested.every((r) => r.inFrame), JSON.stringify(requested));
    // The attachments are saved (playwright hears each); the file served to be shown is not.
    await downloads.until(listed.length - 1);
    assert.equal(page.url(), dashboard, 'still on the dashboard');
    assert.equal(await page.locator('.bulk-summary').count(), 1);
  } finally {
    downloads.stop();
    await page.unrouteAll();
  }
  // Back to the mock's own links for the tests after.
  await page.locator('.tasks .refresh-status button').click();
  await page.locator(`table.task-table a[href^="${FILES_ORIGIN}/"]`).first().waitFor({ state: 'detached' });
});

test('CLS: one confirmation deletes the chosen exports one by one; one fails and says why', async () => {
  const listed = await ids();
  // The first delete call is refused (the fault applies to one call), the others go through.
  await server.admin('POST', '/_mock/faults', {
    operation: 'cls:DeleteExport', error_code: 'InternalError', error_msg: 'Refused for the bulk test', times: 1,
  });
  await server.admin('DELETE', '/_mock/journal');
  await page.locator('.bulk-delete').click();
  const confirm = page.locator('.bulk-confirm');
  await confirm.waitFor();
  assert.equal(await page.locator('.bulk-confirm').count(), 1, 'one confirmation for all of them');
  const question = await confirm.locator('.confirm-question').innerText();
  assert.ok(question.startsWith(`Delete ${listed.length} exports?`), question);
  for (const id of listed) assert.ok(question.includes(id), `${id} named in: ${question}`);
  await page.waitForFunction(() => document.activeElement?.classList.contains('confirm-cancel'));
  assert.equal((await server.admin('GET', '/_mock/journal?operation=cls:DeleteExport')).entries.length, 0, 'nothing before the answer');

  await confirm.getByRole('button', { name: `Yes, delete ${listed.length}` }).click();
  await summary().filter({ hasText: `Finished: ${listed.length - 1} done, 1 failed.` }).waitFor();
  assert.match(await outcome(listed[0]).innerText(), /Failed: .*InternalError.*Refused for the bulk test/);
  await page.waitForFunction(() => document.activeElement?.classList.contains('bulk-summary'));
  for (const id of listed.slice(1)) assert.match(await outcome(id).innerText(), /Deleted/);
  const calls = (await server.admin('GET', '/_mock/journal?operation=cls:DeleteExport')).entries;
  assert.equal(calls.length, listed.length, 'one call per row, none twice');
  // The list reloads: only the export that failed is left, and it is still chosen, to try again.
  await page.waitForFunction((n) => document.querySelectorAll('table.task-table tbody tr[data-task-id]').length === n, 1);
  assert.deepEqual(await ids(), [listed[0]]);
  assert.equal(await page.locator('.bulk-count').innerText(), '1 selected');
  assert.deepEqual(pageErrors, []);
});

test('CLS: a delete that empties the list keeps its outcome on screen, with the focus on it', async () => {
  // One more export beside the one the last test left, finished, so one can go by its own button.
  const now = (await server.admin('GET', '/_mock/clock')).now_ms;
  const made = { TopicId: NGINX_TOPIC, Query: 'status:404', From: now - 3_600_000, To: now, Count: 10 };
  const { Response } = await server.cloud('POST', '/', made, { 'X-TC-Action': 'CreateExport', 'X-TC-Version': '2020-10-16' });
  assert.ok(Response.ExportId, JSON.stringify(Response));
  await server.admin('POST', '/_mock/clock/advance', { seconds: 400 });
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('table.task-table tbody tr[data-task-id]').length === 2);
  // One row deleted by its own button: its outcome is said above the list...
  const [first] = await ids();
  const firstRow = page.locator(`${TASK_ROWS}[data-task-id="${first}"]`);
  await firstRow.locator('.confirm-trigger').click();
  await firstRow.locator('.confirm-yes').click();
  const rowOutcome = page.locator('.row-delete-outcome');
  await rowOutcome.filter({ hasText: `Export ${first} deleted.` }).waitFor();
  await firstRow.waitFor({ state: 'detached' });
  const listed = await ids();
  assert.ok(listed.length >= 1);
  const all = page.locator('input.select-page');
  await all.uncheck();
  await all.check();
  assert.equal(await page.locator('.bulk-count').innerText(), `${listed.length} selected`);
  await page.locator('.bulk-delete').click();
  // ...until the question of several rows puts it out of date.
  await page.waitForFunction(() => document.querySelector('.row-delete-outcome')?.textContent === '');
  await page.locator('.bulk-confirm').getByRole('button', { name: `Yes, delete ${listed.length}` }).click();
  await summary().filter({ hasText: `Finished: ${listed.length} done.` }).waitFor();
  // The list reloads empty: its empty message shows, and the outcome stays visible beside it.
  await page.waitForFunction(() => document.querySelectorAll('table.task-table tbody tr[data-task-id]').length === 0);
  await page.waitForFunction(() => !document.querySelector('[role=status].loading'));
  assert.equal(await summary().isVisible(), true, 'the summary is visible');
  for (const id of listed) {
    assert.equal(await outcome(id).isVisible(), true, `${id}'s outcome is visible`);
    assert.match(await outcome(id).innerText(), /Deleted/);
  }
  await page.waitForFunction(() => document.activeElement?.classList.contains('bulk-summary'));
  assert.equal(await bar().isVisible(), false, 'nothing left chosen');
  assert.deepEqual(pageErrors, []);
});

test('IoTDA: Cancel midway stops the rest; the row under way and those after are told apart', async () => {
  // The page's timers are playwright's: the pause between two rows lasts until the test moves it.
  await page.clock.install();
  await page.goto(`${server.url}/iotda/exports`);
  await rows().first().waitFor();
  await page.clock.pauseAt(Date.now() + 60_000);
  const listed = await ids();
  assert.ok(listed.length >= 5, `${listed.length} tasks listed`);
  const chosen = listed.slice(0, 3);
  for (const id of chosen) await page.locator(`tr[data-task-id="${id}"] input.row-select`).check();
  assert.equal(await page.locator('.bulk-count').innerText(), '3 selected');

  await page.locator('.bulk-delete').click();
  await page.locator('.bulk-confirm').getByRole('button', { name: 'Yes, delete 3' }).click();
  // The first delete is answered; the second waits for the pause (the page's clock is still).
  await outcome(chosen[0]).filter({ hasText: 'Deleted' }).waitFor();
  const progress = page.locator('.bulk [role=progressbar]');
  assert.equal(await progress.getAttribute('aria-valuenow'), '1');
  assert.equal(await progress.getAttribute('aria-valuemax'), '3');
  assert.equal(await page.locator('.bulk-progress-text').innerText(), '1 of 3');
  await page.locator('.bulk-cancel').click();
  await summary().filter({ hasText: 'Cancelled: 1 done, 2 not done.' }).waitFor();
  for (const id of chosen.slice(1)) assert.match(await outcome(id).innerText(), /Not done: cancelled/);
  await page.clock.runFor(1000);
  // Cancel went with the run: the focus is on the line saying how it went, not lost.
  await page.waitForFunction(() => document.activeElement?.classList.contains('bulk-summary'));
  const calls = (await server.admin('GET', '/_mock/journal?operation=iotda:DeleteExportTask')).entries;
  assert.equal(calls.length, 1, 'no call after Cancel');
  // The list reloads without the deleted task.
  await page.locator(`tr[data-task-id="${chosen[0]}"]`).waitFor({ state: 'detached' });
});

test('IoTDA: Download queues the files one per 30 s, counting down, and honours the server’s wait', async () => {
  const listed = await ids();
  const watched = watchDownloads();
  const downloads = watched.names;
  const heard = (n) => watched.until(n);
  try {
    const chosen = listed.slice(0, 3);
    await page.locator('input.select-page').uncheck().catch(() => {});
    for (const id of chosen) await page.locator(`tr[data-task-id="${id}"] input.row-select`).check();
    await page.locator('.bulk-download').click();
    await outcome(chosen[0]).filter({ hasText: 'Download started' }).waitFor();
    await heard(1);
    assert.equal(downloads[0], `${chosen[0]}.zip`);
    assert.match(await page.locator('.bulk-wait').innerText(), /^Next download in 30 s$/);
    assert.match(await page.locator('.bulk').innerText(), /IoTDA serves one download every 30 s/);
    // The row buttons count down the same wait.
    assert.match(await rows().first().locator('button.download').innerText(), /Download in \d+ s/);

    // 30 s pass for both: the second file.
    await server.admin('POST', '/_mock/clock/advance', { seconds: 30 });
    await page.clock.runFor(30_000);
    await outcome(chosen[1]).filter({ hasText: 'Download started' }).waitFor();
    await heard(2);
    assert.equal(downloads[1], `${chosen[1]}.zip`);

    // The page's 30 s pass but only 10 s of the server's: it refuses (IOTDA.021101, Retry-After 20)
    // and the queue counts down what it asked for, then goes on.
    await server.admin('POST', '/_mock/clock/advance', { seconds: 10 });
    await server.admin('DELETE', '/_mock/journal');
    await page.clock.runFor(30_000);
    await page.waitForFunction(() => /^Next download in 20 s$/.test(document.querySelector('.bulk-wait')?.textContent));
    const refused = (await server.admin('GET', '/_mock/journal?operation=iotda:ShowExportTask')).entries;
    assert.deepEqual(refused.map((e) => e.status), [403]);
    assert.equal(downloads.length, 2);
    await server.admin('POST', '/_mock/clock/advance', { seconds: 20 });
    await page.clock.runFor(20_000);
    await summary().filter({ hasText: 'Finished: 3 done.' }).waitFor();
    await heard(3);
    assert.equal(downloads[2], `${chosen[2]}.zip`);
    assert.equal(await page.locator('.bulk .error-view, .tasks > .error-view').count(), 0);
  } finally {
    watched.stop();
  }
  assert.deepEqual(pageErrors, []);
});

test('at 390 px the checkboxes and the bar fit the screen', async () => {
  await page.setViewportSize({ width: 390, height: 800 });
  try {
    await page.reload();
    await rows().first().waitFor();
    await page.clock.runFor(1000);
    await rows().first().locator('input.row-select').check();
    await bar().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page wider than the screen by ${overflow} px`);
    const box = await page.locator('.bulk-bar').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
    // "Select all" is hidden with the heading row here: Clear selection focuses the first row's box.
    await page.locator('.bulk-clear').click();
    await bar().waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement === document.querySelector('tbody input.row-select')), true,
      `focus after Clear selection: ${await active()}`);
  } finally {
    await page.setViewportSize({ width: 1300, height: 1000 });
  }
});

/** Starts a bulk delete of IoTDA's first two tasks whose first call the mock holds, and resolves
 * once that call is under way. */
async function startHeldDelete() {
  await page.locator(TASK_ROWS).first().waitFor();
  await server.admin('POST', '/_mock/faults', { operation: 'iotda:DeleteExportTask', latency_ms: 600_000 });
  for (const id of (await ids()).slice(0, 2)) await page.locator(`tr[data-task-id="${id}"] input.row-select`).check();
  const underWay = page.waitForRequest((request) => request.method() === 'DELETE');
  await page.locator('.bulk-delete').click();
  await page.locator('.bulk-confirm').getByRole('button', { name: 'Yes, delete 2' }).click();
  await underWay;
  await page.locator('.bulk-cancel').waitFor();
}

/** The app still answers: a click in the header shows the IoTDA list, with no error on the way. */
async function stillWorks() {
  await page.locator('header nav a[href="/iotda/exports"]').click();
  await page.locator(TASK_ROWS).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[role=status].loading'));
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleErrors.filter((e) => /panick|unreachable|RuntimeError/i.test(e)), []);
}

test('leaving the page during a bulk delete stops the run cleanly', async () => {
  await page.goto(`${server.url}/iotda/exports`);
  try {
    await startHeldDelete();
    await page.locator('header a.brand').click();
    await page.waitForURL(`${server.url}/`);
    await page.locator('.bulk-cancel').waitFor({ state: 'detached' });
    await page.locator(TASK_ROWS).first().waitFor();
    await stillWorks();
    // No second delete was asked for: the run ended with the page.
    const calls = (await server.admin('GET', '/_mock/journal?operation=iotda:DeleteExportTask')).entries;
    assert.equal(calls.filter((e) => e.fault?.latency_ms !== 600_000).length, 0, JSON.stringify(calls));
  } finally {
    await server.admin('DELETE', '/_mock/faults');
  }
});

test('switching the language during a bulk delete stops the run cleanly', async () => {
  try {
    await startHeldDelete();
    await page.locator('#language-switch').selectOption('zh-CN');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await page.locator(TASK_ROWS).first().waitFor();
    await page.locator('#language-switch').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await stillWorks();
    assert.equal(await page.locator('.bulk-cancel').count(), 0, 'no run left on screen');
  } finally {
    await server.admin('DELETE', '/_mock/faults');
  }
});
