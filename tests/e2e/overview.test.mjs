// The overview (home page), end to end: unfinished and recently failed tasks of all four kinds in
// one list linking to their pages, refreshing itself until they finish; one provider failing does
// not hide the others, and Retry recovers; an empty state when nothing needs a look.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, watchConsoleErrors } from './support.mjs';

let server;
let browser;
let page;
let pageErrors;

before(async () => {
  // Tasks run for a minute of mock time, so a slow machine cannot finish them before the page has
  // looked; the tests move the clock when they want them finished.
  server = await startServer(['--task-duration', '60s', '--fail-rate', '0.5', '--demo-tasks', '8', '--seed', '21']);
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const rows = () => page.locator('table.task-table tbody tr:not([aria-hidden])');

test('the home page lists running tasks of every kind, each linking to its page', async () => {
  await page.goto(server.url + '/');
  await rows().first().waitFor();
  const kinds = new Set(await page.locator('.overview-kind').allInnerTexts());
  for (const kind of ['CDN statistics export', 'CDN refresh/preheat', 'IoTDA export', 'CLS log export']) {
    assert.ok(kinds.has(kind), `${kind} among ${[...kinds].join(', ')}`);
  }
  const running = page.locator('table.task-table .badge[data-status="running"], table.task-table .badge[data-status="queued"]');
  assert.ok((await running.count()) >= 4, 'the newest demo tasks of each kind are still running');

  const purge = rows().filter({ hasText: 'CDN refresh/preheat' }).first();
  const id = await purge.locator('.task-id').innerText();
  assert.equal(await purge.locator('a.task-name').getAttribute('href'), `/cdn/purge/${id}`);
  const stats = rows().filter({ hasText: 'CDN statistics export' }).first();
  assert.match(await stats.locator('a.task-name').getAttribute('href'), /^\/cdn\/stats\?task_id=([0-9a-f]{32})&task=\1$/);

  // ListExportTasks filters by the batch task, not by the export's id: the link filters to the
  // batch task's exports and marks the export itself.
  const iotda = rows().filter({ hasText: 'IoTDA export' }).first();
  const exportId = await iotda.locator('.task-id').innerText();
  const batch = (await iotda.locator('a.task-name').innerText()).match(/^Batch task ([0-9a-f]+) /)[1];
  assert.equal(await iotda.locator('a.task-name').getAttribute('href'), `/iotda/exports?batch_task_id=${batch}&task=${exportId}`);
  await iotda.locator('a.task-name').click();
  const linked = page.locator(`table.task-table tr.highlight[data-task-id="${exportId}"]`);
  await linked.waitFor();
  assert.equal(await page.locator('#filter-batch-task-id').inputValue(), batch);
  const batches = await page.locator('table.task-table tbody .iotda-batch').allInnerTexts();
  assert.ok(batches.length > 0 && batches.every((listed) => listed === batch), `only ${batch}'s exports: ${batches}`);
  const shown = await linked.boundingBox();
  assert.ok(shown && shown.y >= 0 && shown.y + shown.height <= page.viewportSize().height, 'the task is in view');
});

test('a normal load of every page logs no console error', async () => {
  const purgeId = await (async () => {
    await page.goto(server.url + '/cdn/purge');
    const link = page.locator('table.task-table tbody a.task-link').first();
    await link.waitFor();
    return link.innerText();
  })();
  const pages = ['/', '/cdn/stats', '/cdn/purge', `/cdn/purge/${purgeId}`, '/iotda/exports', '/cls/exports', '/settings'];
  for (const path of pages) {
    // A first visit: a browser with nothing stored.
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1300, height: 1000 } });
    try {
      const fresh = await context.newPage();
      const logged = watchConsoleErrors(fresh);
      const errors = [];
      fresh.on('pageerror', (error) => errors.push(error));
      const deployFile = fresh.waitForResponse((response) => new URL(response.url()).pathname === '/export-desk.json');
      await fresh.goto(server.url + path);
      assert.equal((await deployFile).status(), 200, 'the server answers the deployment file with its defaults');
      // Loaded: the list answered (its refresh line says when), or the settings are shown.
      await fresh.waitForFunction(() => /Updated/.test(document.querySelector('.refresh-status')?.textContent ?? '')
        || /the defaults apply/.test(document.querySelector('#deploy-file')?.textContent ?? ''));
      await fresh.waitForLoadState('load');
      // The browser asks for /favicon.ico after the load unless the page names its icon: a 404 there
      // would be logged too late to be seen here, so the page must name one.
      assert.match(await fresh.locator('link[rel="icon"]').getAttribute('href'), /^data:image\/svg\+xml,/);
      assert.deepEqual(logged, [], `${path} logs no console error`);
      assert.deepEqual(errors, [], `${path} throws no JavaScript error`);
    } finally {
      await context.close();
    }
  }
});

test('it goes on refreshing while tasks run even when nothing in the answers changes', async () => {
  // A crawling clock: round after round, every kind answers exactly as before.
  await server.admin('PUT', '/_mock/clock/speed', { speed: 0.001 });
  try {
    await page.goto(server.url + '/');
    await rows().first().waitFor();
    const updated = () => page.locator('.tasks-header .refresh-status span').first().innerText();
    let last = await updated();
    for (let round = 0; round < 2; round += 1) {
      await page.waitForFunction((before) => {
        const text = document.querySelector('.tasks-header .refresh-status span')?.textContent ?? '';
        return text.startsWith('Updated') && text.split(' · ')[0] !== before.split(' · ')[0];
      }, last, { timeout: 15_000 });
      last = await updated();
    }
    assert.match(last, /refreshing in \d+ s while tasks run/);
  } finally {
    await server.admin('PUT', '/_mock/clock/speed', { speed: 1 });
  }
});

test('it refreshes itself until every task is final, then lists only recent failures', async () => {
  await server.admin('POST', '/_mock/clock/advance', { seconds: 120 });
  const unfinished = page.locator('table.task-table .badge[data-status="running"], table.task-table .badge[data-status="queued"]');
  await page.waitForFunction(() => !document.querySelector('table.task-table .badge[data-status="running"], table.task-table .badge[data-status="queued"]'), null, { timeout: 20_000 });
  assert.equal(await unfinished.count(), 0);
  const statuses = new Set(await page.locator('table.task-table .badge').evaluateAll((badges) => badges.map((b) => b.dataset.status)));
  assert.deepEqual([...statuses], ['failed'], 'half the tasks fail at this seed; only those stay');
  assert.match(await page.locator('.refresh-status').innerText(), /all tasks finished/);
});

test('one failing provider shows its error with the request id while the others still list', async () => {
  await server.admin('POST', '/_mock/faults', { operation: 'cls:DescribeExports', error_code: 'InternalError', error_msg: 'CLS is down for the test', times: 1 });
  await page.getByRole('button', { name: 'Refresh' }).click();
  const problem = page.locator('.overview-problem[data-kind="/cls/exports"]');
  await problem.waitFor();
  assert.match(await problem.locator('.error-code').innerText(), /InternalError/);
  assert.match(await problem.locator('.error-request-id').innerText(), /[0-9a-f]{32}/);
  assert.ok((await rows().count()) > 0, 'the other kinds are still listed');
  await problem.getByRole('button', { name: 'Retry' }).click();
  await problem.waitFor({ state: 'detached' });
});

test('with nothing to look at, the page says so and links to every kind', async () => {
  await server.admin('POST', '/_mock/reset', { demo_tasks: 0 });
  await page.goto(server.url + '/');
  const empty = page.locator('.empty-state');
  await empty.waitFor();
  assert.match(await empty.innerText(), /Nothing is running/);
  assert.equal(await empty.locator('a').count(), 4);
  assert.deepEqual(pageErrors, []);
});
