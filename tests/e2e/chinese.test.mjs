// Every page in Simplified Chinese, end to end: a browser that asks for zh-CN gets the dashboard in
// Chinese on its first visit, in every state a visitor meets (loaded, a create form's errors, a
// row's delete confirmation, a failing list call, a phone-sized window), with nothing left in
// English but names, codes and data; axe finds nothing serious in Chinese either. The language
// switch in the header changes the words at once, keeps focus, and is remembered; a deployment's
// export-desk.json can set the default.
//
// "Nothing left in English" is read off the page: every visible text node outside code and data
// (ids, URLs, task names, file names, what the cloud itself said) is searched for an English word
// of three letters or more that is not a product name or a technical term both languages use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startStillMock, openBrowser, openCreateForm, purgeTaskPath, everyPage, settled, seriousViolations, TASK_ROWS,
  NGINX_TOPIC, overviewSearchStates, openNotices, bulkStates, BULK_DELETE,
} from './support.mjs';

const NGINX = NGINX_TOPIC;
const ROWS = TASK_ROWS;

let server;
let browser;
let page;
let pageErrors;
let purgeDetailPath;

before(async () => {
  server = await startStillMock();
  ({ browser, page, errors: pageErrors } = await openBrowser({ locale: 'zh-CN' }));
  purgeDetailPath = await purgeTaskPath(page, server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const loaded = (ready) => settled(page, ready);

const pages = () => everyPage(purgeDetailPath);

/** Visible texts of the page still in English: each with where it stands, so a failure says
 * which string to translate. Runs in the page. */
function englishLeftovers() {
  // Names and terms both languages write in Latin letters.
  const KEPT = [
    'Export Desk', 'Huawei Cloud', 'Tencent Cloud', 'CDN', 'IoTDA', 'CLS', 'URL', 'URLs', 'UTC', 'IANA', 'HTTP',
    'HTTPS', 'JSON', 'CSV', 'Excel', 'Lucene', 'CQL', 'CORS', 'curl', 'API', 'SDK', 'ID', 'IDs', 'Query',
    'EXPORT_DESK_ACCESS_TOKEN', 'X-Desk-Token', 'English', 'tar.gz', 'zip', 'xlsx', 'GMT', 'Ctrl', 'KiB', 'MiB',
    'GiB', 'TOP', 'Referer', 'UV', 'UA', 'IP', 'SQL', 'AND', 'OR', 'NOT', 'UUID',
    // Wire values a hint names as they are typed (`all` countries or provinces).
    'all',
  ];
  const keptWords = new RegExp(`(?<![A-Za-z])(?:${KEPT.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![A-Za-z])`, 'g');
  // An API's own names (DescribeExports, ShowHistoryTasks) and wire values in CamelCase are code.
  const API_NAME = /\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b/g;
  // Data and code, shown as the cloud gave them: ids, names, addresses, requests, the cloud's words.
  const DATA = [
    'code', 'pre', 'kbd', 'samp', 'script', 'style', 'noscript', 'datalist', '[lang]:not(html)', 'a.task-name',
    '.task-name', '.task-id', '.long-text', '.request-preview-text', '.error-provider-message', '.provider-message',
    '.cls-topic-id', '.url-cell', '.col-url', '.file-name', '.col-name .muted', '.error-message',
    // Why a URL failed, in the cloud's own words (its class beside it is the dashboard's, translated).
    '.fail-desc',
    // What the reader typed, quoted back.
    '.topic-search-term',
  ].join(',');
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element) continue;
    // An option of a closed select is never "visible", but its words are read as soon as it opens.
    const shown = element.closest('option') ? element.closest('select')?.checkVisibility?.() : element.checkVisibility?.();
    if (element.closest(DATA) || !shown) continue;
    let text = node.textContent.replace(API_NAME, ' ').replace(keptWords, ' ');
    // Addresses, file and path names, domains, ids, times and sizes are data too.
    text = text.replace(/\bhttps?:\/\/\S+/g, ' ').replace(/\S*[/._@:-]\S*/g, ' ').replace(/\S*[0-9]\S*/g, ' ');
    if (/[A-Za-z]{3,}/.test(text)) found.push(`${element.tagName.toLowerCase()}.${element.className}: ${node.textContent.trim()}`);
  }
  for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [data-label], [aria-valuetext]')) {
    if (element.closest(DATA)) continue;
    for (const attribute of ['aria-label', 'title', 'data-label', 'placeholder', 'aria-valuetext']) {
      let text = element.getAttribute(attribute)?.replace(API_NAME, ' ').replace(keptWords, ' ');
      if (!text) continue;
      text = text.replace(/\bhttps?:\/\/\S+/g, ' ').replace(/\S*[/._@:-]\S*/g, ' ');
      // A task id in a button's name ("关注任务 {id}") is data: hexadecimal, with a digit.
      text = text.replace(/\b(?=[0-9a-f]*[0-9])[0-9a-f]{8,}\b/gi, ' ');
      if (/[A-Za-z]{3,}/.test(text)) found.push(`${element.tagName.toLowerCase()}[${attribute}]: ${element.getAttribute(attribute)}`);
    }
  }
  return [...new Set(found)];
}

const serious = () => seriousViolations(page);

/** What each state got wrong, gathered so one page does not hide the next. */
function findings() {
  const found = [];
  return {
    async check(what) {
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN', `${what}: <html lang>`);
      for (const text of await page.evaluate(englishLeftovers)) found.push(`${what}: English text: ${text}`);
      for (const v of await serious()) found.push(`${what}: axe ${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target).join(' | ')}`);
    },
    assertNone() {
      assert.equal(found.length, 0, `in Chinese:\n${found.join('\n')}`);
    },
  };
}

test('a browser that asks for Chinese gets every page, loaded, in Chinese', async () => {
  const check = findings();
  for (const { name, path, ready } of pages()) {
    await page.goto(server.url + path);
    await loaded(ready);
    await check.check(`${name} (loaded)`);
  }
  check.assertNone();
  // Tencent is asked for its messages in Chinese too.
  const describe = page.waitForRequest((request) => request.headers()['x-tc-action'] === 'DescribeExports');
  await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
  assert.equal((await describe).headers()['x-tc-language'], 'zh-CN');
  // Spot checks that the words are the catalogue's, not merely absent.
  await page.goto(server.url + '/');
  await loaded(ROWS);
  assert.equal(await page.locator('h1').innerText(), '总览');
  assert.equal(await page.locator('a.settings-link').innerText(), '设置');
  assert.deepEqual(pageErrors, []);
});

test('create forms, submitted empty, say what is wrong in Chinese', async () => {
  const check = findings();
  for (const { name, path, ready } of pages().filter((p) => p.form)) {
    await page.goto(server.url + path);
    await loaded(ready);
    await openCreateForm(page);
    const form = page.locator('.create-form');
    for (const box of await form.locator('textarea, input:not([type=radio]):not([type=checkbox]):not([type=hidden])').all()) {
      if ((await box.isVisible()) && (await box.isEditable())) await box.fill('');
    }
    await form.locator('button[type=submit]').click();
    await form.locator('[aria-invalid="true"]').first().waitFor();
    const preview = page.locator('details.request-preview');
    if ((await preview.count()) && (await preview.getAttribute('open')) === null) await preview.locator('summary').click();
    await check.check(`${name} (form errors)`);
    const message = await form.locator('.field-error').filter({ hasText: /\S/ }).first().innerText();
    assert.match(message, /[\u4e00-\u9fff]/, `${name}: a field's message is Chinese: ${message}`);
  }
  check.assertNone();
});

test('a delete confirmation and a failing list call are in Chinese', async () => {
  const check = findings();
  for (const { name, path, ready } of pages().filter((p) => p.remove)) {
    await page.goto(server.url + path);
    await loaded(ready);
    await page.locator(ROWS).getByRole('button', { name: /^删除/ }).first().click();
    await page.locator(`${ROWS} [role="group"]`).waitFor();
    await check.check(`${name} (delete confirmation)`);
  }
  for (const { name, path, list } of pages().filter((p) => p.list)) {
    await server.admin('POST', '/_mock/faults', { operation: list, error_code: 'InternalError', error_msg: 'Down for the Chinese test' });
    try {
      await page.goto(server.url + path);
      await page.locator('main .error-view').first().waitFor();
      await check.check(`${name} (list call failing)`);
      // The cloud's own words are shown as they came, beside the dashboard's.
      assert.match(await page.locator('main .error-view').first().innerText(), /Down for the Chinese test/);
    } finally {
      await server.admin('DELETE', `/_mock/faults/${list}`);
    }
  }
  check.assertNone();
});

test('several rows at once in Chinese: asked, running, refused per row', async () => {
  const check = findings();
  for (const { name, path, ready } of pages().filter((p) => BULK_DELETE[p.name])) {
    for (const state of bulkStates(server)) {
      await page.goto(server.url + path);
      await loaded(ready);
      await state.open(page, BULK_DELETE[name]);
      await check.check(`${name} (${state.name})`);
      await state.close?.(page, BULK_DELETE[name]);
    }
  }
  check.assertNone();
});

test('the CLS topic picker in Chinese: found, none found, and DescribeTopics failing', async () => {
  const check = findings();
  await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
  await loaded(ROWS);
  await page.getByRole('status').filter({ hasText: '共 4 个日志主题' }).waitFor();
  await check.check('CLS exports (topics listed)');
  await page.fill('#topic-search', 'no such topic');
  await page.press('#topic-search', 'Enter');
  await page.getByRole('status').filter({ hasText: '没有与“no such topic”匹配的日志主题。' }).waitFor();
  await check.check('CLS exports (no topic matches)');
  await server.admin('POST', '/_mock/faults', { operation: 'cls:DescribeTopics', error_code: 'InternalError', error_msg: 'Down for the Chinese test' });
  try {
    await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
    await page.locator('.topics-error .error-view').waitFor();
    await check.check('CLS exports (DescribeTopics failing)');
  } finally {
    await server.admin('DELETE', '/_mock/faults/cls:DescribeTopics');
  }
  check.assertNone();
});

test('the Overview’s search and a copied id are in Chinese', async () => {
  const check = findings();
  const purgeId = purgeDetailPath.split('?')[0].split('/').pop();
  for (const state of overviewSearchStates(server, purgeId)) {
    await state.open(page);
    await check.check(state.name);
  }
  check.assertNone();
  assert.match(await page.locator('table.task-table .copy-status:not(:empty)').first().innerText(), /^已复制$/);
  assert.deepEqual(pageErrors, []);
});

test('the notices of watched tasks, the running count and the notifications setting are in Chinese', async () => {
  const check = findings();
  await openNotices(page, server);
  await check.check('Notices');
  assert.match(await page.locator('.notice[data-status="failed"] .notice-text').innerText(), /^CDN 统计导出任务“.+”已失败。$/);
  assert.equal(await page.locator('.notice[data-status="succeeded"] .notice-open').innerText(), '查看任务');
  // A running task watched from the Overview: its toggle and the header's count.
  await page.goto(server.url + '/');
  await loaded(ROWS);
  await page.locator(`${ROWS} .watch-toggle`).first().click();
  await page.locator('.running-indicator').waitFor();
  assert.equal(await page.locator('.running-indicator').innerText(), '1 个运行中');
  assert.equal(await page.locator(`${ROWS} .watch-toggle`).first().innerText(), '取消关注');
  await check.check('Overview (a task watched)');
  await page.locator(`${ROWS} .watch-toggle`).first().click();
  await page.locator('.running-indicator').waitFor({ state: 'detached' });
  check.assertNone();
  assert.deepEqual(pageErrors, []);
});

test('every page fits a phone in Chinese', async () => {
  const check = findings();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    for (const { name, path, ready } of pages()) {
      await page.goto(server.url + path);
      await loaded(ready);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${name}: the page is ${width} px wide at 390 px`);
      await check.check(`${name} (390 px)`);
    }
  } finally {
    await page.setViewportSize({ width: 1300, height: 1000 });
  }
  check.assertNone();
});

test('the header switch changes the language at once, keeps focus, and is remembered', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const tab = await context.newPage();
  try {
    await tab.goto(`${server.url}/cdn/stats?status=processing`);
    await tab.locator(ROWS).first().waitFor();
    assert.equal(await tab.locator('h1').innerText(), 'CDN 统计导出');
    const address = tab.url();
    await tab.locator('#language-switch').selectOption('en');
    await tab.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await tab.locator('h1').innerText(), 'CDN statistics exports');
    assert.equal(tab.url(), address, 'the page and its filters stay');
    assert.equal(await tab.evaluate(() => document.activeElement?.id), 'language-switch', 'focus stays on the switch');
    await tab.reload();
    await tab.locator(ROWS).first().waitFor();
    assert.equal(await tab.evaluate(() => document.documentElement.lang), 'en', 'the choice outlives a reload');
    assert.equal(await tab.locator('#language-switch').inputValue(), 'en');
    // And back, by keyboard.
    await tab.locator('#language-switch').focus();
    await tab.locator('#language-switch').selectOption('zh-CN');
    await tab.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.equal(await tab.locator('a.settings-link').innerText(), '设置');
    // A draft being typed goes across: the form is rebuilt in the new words with what was typed.
    await tab.goto(`${server.url}/cdn/purge?new=1`);
    await tab.locator('#urls').fill('https://www.example.com/a.png');
    await tab.locator('#language-switch').selectOption('en');
    await tab.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await tab.locator('#urls').inputValue(), 'https://www.example.com/a.png');
  } finally {
    await context.close();
  }
});

test("a deployment's export-desk.json sets the language a browser starts in", async () => {
  // A browser that asks for English, on a deployment for Chinese-reading operators.
  const context = await browser.newContext({ locale: 'en-US' });
  const tab = await context.newPage();
  try {
    await tab.route('**/export-desk.json', (route) => route.fulfill({ json: { language: 'zh-CN' } }));
    await tab.goto(`${server.url}/settings`);
    await tab.locator('form.task-form').waitFor();
    assert.equal(await tab.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.match(await tab.locator('#deploy-file').innerText(), /语言 简体中文/);
    // The user's own choice wins over the deployment's.
    await tab.locator('#language-switch').selectOption('en');
    await tab.waitForFunction(() => document.documentElement.lang === 'en');
    await tab.reload();
    await tab.locator('form.task-form').waitFor();
    assert.equal(await tab.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await tab.locator('#language-in-force').innerText(), 'English');
  } finally {
    await context.close();
  }
});

// Last: it moves the mock's clock, which finishes the tasks the tests above look at unfinished.
test('redo and "Create again" speak Chinese: a filled form, a task\'s redo, its outcome and its failure', async () => {
  const check = findings();
  const urls = Array.from({ length: 20 }, (_, i) => `https://www.example.com/zh/${i}.js`);
  const { refresh_task: id } = await server.cloud('POST', '/v1.0/cdn/content/refresh-tasks', { refresh_task: { type: 'file', urls } });
  await server.admin('POST', '/_mock/clock/advance', { seconds: 400 });

  await page.goto(`${server.url}/cls/exports?topic=${NGINX}`);
  await loaded(ROWS);
  await openCreateForm(page);
  await page.fill('#export-query', 'typed before');
  await page.locator(ROWS).locator('.create-again').first().click();
  await page.locator('.form-filled button.restore-draft').waitFor();
  assert.match(await page.locator('.form-filled').innerText(), /^已按任务 .+ 填写表单，请检查后创建。/);
  assert.match(await page.locator(ROWS).locator('.create-again').first().getAttribute('aria-label'), /^按任务 .+ 再次创建$/);
  await check.check('CLS exports (filled by Create again)');
  await page.locator('.form-filled button.restore-draft').click();
  await page.locator('.form-filled', { hasText: '之前输入的内容已恢复。' }).waitFor();

  await page.goto(`${server.url}/cdn/purge/${id}`);
  await loaded(ROWS);
  const redo = page.locator('.redo-failed');
  assert.match(await redo.innerText(), /^重新刷新失败的 \d+ 个 URL$/);
  await check.check('Refresh/preheat task (finished with failed URLs)');
  await server.admin('POST', '/_mock/faults', { operation: 'cdn:CreateRefreshTasks', error_code: 'CDN.0002', times: 1 });
  await redo.click();
  await page.locator('.task-actions ~ .error-view').waitFor();
  await check.check('Refresh/preheat task (redo failing)');
  await page.locator('.task-actions ~ .error-view').getByRole('button', { name: '重试' }).click();
  await page.locator('.redo-status a').waitFor();
  assert.match(await page.locator('.redo-status').innerText(), /^已创建任务 \S+，包含 \d+ 个失败的 URL。$/);
  await check.check('Refresh/preheat task (redo done)');
  await page.locator('.create-again').click();
  await page.locator('.form-filled', { hasText: `已按任务 ${id} 填写表单` }).waitFor();
  await check.check('Refresh and preheat (filled from a task)');
  check.assertNone();
  assert.deepEqual(pageErrors, []);
});

test("a list's CSV export, running, failed and saved, is in Chinese", async () => {
  const check = findings();
  for (const { name, path, ready, list } of pages().filter((p) => p.list)) {
    await page.goto(server.url + path);
    await loaded(ready);
    assert.equal(await page.locator('.list-export-download').innerText(), '下载列表（CSV）');
    await server.admin('POST', '/_mock/faults', { operation: list, latency_ms: 600000 });
    try {
      await page.locator('.list-export-download').click();
      await page.locator('.list-export [role=progressbar]').waitFor();
      await check.check(`${name} (CSV export running)`);
      await page.locator('.list-export-cancel').click();
      await page.locator('.list-export-cancelled').waitFor();
      await check.check(`${name} (CSV export cancelled)`);
      await server.admin('POST', '/_mock/faults', { operation: list, error_code: 'InternalError', error_msg: 'Down for the Chinese test' });
      await page.locator('.list-export-download').click();
      await page.locator('.list-export .error-view').waitFor();
      await check.check(`${name} (CSV export failed)`);
    } finally {
      await server.admin('DELETE', `/_mock/faults/${list}`);
    }
    const [saved] = await Promise.all([page.waitForEvent('download'), page.locator('.list-export .error-view button:not(.copy-button)').click()]);
    await page.locator('.list-export-saved').waitFor();
    await check.check(`${name} (CSV export saved)`);
    // The file's headers are in the reader's language too.
    const text = (await import('node:fs/promises')).readFile(await saved.path(), 'utf8');
    assert.match((await text).split('\r\n')[0], /[\u4e00-\u9fff]/, `${name}: the file's header is Chinese`);
  }
  check.assertNone();
});
