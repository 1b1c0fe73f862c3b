// Watched tasks, end to end (issue 13, point 1): a task created through a form, or watched from the
// Overview, raises a notice on whatever page is shown when it succeeds or fails (with its link and
// its file); the tab's title and the header count the watched tasks running; the watch list
// survives a reload; browser notifications come only after a click, and a hidden tab asks the cloud
// only with them on, at the gentle rate. Real server (mock mode), real browser. Tasks finish when
// the test moves the mock's clock (they run 300 s of mock time on a clock at a thousandth of real
// speed), and the hidden tab's cadence runs on the browser's clock under playwright's control:
// nothing waits for time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, openBrowser, openCreateForm, TASK_ROWS, watchKey, watchText, watchedIn, watchedWithScope } from './support.mjs';

let server;
let failing;
let browser;
let page;
let pageErrors;

const still = async (failRate) => {
  const started = await startServer(['--task-duration', '300s', '--fail-rate', String(failRate), '--demo-tasks', '4', '--seed', '7']);
  await started.admin('PUT', '/_mock/clock/speed', { speed: 0.001 });
  return started;
};
const finishAll = (mock) => mock.admin('POST', '/_mock/clock/advance', { seconds: 400 });

before(async () => {
  server = await still(0);
  failing = await still(1);
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await failing?.stop();
});

const title = () => page.title();
const indicator = () => page.locator('.running-indicator');

/** Creates a CDN statistics export through the form on `tab` and resolves to the new task's id,
 * as the page marks it. */
async function createStatsExport(base, tab = page) {
  await tab.goto(`${base}/cdn/stats`);
  await openCreateForm(tab);
  await tab.fill('#domain_name', 'a.example.com');
  await tab.getByRole('button', { name: 'Create export task' }).click();
  const row = tab.locator(`${TASK_ROWS}.highlight`);
  await row.waitFor();
  return row.getAttribute('data-task-id');
}

test('a task created through the form raises a notice with its link and file on another page', async () => {
  const id = await createStatsExport(server.url);
  await page.waitForFunction(() => document.title === '(1) Export Desk');
  assert.equal(await indicator().innerText(), '1 running');
  assert.equal(await indicator().getAttribute('aria-label'), '1 running: watched tasks not finished yet. Open the Overview');
  assert.equal(await indicator().getAttribute('href'), '/');
  // Elsewhere in the dashboard (an in-app move, no reload).
  await page.locator('.settings-link').click();
  await page.waitForURL(/\/settings$/);
  await finishAll(server);
  const notice = page.locator(`.notice[data-task-id="${id}"]`);
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-status'), 'succeeded');
  assert.match(await notice.locator('.notice-text').innerText(), /^CDN statistics export “reports_detail_flux_.+” succeeded\.$/);
  assert.match(await page.locator('.notices [role=status]').innerText(), /succeeded\.\s*$/, 'said to screen readers');
  assert.match(await notice.locator('a.download').getAttribute('href'), /^http:\/\/.+\/_mock\/files\//);
  await page.waitForFunction(() => document.title === 'Export Desk');
  assert.equal(await indicator().count(), 0, 'nothing running: no indicator');
  // The notice stays (no time limit) until dismissed; its link opens the task, marked.
  await notice.getByRole('link', { name: 'Open the task' }).click();
  await page.waitForURL((url) => url.pathname === '/cdn/stats' && url.searchParams.get('task') === id);
  await page.locator(`${TASK_ROWS}.highlight[data-task-id="${id}"]`).waitFor();
  const dismiss = notice.getByRole('button', { name: /^Dismiss the notice about “reports_detail_flux_/ });
  await dismiss.focus();
  await page.keyboard.press('Enter');
  await notice.waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.id === 'main', null, { polling: 50 });
  assert.deepEqual(pageErrors, []);
});

test('a failed task raises a failure notice without a file', async () => {
  const id = await createStatsExport(failing.url);
  await page.goto(`${failing.url}/`);
  await finishAll(failing);
  const notice = page.locator(`.notice[data-task-id="${id}"]`);
  await notice.waitFor();
  assert.equal(await notice.getAttribute('data-status'), 'failed');
  assert.match(await notice.locator('.notice-text').innerText(), /” failed\.$/);
  assert.equal(await notice.locator('a.download').count(), 0);
  assert.equal(await notice.getByRole('link', { name: 'Open the task' }).getAttribute('href'), `/cdn/stats?task_id=${id}&task=${id}`);
});

test('a refresh task is watched when created, and watching survives a reload', async () => {
  await page.goto(`${server.url}/cdn/purge`);
  await openCreateForm(page);
  await page.fill('#urls', 'https://a.example.com/notify.js');
  await page.locator('#create-panel button[type=submit]').click();
  await page.locator(`${TASK_ROWS}.highlight`).waitFor();
  const id = await page.locator(`${TASK_ROWS}.highlight`).getAttribute('data-task-id');
  const stored = await page.evaluate((key) => localStorage.getItem(key), watchKey(server.url));
  assert.deepEqual(watchedIn(stored), [['/cdn/purge', id]]);
  await page.reload();
  await page.waitForFunction(() => document.title === '(1) Export Desk');
  await finishAll(server);
  await page.locator(`.notice[data-task-id="${id}"][data-status="succeeded"]`).waitFor();
  assert.match(await page.locator(`.notice[data-task-id="${id}"] .notice-text`).innerText(), /^CDN refresh\/preheat “.+” succeeded\.$/);
  assert.equal(await page.locator(`.notice[data-task-id="${id}"] a.notice-open`).getAttribute('href'), `/cdn/purge/${id}`);
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), watchKey(server.url)), '', 'announced, and no longer watched');
});

/** Creates a refresh task of one file through the form of the /cdn/purge page shown (watched, no
 * reload) and resolves to its id. */
async function createRefreshHere(url) {
  const highlighted = page.locator(`${TASK_ROWS}.highlight`);
  const marked = (await highlighted.count()) > 0 ? await highlighted.getAttribute('data-task-id') : null;
  await openCreateForm(page);
  await page.fill('#urls', url);
  await page.locator('#create-panel button[type=submit]').click();
  const row = page.locator(marked ? `${TASK_ROWS}.highlight:not([data-task-id="${marked}"])` : `${TASK_ROWS}.highlight`);
  await row.waitFor();
  return row.getAttribute('data-task-id');
}

test('the status line says each answer\'s new notices once: equal sentences twice, a batch as one, nothing on dismiss', async () => {
  await page.goto(`${server.url}/cdn/purge`);
  await page.locator(TASK_ROWS).first().waitFor();
  // Every text the status line takes, in order (a screen reader reads each change of it).
  await page.evaluate(() => {
    window.__said = [];
    const line = document.querySelector('.notices [role=status]');
    new MutationObserver(() => {
      if (line.textContent !== window.__said.at(-1)) window.__said.push(line.textContent);
    }).observe(line, { subtree: true, childList: true, characterData: true });
  });
  const said = () => page.evaluate(() => window.__said);
  const sentence = 'CDN refresh/preheat “Refresh of 1 file” succeeded.';

  const first = await createRefreshHere('https://a.example.com/said-1.js');
  await finishAll(server);
  await page.locator(`.notice[data-task-id="${first}"]`).waitFor();
  await page.waitForFunction(() => window.__said.length === 1);
  assert.equal((await said())[0].trim(), sentence);

  // The same sentence again, on the same page: the line's text still changes, so it is read.
  const second = await createRefreshHere('https://a.example.com/said-2.js');
  await finishAll(server);
  await page.locator(`.notice[data-task-id="${second}"]`).waitFor();
  await page.waitForFunction(() => window.__said.length === 2);
  const [one, two] = await said();
  assert.notEqual(two, one, 'a repeated sentence is a new text');
  assert.equal(two.trim(), sentence);

  // Two tasks that finish in one answer: one text with both.
  const third = await createRefreshHere('https://a.example.com/said-3.js');
  const fourth = await createRefreshHere('https://a.example.com/said-4.js');
  await page.waitForFunction(() => document.title === '(2) Export Desk');
  await finishAll(server);
  await page.locator(`.notice[data-task-id="${third}"]`).waitFor();
  await page.locator(`.notice[data-task-id="${fourth}"]`).waitFor();
  await page.waitForFunction(() => window.__said.length === 3);
  assert.equal((await said())[2].trim(), `${sentence} ${sentence}`, 'both, in one text');

  // A dismissal says nothing (the newest notice gone, the one before it is not read again).
  const newest = page.locator('.notice').last();
  const newestId = await newest.getAttribute('data-task-id');
  await newest.locator('.notice-dismiss').click();
  await page.locator(`.notice[data-task-id="${newestId}"]`).waitFor({ state: 'detached' });
  assert.equal((await said()).length, 3, 'dismissing changed nothing said');
  assert.deepEqual(pageErrors, []);
});

test('a kind whose list call fails holds up no other kind, and is asked again after it', async () => {
  const statsId = await createStatsExport(server.url);
  await page.goto(`${server.url}/cdn/purge`);
  await openCreateForm(page);
  await page.fill('#urls', 'https://a.example.com/failing-neighbour.js');
  await page.locator('#create-panel button[type=submit]').click();
  await page.locator(`${TASK_ROWS}.highlight`).waitFor();
  const purgeId = await page.locator(`${TASK_ROWS}.highlight`).getAttribute('data-task-id');
  await page.waitForFunction(() => document.title === '(2) Export Desk');
  await server.admin('POST', '/_mock/faults', { operation: 'cdn:ListExportTasks', error_code: 'CDN.0001' });
  try {
    await finishAll(server);
    await page.locator(`.notice[data-task-id="${purgeId}"]`).waitFor();
    assert.equal(await page.locator(`.notice[data-task-id="${statsId}"]`).count(), 0, 'its kind fails to list');
    await page.waitForFunction(() => document.title === '(1) Export Desk');
  } finally {
    await server.admin('DELETE', '/_mock/faults/cdn:ListExportTasks');
  }
  // Backed off, then asked again: the notice comes.
  await page.locator(`.notice[data-task-id="${statsId}"][data-status="succeeded"]`).waitFor();
  await page.waitForFunction(() => document.title === 'Export Desk');
});

test('the Overview watches and stops watching any running task; a store that does not read is ignored', async () => {
  await page.evaluate((key) => localStorage.setItem(key, '{not json'), watchKey(server.url));
  const id = await createStatsExport(server.url);
  const stored = await page.evaluate((key) => localStorage.getItem(key), watchKey(server.url));
  assert.deepEqual(watchedIn(stored), [['/cdn/stats', id]], 'the unreadable store was replaced');
  await page.evaluate((key) => localStorage.setItem(key, ''), watchKey(server.url));
  await page.goto(`${server.url}/`);
  const row = page.locator(`${TASK_ROWS}[data-task-id="/cdn/stats:${id}"]`);
  await row.waitFor();
  const watch = row.getByRole('button', { name: `Watch task ${id}` });
  await watch.click();
  await page.waitForFunction(() => document.title === '(1) Export Desk');
  await row.getByRole('button', { name: `Stop watching task ${id}` }).click();
  await page.waitForFunction(() => document.title === 'Export Desk');
  await row.getByRole('button', { name: `Watch task ${id}` }).click();
  await page.locator('.running-indicator').waitFor();
  await finishAll(server);
  await page.locator(`.notice[data-task-id="${id}"][data-status="succeeded"]`).waitFor();
});

test('notices stack within a bound, the older ones folded, and fit a phone', async () => {
  // Four finished tasks watched at once (written as the dashboard keeps them): three shown, one folded.
  await page.goto(`${server.url}/cdn/stats?limit=100`);
  await page.locator(TASK_ROWS).first().waitFor();
  const ids = await page.locator(`${TASK_ROWS}:has(.badge[data-status="succeeded"])`).evaluateAll((rows) => rows.slice(0, 4).map((r) => r.dataset.taskId));
  assert.equal(ids.length, 4);
  await page.evaluate(([key, text]) => localStorage.setItem(key, text),
    [watchKey(server.url), watchText(ids.map((id) => ({ kind: '/cdn/stats', id, since_ms: Date.now() })))]);
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.reload();
    await page.locator('.notice-earlier').waitFor();
    assert.equal(await page.locator('.notice').count(), 3);
    assert.equal(await page.locator('.notice-earlier').innerText(), '1 earlier notice Dismiss all');
    const { scrollWidth, innerWidth, outside } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      outside: [...document.querySelectorAll('.notice')].filter((n) => { const b = n.getBoundingClientRect(); return b.left < 0 || b.right > window.innerWidth; }).length,
    }));
    assert.ok(scrollWidth <= innerWidth, `${scrollWidth} px wide`);
    assert.equal(outside, 0);
    await page.getByRole('button', { name: 'Dismiss all' }).click();
    assert.equal(await page.locator('.notice').count(), 0);
  } finally {
    await page.setViewportSize({ width: 1300, height: 1000 });
  }
});

test('browser notifications: only on a click, then a hidden tab asks gently and notifies', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.grantPermissions(['notifications'], { origin: new URL(server.url).origin });
  // Records what the page shows as notifications, counts its calls in flight, and lets the test
  // hide the tab (document.hidden is read-only: the test's flag stands behind it).
  await context.addInitScript(() => {
    const Original = window.Notification;
    window.__notifications = [];
    window.__asked = 0;
    class Recorded extends Original {
      constructor(title, options) {
        super(title, options);
        window.__notifications.push({ title, body: options?.body, tag: options?.tag });
        window.__lastNotification = this;
      }
      static requestPermission(...args) {
        window.__asked += 1;
        return Original.requestPermission(...args);
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true, writable: true });
    window.__hidden = false;
    Object.defineProperty(Document.prototype, 'hidden', { get: () => window.__hidden, configurable: true });
    Object.defineProperty(Document.prototype, 'visibilityState', { get: () => (window.__hidden ? 'hidden' : 'visible'), configurable: true });
    // A call counts as in flight until its whole body has arrived (the dashboard reads it then).
    window.__inFlight = 0;
    const fetch = window.fetch;
    window.fetch = (...args) => {
      window.__inFlight += 1;
      const answer = fetch(...args);
      answer.then((response) => response.clone().arrayBuffer()).catch(() => {}).finally(() => { window.__inFlight -= 1; });
      return answer;
    };
  });
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(error));
  await tab.clock.install();
  try {
    const id = await createStatsExport(server.url, tab);
    await tab.locator('.settings-link').click();
    await tab.getByRole('heading', { name: 'Browser notifications' }).waitFor();
    assert.equal(await tab.evaluate(() => window.__asked), 0, 'never asked on load');
    assert.equal(await tab.locator('.browser-notices-state').innerText(), 'Browser notifications are off: notices show only in this tab.');

    const lists = async () => (await server.admin('GET', '/_mock/journal?operation=cdn:ListExportTasks')).entries.length;
    /** Moves the browser's clock `seconds` on, a few seconds at a time, each step's calls answered. */
    const browserTime = async (seconds) => {
      for (let done = 0; done < seconds; done += 5) {
        await tab.clock.runFor(5_000);
        // A call on its way: its answer is in before the clock moves on.
        await tab.waitForFunction(() => window.__inFlight === 0);
      }
    };
    const hide = (hidden) => tab.evaluate((hidden) => {
      window.__hidden = hidden;
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    }, hidden);

    // Hidden without notifications: no call at all.
    await hide(true);
    await browserTime(10);
    await server.admin('DELETE', '/_mock/journal');
    await browserTime(120);
    assert.equal(await lists(), 0, 'a hidden tab without notifications asks nothing');

    // On, by the click: the tab asks every 45 s while hidden.
    await tab.getByRole('button', { name: 'Notify me in the browser' }).click();
    await tab.getByText('Browser notifications are on in this browser.').waitFor();
    assert.equal(await tab.evaluate(() => window.__asked), 1);
    await server.admin('DELETE', '/_mock/journal');
    await browserTime(90);
    const gentle = await lists();
    assert.ok(gentle >= 2 && gentle <= 3, `${gentle} calls in 90 s hidden: one every 45 s`);

    await finishAll(server);
    await browserTime(50);
    await tab.waitForFunction(() => window.__notifications.length === 1);
    const [shown] = await tab.evaluate(() => window.__notifications);
    assert.match(shown.title, /^CDN statistics export “reports_detail_flux_.+” succeeded\.$/);
    assert.equal(shown.body, 'Open Export Desk to see it.');
    assert.equal(shown.tag, `/cdn/stats:${id}`);
    // Its click opens the task in the tab.
    await tab.evaluate(() => window.__lastNotification.onclick());
    await tab.waitForURL((url) => url.pathname === '/cdn/stats' && url.searchParams.get('task') === id);

    // Remembered in this browser; the off switch turns it off.
    await tab.goto(`${server.url}/settings`);
    await tab.getByText('Browser notifications are on in this browser.').waitFor();
    await tab.getByRole('button', { name: 'Turn off browser notifications' }).click();
    await tab.getByText('Browser notifications are off: notices show only in this tab.').waitFor();
    await tab.clock.runFor(100); // the focus moves on the next frame, and this tab's frames run on its clock
    await tab.waitForFunction(() => document.activeElement?.textContent === 'Notify me in the browser', null, { polling: 50 });
    assert.equal(await tab.evaluate(() => localStorage.getItem('export-desk.browser-notices')), null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a refusal by the browser is explained, and nothing is turned on', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addInitScript(() => {
    Object.defineProperty(window.Notification, 'permission', { get: () => window.__permission || 'default', configurable: true });
    window.Notification.requestPermission = () => { window.__permission = 'denied'; return Promise.resolve('denied'); };
  });
  const tab = await context.newPage();
  try {
    await tab.goto(`${server.url}/settings`);
    await tab.getByRole('button', { name: 'Notify me in the browser' }).click();
    await tab.getByText(/^The browser blocks notifications from this site\./).waitFor();
    await tab.waitForFunction(() => document.activeElement?.textContent === 'Notify me in the browser', null, { polling: 50 });
    assert.equal(await tab.evaluate(() => localStorage.getItem('export-desk.browser-notices')), null);
  } finally {
    await context.close();
  }
});

test('a CLS export on a topic that is not a favourite is watched on its topic and announced', async () => {
  const NGINX = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';
  const AUDIT = 'c4d8e2f1-6a3b-4c7d-9e0f-1a2b3c4d5e6f';
  // A proxy in front of a still mock, CLS only, one favourite topic (as cls_topics.test.mjs does).
  const upstream = await still(0);
  const configDir = await mkdtemp(path.join(tmpdir(), 'desk-notify-cls-'));
  let proxy;
  try {
    const file = path.join(configDir, 'desk.toml');
    await writeFile(file, `[cls]\ntopics = [{ id = "${AUDIT}", name = "audit-trail" }]\n`);
    proxy = await startServer(['--mode', 'proxy', '--config', file], {
      TENCENTCLOUD_SECRET_ID: 'AKIDsdktest0000000000000000000000000',
      TENCENTCLOUD_SECRET_KEY: 'sdktestsecretkeynotreal0000000000',
      EXPORT_DESK_CLS_REGION: 'ap-guangzhou',
      EXPORT_DESK_CLS_ENDPOINT: upstream.url,
    });
    await page.goto(`${proxy.url}/cls/exports`);
    await page.locator(`#topic-select .topic-account option[value="${NGINX}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#topic-select', NGINX);
    await page.waitForURL((url) => url.searchParams.get('topic') === NGINX);
    await openCreateForm(page);
    await page.fill('#export-query', 'status:500');
    await page.getByRole('button', { name: 'Create export' }).click();
    const row = page.locator(`${TASK_ROWS}.highlight`);
    await row.waitFor();
    const id = await row.getAttribute('data-task-id');
    const stored = await page.evaluate((key) => localStorage.getItem(key), watchKey(proxy.url));
    assert.deepEqual(watchedWithScope(stored), [['/cls/exports', id, NGINX]], 'watched with its topic');
    await page.waitForFunction(() => document.title === '(1) Export Desk');
    // Elsewhere: only the watcher asks the topic now.
    await page.locator('.settings-link').click();
    await page.waitForURL(/\/settings$/);
    await upstream.admin('DELETE', '/_mock/journal');
    await finishAll(upstream);
    const notice = page.locator(`.notice[data-task-id="${id}"]`);
    await notice.waitFor();
    assert.equal(await notice.getAttribute('data-status'), 'succeeded');
    assert.match(await notice.locator('.notice-text').innerText(), /^CLS log export “.+: status:500” succeeded\.$/);
    await page.waitForFunction(() => document.title === 'Export Desk');
    const { entries } = await upstream.admin('GET', '/_mock/journal?operation=cls:DescribeExports');
    const topics = new Set(entries.map((entry) => JSON.parse(entry.body).TopicId));
    assert.deepEqual([...topics], [NGINX], 'the watcher asked the export\'s topic, not the favourite');
    assert.deepEqual(pageErrors, []);
  } finally {
    await proxy?.stop();
    await upstream.stop();
    await rm(configDir, { recursive: true, force: true });
  }
});

test('a watched CLS export whose topic was deleted holds up no other CLS export', async () => {
  const NGINX = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';
  // A topic CLS does not know (as one deleted after its export was watched): DescribeExports answers
  // ResourceNotFound.TopicNotExist for it, on every poll.
  const GONE = '00000000-0000-4000-8000-00000000dead';
  const mock = await still(0);
  try {
    const now = (await mock.admin('GET', '/_mock/clock')).now_ms;
    const made = { TopicId: NGINX, Query: 'status:500', From: now - 3_600_000, To: now, Count: 10 };
    const { Response } = await mock.cloud('POST', '/', made, { 'X-TC-Action': 'CreateExport', 'X-TC-Version': '2020-10-16' });
    const id = Response.ExportId;
    assert.ok(id, JSON.stringify(Response));
    await finishAll(mock);
    // Watched as the dashboard keeps them (since, kind, id, last seen, topic), the deleted topic's first.
    const line = (exportId, topic) => `${Date.now()}\t/cls/exports\t${exportId}\t${Date.now()}\t${topic}`;
    await page.goto(`${mock.url}/settings`);
    await page.evaluate(([key, text]) => localStorage.setItem(key, text),
      [watchKey(mock.url), [line('export-on-a-deleted-topic', GONE), line(id, NGINX)].join('\n')]);
    await page.reload();
    const notice = page.locator(`.notice[data-task-id="${id}"]`);
    await notice.waitFor();
    assert.equal(await notice.getAttribute('data-status'), 'succeeded');
    const { entries } = await mock.admin('GET', '/_mock/journal?operation=cls:DescribeExports');
    const topics = new Set(entries.map((entry) => JSON.parse(entry.body).TopicId));
    assert.ok(topics.has(GONE) && topics.has(NGINX), `both topics asked: ${[...topics]}`);
    await notice.getByRole('button', { name: /^Dismiss the notice/ }).click();
    assert.deepEqual(pageErrors, []);
  } finally {
    await page.evaluate((key) => localStorage.removeItem(key), watchKey(mock.url));
    await mock.stop();
  }
});
