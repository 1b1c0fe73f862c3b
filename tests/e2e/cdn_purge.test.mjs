// The CDN refresh and preheat page, end to end: real server (mock mode, half the URLs fail),
// real browser, the mock's clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser, localInput, checkRequestPreview, openCreateForm } from './support.mjs';

let server;
let browser;
let page;
let pageErrors;

before(async () => {
  server = await startServer(['--task-duration', '20s', '--fail-rate', '0.5', '--demo-tasks', '6', '--seed', '7']);
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const rows = () => page.locator('table.task-table tbody tr[aria-rowindex]');

/** The numbers in the URLs column, top to bottom. */
const totals = () => page.$$eval('table.task-table tbody .task-total', (cells) => cells.map((c) => Number(c.textContent)));

/** Waits until the list shows the answer to the URL the page is at (the pager's range reflects it). */
async function settled() {
  await page.waitForFunction(() => /of \d+/.test(document.querySelector('.pager-range')?.textContent ?? ''));
  await page.waitForLoadState('networkidle');
}

test('a bad line is pointed out, nothing typed is lost, and the rules follow the file type', async () => {
  await page.goto(server.url + '/cdn/purge');
  await rows().first().waitFor();
  const typed = 'https://www.example.com/a.js\nftp://www.example.com/b.js\n\nhttps://www.example.com/c.js';
  await openCreateForm(page);
  await page.fill('#urls', typed);
  await page.getByRole('button', { name: 'Create refresh task' }).click();
  const problems = page.locator('#urls-problems li');
  assert.equal(await problems.count(), 1);
  assert.equal(await problems.first().getAttribute('data-line'), '2');
  assert.match(await problems.first().innerText(), /Line 2[\s\S]*must start with http:\/\/ or https:\/\//);
  assert.equal(await page.locator('#urls-error').innerText(), 'Line 2 needs fixing.');
  assert.equal(await page.locator('#urls').inputValue(), typed);
  // Focus lands in the box with the offending line selected.
  await page.waitForFunction(() => {
    const box = document.activeElement;
    return box?.id === 'urls' && box.value.slice(box.selectionStart, box.selectionEnd) === 'ftp://www.example.com/b.js';
  });
  // Directories must end with '/': lines 1 and 4 are now wrong too (line 3 is blank, not a problem).
  await openCreateForm(page);
  await page.check('#file_type-directory');
  await page.waitForFunction(() => document.querySelectorAll('#urls-problems li').length === 3);
  assert.deepEqual(await problems.evaluateAll((items) => items.map((li) => li.dataset.line)), ['1', '2', '4']);
  // A preheat takes files only: the file type and the mode do not apply, so they are hidden (not
  // greyed and still selected), and the box says what a preheat takes.
  await page.check('#task_type-preheating');
  await page.waitForFunction(() => document.querySelectorAll('#urls-problems li').length === 1);
  assert.equal(await page.locator('#file_type-directory').isHidden(), true);
  assert.equal(await page.getByText('What the lines name').isHidden(), true);
  assert.equal(await page.locator('#mode-all').isHidden(), true);
  assert.match(await page.locator('.purge-form .field-hint').innerText(), /directories, ending with \/, cannot be preheated/);
  // A directory cannot be preheated, whatever was chosen for a refresh: line 5 is pointed out.
  await page.fill('#urls', typed + '\nhttps://www.example.com/static/');
  await page.waitForFunction(() => document.querySelectorAll('#urls-problems li').length === 2);
  assert.match(await problems.last().innerText(), /Line 5[\s\S]*cannot be preheated/);
  await page.fill('#urls', typed);
  // Back to refresh, the choices made before are there again.
  await page.check('#task_type-refresh');
  assert.equal(await page.locator('#file_type-directory').isChecked(), true);
  assert.equal(await page.locator('#mode-all').isVisible(), true);
  await page.check('#file_type-file');
  assert.equal(await page.locator('#mode-all').isHidden(), true, 'a file refresh has no mode');
  assert.equal(await page.locator('#urls').inputValue(), typed, 'switching choices keeps the text');
});

let taskId;

test('fixed, the task is created, highlighted, its progress moves and it finishes after the clock advances', async () => {
  // The clock crawls, so where the task stands depends only on how far the test moves it, not on
  // how long the page takes to notice.
  await server.admin('PUT', '/_mock/clock/speed', { speed: 0.001 });
  try {
    const urls = [1, 2, 3, 4, 5, 6].map((n) => `https://www.example.com/assets/app.${n}.js`);
    await openCreateForm(page);
    await page.fill('#urls', urls.join('\n'));
    await page.waitForFunction(() => document.querySelectorAll('#urls-problems li').length === 0);
    await openCreateForm(page);
    await page.getByRole('button', { name: 'Create refresh task' }).click();
    const row = page.locator('table.task-table tbody tr.highlight');
    await row.waitFor({ timeout: 15_000 });
    taskId = await row.getAttribute('data-task-id');
    assert.match(await page.locator('.form-status').innerText(), new RegExp(`Task ${taskId} created`));
    assert.equal(await page.locator('#urls').inputValue(), '', 'the box is emptied for the next list');
    const bar = row.locator('[role="progressbar"]');
    assert.equal(await bar.getAttribute('aria-valuemax'), '6');
    assert.equal(await bar.getAttribute('aria-valuenow'), '0');
    assert.equal(await row.locator('.badge').getAttribute('data-status'), 'running');

    // Each URL takes 15–25 s of mock time: at 20 s some are done, and the page notices by itself.
    await server.admin('POST', '/_mock/clock/advance', { seconds: 20 });
    const done = async () => Number(await page.locator(`tr[data-task-id="${taskId}"] [role="progressbar"]`).getAttribute('aria-valuenow'));
    await page.waitForFunction((id) => Number(document.querySelector(`tr[data-task-id="${id}"] [role="progressbar"]`)?.getAttribute('aria-valuenow')) > 0,
      taskId, { timeout: 15_000 });
    assert.ok((await done()) < 6, 'not every URL is done yet at 20 s');
    await server.admin('POST', '/_mock/clock/advance', { seconds: 10 });
    await page.locator(`tr[data-task-id="${taskId}"] .badge:not([data-status="running"])`).waitFor({ timeout: 15_000 });
    assert.equal(await done(), 6);
    assert.match(await page.locator('.tasks .refresh-status span').innerText(), /Updated .* all tasks finished/);
  } finally {
    await server.admin('PUT', '/_mock/clock/speed', { speed: 1 });
  }
});

test('the detail lists each URL; filtering by status shows why URLs failed', async () => {
  await page.locator(`tr[data-task-id="${taskId}"] a.task-link`).click();
  await page.waitForURL((url) => url.pathname === `/cdn/purge/${taskId}` && url.searchParams.has('create_time'));
  await page.locator('.task-summary').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table.task-table tbody tr[aria-rowindex]').length === 6);
  const statuses = await page.$$eval('tbody .badge', (badges) => badges.map((b) => b.dataset.status));
  const failed = statuses.filter((s) => s === 'failed').length;
  assert.ok(failed > 0 && failed < 6, `a mix of outcomes at fail rate 0.5: ${statuses}`);

  await page.selectOption('#url-status', 'failed');
  await page.waitForURL(/status=failed/);
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr[aria-rowindex]').length === n, failed);
  assert.ok((await page.$$eval('tbody .badge', (b) => b.map((x) => x.dataset.status))).every((s) => s === 'failed'));
  const reasons = await page.$$eval('tbody .fail-reason', (cells) => cells.map((c) => c.textContent.trim()));
  assert.equal(reasons.length, failed);
  assert.ok(reasons.every((r) => /(Origin|Internal|Unknown) error\s+\S/.test(r)), reasons.join(' | '));

  await page.selectOption('#url-status', 'succeed');
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr[aria-rowindex]').length === n, 6 - failed);
  assert.equal(await page.locator('tbody .fail-reason').count(), 0);
  assert.match(await page.locator('.pager-range').innerText(), new RegExp(`1–${6 - failed} of ${6 - failed}`));
  // A search that matches nothing has its own empty state.
  await page.fill('#url-search', 'nothing-like-this');
  await page.press('#url-search', 'Enter');
  await page.getByText('No URLs of this task match these filters.').waitFor();
});

test('filters by task type and status, and sorting by URL count both ways, reorder the list', async () => {
  await server.admin('POST', '/_mock/reset', { demo_tasks: 80 });
  await server.admin('POST', '/_mock/clock/advance', { seconds: 60 });
  await page.goto(server.url + '/cdn/purge?page_size=100');
  await settled();
  const all = await rows().count();
  // Every task is listed by default, directory refreshes too; the file type narrows the list.
  assert.match(await page.locator('.pager-range').innerText(), new RegExp(`of ${all}\\b`));
  assert.equal(all, 80, 'all 80 demo tasks, files and directories');
  const kinds = () => page.$$eval('tbody .task-kind', (k) => k.map((x) => x.textContent));
  const directories = (await kinds()).filter((k) => k.endsWith('Directories')).length;
  assert.ok(directories > 0 && directories < all, `directory refreshes are listed by default: ${directories}`);
  assert.equal(await page.getByLabel('File type').inputValue(), '');
  await page.getByLabel('File type').selectOption('directory');
  await page.waitForURL(/file_type=directory/);
  await page.waitForFunction((n) => {
    const kinds = [...document.querySelectorAll('tbody .task-kind')].map((k) => k.textContent);
    return kinds.length === n && kinds.every((k) => k.endsWith('Directories'));
  }, directories);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForURL((url) => !url.searchParams.has('file_type'));
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr[aria-rowindex]').length === n, all);

  await page.selectOption('#filter-task-type', 'preheating');
  await page.waitForURL(/task_type=preheating/);
  await page.waitForFunction(() => {
    const kinds = [...document.querySelectorAll('tbody .task-kind')].map((k) => k.dataset.taskType);
    return kinds.length > 0 && kinds.every((k) => k === 'preheating');
  });
  const preheats = await rows().count();
  assert.ok(preheats < all);

  // Both file types are asked for, each in its own call: the total is both totals.
  const done = (fileType) => page.waitForResponse((response) => {
    const params = new URL(response.url()).searchParams;
    return response.url().includes('/v1.0/cdn/historytasks?') && params.get('status') === 'task_done' && params.get('file_type') === fileType;
  });
  const [files, directoryTasks] = [done('file'), done('directory')];
  await page.selectOption('#filter-status', 'task_done');
  await page.waitForURL(/status=task_done/);
  const total = (await (await files).json()).total + (await (await directoryTasks).json()).total;
  await page.waitForFunction((n) => document.querySelector('.pager-range')?.textContent.match(/of (\d+)/)?.[1] === String(n), total);
  const badges = await page.$$eval('tbody .badge', (b) => b.map((x) => x.dataset.status));
  assert.ok(badges.length > 0 && badges.every((s) => s === 'succeeded' || s === 'failed'), badges.join());
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForURL((url) => !url.searchParams.has('task_type') && !url.searchParams.has('status'));
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr[aria-rowindex]').length === n, all);

  // The creation range: from two days ago keeps only the newer tasks; an end before the start is
  // pointed out next to it and not sent.
  const { now_ms: now } = await server.admin('GET', '/_mock/clock');
  const from = new Date(now - 2 * 86_400_000);
  from.setSeconds(0, 0);
  await page.fill('#filter-start', localInput(from));
  await page.waitForURL((url) => url.searchParams.get('start_date') === String(from.getTime()));
  // The rows of the old filters go at once; wait for the answer's rows, not just fewer.
  await page.waitForFunction((n) => {
    const rows = document.querySelectorAll('tbody tr[aria-rowindex]').length;
    return rows > 0 && rows < n;
  }, all);
  const created = await page.$$eval('tbody time.timestamp', (times) => times.map((t) => Date.parse(t.getAttribute('datetime'))));
  assert.ok(created.length > 0 && created.every((ms) => ms >= from.getTime()), 'every task listed is from the range');
  await page.fill('#filter-end', localInput(new Date(now - 3 * 86_400_000)));
  assert.equal(await page.locator('#filter-end-error').innerText(), 'must not be before “Created from”');
  assert.equal(new URL(page.url()).searchParams.has('end_date'), false);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.waitForURL((url) => !url.searchParams.has('start_date'));
  assert.equal(await page.locator('#filter-end-error').innerText(), '');
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr[aria-rowindex]').length === n, all);

  const byCreation = await totals();
  await page.selectOption('#order-field', 'total');
  await page.waitForURL((url) => url.searchParams.get('order_field') === 'total' && url.searchParams.get('order_type') === 'desc');
  await page.waitForFunction(() => {
    const t = [...document.querySelectorAll('tbody .task-total')].map((c) => Number(c.textContent));
    return t.length > 1 && t.every((v, i) => i === 0 || t[i - 1] >= v);
  });
  const descending = await totals();
  assert.notDeepEqual(descending, byCreation, 'the order changed');
  assert.deepEqual([...descending].sort((a, b) => b - a), descending);

  await page.selectOption('#order-type', 'asc');
  await page.waitForURL((url) => url.searchParams.get('order_type') === 'asc');
  await page.waitForFunction(() => {
    const t = [...document.querySelectorAll('tbody .task-total')].map((c) => Number(c.textContent));
    return t.length > 1 && t.every((v, i) => i === 0 || t[i - 1] <= v);
  });
  assert.deepEqual(await totals(), [...descending].reverse().sort((a, b) => a - b));
  // The sort survives a reload: it lives in the URL.
  await page.reload();
  await settled();
  assert.equal(await page.locator('#order-field').inputValue(), 'total');
  assert.equal(await page.locator('#order-type').inputValue(), 'asc');
  // From a task's detail, the way back returns to the list as it was left.
  await page.locator('tbody a.task-link').first().click();
  await page.locator('.task-summary').waitFor();
  await page.getByRole('link', { name: '← All refresh and preheat tasks' }).click();
  await page.waitForURL((url) => url.pathname === '/cdn/purge' && url.searchParams.get('order_field') === 'total'
    && url.searchParams.get('order_type') === 'asc' && url.searchParams.get('page_size') === '100');
  await settled();
  await page.screenshot({ path: '/tmp/shot-cdn_purge.png', fullPage: false });
});

test('a page of 10,000 tasks renders only a window of rows scrolling with the page, whole, with the full row count announced', async () => {
  const { demo_tasks: seeded } = await server.admin('POST', '/_mock/reset', { demo_tasks: 12_000 });
  assert.equal(seeded, 12_000);
  await server.admin('POST', '/_mock/clock/advance', { seconds: 60 });
  await page.goto(server.url + '/cdn/purge');
  await settled();
  await page.locator('.pager-size select').selectOption('10000');
  await page.waitForURL((url) => url.searchParams.get('page_size') === '10000');
  await page.waitForFunction(() => document.querySelector('table.task-table')?.getAttribute('aria-rowcount') === '10001',
    null, { timeout: 30_000 });
  assert.match(await page.locator('.pager-range').innerText(), /^1–10000 of \d{5} · page 1 of 2$/);
  const rendered = await rows().count();
  assert.ok(rendered > 5 && rendered < 80, `only a window is rendered: ${rendered} rows`);
  assert.equal(await rows().first().getAttribute('aria-rowindex'), '2');

  // One scrollbar: the table has no scroll box of its own, the page is as long as every row.
  const box = await page.locator('.table-scroll').evaluate((region) => ({
    overflow: getComputedStyle(region).overflowY, inner: region.scrollHeight, outer: region.clientHeight,
  }));
  assert.equal(box.overflow, 'visible');
  assert.ok(box.inner <= box.outer + 1, `no inner scrolling: ${JSON.stringify(box)}`);
  assert.ok(await page.evaluate(() => document.scrollingElement.scrollHeight > 10_000 * 50), 'the page holds the rows');

  // Scrolling the page into the middle moves the window: the rows in view are rendered, under the
  // header stuck to the window's top, and every cell is whole (badge, progress text and all).
  await page.evaluate(() => {
    const table = document.querySelector('table.task-table');
    window.scrollTo(0, window.scrollY + table.getBoundingClientRect().top + table.offsetHeight / 2);
  });
  await page.waitForFunction(() => [...document.querySelectorAll('tbody tr[aria-rowindex]')]
    .some((row) => Number(row.getAttribute('aria-rowindex')) > 4000));
  const middle = await page.evaluate(() => {
    const header = document.querySelector('table.task-table thead th').getBoundingClientRect();
    const inView = [...document.querySelectorAll('tbody tr[aria-rowindex]')].filter((row) => {
      const rect = row.getBoundingClientRect();
      return rect.bottom > header.bottom && rect.top < window.innerHeight;
    });
    const cut = [];
    for (const cell of document.querySelectorAll('tbody tr[aria-rowindex] td')) {
      const bounds = cell.getBoundingClientRect();
      if (cell.scrollWidth > cell.clientWidth) cut.push(cell.outerHTML);
      for (const part of cell.querySelectorAll('*')) {
        const rect = part.getBoundingClientRect();
        if (rect.right > bounds.right + 0.5 || rect.bottom > bounds.bottom + 0.5) cut.push(part.outerHTML);
      }
    }
    return { headerTop: header.top, inView: inView.length, rendered: document.querySelectorAll('tbody tr[aria-rowindex]').length, cut };
  });
  assert.equal(middle.headerTop, 0, 'the header sticks to the window');
  assert.ok(middle.inView > 5 && middle.rendered < 80, JSON.stringify(middle));
  assert.deepEqual(middle.cut, [], 'no cell content is clipped');

  // Scrolled to the end, the window moves: the last row is the 10,001st of the table.
  await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
  await page.locator('tbody tr[aria-rowindex="10001"]').waitFor();
  assert.ok((await rows().count()) < 80);
  // And the next page holds the rest.
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.waitForURL(/page_number=2/);
  await page.waitForFunction(() => Number(document.querySelector('table.task-table')?.getAttribute('aria-rowcount')) < 10001);
});

test('an injected ShowHistoryTasks error shows code, message and request id above the last rows; Retry recovers', async () => {
  await page.goto(server.url + '/cdn/purge');
  await settled();
  await server.admin('DELETE', '/_mock/journal');
  await server.admin('POST', '/_mock/faults', {
    operation: 'cdn:ShowHistoryTasks',
    error_code: 'CDN.0005',
    http_status: 400,
    error_msg: 'The upper limit is exceeded.',
    times: 1,
  });
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  const error = page.locator('.tasks .error-view');
  await error.waitFor();
  assert.equal(await error.locator('.error-code').innerText(), 'CDN.0005');
  assert.match(await error.locator('.error-message').innerText(), /The upper limit is exceeded/);
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cdn:ShowHistoryTasks');
  const refused = entries.filter((entry) => entry.fault?.error_code === 'CDN.0005').map((entry) => entry.request_id);
  const shown = (await error.locator('.error-request-id').innerText()).match(/[0-9a-f]{32}/)?.[0];
  assert.ok(refused.includes(shown), `${shown} is one of ${refused}`);
  // The last rows stay under the error (same filters): the reader keeps their place.
  assert.equal(await page.locator('.task-list').isVisible(), true, 'the last rows stay under the error');
  assert.equal(await rows().count(), 30);
  await error.getByRole('button', { name: 'Retry' }).click();
  await error.waitFor({ state: 'detached' });
  await rows().first().waitFor();
  assert.equal(await rows().count(), 30);
  assert.deepEqual(pageErrors, [], 'no JavaScript error or wasm panic during the run');
});

test('the request preview follows the task type, shows exactly what is sent and copies it as curl', async () => {
  await page.goto(server.url + '/cdn/purge');
  await openCreateForm(page);
  await page.fill('#urls', 'ftp://www.example.com/a.js');
  await page.locator('details.request-preview summary').click();
  assert.match(await page.locator('.request-preview-invalid').innerText(), /Line 1: .*must start with http:\/\/ or https:\/\//);

  await openCreateForm(page);
  await page.fill('#urls', "https://www.example.com/a.js\nhttps://www.example.com/it's.css");
  await page.check('#task_type-preheating');
  await page.locator('.request-preview-text', { hasText: '/v1.0/cdn/content/preheating-tasks' }).waitFor();
  await openCreateForm(page);
  await page.check('#task_type-refresh');
  await page.locator('.request-preview-text', { hasText: '/v1.0/cdn/content/refresh-tasks' }).waitFor();
  const shown = await checkRequestPreview(page, () => page.getByRole('button', { name: 'Create refresh task' }).click());
  assert.equal(shown.method, 'POST');
  assert.equal(shown.url, server.url + '/v1.0/cdn/content/refresh-tasks');
  assert.deepEqual(shown.body, {
    refresh_task: { type: 'file', urls: ['https://www.example.com/a.js', "https://www.example.com/it's.css"] },
  });
  assert.ok(shown.curl.includes(`it'\\''s.css`), shown.curl);
  await page.locator('.create-form .form-status', { hasText: /Task \S+ created/ }).waitFor();
  assert.deepEqual(pageErrors, []);
});

test('text typed while a create is on its way stays when the answer empties the box', async () => {
  await page.goto(server.url + '/cdn/purge');
  await openCreateForm(page);
  await server.admin('POST', '/_mock/faults', { operation: 'cdn:CreateRefreshTasks', latency_ms: 1500, times: 1 });
  await page.fill('#urls', 'https://www.example.com/first.js');
  const createAnswer = page.waitForResponse((response) => response.url().endsWith('/v1.0/cdn/content/refresh-tasks'));
  await page.getByRole('button', { name: 'Create refresh task' }).click();
  await page.fill('#urls', 'https://www.example.com/next.js');
  await (await createAnswer).finished();
  await page.locator('.create-form .form-status', { hasText: /Task \S+ created/ }).waitFor();
  assert.equal(await page.locator('#urls').inputValue(), 'https://www.example.com/next.js', 'the next list is kept');
  assert.equal(await page.locator('#create-panel').isVisible(), true, 'a form edited while its create was on its way stays open');
  assert.deepEqual(pageErrors, []);
});
