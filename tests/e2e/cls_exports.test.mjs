// The CLS log exports page, end to end: real server (mock mode), real browser, the mock's clock
// and fault injection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { startServer, openBrowser, localInput, checkRequestPreview, openCreateForm } from './support.mjs';

const run = promisify(execFile);
const NGINX = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';
const CLOSED = 'e9f0a1b2-c3d4-4e5f-a6b7-c8d9e0f1a2b3';
const UNKNOWN = 'ffffffff-0000-4000-8000-000000000000';

let server;
let browser;
let page;
let pageErrors;
let createdId;

before(async () => {
  server = await startServer(['--task-duration', '20s', '--fail-rate', '0', '--demo-tasks', '0', '--seed', '7']);
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The id shown in the error view, checked against the journal's record of refused calls. */
async function shownRequestId(error) {
  return (await error.locator('.error-request-id').innerText()).match(/[0-9a-f]{32}/)?.[0];
}

/** The single member of a .tar archive: its name and content (ustar: name at 0, octal size at 124). */
function untarSingle(tar) {
  const name = tar.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
  const size = parseInt(tar.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
  return { name, content: tar.subarray(512, 512 + size).toString('utf8') };
}

test('the nav leads to the page, which offers the known topics and asks for one', async () => {
  await page.goto(server.url + '/');
  await page.getByRole('navigation', { name: 'Task kinds' }).getByRole('link', { name: 'CLS log exports' }).click();
  await page.waitForURL(/\/cls\/exports$/);
  await page.getByText('Choose a topic above to see its exports.').waitFor();
  const options = await page.locator('#topic-select option').allInnerTexts();
  assert.deepEqual(options.slice(1), ['nginx-access', 'app-backend', 'audit-trail', 'legacy-archive (closed)']);
  await openCreateForm(page);
  assert.equal(await page.getByRole('button', { name: 'Create export' }).isDisabled(), true);
});

test('a typed topic id that does not exist shows ResourceNotFound.TopicNotExist with its request id', async () => {
  await server.admin('DELETE', '/_mock/journal');
  await page.fill('#topic-id', `  ${UNKNOWN} `);
  await page.press('#topic-id', 'Enter');
  await page.waitForURL((url) => url.searchParams.get('topic') === UNKNOWN);
  const error = page.locator('.tasks .error-view');
  await error.waitFor();
  assert.equal(await error.locator('.error-code').innerText(), 'ResourceNotFound.TopicNotExist');
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cls:DescribeExports');
  const shown = await shownRequestId(error);
  assert.ok(entries.some((entry) => entry.request_id === shown), `${shown} is a DescribeExports call's id`);
  assert.match(await page.locator('.cls-topic-note').innerText(), /typed topic id/);
  assert.equal(await page.locator('#topic-select').inputValue(), '', 'the list does not pretend it is a known topic');
  // Creating from it is allowed (CLS decides what exists) and refused the same way, under the form.
  await openCreateForm(page);
  await page.getByRole('button', { name: 'Create export' }).click();
  const refusal = page.locator('.create-form .error-view');
  await refusal.waitFor();
  assert.equal(await refusal.locator('.error-code').innerText(), 'ResourceNotFound.TopicNotExist');
  assert.match(await shownRequestId(refusal), /^[0-9a-f]{32}$/);
});

test('a closed topic is listed but the form says it cannot be exported to', async () => {
  await page.selectOption('#topic-select', CLOSED);
  await page.waitForURL((url) => url.searchParams.get('topic') === CLOSED);
  await page.getByText('This topic has no exports, and as it is closed none can be made.').waitFor();
  assert.match(await page.locator('.cls-topic-note').innerText(), /legacy-archive is closed.*FailedOperation\.TopicClosed/s);
  assert.equal(await page.getByRole('button', { name: 'Create export' }).isDisabled(), true);
  assert.equal(await page.locator('#topic-id').inputValue(), CLOSED, 'the id box follows the choice');
  assert.equal(await page.locator('.create-form .error-view').count(), 0, 'the refusal was about the other topic');
});

test('a bad Count is refused next to its field; fixed, the export runs, completes, downloads, then expires', async () => {
  await page.selectOption('#topic-select', NGINX);
  await page.waitForURL((url) => url.searchParams.get('topic') === NGINX);
  await page.getByText('No exports of this topic yet. Create one with the form above.').waitFor();
  await server.admin('DELETE', '/_mock/journal');

  const to = new Date();
  to.setSeconds(0, 0);
  to.setTime(to.getTime() - 3600_000);
  const from = new Date(to.getTime() - 3600_000);
  await openCreateForm(page);
  await page.fill('#export-query', 'region:eu AND method:"GET"');
  await page.fill('#export-from', localInput(from));
  await page.fill('#export-to', localInput(to));
  await page.selectOption('#export-order', 'asc');
  await page.selectOption('#export-format', 'json');
  await page.selectOption('#export-syntax', '0');
  await page.fill('#export-count', '0');
  await page.getByRole('button', { name: 'Create export' }).click();
  assert.match(await page.locator('#export-count-error').innerText(), /must be from 1 to 50000000, not 0/);
  // Focus moves on the next animation frame, after the view has marked the field.
  await page.waitForFunction(() => document.activeElement?.id === 'export-count', null, { timeout: 5_000 });
  await openCreateForm(page);
  await page.fill('#export-count', 'twelve');
  await page.waitForFunction(() => /whole number/.test(document.querySelector('#export-count-error').textContent));
  // Nothing typed was lost, and nothing was sent.
  assert.equal(await page.locator('#export-query').inputValue(), 'region:eu AND method:"GET"');
  assert.equal(await page.locator('#export-from').inputValue(), localInput(from));
  const { entries: sent } = await server.admin('GET', '/_mock/journal?operation=cls:CreateExport');
  assert.equal(sent.length, 0);

  await openCreateForm(page);
  await page.fill('#export-count', '37');
  await page.waitForFunction(() => document.querySelectorAll('[aria-invalid="true"]').length === 0);
  await openCreateForm(page);
  await page.getByRole('button', { name: 'Create export' }).click();
  const status = page.locator('.create-form .form-status');
  await page.waitForFunction(() => /Export export-[0-9a-f-]+ created/.test(document.querySelector('.create-form .form-status').textContent));
  createdId = (await status.innerText()).match(/export-[0-9a-f-]+/)[0];
  const row = page.locator(`tr[data-task-id="${createdId}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('class'), 'highlight');
  assert.match(await row.locator('.badge').getAttribute('data-status'), /^(queued|running)$/);
  assert.match(await row.innerText(), /Not ready yet/);
  assert.match(await row.locator('.cls-shape').innerText(), /37 logs · JSON · Oldest first · Lucene/);

  // The page refreshes itself while the export runs; the mock clock moves it to the end.
  await server.admin('POST', '/_mock/clock/advance', { seconds: 60 });
  await row.locator('.badge[data-status="succeeded"]').waitFor({ timeout: 15_000 });
  assert.match(await row.locator('.cls-size').innerText(), /^\d+(\.\d)? (B|KiB)$/);
  assert.match(await row.locator('.cls-expiry').innerText(), /^Kept until about \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC(?:[+-]\d+(?::\d\d)?)?$/);

  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a.download').click()]);
  assert.match(download.suggestedFilename(), new RegExp(`^log_100000000001_${NGINX}_\\d{8}_\\d{6}_\\d+\\.tar\\.gz$`));
  const bytes = await readFile(await download.path());
  assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b], 'gzip magic bytes');
  const member = untarSingle(gunzipSync(bytes));
  assert.match(member.name, /\.json$/);
  const lines = member.content.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 37, 'the requested number of logs');
  const logs = lines.map((line) => JSON.parse(line));
  const times = logs.map((log) => log.__TIMESTAMP__);
  assert.ok(times.every((t) => t >= from.getTime() && t < to.getTime()), 'every log inside [From, To)');
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'oldest first, as asked');
  assert.ok(logs.every((log) => log.region === 'eu' && log.method === 'GET'), 'the query shaped the logs');

  // Three days after completion CLS removes the file.
  await server.admin('POST', '/_mock/clock/advance', { seconds: 3 * 24 * 3600 });
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await row.locator('.badge[data-status="expired"]').waitFor();
  assert.match(await row.locator('.cls-expiry').innerText(), /Expired: the file is gone/);
  assert.equal(await row.locator('a.download').count(), 0);
});

test('delete asks for confirmation in place; Escape cancels, a refusal is shown, Yes deletes', async () => {
  const row = page.locator(`tr[data-task-id="${createdId}"]`);
  const focusIsOn = (selector) => page.waitForFunction(
    ([id, selector]) => document.activeElement?.matches(`tr[data-task-id="${id}"] ${selector}`), [createdId, selector]);
  await server.admin('DELETE', '/_mock/journal');

  // By keyboard: Tab reaches Delete, Enter asks with the focus on Cancel (the safe choice), Escape
  // backs out with the focus on Delete again.
  await row.locator('.confirm-trigger').focus();
  await page.keyboard.press('Shift+Tab');
  assert.equal(await row.locator('.confirm-trigger').evaluate((button) => button === document.activeElement), false);
  await page.keyboard.press('Tab');
  await focusIsOn('.confirm-trigger');
  await page.keyboard.press('Enter');
  await row.getByRole('group', { name: `Delete export ${createdId}` }).waitFor();
  await focusIsOn('.confirm-cancel');
  await page.keyboard.press('Escape');
  await focusIsOn('.confirm-trigger');
  assert.equal(await row.locator('.inline-confirm').count(), 0);
  // By mouse: Cancel backs out the same way.
  await row.locator('.confirm-trigger').click();
  await row.getByRole('button', { name: 'Cancel' }).click();
  await focusIsOn('.confirm-trigger');
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cls:DeleteExport');
  assert.equal(entries.length, 0, 'cancelled: DeleteExport never called');
  assert.equal(await row.count(), 1, 'cancelled: still listed');

  // A refused delete is shown; the export stays and the focus is back on its Delete.
  await server.admin('POST', '/_mock/faults', { operation: 'cls:DeleteExport', error_code: 'InternalError', times: 1 });
  await row.locator('.confirm-trigger').click();
  await row.locator('.confirm-yes').click();
  const error = page.locator('.tasks .error-view');
  await error.waitFor();
  assert.equal(await error.locator('.error-code').innerText(), 'InternalError');
  await focusIsOn('.confirm-trigger');
  assert.equal(await row.count(), 1, 'refused: still listed');

  // Asking again clears the error; while the call runs its button is disabled and says so.
  await server.admin('POST', '/_mock/faults', { operation: 'cls:DeleteExport', latency_ms: 1500, times: 1 });
  await row.locator('.confirm-trigger').click();
  await error.waitFor({ state: 'detached' });
  await row.locator('.confirm-yes').click();
  await page.waitForFunction((id) => {
    const button = document.querySelector(`tr[data-task-id="${id}"] .confirm-yes`);
    return button?.disabled && button.textContent.trim() === 'Deleting…';
  }, createdId);
  await page.getByText(`Export ${createdId} deleted.`).waitFor();
  await page.getByText('No exports of this topic yet. Create one with the form above.').waitFor();
  assert.equal(await page.locator(`tr[data-task-id="${createdId}"]`).count(), 0);
  const { Response } = await server.cloud('POST', '/', { TopicId: NGINX }, { 'X-TC-Action': 'DescribeExports', 'X-TC-Version': '2020-10-16' });
  assert.equal(Response.TotalCount, 0, 'gone on the server too');
});

test('paging (Offset/Limit) lives in the URL and survives a reload', async () => {
  await server.admin('POST', '/_mock/reset', { seed: 7, demo_tasks: 90 });
  await page.goto(`${server.url}/cls/exports?topic=${NGINX}&limit=10`);
  await page.locator('table.task-table tbody tr').nth(9).waitFor();
  assert.equal(await page.locator('table.task-table tbody tr').count(), 10);
  const total = Number((await page.locator('.pager-range').innerText()).match(/^1–10 of (\d+)/)[1]);
  assert.ok(total > 20, `${total} exports: more than two pages`);
  const firstPageIds = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.taskId));

  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL((url) => url.searchParams.get('offset') === '10');
  await page.waitForFunction((t) => document.querySelector('.pager-range')?.textContent.startsWith(`11–20 of ${t}`), total);
  await page.reload();
  await page.waitForFunction((t) => document.querySelector('.pager-range')?.textContent.startsWith(`11–20 of ${t}`), total);
  const secondPageIds = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.taskId));
  assert.equal(secondPageIds.length, 10);
  assert.ok(secondPageIds.every((id) => !firstPageIds.includes(id)), 'another page, not the same rows');

  await page.locator('.pager-size select').selectOption('20');
  await page.waitForURL((url) => url.searchParams.get('limit') === '20' && !url.searchParams.has('offset'));
  await page.waitForFunction((t) => document.querySelector('.pager-range')?.textContent.startsWith(`1–20 of ${t}`), total);
  assert.match(await page.locator('.tasks .refresh-status span').innerText(), /^Updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC(?:[+-]\d+(?::\d\d)?)? · /);
});

test('a DescribeExports failure shows code, message and request id, keeps the rows, and Retry recovers', async () => {
  await server.admin('DELETE', '/_mock/journal');
  await server.admin('POST', '/_mock/faults', { operation: 'cls:DescribeExports', error_code: 'InternalError' });
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  const error = page.locator('.tasks .error-view');
  await error.waitFor();
  assert.equal(await error.locator('.error-code').innerText(), 'InternalError');
  assert.match(await error.locator('.error-message').innerText(), /Fault injected by the mock: InternalError/);
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cls:DescribeExports');
  const refused = entries.filter((entry) => entry.fault?.error_code === 'InternalError').map((entry) => entry.request_id);
  const shown = await shownRequestId(error);
  assert.ok(refused.includes(shown), `${shown} is one of ${refused}`);
  assert.equal(await page.locator('table.task-table tbody tr').count(), 20, 'the last good rows stay on screen');

  await server.admin('DELETE', '/_mock/faults/cls:DescribeExports');
  await error.getByRole('button', { name: 'Retry' }).click();
  await error.waitFor({ state: 'detached' });
  assert.equal(await page.locator('table.task-table tbody tr').count(), 20);
  assert.deepEqual(pageErrors, [], 'no JavaScript error or wasm panic during the run');
});

test('the request preview shows exactly what CreateExport sends, and the copied curl works in a shell', async () => {
  await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
  await openCreateForm(page);
  await page.fill('#export-count', '0');
  await page.locator('details.request-preview summary').click();
  assert.match(await page.locator('.request-preview-invalid').innerText(), /Count: /);

  // A single quote and non-ASCII text: the hard cases for shell quoting.
  const query = `msg:"l'été ✓" AND status:500`;
  await openCreateForm(page);
  await page.fill('#export-query', query);
  await page.fill('#export-count', '12');
  const shown = await checkRequestPreview(page, () => page.getByRole('button', { name: 'Create export' }).click());
  assert.equal(shown.method, 'POST');
  assert.equal(shown.url, server.url + '/');
  assert.equal(shown.headers['X-TC-Action'], 'CreateExport');
  assert.equal(shown.headers['X-TC-Version'], '2020-10-16');
  assert.equal(shown.headers['Content-Type'], 'application/json');
  assert.deepEqual([shown.body.TopicId, shown.body.Query, shown.body.Count], [NGINX, query, 12]);
  await page.waitForFunction(() => /Export export-[0-9a-f-]+ created/.test(document.querySelector('.create-form .form-status').textContent));

  // The command as copied, run by a real shell, makes the same call.
  const { stdout } = await run('sh', ['-c', `${shown.curl} --silent --show-error`]);
  const answer = JSON.parse(stdout).Response;
  assert.match(answer.ExportId, /^export-[0-9a-f-]+$/, stdout);
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cls:CreateExport');
  assert.ok(entries.length >= 2, 'the page’s call and the curl call both reached the mock');
  assert.deepEqual(pageErrors, []);
});

test('a delete still on its way names the export it deleted and leaves another row’s question open', async () => {
  await page.goto(`${server.url}/cls/exports?topic=${NGINX}&limit=10`);
  await page.locator('table.task-table tbody tr').nth(1).waitFor();
  const [first, second] = await page.locator('table.task-table tbody tr').evaluateAll((trs) => trs.slice(0, 2).map((tr) => tr.dataset.taskId));
  const firstRow = page.locator(`tr[data-task-id="${first}"]`);
  const secondRow = page.locator(`tr[data-task-id="${second}"]`);
  await server.admin('POST', '/_mock/faults', { operation: 'cls:DeleteExport', latency_ms: 1500, times: 1 });
  await firstRow.locator('.confirm-trigger').click();
  await firstRow.locator('.confirm-yes').click();
  // While the first delete runs, the reader asks about the second.
  await secondRow.locator('.confirm-trigger').click();
  await secondRow.getByRole('group', { name: `Delete export ${second}` }).waitFor();
  await page.getByText(`Export ${first} deleted.`).waitFor();
  await firstRow.waitFor({ state: 'detached' });
  assert.equal(await secondRow.locator('.inline-confirm').count(), 1, 'the second question is still open');
  await secondRow.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await secondRow.count(), 1);
});

test('a create answered after the topic changed is not shown against the new topic', async () => {
  await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
  await page.locator('table.task-table tbody tr').first().waitFor();
  await server.admin('DELETE', '/_mock/journal');
  await server.admin('POST', '/_mock/faults', { operation: 'cls:CreateExport', latency_ms: 1500, times: 1 });
  const createAnswer = page.waitForResponse((response) => response.request().headers()['x-tc-action'] === 'CreateExport');
  await openCreateForm(page);
  await page.getByRole('button', { name: 'Create export' }).click();
  await page.selectOption('#topic-select', { label: 'app-backend' });
  await page.waitForURL((url) => url.searchParams.get('topic') !== NGINX);
  const answer = await createAnswer;
  await answer.finished();
  assert.equal(answer.status(), 200, 'the export was created (for the first topic)');
  // The page has read the answer once two frames have been drawn after it.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await page.getByText(/created; it is highlighted/).count(), 0, 'no "created" under the other topic');
  assert.equal(await page.locator('tr.highlight').count(), 0);
  assert.match(await page.locator('.cls-topic-note').innerText(), /From topic app-backend/);
  assert.deepEqual(pageErrors, []);
});
