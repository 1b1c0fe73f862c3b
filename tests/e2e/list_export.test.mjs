// "Download list as CSV" on every task list, and refresh/preheat's sortable headers, end to end:
// the real server in mock mode (400 demo tasks a kind, so the statistics exports and each CLS
// topic span several pages of the largest size), a real browser, the files it saves read back.
// Faults make the slow walk (latency) and the provider's rate limit certain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, openBrowser } from './support.mjs';

const ZONE = 'Asia/Shanghai';
const TOPIC = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80'; // nginx-access, open

let server;
let browser;
let page;
let pageErrors;

before(async () => {
  server = await startServer(['--task-duration', '20s', '--demo-tasks', '400', '--seed', '11']);
  // Every task finished: no list refreshes itself meanwhile, so a fault's calls are the export's.
  await server.admin('POST', '/_mock/clock/advance', { seconds: 3600 });
  ({ browser, page, errors: pageErrors } = await openBrowser());
  // Times in Beijing time, which the file's headers must name.
  await page.addInitScript((zone) => {
    localStorage.setItem('export-desk.settings', JSON.stringify({ time_zone: zone }));
  }, ZONE);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** RFC 4180: rows of fields; quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 1; }
    else field += c;
  }
  assert.equal(field, '', 'the file ends with CRLF');
  return rows;
}

/** Clicks "Download list as CSV" and resolves to { name, bytes, rows } of the file saved. */
async function download() {
  const [saved] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download list as CSV' }).click(),
  ]);
  const bytes = await readFile(await saved.path());
  return { name: saved.suggestedFilename(), bytes, rows: parseCsv(bytes.toString('utf8').replace(/^\uFEFF/, '')) };
}

/** The total the pager says the filters match ("1–30 of 95 · …"). */
async function listedTotal() {
  await page.waitForFunction(() => /of \d+/.test(document.querySelector('.pager-range')?.textContent ?? ''));
  return Number((await page.locator('.pager-range').innerText()).match(/of (\d+)/)[1]);
}

const firstRow = () => page.locator('table.task-table tbody tr[data-task-id]').first();

/** The file's header, rows matching the list's total, and its first row the table's first. */
async function checkFile(file, { stem, header, total, firstId, idColumn }) {
  assert.match(file.name, new RegExp(`^${stem}-\\d{4}-\\d\\d-\\d\\dT\\d{4}\\+0800\\.csv$`), 'named after the kind and the time in Beijing');
  assert.deepEqual([...file.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte-order mark');
  assert.deepEqual(file.rows[0], header);
  assert.equal(file.rows.length - 1, total, 'one row a task the filters match');
  assert.ok(file.rows[1][idColumn].split('\n').includes(firstId), `the first row is the table's first: ${file.rows[1][idColumn]}`);
  await page.locator('.list-export-saved').getByText(`Saved ${total.toLocaleString('en-US')} rows as ${file.name}.`).waitFor();
}

test('CDN statistics exports: every page of 100 is walked, paced, into one file', async () => {
  await server.admin('DELETE', '/_mock/journal');
  await page.goto(server.url + '/cdn/stats');
  await firstRow().waitFor();
  const total = await listedTotal();
  assert.ok(total > 300, `the demo spans several pages of 100 (${total})`);
  const firstId = await firstRow().getAttribute('data-task-id');
  const firstCreated = await firstRow().locator('.col-time .timestamp-local').first().innerText();
  const file = await download();
  await checkFile(file, {
    stem: 'cdn-stats-exports',
    header: ['Name', 'Task ID', 'Status', `Created (${ZONE})`, `Updated (${ZONE})`, 'File'],
    total,
    firstId,
    idColumn: 1,
  });
  assert.equal(file.rows[1][3], firstCreated, 'times as the table shows them, in the chosen zone');
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cdn:ListExportTasks');
  const exportCalls = entries.filter((e) => /limit=100/.test(e.query));
  assert.equal(exportCalls.length, Math.ceil(total / 100), `one call a page of the largest size: ${entries.map((e) => e.query).join(' | ')}`);
  assert.ok(exportCalls.every((e, i) => new URLSearchParams(e.query).get('offset') === String(i * 100)));
  assert.deepEqual(pageErrors, []);
});

test('CDN statistics exports: the filters in the URL are the file\'s', async () => {
  const name = (await firstRow().locator('.task-name').innerText()).trim();
  await page.goto(server.url + '/cdn/stats?task_name=' + encodeURIComponent(name));
  await firstRow().waitFor();
  const total = await listedTotal();
  const file = await download();
  assert.equal(file.rows.length - 1, total);
  assert.ok(file.rows.slice(1).every((r) => r[0].includes(name)), 'only the tasks the name filter keeps');
});

test('refresh/preheat: filtered, both file types, one file; the headers sort by order_field and say so', async () => {
  await page.goto(server.url + '/cdn/purge?task_type=refresh');
  await firstRow().waitFor();
  const total = await listedTotal();
  const file = await download();
  await checkFile(file, {
    stem: 'cdn-purge-tasks',
    header: ['Task', 'Kind', 'Status', 'Progress', 'URLs', `Created (${ZONE})`],
    total,
    firstId: await firstRow().getAttribute('data-task-id'),
    idColumn: 0,
  });
  assert.ok(file.rows.slice(1).every((r) => r[1].startsWith('Refresh · ')), 'refresh tasks only, as filtered');

  // Sorting: the header is a button; the URL, the filter bar's sort controls and aria-sort follow.
  const urlsHeader = page.locator('th.col-total');
  assert.equal(await page.locator('th.col-time').getAttribute('aria-sort'), 'descending', 'the default order: newest first');
  assert.equal(await urlsHeader.getAttribute('aria-sort'), null);
  await urlsHeader.getByRole('button').focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.searchParams.get('order_field') === 'total' && url.searchParams.get('order_type') === 'desc');
  await page.waitForFunction(() => document.querySelector('th.col-total')?.getAttribute('aria-sort') === 'descending');
  assert.equal(await page.locator('th.col-time').getAttribute('aria-sort'), null, 'one header says the order');
  assert.equal(await page.locator('#order-field').inputValue(), 'total');
  assert.equal(await page.locator('#order-type').inputValue(), 'desc');
  const totals = () => page.$$eval('table.task-table tbody .task-total', (cells) => cells.map((c) => Number(c.textContent)));
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('table.task-table tbody .task-total')].map((c) => Number(c.textContent));
    return cells.length > 1 && cells.every((n, i) => i === 0 || cells[i - 1] >= n);
  });
  await urlsHeader.getByRole('button').click();
  await page.waitForURL((url) => url.searchParams.get('order_type') === 'asc');
  await page.waitForFunction(() => document.querySelector('th.col-total')?.getAttribute('aria-sort') === 'ascending');
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('table.task-table tbody .task-total')].map((c) => Number(c.textContent));
    return cells.length > 1 && cells.every((n, i) => i === 0 || cells[i - 1] <= n);
  });
  const ascending = await totals();
  assert.ok(ascending[0] <= ascending.at(-1));
  assert.equal(await page.locator('#order-type').inputValue(), 'asc');
  // The select moves the header too.
  await page.selectOption('#order-field', 'task_type');
  await page.waitForFunction(() => document.querySelector('th.col-kind')?.getAttribute('aria-sort') === 'ascending');
  // The file follows the sort in the URL.
  const sorted = await download();
  const column = sorted.rows.slice(1).map((r) => r[1]);
  assert.ok(column.every((kind) => kind.startsWith('Refresh')), 'still only refresh tasks');
  assert.equal(sorted.rows.length - 1, total);
  assert.deepEqual(pageErrors, []);
});

test('a task\'s URLs export from its own page', async () => {
  await page.goto(server.url + '/cdn/purge');
  const link = firstRow().locator('a.task-link');
  await link.click();
  await page.locator('table.task-table tbody tr[data-task-id]').first().waitFor();
  const total = await listedTotal();
  const file = await download();
  assert.match(file.name, /^cdn-purge-task-urls-/);
  assert.deepEqual(file.rows[0], ['URL', 'Status', 'Why it failed', `Created (${ZONE})`]);
  assert.equal(file.rows.length - 1, total);
});

test('IoTDA exports: every task of the batch-task list', async () => {
  await page.goto(server.url + '/iotda/exports');
  await firstRow().waitFor();
  const total = await listedTotal();
  const file = await download();
  await checkFile(file, {
    stem: 'iotda-exports',
    header: ['Batch task', 'Scope', 'Status', `Created (${ZONE})`, `Finished (${ZONE})`],
    total,
    firstId: await firstRow().getAttribute('data-task-id'),
    idColumn: 0,
  });
});

test('CLS: a topic\'s exports over several pages, the actions column left out', async () => {
  await page.goto(server.url + '/cls/exports?topic=' + TOPIC);
  await firstRow().waitFor();
  const total = await listedTotal();
  assert.ok(total > 100, `more than one page of 100 (${total})`);
  const file = await download();
  await checkFile(file, {
    stem: 'cls-exports',
    header: ['Export', 'Status', 'Logs', `Created (${ZONE})`, 'File'],
    total,
    firstId: (await firstRow().getAttribute('data-task-id')),
    idColumn: 0,
  });
  assert.match(file.rows[1][2], /→ .* UTC\+8\n/, 'the range in the chosen zone, with its offset');
});

const exportCalls = async () => (await server.admin('GET', '/_mock/journal?operation=cdn:ListExportTasks')).entries
  .filter((e) => /limit=100/.test(e.query))
  .map((e) => Number(new URLSearchParams(e.query).get('offset')));

test('Cancel stops a slow walk at once, and no file is saved', async () => {
  await page.goto(server.url + '/cdn/stats');
  await firstRow().waitFor();
  const total = await listedTotal();
  let downloads = 0;
  page.on('download', () => { downloads += 1; });
  await server.admin('DELETE', '/_mock/journal');
  await server.admin('POST', '/_mock/faults', { operation: 'cdn:ListExportTasks', latency_ms: 1500 });
  await page.getByRole('button', { name: 'Download list as CSV' }).click();
  const bar = page.getByRole('progressbar', { name: 'Rows fetched for the CSV file' });
  // The first page is in: the bar says how far, of how many.
  await page.waitForFunction(() => document.querySelector('.list-export [role=progressbar]')?.getAttribute('aria-valuenow') === '100');
  assert.equal(await bar.getAttribute('aria-valuemax'), String(total));
  assert.equal(await page.locator('.list-export-count').innerText(), `100 of ${total} rows`);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent.trim()), 'Cancel', 'focus moved to Cancel');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText('Export cancelled: no file was saved.').waitFor();
  assert.equal(await bar.count(), 0);
  // The focus moves on the next frame after Cancel: waited for, not read at once.
  await page.waitForFunction(() => document.activeElement?.textContent.trim() === 'Download list as CSV');
  // A new export, as slow: had the cancelled walk gone on, its later pages would be asked for
  // twice while this one runs.
  const file = await download();
  await server.admin('DELETE', '/_mock/faults');
  assert.equal(downloads, 1, 'only the finished export saved a file');
  assert.equal(file.rows.length - 1, total);
  const offsets = await exportCalls();
  const count = (offset) => offsets.filter((o) => o === offset).length;
  assert.equal(count(0), 2, 'each export started once');
  assert.ok(count(100) <= 2, 'the cancelled walk asked for its second page at most');
  for (let offset = 200; offset < total; offset += 100) assert.equal(count(offset), 1, `page at ${offset}: only the new export's`);
});

test('a rate limit is waited out, shown as a countdown, and the export completes', async () => {
  await page.goto(server.url + '/cls/exports?topic=' + TOPIC);
  await firstRow().waitFor();
  const total = await listedTotal();
  await server.admin('DELETE', '/_mock/journal');
  await server.admin('POST', '/_mock/faults', { operation: 'cls:DescribeExports', error_code: 'RequestLimitExceeded', error_msg: 'Your request frequency has exceeded the limit.', times: 2 });
  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download list as CSV' }).click();
  await page.locator('.list-export-wait').getByText(/The provider asks to slow down: trying again in 1 s \(attempt 1 of 5\)\./).waitFor();
  await page.locator('.list-export-wait').getByText(/attempt 2 of 5/).waitFor();
  const file = await saved;
  const rows = parseCsv((await readFile(await file.path())).toString('utf8').replace(/^\uFEFF/, ''));
  assert.equal(rows.length - 1, total);
  const { entries } = await server.admin('GET', '/_mock/journal?operation=cls:DescribeExports');
  assert.deepEqual(entries.slice(0, 2).map((e) => e.fault?.error_code), ['RequestLimitExceeded', 'RequestLimitExceeded']);
  assert.equal(entries.length, 2 + Math.ceil(total / 100), 'two refused calls, then each page once');
  await page.locator('.list-export-saved').waitFor();
});

test('an error stops the walk in the error view; Retry goes on from the page that failed', async () => {
  await page.goto(server.url + '/cdn/stats');
  await firstRow().waitFor();
  const total = await listedTotal();
  await server.admin('DELETE', '/_mock/journal');
  await server.admin('POST', '/_mock/faults', { operation: 'cdn:ListExportTasks', latency_ms: 1000 });
  await page.getByRole('button', { name: 'Download list as CSV' }).click();
  await page.waitForFunction(() => document.querySelector('.list-export [role=progressbar]')?.getAttribute('aria-valuenow') === '100');
  // From now on (the page under way, or the one after it) the call fails, once.
  await server.admin('POST', '/_mock/faults', { operation: 'cdn:ListExportTasks', error_code: 'CDN.0001', error_msg: 'Internal error', http_status: 500, times: 1 });
  const failed = page.locator('.list-export .error-view');
  await failed.waitFor();
  assert.match(await failed.innerText(), /CDN\.0001/);
  const kept = Number((await page.locator('.list-export-kept').innerText()).match(/^([\d,]+) rows fetched before the error; Retry goes on from there\.$/)[1].replace(/,/g, ''));
  assert.ok(kept === 100 || kept === 200, `the pages before the error are kept (${kept})`);
  const [saved] = await Promise.all([page.waitForEvent('download'), failed.getByRole('button', { name: 'Retry' }).click()]);
  const rows = parseCsv((await readFile(await saved.path())).toString('utf8').replace(/^\uFEFF/, ''));
  assert.equal(rows.length - 1, total, 'no row lost or repeated across the retry');
  assert.equal(new Set(rows.slice(1).map((r) => r[1])).size, total);
  const offsets = await exportCalls();
  assert.equal(offsets.filter((o) => o === 0).length, 1, 'Retry did not start over');
  assert.deepEqual(pageErrors, []);
});
