// The proxy chain, end to end: the dashboard served by a server in proxy mode, whose upstream is a
// mock that checks every signature (strict mode). Every page's calls must reach the mock signed
// with the server's keys, none of which the browser ever sees, and succeed; a tampered call is
// refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, openBrowser, localInput, openCreateForm } from './support.mjs';

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
let configDir;
/** The mock's open CLS topics, offered by the proxy through its config file. */
let topics;

/** The proxy's environment in front of `upstream`: the endpoints, the account settings, and the
 * keys of the providers named in `keys` (`huawei`, `tencent`). */
function proxyEnv(project, keys = ['huawei', 'tencent']) {
  const endpoint = upstream.url;
  return {
    ...(keys.includes('huawei') ? { CLOUD_SDK_AK: HUAWEI_AK, CLOUD_SDK_SK: HUAWEI_SK } : {}),
    ...(keys.includes('tencent') ? { TENCENTCLOUD_SECRET_ID: TENCENT_ID, TENCENTCLOUD_SECRET_KEY: TENCENT_KEY } : {}),
    EXPORT_DESK_CDN_DOMAIN_ID: 'e2e-account',
    EXPORT_DESK_CDN_ENDPOINT: endpoint,
    EXPORT_DESK_IOTDA_PROJECT_ID: project,
    EXPORT_DESK_IOTDA_REGION: 'cn-north-4',
    EXPORT_DESK_IOTDA_ENDPOINT: endpoint,
    EXPORT_DESK_CLS_REGION: 'ap-guangzhou',
    EXPORT_DESK_CLS_ENDPOINT: endpoint,
  };
}

let iotdaProject;
let configFile;

before(async () => {
  // Tasks run 300 s of mock time: the newest demo tasks stay unfinished until a test moves the clock.
  upstream = await startServer(['--verify-signatures', '--task-duration', '300s', '--fail-rate', '0', '--demo-tasks', '4', '--seed', '7']);
  const upstreamDesk = await (await fetch(upstream.url + '/_desk/config')).json();
  // The mock's demo IoTDA tasks live in its own project; the proxy is configured for that one.
  iotdaProject = upstreamDesk.providers.iotda_project.project_id;
  topics = upstreamDesk.providers.cls_topics.filter((topic) => !topic.closed);
  assert.ok(topics.length > 0, 'the mock names open CLS topics');
  // The topics come from the proxy's TOML file (there is no environment variable for them).
  configDir = await mkdtemp(path.join(tmpdir(), 'desk-proxy-chain-'));
  configFile = path.join(configDir, 'desk.toml');
  const entries = topics.map((topic) => `{ id = ${JSON.stringify(topic.id)}, name = ${JSON.stringify(topic.name)} }`);
  await writeFile(configFile, `[cls]\ntopics = [${entries.join(', ')}]\n`);
  proxy = await startServer(['--mode', 'proxy', '--config', configFile], proxyEnv(iotdaProject));
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await proxy?.stop();
  await upstream?.stop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

/** No page shows an error: every call it made through the proxy succeeded. */
async function noErrorShown() {
  await page.waitForLoadState('networkidle');
  assert.equal(await page.locator('.error-view').count(), 0, await page.locator('.error-view').allInnerTexts().then((t) => t.join(' | ')));
}

test('the overview lists the running tasks of every kind through the proxy', async () => {
  await page.goto(proxy.url + '/');
  assert.equal(await page.locator('.server-badge').innerText(), 'Live clouds (proxy)');
  await page.locator('table.task-table tbody tr:not([aria-hidden])').first().waitFor();
  const kinds = ['CDN statistics export', 'CDN refresh/preheat', 'IoTDA export', 'CLS log export'];
  await page.waitForFunction((wanted) => {
    const shown = new Set([...document.querySelectorAll('.overview-kind')].map((kind) => kind.textContent));
    return wanted.every((kind) => shown.has(kind));
  }, kinds, { timeout: 15_000 });
  assert.equal(await page.locator('.overview-problem, .overview-off').count(), 0, 'every kind listed, none failed or off');
  await noErrorShown();
});

test('CDN statistics: the demo tasks list, and a created task runs and succeeds', async () => {
  await page.goto(proxy.url + '/cdn/stats');
  await page.locator('table.task-table tbody tr').first().waitFor();
  assert.equal(await page.locator('table.task-table tbody tr').count(), 4, 'the demo tasks, listed through the proxy');

  await openCreateForm(page);
  await page.fill('#domain_name', 'www.example.com');
  await page.selectOption('#interval', '3600');
  await page.getByRole('button', { name: 'Create export task' }).click();
  const row = page.locator('table.task-table tbody tr.highlight');
  await row.waitFor({ timeout: 15_000 });
  const taskId = await row.getAttribute('data-task-id');
  await upstream.admin('POST', '/_mock/clock/advance', { seconds: 400 });
  await page.locator(`tr[data-task-id="${taskId}"] .badge[data-status="succeeded"]`).waitFor({ timeout: 30_000 });
  await noErrorShown();
});

test('CDN refresh and preheat: the history lists, a refresh is created and its detail opens', async () => {
  await page.goto(proxy.url + '/cdn/purge');
  await page.locator('table.task-table tbody tr[aria-rowindex]').first().waitFor();
  const urls = ['https://www.example.com/chain/a.js', 'https://www.example.com/chain/b.js'];
  await openCreateForm(page);
  await page.fill('#urls', urls.join('\n'));
  await page.getByRole('button', { name: 'Create refresh task' }).click();
  const row = page.locator('table.task-table tbody tr.highlight');
  await row.waitFor({ timeout: 15_000 });
  const taskId = await row.getAttribute('data-task-id');
  assert.match(await page.locator('.form-status').innerText(), new RegExp(`Task ${taskId} created`));
  await row.locator('a.task-link').click();
  await page.waitForURL((url) => url.pathname === `/cdn/purge/${taskId}`);
  await page.locator('.task-summary').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table.task-table tbody tr[aria-rowindex]').length === 2);
  const shown = await page.locator('table.task-table tbody tr[aria-rowindex]').allInnerTexts();
  for (const url of urls) assert.ok(shown.some((text) => text.includes(url)), `${url} among ${shown.join(' | ')}`);
  await noErrorShown();
});

test('IoTDA: a created task finishes when the upstream clock moves, and its zip downloads through the proxy', async () => {
  await page.goto(proxy.url + '/iotda/exports');
  const rows = page.locator('table.task-table tbody tr:not(.spacer)');
  await rows.first().waitFor();
  await openCreateForm(page);
  await page.fill('#batch_task_id', '0c0ffee0');
  await page.getByRole('button', { name: 'Create export task' }).click();
  await page.waitForFunction(() => document.querySelector('.create-form .form-status')?.textContent.startsWith('Task ')
    && document.querySelector('tr.highlight .iotda-batch')?.textContent === '0c0ffee0');
  const id = (await page.locator('.create-form .form-status').innerText()).match(/Task ([0-9a-f]{24})/)[1];
  const row = page.locator(`table.task-table tr[data-task-id="${id}"]`);
  await upstream.admin('POST', '/_mock/clock/advance', { seconds: 400 });
  await row.locator('.badge[data-status="succeeded"]').waitFor({ timeout: 15_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('button.download').click()]);
  assert.equal(download.suggestedFilename(), `${id}.zip`);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.toString('latin1', 0, 2), 'PK', 'the zip the mock made, relayed by the proxy');
  await noErrorShown();
});

test('CLS: the configured topics are offered first, the account\'s others after them; an export is created, listed and deleted', async () => {
  await page.goto(proxy.url + '/cls/exports');
  // The account's closed topic is not configured: it comes from DescribeTopics, signed by the proxy.
  await page.waitForFunction(() => document.querySelectorAll('#topic-select .topic-account option').length === 1);
  const options = await page.locator('#topic-select .topic-favourites option').allInnerTexts();
  assert.deepEqual(options, topics.map((topic) => topic.name), 'the topics of the proxy\'s config file');
  assert.deepEqual(await page.locator('#topic-select .topic-account option').allInnerTexts(), ['legacy-archive (closed)']);
  const topic = topics[0].id;
  await page.selectOption('#topic-select', topic);
  await page.waitForURL((url) => url.searchParams.get('topic') === topic);
  await page.waitForFunction(() => document.querySelector('.tasks .loading') === null);

  const to = new Date();
  to.setSeconds(0, 0);
  to.setTime(to.getTime() - 3600_000);
  const from = new Date(to.getTime() - 3600_000);
  await openCreateForm(page);
  await page.fill('#export-query', 'status:200');
  await page.fill('#export-from', localInput(from));
  await page.fill('#export-to', localInput(to));
  await page.fill('#export-count', '25');
  await page.getByRole('button', { name: 'Create export' }).click();
  await page.waitForFunction(() => /Export export-[0-9a-f-]+ created/.test(document.querySelector('.create-form .form-status')?.textContent));
  const createdId = (await page.locator('.create-form .form-status').innerText()).match(/export-[0-9a-f-]+/)[0];
  const row = page.locator(`tr[data-task-id="${createdId}"]`);
  await row.waitFor();
  assert.match(await row.locator('.cls-shape').innerText(), /25 logs/);

  await row.locator('.confirm-trigger').click();
  await row.locator('.confirm-yes').click();
  await page.getByText(`Export ${createdId} deleted.`).waitFor();
  await row.waitFor({ state: 'detached' });
  await noErrorShown();
});

test('Settings works in proxy mode', async () => {
  await page.goto(proxy.url + '/settings');
  await page.locator('#backend-in-force').waitFor();
  assert.equal(await page.locator('#backend-in-force').innerText(), "This page's own origin");
  await noErrorShown();
});

test('every call of every page reached the strict mock signed with the server\'s keys, and was answered 2xx', async () => {
  const { entries } = await upstream.admin('GET', '/_mock/journal');
  const operations = new Set(entries.map((entry) => entry.operation));
  for (const operation of ['cdn:ListExportTasks', 'cdn:CreateExportTask', 'cdn:ShowHistoryTasks', 'cdn:CreateRefreshTasks',
    'cdn:ShowHistoryTaskDetails', 'iotda:ListExportTasks', 'iotda:CreateExportTask', 'iotda:ShowExportTask',
    'cls:DescribeExports', 'cls:CreateExport', 'cls:DeleteExport']) {
    assert.ok(operations.has(operation), `${operation} among ${[...operations].join()}`);
  }
  for (const entry of entries) {
    assert.ok(entry.status >= 200 && entry.status < 300, `${entry.operation} answered ${entry.status}`);
    assert.match(entry.headers['user-agent'], /^export-desk-proxy\//, 'the proxy signs its own User-Agent, not the browser\'s');
    if (entry.operation.startsWith('cls:')) {
      assert.match(entry.headers.authorization, new RegExp(`^TC3-HMAC-SHA256 Credential=${TENCENT_ID}/`));
      assert.equal(entry.headers['x-tc-region'], 'ap-guangzhou');
    } else {
      assert.match(entry.headers.authorization, new RegExp(`^SDK-HMAC-SHA256 Access=${HUAWEI_AK}, `));
    }
    if (entry.operation.startsWith('cdn:')) assert.equal(entry.headers['x-domain-id'], 'e2e-account');
    if (entry.operation.startsWith('iotda:')) assert.equal(entry.headers['x-project-id'], iotdaProject);
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

/** Starts a second proxy in front of the same strict mock, runs `body` with it, and stops it. */
async function withProxy(env, body) {
  const other = await startServer(['--mode', 'proxy', '--config', configFile], env);
  try {
    await page.goto('about:blank');
    await upstream.admin('DELETE', '/_mock/journal');
    await body(other);
  } finally {
    await other.stop();
  }
}

/** The operations the upstream mock was called with since the journal was last cleared. */
async function upstreamOperations() {
  const { entries } = await upstream.admin('GET', '/_mock/journal');
  return entries.map((entry) => entry.operation);
}

/** The page at `path` shows the server's reason for not offering the provider, and no error. */
async function explainsOff(url, provider, reason) {
  await page.goto(url);
  const off = page.locator('.provider-off');
  await off.waitFor();
  const text = await off.innerText();
  assert.ok(text.includes(`${provider} is not offered by this Export Desk server`) && text.includes(reason), text);
  assert.equal(await page.locator('.create-form, table.task-table, .error-view').count(), 0, `${url}: no form, no table, no error`);
}

test('a proxy with only the Huawei keys explains that CLS is not offered, and serves the rest', async () => {
  await withProxy(proxyEnv(iotdaProject, ['huawei']), async (huaweiOnly) => {
    const { providers } = await (await fetch(huaweiOnly.url + '/_desk/config')).json();
    assert.equal(providers.cls.enabled, false);
    const reason = providers.cls.reason;
    assert.match(reason, /no Tencent Cloud credentials/);

    await explainsOff(`${huaweiOnly.url}/cls/exports?topic=${topics[0].id}`, 'Tencent Cloud CLS', reason);
    assert.equal(await page.locator('h1').innerText(), 'CLS log exports');
    const link = page.locator('.app-nav a[href="/cls/exports"]');
    assert.equal(await link.getAttribute('title'), `Not offered by this server: ${reason}`);
    assert.equal(await page.locator('.app-nav a[data-off]').count(), 1, 'only CLS is marked in the nav');

    await page.goto(huaweiOnly.url + '/');
    const off = page.locator('.overview-off[data-kind="/cls/exports"]');
    await off.waitFor();
    assert.ok((await off.innerText()).includes(reason));
    await page.waitForFunction(() => document.querySelectorAll('.overview-kind').length > 0);
    assert.equal(await page.locator('.overview-problem').count(), 0, 'the Huawei kinds still list');

    for (const path of ['/cdn/stats', '/cdn/purge', '/iotda/exports']) {
      await page.goto(huaweiOnly.url + path);
      await page.locator('table.task-table tbody tr').first().waitFor();
      assert.equal(await page.locator('.provider-off, .error-view').count(), 0, path);
    }
    const operations = await upstreamOperations();
    assert.ok(operations.some((op) => op.startsWith('cdn:')) && operations.some((op) => op.startsWith('iotda:')));
    assert.deepEqual(operations.filter((op) => op.startsWith('cls:')), [], 'no CLS call was even attempted upstream');
  });
});

test('a proxy with only the Tencent keys explains that CDN and IoTDA are not offered, and serves CLS', async () => {
  await withProxy(proxyEnv(iotdaProject, ['tencent']), async (tencentOnly) => {
    const { providers } = await (await fetch(tencentOnly.url + '/_desk/config')).json();
    assert.equal(providers.cdn_stats.enabled, false);
    assert.equal(providers.iotda.enabled, false);
    const reason = providers.cdn_stats.reason;
    assert.match(reason, /no Huawei Cloud credentials/);

    await explainsOff(tencentOnly.url + '/cdn/stats', 'Huawei Cloud CDN', reason);
    await explainsOff(tencentOnly.url + '/cdn/purge', 'Huawei Cloud CDN', reason);
    await explainsOff(tencentOnly.url + '/cdn/purge/0123456789abcdef', 'Huawei Cloud CDN', reason);
    assert.equal(await page.locator('.app-nav a[data-off]').count(), 3, 'both CDN pages and IoTDA are marked');
    await page.goto(tencentOnly.url + '/iotda/exports');
    const iotda = page.locator('.iotda-unavailable');
    await iotda.waitFor();
    assert.ok((await iotda.innerText()).includes(providers.iotda.reason));
    assert.equal(await page.locator('.create-form, .error-view').count(), 0);

    await page.goto(tencentOnly.url + '/');
    for (const kind of ['/cdn/stats', '/cdn/purge', '/iotda/exports']) {
      const off = page.locator(`.overview-off[data-kind="${kind}"]`);
      await off.waitFor();
      assert.ok((await off.innerText()).includes('no Huawei Cloud credentials'), kind);
    }
    assert.equal(await page.locator('.overview-problem').count(), 0);

    await page.goto(`${tencentOnly.url}/cls/exports?topic=${topics[0].id}`);
    await page.waitForFunction(() => document.querySelector('.tasks .loading') === null
      && /Updated/.test(document.querySelector('.tasks .refresh-status')?.textContent ?? ''));
    assert.equal(await page.locator('.provider-off, .error-view').count(), 0);
    const operations = await upstreamOperations();
    assert.ok(operations.includes('cls:DescribeExports'));
    assert.deepEqual(operations.filter((op) => !op.startsWith('cls:')), [], 'no Huawei call was even attempted upstream');
  });
});

test('a proxy with an access token refuses the dashboard until the token is entered in Settings', async () => {
  const token = 'e2e-desk-access-token-0123456789';
  await withProxy({ ...proxyEnv(iotdaProject), EXPORT_DESK_ACCESS_TOKEN: token }, async (guarded) => {
    const refused = async (path, code) => {
      await page.goto(guarded.url + path);
      const error = page.locator('.error-view').first();
      await error.waitFor();
      assert.equal(await error.locator('.error-code').innerText(), code, path);
      assert.match(await error.locator('.error-message').innerText(), /access token in the X-Desk-Token header/);
    };
    await refused('/cdn/stats', 'PROXY.0401');
    await refused(`/cls/exports?topic=${topics[0].id}`, 'UnauthorizedOperation');

    const save = async (value) => {
      await page.goto(guarded.url + '/settings');
      assert.equal(await page.locator('#access_token').getAttribute('type'), 'password', 'the token is masked');
      await page.fill('#access_token', value);
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save settings' }).click()]);
    };
    await save('not-the-right-token-000000');
    assert.equal(await page.locator('#token-in-force').innerText(), 'Set in this browser, sent with every call');
    await refused('/iotda/exports', 'PROXY.0401');
    assert.deepEqual(await upstreamOperations(), [], 'nothing refused reached the cloud');

    await save(` ${token} `);
    const sent = [];
    page.on('request', (request) => sent.push(request.headers()['x-desk-token']));
    await page.goto(guarded.url + '/');
    await page.waitForFunction(() => document.querySelectorAll('.overview-kind').length > 0);
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('.overview-problem, .overview-off, .error-view').count(), 0);
    for (const path of ['/cdn/stats', '/cdn/purge', '/iotda/exports']) {
      await page.goto(guarded.url + path);
      await page.locator('table.task-table tbody tr').first().waitFor();
      assert.equal(await page.locator('.error-view').count(), 0, path);
    }
    await page.goto(`${guarded.url}/cls/exports?topic=${topics[0].id}`);
    await page.waitForFunction(() => /Updated/.test(document.querySelector('.tasks .refresh-status')?.textContent ?? ''));
    assert.equal(await page.locator('.error-view').count(), 0);
    page.removeAllListeners('request');
    assert.ok(sent.includes(token), 'the token went out, trimmed');
    const operations = new Set(await upstreamOperations());
    for (const op of ['cdn:ListExportTasks', 'cdn:ShowHistoryTasks', 'iotda:ListExportTasks', 'cls:DescribeExports']) {
      assert.ok(operations.has(op), `${op} forwarded once the token was given`);
    }

    // Cleared, the proxy refuses again.
    await save('');
    assert.equal(await page.locator('#token-in-force').innerText(), 'None');
    await refused('/cdn/stats', 'PROXY.0401');
  });
  assert.deepEqual(pageErrors, []);
});
