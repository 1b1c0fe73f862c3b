// Finding any task by its id, end to end: `/?find=<id>` (and the Overview's search box) asks each
// kind whose ids look like it, with its own API, and opens the one match, marked on its page;
// an id found nowhere says what was searched; a kind whose list fails shows its error while the
// others are still searched; every id shown has a copy button that puts it on the clipboard.
// Real server (mock mode), headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, startStillMock } from './support.mjs';

const NGINX = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';
const ROWS = 'table.task-table tbody tr[data-task-id]';

let server;
let browser;
let page;
let pageErrors;
/** An id of each kind, read from its page. */
const ids = {};

before(async () => {
  server = await startStillMock();
  ({ browser, page, errors: pageErrors } = await openBrowser());
  for (const [kind, path] of [['stats', '/cdn/stats'], ['purge', '/cdn/purge'], ['iotda', '/iotda/exports'], ['cls', `/cls/exports?topic=${NGINX}`]]) {
    await page.goto(server.url + path);
    ids[kind] = await page.locator(ROWS).first().getAttribute('data-task-id');
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const status = () => page.locator('.find-status');
const path = () => { const url = new URL(page.url()); return url.pathname + url.search; };

/** Opens `/?find=<id>` and waits for the page it leads to. */
async function findAndOpen(id, landing) {
  await page.goto(`${server.url}/?find=${encodeURIComponent(id)}`);
  await page.waitForURL((url) => url.pathname === landing);
}

test('an id of each kind opens its task, marked, and Back returns to the plain Overview', async () => {
  await findAndOpen(ids.stats, '/cdn/stats');
  assert.equal(path(), `/cdn/stats?task_id=${ids.stats}&task=${ids.stats}`, 'filtered by the API’s own task_id');
  await page.locator(`${ROWS}.highlight[data-task-id="${ids.stats}"]`).waitFor();
  await page.goBack();
  await page.waitForURL((url) => url.pathname === '/');
  assert.equal(new URL(page.url()).search, '', 'Back leads to the Overview, not to the search that would open the task again');

  await findAndOpen(ids.purge, `/cdn/purge/${ids.purge}`);
  assert.match(path(), new RegExp(`^/cdn/purge/${ids.purge}\\?create_time=\\d+$`));
  await page.locator('h1').filter({ hasText: ids.purge }).waitFor();
  await page.locator(ROWS).first().waitFor();

  // IoTDA's list has no filter by export task: the link filters by its batch task and marks it.
  await findAndOpen(ids.iotda, '/iotda/exports');
  assert.match(path(), new RegExp(`^/iotda/exports\\?batch_task_id=[0-9a-f]+&task=${ids.iotda}$`));
  await page.locator(`${ROWS}.highlight[data-task-id="${ids.iotda}"]`).waitFor();
  // Its batch task id finds it too (the only export of that batch task).
  const batch = new URL(page.url()).searchParams.get('batch_task_id');
  await findAndOpen(batch, '/iotda/exports');
  await page.locator(`${ROWS}.highlight[data-task-id="${ids.iotda}"]`).waitFor();

  // CLS lists by topic only: the export is found among the configured topics' exports, with or
  // without its `export-` prefix, as CreateExport's documented example answers a bare UUID.
  await findAndOpen(ids.cls.replace(/^export-/, ''), '/cls/exports');
  assert.equal(path(), `/cls/exports?topic=${NGINX}&task=${ids.cls}`);
  await page.locator(`${ROWS}.highlight[data-task-id="${ids.cls}"]`).waitFor();
  assert.deepEqual(pageErrors, []);
});

test('the search box searches what is typed, refuses what is no id, and keeps it', async () => {
  await page.goto(server.url + '/');
  const field = page.getByRole('searchbox', { name: 'Find a task by its id' });
  await field.fill('76 20');
  await field.press('Enter');
  await page.locator('#find-id-error').getByText('An id has no spaces.').waitFor();
  assert.equal(await field.inputValue(), '76 20', 'nothing typed is lost');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.equal(new URL(page.url()).search, '', 'nothing searched');

  await field.fill(`  ${ids.stats}  `);
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/cdn/stats');
  await page.locator(`${ROWS}.highlight[data-task-id="${ids.stats}"]`).waitFor();
});

test('an id found nowhere says what was searched; one no kind has says which ids there are', async () => {
  const unknown = 'ffffffffffffffffffffffffffffffff';
  await page.goto(`${server.url}/?find=${unknown}`);
  await status().getByText(`${unknown} was not found (searched: CDN statistics exports, every export, by task id).`).waitFor();
  // 32 hex digits is also the shape of a Huawei request id, which finds no task.
  assert.match(await page.locator('.find-note').innerText(), /request id names one call, not a task/);
  assert.equal(await page.getByRole('searchbox', { name: 'Find a task by its id' }).inputValue(), unknown, 'the field shows the id in the URL');

  const noExport = 'export-00000000-0000-4000-8000-000000000000';
  await page.goto(`${server.url}/?find=${noExport}`);
  await status().getByText(/was not found \(searched: CLS log exports, the newest 1,000 exports of each configured topic\)/).waitFor();

  await page.goto(`${server.url}/?find=no-such-thing`);
  await status().getByText('no-such-thing does not look like an id the dashboard can find.').waitFor();
  assert.equal(await page.locator('.find-shapes li').count(), 4, 'each kind’s ids described');
  assert.equal(await page.locator('.find-note').count(), 0);
  assert.deepEqual(pageErrors, []);
});

test('a kind whose list fails shows its error while the others are still searched, and Retry finishes the search', async () => {
  // Digits are a refresh task's id and also the shape of an IoTDA batch task id: both are asked.
  await server.admin('POST', '/_mock/faults', { operation: 'iotda:ListExportTasks', error_code: 'IOTDA.000006', http_status: 400 });
  try {
    await page.goto(`${server.url}/?find=${ids.purge}`);
    const problem = page.locator('.find-problem[data-kind="/iotda/exports"]');
    await problem.waitFor();
    assert.match(await problem.innerText(), /IoTDA exports could not be searched\.[\s\S]*IOTDA\.000006/);
    await status().getByText(`${ids.purge} was found in:`).waitFor();
    const match = page.locator('.find-matches a');
    assert.equal(await match.count(), 1);
    assert.match(await match.getAttribute('href'), new RegExp(`^/cdn/purge/${ids.purge}\\?create_time=\\d+$`));
    assert.equal(new URL(page.url()).pathname, '/', 'not opened while a kind that failed might hold another match');
  } finally {
    await server.admin('DELETE', '/_mock/faults');
  }
  await page.locator('.find-problem').getByRole('button', { name: 'Retry' }).click();
  await page.waitForURL((url) => url.pathname === `/cdn/purge/${ids.purge}`);
  assert.deepEqual(pageErrors, []);
});

test('every id shown has one copy button, the one Tab stop of the id, that copies it whole', async () => {
  const origin = new URL(server.url).origin;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const copies = [
    ['/', 'Copy task id'],
    ['/cdn/stats', 'Copy task id'],
    ['/cdn/purge', 'Copy task id'],
    ['/iotda/exports', 'Copy task id'],
    [`/cls/exports?topic=${NGINX}`, 'Copy export id'],
  ];
  for (const [where, label] of copies) {
    await page.goto(server.url + where);
    const row = page.locator(ROWS).first();
    await row.waitFor();
    const button = row.getByRole('button', { name: label, exact: true });
    const value = button.locator('xpath=preceding-sibling::*[1]');
    const shown = (await value.textContent()).trim();
    assert.ok(shown.length > 0 && (await row.getAttribute('data-task-id')).endsWith(shown), `${where}: ${shown} is the row's id`);
    assert.equal(await value.getAttribute('tabindex'), null, `${where}: the id is no Tab stop of its own`);
    await page.evaluate(() => navigator.clipboard.writeText('(not copied yet)'));
    // By keyboard: the button takes focus and Enter copies; "Copied" is said politely.
    await button.focus();
    await page.keyboard.press('Enter');
    await row.locator('.copy-status[role="status"]').getByText('Copied', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown, `${where}: the whole id copied`);
    // The word goes with the focus.
    await page.keyboard.press('Tab');
    assert.equal(await row.locator('.copy-status').first().textContent(), '');
  }

  // The error view's request id (a search's, which stays until asked again).
  await server.admin('POST', '/_mock/faults', { operation: 'iotda:ListExportTasks', error_code: 'IOTDA.000006', http_status: 400 });
  try {
    await page.goto(`${server.url}/?find=${ids.purge}`);
    const error = page.locator('.find-problem .error-view');
    await error.waitFor();
    const requestId = (await error.locator('.error-request-id code').textContent()).trim();
    assert.match(requestId, /^[0-9a-f]{32}$/);
    await error.getByRole('button', { name: 'Copy request id' }).click();
    await error.locator('.copy-status').getByText('Copied', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), requestId);
  } finally {
    await server.admin('DELETE', '/_mock/faults');
  }
  assert.deepEqual(pageErrors, []);
});

test('where the browser refuses the clipboard, the id is selected for Ctrl+C instead', async () => {
  await page.goto(server.url + '/cdn/stats');
  const row = page.locator(ROWS).first();
  await row.waitFor();
  const id = await row.getAttribute('data-task-id');
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await row.getByRole('button', { name: 'Copy task id' }).click();
  await row.locator('.copy-status').getByText('Could not copy (Write permission denied.). The id is selected: press Ctrl+C to copy it.').waitFor();
  assert.equal(await page.evaluate(() => window.getSelection().toString()), id);
  assert.deepEqual(pageErrors, []);
});
