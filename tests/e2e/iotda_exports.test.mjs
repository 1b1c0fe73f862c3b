// The IoTDA exports page, end to end: real server (mock mode), real browser, the mock's clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, openBrowser, checkRequestPreview, openCreateForm } from './support.mjs';

let server;
let browser;
let page;
let pageErrors;
let project;

// Tasks run 300 s of mock time, so they stay unfinished until the test moves the clock.
before(async () => {
  server = await startServer(['--task-duration', '300s', '--fail-rate', '0', '--demo-tasks', '4', '--seed', '7']);
  ({ browser, page, errors: pageErrors } = await openBrowser());
  project = (await (await fetch(server.url + '/_desk/config')).json()).providers.iotda_project.project_id;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const rows = () => page.locator('table.task-table tbody tr:not(.spacer)');
const row = (id) => page.locator(`table.task-table tr[data-task-id="${id}"]`);

/** The names of a zip's entries, read from its central directory. */
function zipEntryNames(bytes) {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'the zip has an end-of-central-directory record');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const names = [];
  for (let i = 0; i < count; i += 1) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    names.push(bytes.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + skip;
  }
  return names;
}

/** Creates a task through the form and answers its id (the form says which it created). */
async function createThroughForm(batchTaskId) {
  await openCreateForm(page);
  await page.fill('#batch_task_id', batchTaskId);
  await page.getByRole('button', { name: 'Create export task' }).click();
  const status = page.locator('.create-form .form-status');
  await page.waitForFunction(
    (batch) => document.querySelector('.create-form .form-status')?.textContent.startsWith('Task ')
      && document.querySelector('tr.highlight .iotda-batch')?.textContent === batch,
    batchTaskId,
  );
  return (await status.innerText()).match(/Task ([0-9a-f]{24})/)[1];
}

test('the page is in the nav and lists the project’s tasks with progress bars', async () => {
  await page.goto(server.url + '/');
  await page.locator('.app-nav').getByRole('link', { name: 'IoTDA exports' }).click();
  await page.waitForURL(/\/iotda\/exports/);
  await rows().first().waitFor();
  assert.equal(await rows().count(), 4);
  assert.match(await page.locator('.pager-range').innerText(), /1–4 of 4/);
  // The two newest demo tasks are still running: the page says it refreshes.
  assert.equal(await page.locator('.badge[data-status="running"]').count(), 2);
  assert.equal(await page.locator('.iotda-progress progress').count(), 4);
  await page.waitForFunction(() => /refreshing in \d+ s/.test(document.querySelector('.refresh-status')?.textContent));
});

test('bad input is refused next to its field, and nothing typed is lost', async () => {
  await openCreateForm(page);
  await page.getByRole('button', { name: 'Create export task' }).click();
  assert.equal(await page.locator('#batch_task_id-error').innerText(), 'is required: the id of the batch task whose results to export');
  // The application id only applies to an application scope: hidden until one is chosen.
  assert.equal(await page.locator('#app_id').isHidden(), true);
  // Focus moves on the next animation frame, after the view has marked the field.
  await page.waitForFunction(() => document.activeElement?.id === 'batch_task_id', null, { timeout: 5_000 });
  await openCreateForm(page);
  await page.selectOption('#app_type', 'APP');
  await page.fill('#app_id', 'bad app id!');
  await page.fill('#batch_task_id', 'NOT-HEX');
  // Named by its label, not the API's `task_id`.
  assert.match(await page.locator('#batch_task_id-error').innerText(), /^must be 1 to 24 characters of 0-9 and a-f/);
  assert.match(await page.locator('#app_id-error').innerText(), /letters, digits/);
  assert.equal(await page.locator('#app_id').inputValue(), 'bad app id!');
  // Back to the tenant scope: the app id is hidden, no longer an error, and kept for coming back.
  await page.selectOption('#app_type', 'GLOBAL');
  assert.equal(await page.locator('#app_id').isHidden(), true);
  assert.equal(await page.locator('#app_id-error').innerText(), '');
  await page.selectOption('#app_type', 'APP');
  assert.equal(await page.locator('#app_id').inputValue(), 'bad app id!');
  await page.selectOption('#app_type', 'GLOBAL');
});

test('a created task runs, finishes when the clock moves, and its zip downloads', async () => {
  const batch = '0a1b2c3d4e5f';
  const id = await createThroughForm(batch);
  assert.equal(await row(id).locator('.badge').getAttribute('data-status'), 'running');
  assert.ok(Number(await row(id).locator('progress').getAttribute('value')) >= 1);
  assert.equal(await row(id).locator('button.download').count(), 0, 'no download before the file exists');

  await server.admin('POST', '/_mock/clock/advance', { seconds: 400 });
  // The page refreshes itself while tasks run; no clicking.
  await row(id).locator('.badge[data-status="succeeded"]').waitFor({ timeout: 15_000 });
  assert.equal(await row(id).locator('progress').getAttribute('value'), '100');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row(id).locator('button.download').click(),
  ]);
  assert.equal(download.suggestedFilename(), `${id}.zip`);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.toString('latin1', 0, 2), 'PK');
  assert.deepEqual(zipEntryNames(bytes), [`BatchTask_${batch}.xls`]);

  // IoTDA serves one download every 30 s: every download button counts down instead.
  await page.waitForFunction(() => [...document.querySelectorAll('button.download')].every((b) => b.disabled && /Download in \d+ s/.test(b.textContent)));
  assert.match(await page.locator('.iotda-download-wait').innerText(), /next is possible in \d+ s/);
});

test('the server’s 30-second refusal is shown as a countdown, not an error', async () => {
  // A reload forgets the countdown; the server still refuses, and its Retry-After drives it.
  await page.reload();
  const button = page.locator('button.download').first();
  await button.waitFor();
  assert.equal(await button.isDisabled(), false);
  await server.admin('DELETE', '/_mock/journal');
  await button.click();
  await page.waitForFunction(() => /Download in \d+ s/.test(document.querySelector('button.download')?.textContent));
  assert.equal(await page.locator('.tasks .error-view').count(), 0);
  const { entries } = await server.admin('GET', '/_mock/journal?operation=iotda:ShowExportTask');
  assert.equal(entries.at(-1).status, 403, 'the server did refuse the download');
  const left = Number((await page.locator('.iotda-download-wait').innerText()).match(/in (\d+) s/)[1]);
  assert.ok(left > 0 && left <= 30, `${left} s left`);
});

test('the user is told before submitting when five tasks are unfinished', async () => {
  assert.equal(await page.locator('.iotda-limit-warning').count(), 0);
  const ids = [];
  for (const batch of ['a1', 'a2', 'a3', 'a4', 'a5']) ids.push(await createThroughForm(batch));
  const warning = page.locator('.iotda-limit-warning');
  await openCreateForm(page);
  await page.fill('#batch_task_id', 'a6');
  await warning.waitFor();
  assert.match(await warning.innerText(), /5 export tasks are still running: IoTDA refuses a new one/);
  // Re-exporting a running task's batch task replaces it, which IoTDA accepts.
  await openCreateForm(page);
  await page.fill('#batch_task_id', 'a3');
  await page.waitForFunction((id) => document.querySelector('.iotda-limit-warning')?.textContent.includes(id), ids[2]);
  assert.match(await warning.innerText(), /replaces, so IoTDA accepts it/);
});

test('a failed refresh keeps the five-unfinished warning: the census keeps its last good answer', async () => {
  const warning = page.locator('.iotda-limit-warning');
  await openCreateForm(page);
  await page.fill('#batch_task_id', 'a6');
  await page.waitForFunction(() => /5 export tasks are still running/.test(document.querySelector('.iotda-limit-warning')?.textContent ?? ''));
  // The census (every task, one call of 50) says how it went on the page, as `data-census`.
  await page.locator('[data-census="answered"]').waitFor({ state: 'attached' });
  // The fault refuses every list call while it is in place: the table's and the census's alike.
  await server.admin('POST', '/_mock/faults', { operation: 'iotda:ListExportTasks', error_code: 'IOTDA.000021', http_status: 500 });
  try {
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const error = page.locator('.tasks .error-view');
    await error.waitFor();
    // The page has taken in the refused census, not only received it.
    await page.locator('[data-census="failed"]').waitFor({ state: 'attached' });
    assert.equal(await warning.isVisible(), true, 'one failed census does not hide the warning');
    assert.match(await warning.innerText(), /5 export tasks are still running/);
  } finally {
    await server.admin('DELETE', '/_mock/faults/iotda:ListExportTasks');
  }
  await page.locator('.tasks .error-view').getByRole('button', { name: 'Retry' }).click();
  await page.locator('.tasks .error-view').waitFor({ state: 'detached' });
  assert.match(await warning.innerText(), /5 export tasks are still running/);
  assert.deepEqual(pageErrors, []);
});

test('delete asks for confirmation in place, one row at a time, and removes the row', async () => {
  const before = await rows().count();
  const target = await rows().nth(1).getAttribute('data-task-id');
  const other = await rows().nth(2).getAttribute('data-task-id');
  const focusIsOn = (id, selector) => page.waitForFunction(
    ([id, selector]) => document.activeElement?.matches(`tr[data-task-id="${id}"] ${selector}`), [id, selector]);
  // Every delete the page sends, in the order the browser sends them.
  const deletes = [];
  const noteDelete = (request) => { if (request.method() === 'DELETE') deletes.push(request.url()); };
  page.on('request', noteDelete);
  await row(target).getByRole('button', { name: 'Delete' }).click();
  await focusIsOn(target, '.confirm-cancel');
  await row(target).getByRole('button', { name: 'Cancel' }).click();
  await focusIsOn(target, '.confirm-trigger');
  assert.equal(await row(target).count(), 1);
  // By keyboard: the confirmation takes the focus, on Cancel (the safe choice, described by the
  // question), and Escape backs out of it.
  await row(target).getByRole('button', { name: 'Delete' }).focus();
  await page.keyboard.press('Enter');
  await row(target).getByRole('group', { name: `Delete task ${target}` }).waitFor();
  await focusIsOn(target, '.confirm-cancel');
  assert.equal(await page.evaluate(() => {
    const ids = document.activeElement.getAttribute('aria-describedby');
    return document.getElementById(ids)?.textContent;
  }), 'Delete this task?');
  await page.keyboard.press('Escape');
  await focusIsOn(target, '.confirm-trigger');
  assert.equal(await row(target).locator('.inline-confirm').count(), 0);
  // Enter pressed twice on Delete asks, then cancels: the second press lands on Cancel.
  await page.keyboard.press('Enter');
  await focusIsOn(target, '.confirm-cancel');
  await page.keyboard.press('Enter');
  await focusIsOn(target, '.confirm-trigger');
  // Confirming takes a deliberate move: Shift+Tab from Cancel to "Yes, delete" (not pressed here).
  await page.keyboard.press('Enter');
  await focusIsOn(target, '.confirm-cancel');
  await page.keyboard.press('Shift+Tab');
  await focusIsOn(target, '.confirm-yes');
  await page.keyboard.press('Escape');
  await focusIsOn(target, '.confirm-trigger');
  // Nor does a quick double Enter (the second press comes before or after the focus moves to
  // Cancel), nor a double click (its second click never lands on "Yes, delete"): each asks at most.
  const backOut = async () => {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    if (await row(target).locator('.inline-confirm').count()) await row(target).getByRole('button', { name: 'Cancel' }).click();
    await focusIsOn(target, '.confirm-trigger');
  };
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await backOut();
  await row(target).getByRole('button', { name: 'Delete' }).dblclick();
  await backOut();
  assert.deepEqual(deletes, [], 'nothing deleted by a double Enter or a double click');
  // One row asks at a time: asking in another row withdraws the first question.
  await row(target).getByRole('button', { name: 'Delete' }).click();
  await row(other).getByRole('button', { name: 'Delete' }).click();
  await focusIsOn(other, '.confirm-cancel');
  assert.equal(await page.locator('.inline-confirm').count(), 1);
  assert.equal(await row(target).locator('.inline-confirm').count(), 0);
  await page.keyboard.press('Escape');
  await focusIsOn(other, '.confirm-trigger');
  assert.equal(await rows().count(), before, 'nothing deleted yet');

  await row(target).getByRole('button', { name: 'Delete' }).click();
  await row(target).getByRole('button', { name: 'Yes, delete' }).click();
  await row(target).waitFor({ state: 'detached' });
  assert.equal(await rows().count(), before - 1);
  page.off('request', noteDelete);
  assert.equal(deletes.length, 1, `only "Yes, delete" deleted: ${deletes}`);
  assert.ok(deletes[0].endsWith(`/export-tasks/${target}`), deletes[0]);
  // The unfinished count went down with it.
  await page.locator('.iotda-limit-warning').waitFor({ state: 'detached' });
});

test('marker paging goes forward and back, and lives in the URL', async () => {
  await server.admin('POST', '/_mock/reset', { demo_tasks: 23 });
  await page.goto(server.url + '/iotda/exports');
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('1–10 of 23'));
  const firstPage = await rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.taskId));
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL((url) => url.searchParams.get('markers') === firstPage[9]);
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('11–20 of 23 · page 2 of 3'));
  const secondPage = await rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.taskId));
  assert.ok(secondPage.every((id) => id < firstPage[9]), 'each page lists ids below its marker');
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('21–23 of 23 · page 3 of 3'));
  assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);
  // Reload keeps the page; back goes through the marker stack.
  await page.reload();
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('21–23 of 23'));
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('11–20 of 23'));
  assert.deepEqual(await rows().evaluateAll((trs) => trs.map((tr) => tr.dataset.taskId)), secondPage);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.waitForURL((url) => !url.searchParams.has('markers'));
  await page.locator('.pager-size select').selectOption('20');
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('1–20 of 23'));
});

test('filters by batch task narrow the list, and bad filters are refused next to the field', async () => {
  const batch = await rows().first().locator('.iotda-batch').innerText();
  await page.fill('#filter-batch-task-id', 'zz');
  await page.press('#filter-batch-task-id', 'Enter');
  assert.match(await page.locator('#filter-batch-task-id-error').innerText(), /0-9 and a-f/);
  await page.fill('#filter-batch-task-id', batch);
  await page.press('#filter-batch-task-id', 'Enter');
  await page.waitForURL((url) => url.searchParams.get('batch_task_id') === batch);
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('1–1 of 1'));
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await page.waitForURL((url) => !url.searchParams.has('batch_task_id'));
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('1–20 of 23'));
});

test('an API error shows the provider code, message and request id, and Retry recovers', async () => {
  await server.admin('DELETE', '/_mock/journal');
  await server.admin('POST', '/_mock/faults', {
    operation: 'iotda:ListExportTasks',
    error_code: 'IOTDA.000021',
    http_status: 500,
    error_msg: 'Internal error, please try again.',
  });
  await page.goto(server.url + '/iotda/exports');
  const error = page.locator('.tasks .error-view');
  await error.waitFor();
  assert.equal(await error.locator('.error-code').innerText(), 'IOTDA.000021');
  assert.match(await error.locator('.error-message').innerText(), /Internal error, please try again/);
  assert.equal(await page.locator('table.task-table').isVisible(), false);
  const refused = async () => (await server.admin('GET', '/_mock/journal?operation=iotda:ListExportTasks')).entries
    .filter((entry) => entry.fault?.error_code === 'IOTDA.000021').map((entry) => entry.request_id);
  let refusedIds = await refused();
  // One failed load (its table and census calls both refused) counts once: the first retry is 6 s away.
  while (refusedIds.length < 2) refusedIds = await refused();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.match(await page.locator('.tasks-header .refresh-status span').innerText(), /^1 failed load\(s\), retrying in [1-6] s$/);
  const shownId = (await error.locator('.error-request-id').innerText()).match(/[0-9a-f]{32}/)?.[0];
  assert.ok(refusedIds.includes(shownId), `${shownId} is one of ${refusedIds}`);
  await server.admin('DELETE', '/_mock/faults/iotda:ListExportTasks');
  await error.getByRole('button', { name: 'Retry' }).click();
  await rows().first().waitFor();
  assert.equal(await page.locator('.tasks .error-view').count(), 0);

  // A refresh that fails once the rows are shown keeps them under the error.
  const listed = await rows().count();
  // The fault stays until removed: a one-off fault may be taken by the page's other list call
  // (the census of unfinished tasks behind the five-task warning), which shows no error.
  await server.admin('POST', '/_mock/faults', {
    operation: 'iotda:ListExportTasks', error_code: 'IOTDA.000021', http_status: 500,
  });
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await error.waitFor();
  assert.equal(await page.locator('table.task-table').isVisible(), true, 'the last rows stay under the error');
  assert.equal(await rows().count(), listed);
  await server.admin('DELETE', '/_mock/faults/iotda:ListExportTasks');
  await error.getByRole('button', { name: 'Retry' }).click();
  await error.waitFor({ state: 'detached' });
  assert.equal(await rows().count(), listed);
  await page.screenshot({ path: '/tmp/shot-iotda_exports.png', fullPage: true });
});

test('a server that offers no IoTDA project gets an explanation, not failing calls', async () => {
  const config = await (await fetch(server.url + '/_desk/config')).json();
  config.providers.iotda = { enabled: false, reason: 'No Huawei Cloud credentials are configured.' };
  delete config.providers.iotda_project;
  await page.route('**/_desk/config', (route) => route.fulfill({ json: config }));
  // Unrouted even when an assertion fails, so the file's later tests see the real description.
  try {
    // The page before still refreshes itself; leave it before the journal is cleared.
    await page.goto('about:blank');
    await server.admin('DELETE', '/_mock/journal');
    await page.goto(server.url + '/iotda/exports');
    const notice = page.locator('.iotda-unavailable');
    await notice.waitFor();
    assert.match(await notice.innerText(), /not available on this server[\s\S]*No Huawei Cloud credentials are configured/);
    assert.equal(await page.locator('.create-form').count(), 0);
    const { entries } = await server.admin('GET', '/_mock/journal');
    assert.deepEqual(entries.filter((entry) => entry.operation?.startsWith('iotda:')), []);
  } finally {
    await page.unroute('**/_desk/config');
  }
  assert.deepEqual(pageErrors, [], 'no JavaScript error or wasm panic during the run');
});

test('a server description that cannot be loaded is shown as an error, not a page without a project, and Retry recovers', async () => {
  let refuse = true;
  await page.route('**/_desk/config', (route) => (refuse ? route.fulfill({ status: 503, body: 'down' }) : route.continue()));
  try {
    await page.goto('about:blank');
    await server.admin('DELETE', '/_mock/journal');
    await page.goto(server.url + '/iotda/exports');
    const error = page.locator('main .error-view');
    await error.waitFor();
    assert.equal(await page.locator('main h1').innerText(), 'IoTDA exports');
    assert.match(await page.locator('main .page-intro').innerText(), /IoTDA batch task/, 'the page still says what it is for');
    assert.equal(await page.locator('.create-form').count(), 0);
    const { entries } = await server.admin('GET', '/_mock/journal');
    assert.deepEqual(entries.filter((entry) => entry.operation?.startsWith('iotda:')), []);
    refuse = false;
    await error.getByRole('button', { name: 'Retry' }).click();
    await rows().first().waitFor();
    assert.equal(await page.locator('main .error-view').count(), 0);
  } finally {
    await page.unroute('**/_desk/config');
  }
});

test('the request preview shows exactly what the form sends, project headers included, and copies it as curl', async () => {
  await page.goto(server.url + '/iotda/exports');
  await openCreateForm(page);
  await page.fill('#batch_task_id', '');
  await page.locator('details.request-preview summary').click();
  assert.match(await page.locator('.request-preview-invalid').innerText(), /Batch task id: is required: the id of the batch task/);

  await openCreateForm(page);
  await page.fill('#batch_task_id', '0f0e0d0c');
  const shown = await checkRequestPreview(page, () => page.getByRole('button', { name: 'Create export task' }).click());
  assert.equal(shown.method, 'POST');
  assert.equal(shown.url, `${server.url}/v5/iot/${project}/export-tasks`);
  assert.equal(shown.headers['X-Project-Id'], project);
  assert.equal(shown.headers['Content-Type'], 'application/json');
  assert.equal(shown.body.resource_type, 'BatchTask');
  assert.match(shown.curl, new RegExp(`-H 'X-Project-Id: ${project}'`));
  // Whatever IoTDA answers (earlier tests may have left five tasks running), the call is over.
  await openCreateForm(page);
  await page.getByRole('button', { name: 'Create export task' }).waitFor();
  assert.deepEqual(pageErrors, []);
});
