// Stale answers, end to end: no table page shows rows of the filters it was showing before under
// the filters it shows now, a task that does not exist is not asked for again and again, and a
// failed refresh of a task's detail keeps its rows (README: "On every table page a refresh that
// fails keeps the last rows under the error ..., unless the filters changed since").
//
// How the window is made certain: the list call for the new filters gets a latency fault, so its
// answer is on its way for seconds; the test looks at the page only once that very request has
// been sent (page.waitForRequest) and two frames have been drawn, and checks afterwards that its
// answer had not arrived yet, so what it saw is what the page shows while the answer is pending.
// Rows are compared by id (data-task-id), and only rows that are actually rendered visible count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser } from './support.mjs';

const NGINX = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';
const APP_BACKEND = '7b1e9a24-3c5d-4e6f-8a90-b1c2d3e4f5a6';
/** How slow the answer for the new filters is: far longer than the look the test takes meanwhile. */
const LATENCY_MS = 3000;
const ROWS = 'table.task-table tbody tr[data-task-id]';

let server;
let browser;
let page;
let pageErrors;
let project;

before(async () => {
  server = await startServer(['--task-duration', '20s', '--fail-rate', '0.5', '--demo-tasks', '0', '--seed', '3']);
  ({ browser, page, errors: pageErrors } = await openBrowser());
  project = (await (await fetch(server.url + '/_desk/config')).json()).providers.iotda_project.project_id;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The mock as freshly started with `demoTasks` demo tasks of each kind. The page leaves first,
 * so nothing of the last test calls in between. */
async function freshMock(demoTasks) {
  await page.goto('about:blank');
  pageErrors.length = 0;
  await server.admin('POST', '/_mock/reset', { seed: 3, demo_tasks: demoTasks });
}

/** Every task final, so no page refreshes itself (the only calls are the ones the test causes). */
const finishEverything = () => server.admin('POST', '/_mock/clock/advance', { seconds: 3600 });

/** The ids of the table rows that are rendered visible (a row in a hidden table is not), in order. */
const visibleRowIds = (target = page) => target.evaluate(
  (selector) => [...document.querySelectorAll(selector)].filter((tr) => tr.checkVisibility()).map((tr) => tr.dataset.taskId),
  ROWS,
);

/** Resolves once the page has drawn two frames: whatever it does with what it has is on screen. */
const twoFrames = () => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** Waits until exactly `ids` are the visible rows (any order); fails saying what is shown instead. */
async function waitForRows(ids, what) {
  const want = [...ids].sort();
  try {
    await page.waitForFunction(([selector, want]) => {
      const shown = [...document.querySelectorAll(selector)].filter((tr) => tr.checkVisibility()).map((tr) => tr.dataset.taskId).sort();
      return shown.length === want.length && shown.every((id, i) => id === want[i]);
    }, [ROWS, want], { timeout: 15_000 });
  } catch (error) {
    if (!/Timeout/i.test(String(error?.message))) throw error;
    assert.fail(`${what}: expected the rows ${want.join(', ')}, but the page shows ${JSON.stringify(await visibleRowIds())}`);
  }
}

/**
 * The check every list page must pass: loaded with filter A, the user switches to filter B; while
 * B's answer is on its way (a latency fault on `operation` holds it), no row of A may be visible;
 * then B's rows show.
 *
 * `isA`/`isB` recognise the list request of each filter, `idsOf` reads the row ids out of a list
 * answer, `change` switches the filter through the page's own controls.
 */
async function checkNoStaleRows({ what, operation, load, isA, isB, idsOf, aLabel, bLabel, change }) {
  const firstAnswer = page.waitForResponse((response) => isA(response.request()));
  await page.goto(server.url + load);
  const aIds = idsOf(await (await firstAnswer).json());
  assert.ok(aIds.length > 0, `${what}: the seeded tasks give ${aLabel} no rows; the test needs some`);
  await waitForRows(aIds, `${what}, loaded with ${aLabel}`);

  // No `times`: any other call of the operation in between (a refresh, IoTDA's census of
  // unfinished tasks) would use a counted rule up. The rule goes when the test is done.
  await server.admin('POST', '/_mock/faults', { operation, latency_ms: LATENCY_MS });
  try {
    const sent = page.waitForRequest(isB);
    await change();
    const request = await sent;
    let answered = false;
    request.response().then(() => { answered = true; }, () => {});
    await twoFrames();
    const shown = await visibleRowIds();
    assert.equal(answered, false,
      `${what}: the answer for ${bLabel} came before the test could look (${LATENCY_MS} ms latency was not enough); the check did not happen`);
    const stale = shown.filter((id) => aIds.includes(id));
    assert.deepEqual(stale, [],
      `${what}: while the list for ${bLabel} was still loading (its ${operation} call in flight), ${stale.length} row(s) ` +
      `of the previous filter ${aLabel} stayed visible under the new filter: ${stale.join(', ')}`);

    const response = await request.response();
    const bIds = idsOf(await response.json());
    assert.ok(bIds.length > 0, `${what}: the seeded tasks give ${bLabel} no rows; the test needs some`);
    assert.deepEqual(bIds.filter((id) => aIds.includes(id)), [], `${what}: ${aLabel} and ${bLabel} must list different rows`);
    await waitForRows(bIds, `${what}, once the answer for ${bLabel} arrived`);
  } finally {
    await server.admin('DELETE', `/_mock/faults/${operation}`);
  }
  assert.deepEqual(pageErrors, [], 'no JavaScript error or wasm panic during the run');
}

const isGet = (request, pathname) => request.method() === 'GET' && new URL(request.url()).pathname === pathname;
const param = (request, name) => new URL(request.url()).searchParams.get(name);

test('CDN statistics exports: rows of the old task name filter are not shown while the new one loads', async () => {
  await freshMock(25);
  await finishEverything();
  const list = (request) => isGet(request, '/v1/cdn/statistics/export-tasks');
  await checkNoStaleRows({
    what: 'CDN statistics exports (/cdn/stats)',
    operation: 'cdn:ListExportTasks',
    load: '/cdn/stats?task_name=uv_',
    isA: (request) => list(request) && param(request, 'task_name') === 'uv_',
    isB: (request) => list(request) && param(request, 'task_name') === 'isp_detail',
    idsOf: (answer) => answer.data.map((task) => task.task_id),
    aLabel: 'task_name=uv_',
    bLabel: 'task_name=isp_detail',
    change: async () => {
      await page.fill('#filter-task-name', 'isp_detail');
      await page.press('#filter-task-name', 'Enter');
    },
  });
});

test('CDN refresh and preheat: rows of the old task type are not shown while the new one loads', async () => {
  await freshMock(25);
  await finishEverything();
  const list = (request) => isGet(request, '/v1.0/cdn/historytasks');
  await checkNoStaleRows({
    what: 'CDN refresh and preheat (/cdn/purge)',
    operation: 'cdn:ShowHistoryTasks',
    // Files only: one ShowHistoryTasks call a list, whose answer is the rows (by default the page
    // merges the file and directory lists, two calls; which rows count is the same machinery).
    load: '/cdn/purge?task_type=refresh&file_type=file',
    isA: (request) => list(request) && param(request, 'task_type') === 'refresh',
    isB: (request) => list(request) && param(request, 'task_type') === 'preheating',
    idsOf: (answer) => answer.tasks.map((task) => task.id),
    aLabel: 'task_type=refresh',
    bLabel: 'task_type=preheating',
    change: () => page.selectOption('#filter-task-type', 'preheating'),
  });
});

test('IoTDA exports: rows of the old application filter are not shown while the new one loads', async () => {
  await freshMock(0);
  const headers = { 'X-Project-Id': project };
  // At most five unfinished tasks per user: each application's three are finished before the next.
  for (const [app, batches] of [['meter-a', ['a1', 'a2', 'a3']], ['meter-b', ['b1', 'b2', 'b3']]]) {
    for (const batch of batches) {
      await server.cloud('POST', `/v5/iot/${project}/export-tasks`,
        { resource_type: 'BatchTask', resource_condition: { task_id: batch }, app_type: 'APP', app_id: app }, headers);
    }
    await finishEverything();
  }
  const list = (request) => isGet(request, `/v5/iot/${project}/export-tasks`);
  await checkNoStaleRows({
    what: 'IoTDA exports (/iotda/exports)',
    operation: 'iotda:ListExportTasks',
    load: '/iotda/exports?app_type=APP&app_id=meter-a',
    isA: (request) => list(request) && param(request, 'app_id') === 'meter-a',
    isB: (request) => list(request) && param(request, 'app_id') === 'meter-b',
    idsOf: (answer) => answer.export_tasks.map((task) => task.export_task_id),
    aLabel: 'app_id=meter-a',
    bLabel: 'app_id=meter-b',
    change: async () => {
      await page.fill('#filter-app-id', 'meter-b');
      await page.press('#filter-app-id', 'Enter');
    },
  });
});

test('CLS log exports: exports of the old topic are not shown while the new topic loads', async () => {
  await freshMock(25);
  await finishEverything();
  const describes = (request, topic) => request.method() === 'POST' && request.headers()['x-tc-action'] === 'DescribeExports'
    && JSON.parse(request.postData() ?? '{}').TopicId === topic;
  await checkNoStaleRows({
    what: 'CLS log exports (/cls/exports)',
    operation: 'cls:DescribeExports',
    load: `/cls/exports?topic=${NGINX}`,
    isA: (request) => describes(request, NGINX),
    isB: (request) => describes(request, APP_BACKEND),
    idsOf: (answer) => answer.Response.Exports.map((e) => e.ExportId),
    aLabel: 'topic nginx-access',
    bLabel: 'topic app-backend',
    change: () => page.selectOption('#topic-select', APP_BACKEND),
  });
});

/** A refresh task of three `alpha` and three `beta` URLs, finished; answers its id. */
async function alphaBetaTask() {
  const urls = ['alpha', 'beta'].flatMap((part) => [1, 2, 3].map((n) => `https://www.example.com/${part}/file${n}.js`));
  const { refresh_task: id } = await server.cloud('POST', '/v1.0/cdn/content/refresh-tasks', { refresh_task: { type: 'file', urls } });
  await finishEverything();
  return id;
}

test('a refresh/preheat task’s detail: URLs of the old search are not shown while the new one loads', async () => {
  await freshMock(0);
  const id = await alphaBetaTask();
  const details = (request) => isGet(request, `/v1.0/cdn/historytasks/${id}/detail`);
  await checkNoStaleRows({
    what: `the task detail (/cdn/purge/${id})`,
    operation: 'cdn:ShowHistoryTaskDetails',
    load: `/cdn/purge/${id}?url=alpha`,
    isA: (request) => details(request) && param(request, 'url') === 'alpha',
    isB: (request) => details(request) && param(request, 'url') === 'beta',
    idsOf: (answer) => answer.urls.map((url) => url.id),
    aLabel: 'url=alpha',
    bLabel: 'url=beta',
    change: async () => {
      await page.fill('#url-search', 'beta');
      await page.press('#url-search', 'Enter');
    },
  });
});

test('a task’s detail keeps its rows under the error when a refresh fails', async () => {
  await freshMock(0);
  const id = await alphaBetaTask();
  const loaded = page.waitForResponse((response) => isGet(response.request(), `/v1.0/cdn/historytasks/${id}/detail`));
  await page.goto(`${server.url}/cdn/purge/${id}`);
  const ids = (await (await loaded).json()).urls.map((url) => url.id);
  assert.equal(ids.length, 6, 'the task lists its six URLs');
  await waitForRows(ids, `the detail of task ${id}`);

  await server.admin('POST', '/_mock/faults', {
    operation: 'cdn:ShowHistoryTaskDetails', error_code: 'CDN.0005', http_status: 400, error_msg: 'The upper limit is exceeded.',
  });
  try {
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const error = page.locator('.tasks .error-view');
    await error.waitFor();
    assert.equal(await error.locator('.error-code').innerText(), 'CDN.0005', 'the error view shows the refused refresh');
    const shown = await visibleRowIds();
    assert.deepEqual([...shown].sort(), [...ids].sort(),
      `a failed refresh of the detail (same filters) must keep its ${ids.length} rows under the error, ` +
      `but ${shown.length} are visible (table ${await page.locator('table.task-table').isVisible() ? 'shown' : 'hidden'})`);
  } finally {
    await server.admin('DELETE', '/_mock/faults/cdn:ShowHistoryTaskDetails');
  }
  assert.deepEqual(pageErrors, [], 'no JavaScript error or wasm panic during the run');
});

test('a task that does not exist is said not to exist, and the page stops asking for it', async () => {
  await freshMock(0);
  const detailPath = /\/v1\.0\/cdn\/historytasks\/99999999\/detail(\?|$)/;
  // A context of its own: the fake clock below is installed for a whole browser context.
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1300, height: 1000 } });
  const errors = [];
  try {
    // "Wait for conditions, never for time": instead of sitting through the auto-refresh period,
    // the test owns the page's clock. `clock.install()` fakes the page's timers (setTimeout,
    // setInterval, requestAnimationFrame, Date); time still flows normally while the page loads.
    // Once the error shows, `clock.runFor(120 s)` fires every timer due in the next two minutes
    // of page time (after the last of them has run, the page's own microtasks have run too):
    // longer than the first retry (6 s), the longest back-off (60 s) and the 3 s refresh. So any
    // retry the page has scheduled happens inside runFor, with certainty and at once.
    // The page's calls are counted in the page itself, where fetch() is called: a network
    // `request` event reaches the test some time after the call, so counting those alone could
    // miss a call made just before runFor returned. Both counts are reported.
    await context.clock.install();
    await context.addInitScript(() => {
      const realFetch = window.fetch;
      window.__detailCalls = [];
      window.fetch = function (input, init) {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input?.url;
        if (/\/v1\.0\/cdn\/historytasks\/99999999\/detail(\?|$)/.test(url ?? '')) window.__detailCalls.push(url);
        return realFetch.call(this, input, init);
      };
    });
    const tab = await context.newPage();
    tab.on('pageerror', (error) => errors.push(error));
    const requests = [];
    tab.on('request', (request) => { if (detailPath.test(request.url())) requests.push(request.url()); });

    const answered = tab.waitForResponse((response) => detailPath.test(response.url()));
    await tab.goto(server.url + '/cdn/purge/99999999');
    const answer = await answered;
    const body = await answer.json();
    assert.equal(body.error?.error_code, 'CDN.0001', `the mock refuses an unknown task with CDN.0001: ${JSON.stringify(body)}`);

    const notFound = /does not exist|no task `?99999999|no such task|not found/i;
    await tab.getByText(notFound).first().waitFor();
    const callsAtError = await tab.evaluate(() => window.__detailCalls.length);
    assert.ok(callsAtError >= 1, 'the in-page counter saw the detail call (the page calls fetch)');
    const statusLine = (await tab.locator('.tasks .refresh-status span').allInnerTexts()).join(' | ');

    await tab.clock.runFor(120_000);
    const callsAfter = await tab.evaluate(() => window.__detailCalls.slice());
    assert.equal(callsAfter.length, callsAtError,
      `after saying the task does not exist the page went on asking for it: ${callsAfter.length - callsAtError} more ` +
      `ShowHistoryTaskDetails call(s) while its clock was run 120 s on (${callsAtError} before the error showed; ` +
      `${requests.length} seen on the network so far); when the error showed, the refresh status said "${statusLine}"`);
    assert.doesNotMatch(statusLine, /retrying in|refreshing in/,
      `the refresh status promises another try of a task that does not exist: "${statusLine}"`);
    assert.ok(await tab.getByText(notFound).first().isVisible(), 'the page still says the task does not exist');
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, [], 'no JavaScript error or wasm panic during the run');
});
