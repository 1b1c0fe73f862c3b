// The proxy chain, end to end: the dashboard served by a server in proxy mode, whose upstream is a
// mock that checks every signature (strict mode). Every call the page makes must reach the mock
// signed with the server's keys, none of which the browser ever sees; a tampered call is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser } from './support.mjs';

// The mock's default strict-mode credentials (crates/server/src/mock/strict.rs): throwaway values.
const HUAWEI_AK = 'SDKTESTAK0000000000';
const HUAWEI_SK = 'sdk-test-secret-key-not-real';
const TENCENT_ID = 'AKIDsdktest0000000000000000000000000';
const TENCENT_KEY = 'sdktestsecretkeynotreal0000000000';

let upstream;
let proxy;
let browser;
let page;
let pageErrors;

before(async () => {
  upstream = await startServer(['--verify-signatures', '--task-duration', '2s', '--fail-rate', '0', '--demo-tasks', '4']);
  const endpoint = upstream.url;
  proxy = await startServer(['--mode', 'proxy'], {
    CLOUD_SDK_AK: HUAWEI_AK,
    CLOUD_SDK_SK: HUAWEI_SK,
    TENCENTCLOUD_SECRET_ID: TENCENT_ID,
    TENCENTCLOUD_SECRET_KEY: TENCENT_KEY,
    EXPORT_DESK_CDN_DOMAIN_ID: 'e2e-account',
    EXPORT_DESK_CDN_ENDPOINT: endpoint,
    EXPORT_DESK_IOTDA_PROJECT_ID: 'e2eproject',
    EXPORT_DESK_IOTDA_REGION: 'cn-north-4',
    EXPORT_DESK_IOTDA_ENDPOINT: endpoint,
    EXPORT_DESK_CLS_REGION: 'ap-guangzhou',
    EXPORT_DESK_CLS_ENDPOINT: endpoint,
  });
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await proxy?.stop();
  await upstream?.stop();
});

test('the dashboard works through the proxy: every call reaches the strict mock signed, and succeeds', async () => {
  await upstream.admin('DELETE', '/_mock/journal');
  await page.goto(proxy.url + '/cdn/stats');
  assert.equal(await page.locator('.server-badge').innerText(), 'Live clouds (proxy)');
  await page.locator('table.task-table tbody tr').first().waitFor();
  assert.equal(await page.locator('table.task-table tbody tr').count(), 4, 'the demo tasks, listed through the proxy');

  await page.fill('#domain_name', 'www.example.com');
  await page.selectOption('#interval', '3600');
  await page.getByRole('button', { name: 'Create export task' }).click();
  const row = page.locator('table.task-table tbody tr.highlight');
  await row.waitFor({ timeout: 15_000 });
  const taskId = await row.getAttribute('data-task-id');
  await upstream.admin('POST', '/_mock/clock/advance', { seconds: 10 });
  await page.locator(`tr[data-task-id="${taskId}"] .badge[data-status="succeeded"]`).waitFor({ timeout: 30_000 });

  const { entries } = await upstream.admin('GET', '/_mock/journal');
  const operations = new Set(entries.map((entry) => entry.operation));
  assert.ok(operations.has('cdn:ListExportTasks') && operations.has('cdn:CreateExportTask'), [...operations].join());
  for (const entry of entries) {
    assert.equal(entry.status, 200, `${entry.operation} answered ${entry.status}`);
    assert.match(entry.headers.authorization, new RegExp(`^SDK-HMAC-SHA256 Access=${HUAWEI_AK}, `));
    assert.match(entry.headers['user-agent'], /^export-desk-proxy\//, 'the proxy signs its own User-Agent, not the browser\'s');
    assert.equal(entry.headers['x-domain-id'], 'e2e-account');
  }
  assert.deepEqual(pageErrors, []);
});

test('the keys never reach the browser, and the mock admin API is not exposed by the proxy', async () => {
  const config = await (await fetch(proxy.url + '/_desk/config')).text();
  for (const secret of [HUAWEI_SK, TENCENT_KEY]) {
    assert.ok(!config.includes(secret), 'no secret in /_desk/config');
    assert.ok(!(await page.content()).includes(secret), 'no secret in the page');
  }
  assert.equal((await fetch(proxy.url + '/_mock/clock')).status, 404);
});

test('a tampered request is refused by the strict mock with the provider\'s auth error', async () => {
  await upstream.admin('DELETE', '/_mock/journal');
  await page.goto(proxy.url + '/cdn/stats');
  await page.locator('table.task-table tbody tr').first().waitFor();
  const { entries } = await upstream.admin('GET', '/_mock/journal');
  const signed = entries.find((entry) => entry.operation === 'cdn:ListExportTasks');
  assert.ok(signed, 'the page listed tasks through the proxy');
  // Replay the proxy's signed request with one query parameter changed: the signature no longer fits.
  const headers = { ...signed.headers };
  for (const name of ['host', 'content-length', 'connection', 'accept-encoding']) delete headers[name];
  const query = signed.query.replace(/limit=\d+/, 'limit=99');
  const replayed = await fetch(`${upstream.url}${signed.path}?${query}`, { headers });
  assert.equal(replayed.status, 401);
  const body = await replayed.json();
  assert.equal(body.error_code, 'APIGW.0301');
  const untouched = await fetch(`${upstream.url}${signed.path}?${signed.query}`, { headers });
  assert.equal(untouched.status, 200, 'the same request unchanged still passes (within the date window)');
});
