// The CDN statistics exports page, end to end: real server (mock mode), real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, openBrowser, localInput, checkRequestPreview, openCreateForm } from './support.mjs';

let server;
let browser;
let page;
let pageErrors;

before(async () => {
  server = await startServer(['--task-duration', '3s', '--fail-rate', '0', '--demo-tasks', '25', '--seed', '3']);
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the CDN statistics exports page lists the seeded tasks', async () => {
  await page.goto(server.url + '/cdn/stats');
  await page.locator('table.task-table tbody tr').first().waitFor();
  assert.equal(await page.locator('table.task-table tbody tr').count(), 10);
  assert.match(await page.locator('.pager-range').innerText(), /1–10 of 25/);
  assert.equal(await page.locator('.server-badge').innerText(), 'Mock server');
});

test('paging lives in the URL and survives a reload', async () => {
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL(/offset=10/);
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('11–20 of 25'));
  await page.reload();
  await page.locator('table.task-table tbody tr').first().waitFor();
  assert.match(await page.locator('.pager-range').innerText(), /11–20 of 25/);
  await page.locator('.pager-size select').selectOption('20');
  await page.waitForURL((url) => url.searchParams.get('limit') === '20' && !url.searchParams.has('offset'));
  await page.waitForFunction(() => document.querySelector('.pager-range')?.textContent.startsWith('1–20 of 25'));
});

test('filters by name narrow the list and can be cleared', async () => {
  await page.fill('#filter-task-name', 'UV_');
  await page.press('#filter-task-name', 'Enter');
  await page.waitForURL(/task_name=UV_/);
  await page.waitForFunction(() => {
    const names = [...document.querySelectorAll('tbody .task-name')];
    return names.length > 0 && names.every((n) => n.textContent.startsWith('uv_'));
  });
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await page.waitForURL((url) => !url.searchParams.has('task_name'));
});

test('past the end of a filtered list: the page says so, hides the table, and leads back keeping the filter', async () => {
  await page.goto(server.url + '/cdn/stats?task_name=UV_&offset=500');
  await page.getByText('Nothing on this page: the list is shorter now.').waitFor();
  assert.equal(await page.locator('table.task-table').isVisible(), false);
  await page.getByRole('button', { name: 'Go to the first page' }).click();
  await page.waitForURL((url) => !url.searchParams.has('offset') && url.searchParams.get('task_name') === 'UV_');
  await page.locator('table.task-table tbody tr').first().waitFor();
  assert.ok(await page.locator('tbody .task-name').evaluateAll((names) => names.every((n) => n.textContent.startsWith('uv_'))));
  assert.equal(await page.getByText('Nothing on this page').count(), 0);
});

test('bad input is refused next to its field and nothing typed is lost', async () => {
  const end = new Date();
  end.setMinutes(0, 0, 0);
  const start = new Date(end.getTime() - 24 * 3600 * 1000);
  await openCreateForm(page);
  await page.fill('#country', 'cn');
  await page.selectOption('#action', 'isp_detail');
  await page.fill('#domain_name', 'a.example.com, not a domain');
  await page.fill('#start_time', localInput(end));
  await page.fill('#end_time', localInput(start));
  await page.getByRole('button', { name: 'Create export task' }).click();
  assert.match(await page.locator('#domain_name-error').innerText(), /not a domain name/);
  // Messages name other fields by their labels, not the API's names.
  assert.equal(await page.locator('#end_time-error').innerText(), 'must be after From');
  // Choices read as words, without the API's values beside them.
  assert.deepEqual(await page.locator('#language option').allInnerTexts(), ['Chinese', 'English']);
  assert.equal(await page.locator('#domain_name').inputValue(), 'a.example.com, not a domain');
  // Carrier data cannot be filtered by country: the field is hidden (not greyed), and so are the
  // provinces (the form's unit tests check neither is sent).
  assert.equal(await page.locator('#country').isHidden(), true);
  assert.equal(await page.locator('#province').isHidden(), true);
  // Back to data that takes a country: what was typed is there again, and with cn the provinces show.
  await page.selectOption('#action', 'reports_detail');
  assert.equal(await page.locator('#country').isVisible(), true);
  assert.equal(await page.locator('#country').inputValue(), 'cn');
  assert.equal(await page.locator('#province').isVisible(), true);
  // Fixing the fields clears their errors as they are edited.
  await page.fill('#country', '');
  assert.equal(await page.locator('#province').isHidden(), true);
  await page.fill('#domain_name', 'a.example.com\nb.example.com');
  await page.fill('#start_time', localInput(start));
  await page.fill('#end_time', localInput(end));
  await page.waitForFunction(() => document.querySelectorAll('[aria-invalid="true"]').length === 0);
});

test('a created task is highlighted, runs to success and its file downloads', async () => {
  await openCreateForm(page);
  await page.selectOption('#interval', '3600');
  await page.selectOption('#language', 'en');
  await page.getByRole('button', { name: 'Create export task' }).click();
  const row = page.locator('table.task-table tbody tr.highlight');
  await row.waitFor({ timeout: 15_000 });
  assert.match(await row.locator('.task-name').innerText(), /^reports_detail_flux_/);
  assert.equal(await row.locator('.badge').getAttribute('data-status'), 'running');
  const taskId = await row.getAttribute('data-task-id');

  // The page refreshes itself while the task runs; no clicking.
  const finished = page.locator(`tr[data-task-id="${taskId}"] .badge[data-status="succeeded"]`);
  await finished.waitFor({ timeout: 30_000 });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`tr[data-task-id="${taskId}"] a.download`).click(),
  ]);
  assert.match(download.suggestedFilename(), /^reports_detail_flux_\d{8}T\d{4}Z-\d{8}T\d{4}Z_3600s\.csv$/);
  const text = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const lines = text.trim().split('\r\n');
  assert.equal(lines[0], 'Time (UTC),Traffic (Byte)');
  assert.equal(lines.length, 1 + 24, 'one row per hour of the day requested');
  assert.ok(lines.slice(1).every((line) => /^\d{4}-\d\d-\d\d \d\d:00:00,\d+$/.test(line)), lines[1]);
});

test('a task a refresh lists before the create call has answered is still the one highlighted', async () => {
  // The create's answer is held back (the task already exists on the server) while a refresh lists it.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let created;
  const sent = new Promise((resolve) => { created = resolve; });
  await page.route('**/v1/cdn/statistics/export-tasks', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    created();
    await held;
    return route.fulfill({ response });
  });
  try {
    const totalShown = async () => Number((await page.locator('.pager-range').innerText()).match(/of (\d+)/)[1]);
    const before = await totalShown();
    await openCreateForm(page);
    await page.selectOption('#interval', '300');
    await page.getByRole('button', { name: 'Create export task' }).click();
    await sent;
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.waitForFunction((n) => document.querySelector('.pager-range')?.textContent.match(/of (\d+)/)?.[1] === String(n), before + 1);
    // The task the test before created is still highlighted; the new one takes over once answered.
    const previous = await page.evaluate(() => document.querySelector('table.task-table tbody tr.highlight')?.dataset.taskId ?? null);
    release();
    const newId = await page.waitForFunction((old) => {
      const id = document.querySelector('table.task-table tbody tr.highlight')?.dataset.taskId;
      return id && id !== old ? id : null;
    }, previous, { timeout: 15_000 });
    const row = page.locator(`table.task-table tbody tr[data-task-id="${await newId.jsonValue()}"]`);
    assert.match(await row.locator('.task-name').innerText(), /^reports_detail_flux_.*_300s$/);
  } finally {
    release();
    await page.unroute('**/v1/cdn/statistics/export-tasks');
  }
});

// Reads the page in one go (no refresh can land in between): when it last loaded, and marks the
// table and each row's element with a property that only those very elements carry. The rows are
// the telling part: a table re-rendered whole is patched in place by Leptos, so its <table> element
// can outlive the rebuild, but its rows come out new.
const markTable = () => {
  const table = document.querySelector('table.task-table');
  table.markedBeforeRefresh = true;
  for (const row of table.querySelectorAll('tbody tr')) row.markedBeforeRefresh = true;
  return document.querySelector('.tasks .refresh-status span').textContent.split(' · ')[0];
};
const marks = () => {
  const table = document.querySelector('table.task-table');
  return {
    table: table.markedBeforeRefresh === true,
    rows: [...table.querySelectorAll('tbody tr')].map((row) => [row.dataset.taskId, row.markedBeforeRefresh === true]),
  };
};

test('a refresh while a task runs keeps the table and its unchanged rows: the same elements, not rebuilt', async () => {
  // A crawling mock clock keeps the new task running, so the page goes on refreshing by itself.
  await server.admin('PUT', '/_mock/clock/speed', { speed: 0.001 });
  try {
    await page.goto(server.url + '/cdn/stats');
    await page.locator('table.task-table tbody tr').first().waitFor();
    await openCreateForm(page);
    await page.fill('#domain_name', 'www.example.com');
    await page.getByRole('button', { name: 'Create export task' }).click();
    const row = page.locator('table.task-table tbody tr.highlight');
    await row.waitFor({ timeout: 15_000 });
    const taskId = await row.getAttribute('data-task-id');
    assert.equal(await row.locator('.badge').getAttribute('data-status'), 'running');
    const rowsBefore = await page.locator('table.task-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.taskId));

    // Someone tabbing to a file: the refresh must not take the focus away from its link.
    const download = page.locator('table.task-table tbody tr a.download').first();
    const focusedTask = await download.evaluate((link) => link.closest('tr').dataset.taskId);
    await download.focus();
    const updatedBefore = await page.evaluate(markTable);
    assert.match(updatedBefore, /^Updated /);
    await page.waitForFunction((before) => {
      const updated = document.querySelector('.tasks .refresh-status span')?.textContent.split(' · ')[0];
      return updated?.startsWith('Updated ') && updated !== before;
    }, updatedBefore, { timeout: 15_000 });

    assert.equal(await page.locator(`tr[data-task-id="${taskId}"] .badge`).getAttribute('data-status'), 'running',
      'the refresh came while the task still ran');
    const after = await page.evaluate(marks);
    assert.ok(after.table, 'the table element survived the refresh');
    assert.deepEqual(after.rows.map(([id]) => id), rowsBefore, 'the same tasks in the same order');
    assert.deepEqual(after.rows.filter(([, kept]) => !kept), [], 'no row was rebuilt: none of the tasks changed');
    assert.equal(await page.evaluate(() => document.activeElement.matches('a.download') && document.activeElement.closest('tr').dataset.taskId),
      focusedTask, 'the focused Download link still has the focus');
  } finally {
    await server.admin('PUT', '/_mock/clock/speed', { speed: 1 });
  }
});

test('a failed refresh keeps the table and the last rows, shows the error beside them, and Retry recovers', async () => {
  const rowCount = await page.locator('table.task-table tbody tr').count();
  assert.ok(rowCount > 0);
  await server.admin('POST', '/_mock/faults', {
    operation: 'cdn:ListExportTasks',
    error_code: 'CDN.0005',
    http_status: 400,
    error_msg: 'The upper limit is exceeded.',
  });
  const updatedBefore = await page.evaluate(markTable);
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  const error = page.locator('.tasks .error-view');
  await error.waitFor();
  assert.equal(await error.locator('.error-code').innerText(), 'CDN.0005');
  assert.equal(await page.locator('table.task-table').isVisible(), true, 'the last good rows stay on screen');
  assert.equal(await page.locator('table.task-table tbody tr').count(), rowCount);
  assert.match(await page.locator('.pager-range').innerText(), new RegExp(`^1–${rowCount} of \\d+`));
  assert.ok((await page.evaluate(marks)).table, 'the failure did not rebuild the table');

  await server.admin('DELETE', '/_mock/faults/cdn:ListExportTasks');
  await error.getByRole('button', { name: 'Retry' }).click();
  await error.waitFor({ state: 'detached' });
  await page.waitForFunction((before) => {
    const updated = document.querySelector('.tasks .refresh-status span')?.textContent.split(' · ')[0];
    return updated?.startsWith('Updated ') && updated !== before;
  }, updatedBefore);
  assert.equal(await page.locator('table.task-table tbody tr').count(), rowCount);
  assert.ok((await page.evaluate(marks)).table, 'nor did the recovery');
  assert.deepEqual(pageErrors, [], 'no JavaScript error or wasm panic during the run');
});

test('an API error shows the provider code, message and request id, and Retry recovers', async () => {
  // The real server refuses ListExportTasks, in CDN's envelope, until the rule is removed.
  await server.admin('DELETE', '/_mock/journal');
  await server.admin('POST', '/_mock/faults', {
    operation: 'cdn:ListExportTasks',
    error_code: 'CDN.0005',
    http_status: 400,
    error_msg: 'The upper limit is exceeded.',
  });
  await page.goto(server.url + '/cdn/stats?task_id=nope');
  const error = page.locator('.tasks .error-view');
  await error.waitFor();
  assert.equal(await error.locator('.error-code').innerText(), 'CDN.0005');
  assert.match(await error.locator('.error-message').innerText(), /The upper limit is exceeded/);
  // The id shown is the X-Request-Id of a refused call, as the journal recorded it.
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cdn:ListExportTasks');
  const refusedIds = entries.filter((entry) => entry.fault?.error_code === 'CDN.0005').map((entry) => entry.request_id);
  const shownId = (await error.locator('.error-request-id').innerText()).match(/[0-9a-f]{32}/)?.[0];
  assert.ok(refusedIds.includes(shownId), `${shownId} is one of ${refusedIds}`);
  await server.admin('DELETE', '/_mock/faults/cdn:ListExportTasks');
  await error.getByRole('button', { name: 'Retry' }).click();
  // A task id that matches nothing: the empty state, with a way out.
  await page.getByText('No export tasks match these filters.').waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.locator('table.task-table tbody tr').first().waitFor();
  assert.deepEqual(pageErrors, [], 'no JavaScript error or wasm panic during the run');
});

test('the request preview explains an invalid form, then shows exactly what is sent and copies it as curl', async () => {
  await page.goto(server.url + '/cdn/stats');
  await openCreateForm(page);
  await page.fill('#domain_name', '');
  await page.locator('details.request-preview summary').click();
  assert.match(await page.locator('.request-preview-invalid').innerText(), /Domains: is required/);
  assert.equal(await page.getByRole('button', { name: 'Copy as curl' }).count(), 0, 'nothing to copy while invalid');

  await openCreateForm(page);
  await page.fill('#domain_name', "www.example.com\nimg.example.com");
  const shown = await checkRequestPreview(page, () => page.getByRole('button', { name: 'Create export task' }).click());
  assert.equal(shown.method, 'POST');
  assert.equal(shown.url, server.url + '/v1/cdn/statistics/export-tasks');
  assert.equal(shown.headers['Content-Type'], 'application/json');
  assert.equal(shown.body.domain_name, 'www.example.com,img.example.com');
  assert.match(shown.curl, /^curl -X 'POST' 'http:\/\/127\.0\.0\.1:\d+\/v1\/cdn\/statistics\/export-tasks' \\\n  -H 'Content-Type: application\/json' \\\n  --data-raw '\{\n/);
  await page.getByText('Task created; it is highlighted in the list below.').waitFor();
  assert.deepEqual(pageErrors, []);
});
