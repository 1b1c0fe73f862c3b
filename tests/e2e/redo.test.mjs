// Redo what failed, end to end: a refresh task whose URLs partly fail (the mock's fail rate and
// seed decide which, its clock finishes the task) is done again from its page with exactly its
// failed URLs, read across the detail's pages; "Create again" fills each kind's create form with a
// task's values, and submitting sends the request that made it. Real server (mock mode), real
// browser; what was sent is read back from the mock's journal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, watchKey, watchedIn } from './support.mjs';

const NGINX = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';

let server;
let browser;
let page;
let pageErrors;

before(async () => {
  server = await startServer(['--task-duration', '20s', '--fail-rate', '0.5', '--demo-tasks', '3', '--seed', '11']);
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The URLs of refresh/preheat task `id` the mock lists (of `status`, or all), in one call. */
async function urlsOf(id, status) {
  const query = new URLSearchParams({ page_size: '10000', page_number: '1', ...(status ? { status } : {}) });
  const detail = await server.cloud('GET', `/v1.0/cdn/historytasks/${id}/detail?${query}`);
  return detail.urls.map((u) => u.url);
}

/** The bodies the mock received for `operation`, oldest first. */
async function sentBodies(operation) {
  const { entries } = await server.admin('GET', `/_mock/journal?operation=${operation}`);
  return entries.map((entry) => JSON.parse(entry.body));
}

/** A finished refresh task of `count` files, some of which failed. */
async function finishedRefreshTask(count) {
  const urls = Array.from({ length: count }, (_, i) => `https://www.example.com/redo/${i}.js`);
  const { refresh_task: id } = await server.cloud('POST', '/v1.0/cdn/content/refresh-tasks', { refresh_task: { type: 'file', urls } });
  await server.admin('POST', '/_mock/clock/advance', { seconds: 30 });
  return { id, urls };
}

test('the failed URLs of a finished task are refreshed again, all of them, across the detail\'s pages', async () => {
  // 250 URLs at a fail rate of one half: more than one page of the 100 URLs the page reads a call.
  const { id } = await finishedRefreshTask(250);
  const failed = await urlsOf(id, 'failed');
  assert.ok(failed.length > 100 && failed.length < 250, `${failed.length} failed: more than a page, not all`);
  await server.admin('DELETE', '/_mock/journal');

  await page.goto(`${server.url}/cdn/purge/${id}`);
  const redo = page.getByRole('button', { name: `Refresh the ${failed.length} failed URLs again` });
  await redo.waitFor();

  // A failing create shows through the error view, creates nothing, and Retry does it.
  await server.admin('POST', '/_mock/faults', { operation: 'cdn:CreateRefreshTasks', error_code: 'CDN.0002', error_msg: 'Internal error for the redo test', times: 1 });
  await redo.click();
  const error = page.locator('.error-view', { hasText: 'Internal error for the redo test' });
  await error.waitFor();
  assert.equal(await redo.isEnabled(), true, 'it can be tried again');
  const tasksBefore = (await server.cloud('GET', '/v1.0/cdn/historytasks?page_size=100&page_number=1&file_type=file')).total;

  // While it runs it says so and cannot be sent twice: the create is held until the test lets it go.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/v1.0/cdn/content/refresh-tasks', async (route) => { await held; await route.continue(); });
  await error.getByRole('button', { name: 'Retry' }).click();
  const running = page.getByRole('button', { name: 'Refreshing the failed URLs again…' });
  await running.waitFor();
  assert.equal(await running.isDisabled(), true);
  await running.click({ force: true }).catch(() => {});
  release();

  const link = page.locator('.redo-status a.redone-link');
  await link.waitFor();
  await page.unroute('**/v1.0/cdn/content/refresh-tasks');
  const newId = await link.innerText();
  assert.notEqual(newId, id);
  const watched = watchedIn(await page.evaluate((key) => localStorage.getItem(key), watchKey(server.url)));
  assert.deepEqual(watched, [['/cdn/purge', newId]], 'the new task is watched, as one the form created');
  assert.equal(await page.locator('.redo-status').innerText(), `Created task ${newId} with the ${failed.length} failed URLs.`);
  const creates = await sentBodies('cdn:CreateRefreshTasks');
  assert.equal(creates.length, 2, 'the refused one and the retry: the click while it ran sent nothing');
  assert.equal(creates[1].refresh_task.type, 'file', 'the same file type');
  assert.deepEqual(creates[1].refresh_task.urls, failed, 'exactly the failed URLs, in their order');
  assert.deepEqual(await urlsOf(newId), failed, 'the new task holds them');
  const tasksAfter = (await server.cloud('GET', '/v1.0/cdn/historytasks?page_size=100&page_number=1&file_type=file')).total;
  assert.equal(tasksAfter, tasksBefore + 1, 'one task made, none by the failed try');
  // Every page of the failed URLs was read, and only those.
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cdn:ShowHistoryTaskDetails');
  const walked = entries.map((e) => new URLSearchParams(e.query)).filter((q) => q.get('status') === 'failed' && q.get('page_size') === '100');
  assert.ok(walked.some((q) => q.get('page_number') === '2'), 'the second page was read');

  // The link opens the new task; it is unfinished, so it offers nothing to redo yet.
  await link.click();
  await page.waitForURL((url) => url.pathname === `/cdn/purge/${newId}`);
  await page.locator('table.task-table tbody tr[data-task-id]').first().waitFor();
  assert.equal(await page.locator('.redo-failed').count(), 0);
  assert.equal(await page.locator('.redo-status').innerText(), '', 'the outcome was about the other task');
  assert.deepEqual(pageErrors, []);
});

test('a redo is a create on its way: the language switch waits for its answer, which is shown', async () => {
  await server.admin('DELETE', '/_mock/faults');
  const { id } = await finishedRefreshTask(20);
  const failed = await urlsOf(id, 'failed');
  assert.ok(failed.length > 0, 'some of the 20 failed');
  await page.goto(`${server.url}/cdn/purge/${id}`);
  const redo = page.locator('.redo-failed');
  await redo.waitFor();
  const language = page.locator('#language-switch');
  assert.equal(await language.isEnabled(), true, 'nothing on its way yet');

  // The create is held until the test lets it go; the route says when it has arrived.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let arrived;
  const reached = new Promise((resolve) => { arrived = resolve; });
  await page.route('**/v1.0/cdn/content/refresh-tasks', async (route) => { arrived(); await held; await route.continue(); });
  try {
    await redo.click();
    await reached;
    await page.getByRole('button', { name: 'Refreshing the failed URLs again…' }).waitFor();
    assert.equal(await language.isDisabled(), true, 'a switch now would drop the answer');
    assert.equal(await language.getAttribute('title'), 'Waiting for a create to be answered', 'the switch says why');
  } finally {
    release();
  }
  const link = page.locator('.redo-status a.redone-link');
  await link.waitFor();
  await page.unroute('**/v1.0/cdn/content/refresh-tasks');
  const newId = await link.innerText();
  assert.match(await page.locator('.redo-status').innerText(), new RegExp(`^Created task ${newId} with the `));
  await page.waitForFunction(() => !document.querySelector('#language-switch').disabled);
  assert.deepEqual(pageErrors, []);
});

test('a redo whose create is refused says why, and the language switch is free again', async () => {
  await server.admin('DELETE', '/_mock/faults');
  const { id } = await finishedRefreshTask(20);
  assert.ok((await urlsOf(id, 'failed')).length > 0, 'some of the 20 failed');
  await page.goto(`${server.url}/cdn/purge/${id}`);
  const redo = page.locator('.redo-failed');
  await redo.waitFor();
  await server.admin('POST', '/_mock/faults', { operation: 'cdn:CreateRefreshTasks', error_code: 'CDN.0002', times: 1 });
  await redo.click();
  const refused = page.locator('.task-actions ~ .error-view');
  await refused.waitFor();
  assert.match(await refused.innerText(), /CDN\.0002/);
  // The create's count went down on the error path too: a switch loses nothing now.
  await page.waitForFunction(() => !document.querySelector('#language-switch').disabled);
  assert.equal(await redo.isEnabled(), true, 'it can be tried again');
  assert.deepEqual(pageErrors, []);
});

test('a task with no failed URL offers no redo; "Create again" fills the refresh form with all its URLs', async () => {
  await server.admin('DELETE', '/_mock/faults');
  const { id, urls } = await finishedRefreshTask(3);
  const failed = await urlsOf(id, 'failed');
  await page.goto(`${server.url}/cdn/purge/${id}`);
  await page.locator('.task-summary').waitFor();
  const redoCount = await page.locator('.redo-failed').count();
  assert.equal(redoCount, failed.length ? 1 : 0, `${failed.length} failed`);
  if (failed.length === 1) assert.equal(await page.locator('.redo-failed').innerText(), 'Refresh the failed URL again');

  await server.admin('DELETE', '/_mock/journal');
  await page.getByRole('button', { name: 'Create again', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/cdn/purge' && url.searchParams.get('new') === '1');
  await page.locator('.form-filled', { hasText: `Filled in from task ${id}.` }).waitFor();
  assert.equal(await page.locator('#urls').inputValue(), urls.join('\n'));
  assert.equal(await page.locator('#task_type-refresh').isChecked(), true);
  assert.equal(await page.locator('#file_type-file').isChecked(), true);
  // Focus is in the form (moved there on a frame after it fills).
  await page.waitForFunction(() => !!document.activeElement?.closest('#create-panel'));
  await page.getByRole('button', { name: 'Create refresh task' }).click();
  await page.locator('.form-status', { hasText: /created/ }).waitFor();
  const [sent] = await sentBodies('cdn:CreateRefreshTasks');
  assert.deepEqual(sent, { refresh_task: { type: 'file', urls } }, 'the same task again');
});

test('"Create again" on a CLS export fills the form with its values, keeps what was typed, and creates an equal export', async () => {
  // A day before the mock's now (within what CLS accepts), ending 15 s past a minute, as a task
  // made elsewhere could.
  const now = (await server.admin('GET', '/_mock/clock')).now_ms;
  const to = now - 86_400_000 - (now % 60_000) + 15_000;
  const made = {
    TopicId: NGINX, Query: 'status:500', From: to - 15_000 - 90 * 60_000, To: to,
    Count: 321, Order: 'asc', Format: 'csv', SyntaxRule: 0, DerivedFields: ['status', 'path'],
  };
  const { Response } = await server.cloud('POST', '/', made, { 'X-TC-Action': 'CreateExport', 'X-TC-Version': '2020-10-16' });
  const exportId = Response.ExportId;
  assert.ok(exportId, JSON.stringify(Response));

  await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
  const row = page.locator(`tr[data-task-id="${exportId}"]`);
  await row.waitFor();
  // Something typed in the form first: it is not lost.
  await page.locator('.create-toggle').click();
  await page.fill('#export-query', 'typed by me');
  await page.locator('.create-panel button.subtle', { hasText: 'Close' }).click();
  await server.admin('DELETE', '/_mock/journal');
  await row.getByRole('button', { name: `Create again from task ${exportId}` }).click();
  const note = page.locator('.form-filled');
  await note.filter({ hasText: `Filled in from task ${exportId}.` }).waitFor();
  assert.equal(await page.locator('#export-query').inputValue(), 'status:500');
  assert.equal(await page.locator('#export-count').inputValue(), '321');
  assert.equal(await page.locator('#export-order').inputValue(), 'asc');
  assert.equal(await page.locator('#export-format').inputValue(), 'csv');
  assert.equal(await page.locator('#export-syntax').inputValue(), '0');
  assert.equal(await page.locator('#export-fields').inputValue(), 'status, path');
  assert.match(await page.locator('#export-to').inputValue(), /:15$/, 'the seconds it was made with');
  await page.waitForFunction(() => !!document.activeElement?.closest('#create-panel'));
  // What was typed can come back, and go again with another Create again.
  await note.getByRole('button', { name: 'Restore what I had typed' }).click();
  assert.equal(await page.locator('#export-query').inputValue(), 'typed by me');
  await note.filter({ hasText: 'What you had typed is back.' }).waitFor();
  await row.getByRole('button', { name: `Create again from task ${exportId}` }).click();
  await note.filter({ hasText: `Filled in from task ${exportId}.` }).waitFor();
  assert.equal(await page.locator('#export-query').inputValue(), 'status:500');

  await page.getByRole('button', { name: 'Create export' }).click();
  await page.locator('.form-status', { hasText: /created/ }).waitFor();
  const [sent] = await sentBodies('cls:CreateExport');
  assert.deepEqual(sent, made, 'the same export again');
  assert.deepEqual(pageErrors, []);
});

test('"Create again" on an IoTDA export fills the form with its values and creates an equal task', async () => {
  const project = (await (await fetch(server.url + '/_desk/config')).json()).providers.iotda_project.project_id;
  const made = { resource_type: 'BatchTask', resource_condition: { task_id: '0a1b2c' }, export_format: 'xls', app_type: 'APP', app_id: 'my_app_7' };
  const task = await server.cloud('POST', `/v5/iot/${project}/export-tasks`, made);
  await page.goto(`${server.url}/iotda/exports`);
  const row = page.locator(`tr[data-task-id="${task.export_task_id}"]`);
  await row.waitFor();
  await server.admin('DELETE', '/_mock/journal');
  await row.getByRole('button', { name: `Create again from task ${task.export_task_id}` }).click();
  await page.locator('.form-filled', { hasText: `Filled in from task ${task.export_task_id}.` }).waitFor();
  assert.equal(await page.locator('.form-filled button').count(), 0, 'nothing was typed, so nothing to restore');
  assert.equal(await page.locator('#batch_task_id').inputValue(), '0a1b2c');
  assert.equal(await page.locator('#app_type').inputValue(), 'APP');
  assert.equal(await page.locator('#app_id').inputValue(), 'my_app_7');
  await page.getByRole('button', { name: 'Create export task' }).click();
  await page.locator('.form-status', { hasText: /created/ }).waitFor();
  const [sent] = await sentBodies('iotda:CreateExportTask');
  assert.deepEqual(sent, made, 'the same task again');
});

test('CDN statistics: the request sent is remembered per backend, tied to its task, and made again', async () => {
  await page.goto(`${server.url}/cdn/stats`);
  await page.locator('table.task-table tbody tr[data-task-id]').first().waitFor();
  await page.locator('.create-toggle').click();
  await page.fill('#domain_name', 'a.example.com\nb.example.com');
  await page.selectOption('#stat_type', 'req_num');
  await page.check('#group_by');
  await server.admin('DELETE', '/_mock/journal');
  await page.getByRole('button', { name: 'Create export task' }).click();
  const highlighted = page.locator('tr.highlight[data-task-id]');
  await highlighted.waitFor();
  const taskId = await highlighted.getAttribute('data-task-id');
  const again = highlighted.getByRole('button', { name: `Create again from task ${taskId}` });
  await again.waitFor();
  // Only this browser's request has it: the demo tasks were not asked for here.
  assert.equal(await page.locator('tr[data-task-id] .create-again').count(), 1);
  const stored = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith('export-desk.stats-requests:')));
  assert.equal(stored.length, 1);
  assert.equal(stored[0][0], `export-desk.stats-requests:${server.url}`, 'kept under the backend it went to');
  assert.equal(JSON.parse(stored[0][1])[0].task_id, taskId);

  // After a reload the button is still there; the form fills with the request sent.
  await page.reload();
  await page.locator(`tr[data-task-id="${taskId}"] .create-again`).click();
  await page.locator('.form-filled', { hasText: `Filled in from task ${taskId}.` }).waitFor();
  assert.equal(await page.locator('#domain_name').inputValue(), 'a.example.com\nb.example.com');
  assert.equal(await page.locator('#stat_type').inputValue(), 'req_num');
  assert.equal(await page.locator('#group_by').isChecked(), true);
  await page.getByRole('button', { name: 'Create export task' }).click();
  await page.locator(`tr.highlight[data-task-id]:not([data-task-id="${taskId}"])`).waitFor();
  const [first, second] = await sentBodies('cdn:CreateExportTask');
  assert.deepEqual(second, first, 'the same request again');

  // A corrupted store is ignored: no button, no error, and the next create writes it anew.
  await page.evaluate((key) => localStorage.setItem(key, '{not json'), stored[0][0]);
  await page.reload();
  await page.locator('table.task-table tbody tr[data-task-id]').first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('tr[data-task-id] .create-again').count(), 0);
  // Another backend's store is not this one's.
  await page.evaluate(() => localStorage.setItem('export-desk.stats-requests:https://other.example.com',
    JSON.stringify([{ task_id: 'elsewhere', sent_ms: 1, request: { action: 'reports_detail' } }])));
  await page.reload();
  await page.locator('table.task-table tbody tr[data-task-id]').first().waitFor();
  assert.equal(await page.locator('tr[data-task-id] .create-again').count(), 0);
  assert.deepEqual(pageErrors, []);
});
