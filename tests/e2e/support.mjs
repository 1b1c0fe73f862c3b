// Shared by the end-to-end tests: start the real server binary on a free port, and a headless
// Chromium driven by playwright-core (Debian's /usr/bin/chromium; nothing is downloaded).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts `export-desk` with `args` (after `--port 0 --dist dist`) and `env` added to the environment;
 * resolves to { url, admin, stop }.
 * `admin(method, path, body)` calls the mock's admin API (`/_mock/…`) and resolves to its JSON answer,
 * failing unless it is a 200; `cloud(method, path, body, headers)` calls a cloud API of the mock (no
 * signature needed) and resolves to its JSON answer, failing unless it is a 2xx. */
export async function startServer(args = [], env = {}) {
  const binary = path.join(repo, 'target/release/export-desk');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/test.sh (it builds it)`);
  // EXPORT_DESK_E2E_DIST points at another build of the dashboard (e.g. a quick debug build).
  const dist = process.env.EXPORT_DESK_E2E_DIST || path.join(repo, 'dist');
  const child = spawn(binary, ['--port', '0', '--bind', '127.0.0.1', '--dist', dist, '--log', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not print its URL within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = line.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    url,
    admin: async (method, adminPath, body) => {
      const init = body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
      const response = await fetch(url + adminPath, init);
      const answer = await response.json();
      if (response.status !== 200) throw new Error(`${method} ${adminPath} answered ${response.status}: ${JSON.stringify(answer)}`);
      return answer;
    },
    cloud: async (method, cloudPath, body, headers = {}) => {
      const init = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.headers['content-type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      const response = await fetch(url + cloudPath, init);
      const answer = await response.json();
      if (!response.ok) throw new Error(`${method} ${cloudPath} answered ${response.status}: ${JSON.stringify(answer)}`);
      return answer;
    },
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/** Collects what `page` logs as errors in its console: failed loads (a 404 or 500 answer) as well
 * as errors written by the page. Kept apart from JavaScript errors, since a test that injects a
 * fault expects the failed load it causes; a normal load must log none. */
export function watchConsoleErrors(page) {
  const logged = [];
  page.on('console', (message) => {
    if (message.type() === 'error') logged.push(`${message.text()} (${message.location().url})`);
  });
  return logged;
}

/** A headless Chromium with the flags this sandbox needs, and a page that fails the test on a
 * JavaScript error (a panic in the wasm shows up as one); `consoleErrors` lists its console
 * errors (see watchConsoleErrors). The browser asks for `locale` (English unless told), which the
 * dashboard speaks on a first visit. */
export async function openBrowser({ locale = 'en-US' } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ acceptDownloads: true, locale, viewport: { width: 1300, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  return { browser, page, errors, consoleErrors: watchConsoleErrors(page) };
}

/** `YYYY-MM-DDTHH:MM` in the local time zone, what a datetime-local input holds. */
export function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Opens a create form's "Show the request", copies it with "Copy as curl" (reading the real
 * clipboard: the context is granted clipboard access), then runs `submit` and checks the request
 * the page sends is the one shown: method, URL, every shown header, and the JSON body. Resolves
 * to { method, url, headers, body, curl } as shown, for page-specific checks. */
export async function checkRequestPreview(page, submit) {
  const origin = new URL(page.url()).origin;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const preview = page.locator('details.request-preview');
  if ((await preview.getAttribute('open')) === null) await preview.locator('summary').click();
  const text = await preview.locator('.request-preview-text').textContent();
  const [head, ...rest] = text.split('\n\n');
  const [requestLine, ...headerLines] = head.split('\n');
  const [method, url] = requestLine.split(' ');
  const headers = Object.fromEntries(headerLines.map((line) => {
    const at = line.indexOf(': ');
    return [line.slice(0, at), line.slice(at + 2)];
  }));
  const bodyText = rest.join('\n\n').trim();
  // The proxy access token is a secret: shown as a note, copied as a shell variable.
  const secret = (name) => name === 'X-Desk-Token';
  const body = bodyText ? JSON.parse(bodyText) : undefined;

  await page.evaluate(() => navigator.clipboard.writeText('(not copied yet)'));
  await preview.getByRole('button', { name: 'Copy as curl' }).click();
  await preview.getByRole('status').getByText('Copied', { exact: true }).waitFor();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  if (!curl.startsWith(`curl -X ${quote(method)} ${quote(url)}`)) throw new Error(`curl does not start with the request line: ${curl}`);
  for (const [name, value] of Object.entries(headers)) {
    if (secret(name)) continue;
    if (!curl.includes(`-H ${quote(`${name}: ${value}`)}`)) throw new Error(`curl lacks header ${name}: ${curl}`);
  }
  if (body !== undefined && !curl.endsWith(`--data-raw ${quote(bodyText)}`)) throw new Error(`curl lacks the body: ${curl}`);

  const [sent] = await Promise.all([page.waitForRequest((r) => r.method() === method && r.url() === url), submit()]);
  const sentHeaders = await sent.allHeaders();
  for (const [name, value] of Object.entries(headers)) {
    if (secret(name)) continue;
    if (sentHeaders[name.toLowerCase()] !== value) {
      throw new Error(`header ${name}: shown ${value}, sent ${sentHeaders[name.toLowerCase()]}`);
    }
  }
  const sentBody = sent.postData() ? JSON.parse(sent.postData()) : undefined;
  if (JSON.stringify(sentBody) !== JSON.stringify(body)) {
    throw new Error(`body shown ${JSON.stringify(body)}, sent ${sent.postData()}`);
  }
  return { method, url, headers, body, curl };
}

/** Opens the page's create form (the list comes first; the form opens from its button), unless
 * it is open already, and resolves once it is shown. */
export async function openCreateForm(page) {
  const toggle = page.locator('.create-toggle');
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator('#create-panel').waitFor({ state: 'visible' });
}

/** A mock whose demo tasks stay in every state while a test looks at them: tasks run 300 s of mock
 * time on a clock at a thousandth of real speed, so queued and running tasks stay on screen beside
 * finished ones, and half of them fail (failed tasks and failed URLs). */
export async function startStillMock() {
  const server = await startServer(['--task-duration', '300s', '--fail-rate', '0.5', '--demo-tasks', '12', '--seed', '5']);
  await server.admin('PUT', '/_mock/clock/speed', { speed: 0.001 });
  return server;
}

/** The address (path and query) of a refresh/preheat task's own page: the newest task's, as the
 * list links to it. */
export async function purgeTaskPath(page, server) {
  await page.goto(server.url + '/cdn/purge');
  const link = page.locator('table.task-table tbody tr[data-task-id] a.task-link').first();
  await link.waitFor();
  const href = new URL(await link.getAttribute('href'), server.url);
  return href.pathname + href.search;
}

/** The states of the Overview's search (and of a copy button), for the axe and Chinese tests:
 * each `open`s its state on `page` and resolves once it is shown. `purgeId` is a refresh task's
 * id (digits: also the shape of an IoTDA batch task id, so two kinds are asked). */
export function overviewSearchStates(server, purgeId) {
  return [
    {
      name: 'Overview search (not found)',
      async open(page) {
        await page.goto(`${server.url}/?find=${'0f'.repeat(16)}`);
        await page.locator('.find-note').waitFor();
      },
    },
    {
      name: 'Overview search (no kind has such ids)',
      async open(page) {
        await page.goto(`${server.url}/?find=no-such-thing`);
        await page.locator('.find-shapes').waitFor();
      },
    },
    {
      name: 'Overview search (one kind failing, a match listed)',
      async open(page) {
        await server.admin('POST', '/_mock/faults', { operation: 'iotda:ListExportTasks', error_code: 'IOTDA.000006', http_status: 400 });
        try {
          await page.goto(`${server.url}/?find=${purgeId}`);
          await page.locator('.find-problem .error-view').waitFor();
          await page.locator('.find-matches a').waitFor();
        } finally {
          await server.admin('DELETE', '/_mock/faults/iotda:ListExportTasks');
        }
      },
    },
    {
      name: 'Overview search (no id typed)',
      async open(page) {
        await page.goto(`${server.url}/`);
        await page.locator('#find-id').fill('76 20');
        await page.locator('#find-id').press('Enter');
        await page.locator('#find-id-error').waitFor();
      },
    },
    {
      name: 'Overview (an id copied)',
      async open(page) {
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
        await page.goto(`${server.url}/`);
        await page.locator('table.task-table .copy-button').first().click();
        await page.locator('table.task-table .copy-status:not(:empty)').first().waitFor();
      },
    },
  ];
}

/** A task table's rows, each one task. */
export const TASK_ROWS = 'table.task-table tbody tr[data-task-id]';
/** The mock's CLS topic with demo exports. */
export const NGINX_TOPIC = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';

/** Every page of the dashboard, for the suites that walk them all (axe, Chinese): where it is,
 * what shows it has loaded, the list call a fault can fail (`list`), whether it has a create form
 * (`form`) and a row delete (`remove`). `purgeDetailPath` is a refresh/preheat task's own page. */
export function everyPage(purgeDetailPath) {
  return [
    { name: 'Overview', path: '/', ready: TASK_ROWS },
    { name: 'CDN statistics', path: '/cdn/stats', ready: TASK_ROWS, list: 'cdn:ListExportTasks', form: true },
    { name: 'Refresh and preheat', path: '/cdn/purge', ready: TASK_ROWS, list: 'cdn:ShowHistoryTasks', form: true },
    { name: 'Refresh/preheat task', path: purgeDetailPath, ready: TASK_ROWS, list: 'cdn:ShowHistoryTaskDetails' },
    { name: 'IoTDA exports', path: '/iotda/exports', ready: TASK_ROWS, list: 'iotda:ListExportTasks', form: true, remove: true },
    { name: 'CLS exports', path: `/cls/exports?topic=${NGINX_TOPIC}`, ready: TASK_ROWS, list: 'cls:DescribeExports', form: true, remove: true },
    { name: 'Settings', path: '/settings', ready: 'form.task-form' },
    { name: 'Not found', path: '/no/such/page', ready: 'h1' },
  ];
}

/** Waits until the page's first load has settled: its rows (or its own marker `ready`) are there
 * and no list is still loading. */
export async function settled(page, ready) {
  await page.locator(ready).first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[role=status].loading'));
}

const AXE = path.join(repo, 'node_modules/axe-core/axe.min.js');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** The serious and critical WCAG 2.0/2.1/2.2 A and AA violations axe-core (from npm, injected into
 * the page) finds on the page as it is now: rule, impact, help and each element with axe's summary. */
export async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate((tags) => window.axe.run(document, { runOnly: tags, resultTypes: ['violations'] })
    .then((results) => results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }))), WCAG_AA);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The storage key of the tasks the dashboard at `url` watches (`src/watch/store.rs`). */
export const watchKey = (url) => `export-desk.watched:${new URL(url).origin}`;
/** A watch list's stored text in the store's first version, a line a task: `{since_ms}\t{kind}\t{id}`
 * (still read: the dashboard writes `{since_ms}\t{kind}\t{id}\t{last_seen_ms}\t{scope}`). */
export const watchText = (tasks) => tasks.map(({ kind, id, since_ms: since }) => `${since}\t${kind}\t${id}`).join('\n');
/** The stored text read back as [kind, id] pairs. */
export const watchedIn = (text) => (text ? text.split('\n').map((line) => line.split('\t').slice(1, 3)) : []);
/** The stored text read back as [kind, id, scope] triples. */
export const watchedWithScope = (text) => (text ? text.split('\n').map((line) => { const [, kind, id, , scope] = line.split('\t'); return [kind, id, scope]; }) : []);

/** A page showing the notices of watched tasks that finished (one succeeded, one failed: both
 * colours), for the axe and Chinese suites. It watches two finished CDN statistics exports of the
 * still mock by writing the watch list as the dashboard keeps it (as if watched in an earlier
 * visit), so no clock moves and the other tests' running tasks stay running. */
export async function openNotices(page, server) {
  await page.goto(`${server.url}/cdn/stats?limit=100`);
  await page.locator(TASK_ROWS).first().waitFor();
  const idOf = (status) => page.locator(`${TASK_ROWS}:has(.badge[data-status="${status}"])`).first().getAttribute('data-task-id');
  const watched = [await idOf('succeeded'), await idOf('failed')].map((id) => ({ kind: '/cdn/stats', id, since_ms: Date.now() }));
  await page.evaluate(([key, text]) => localStorage.setItem(key, text), [watchKey(server.url), watchText(watched)]);
  await page.goto(`${server.url}/settings`);
  await page.locator('.notice[data-status="failed"]').waitFor();
  await page.locator('.notice[data-status="succeeded"]').waitFor();
}

/** The states of actions on several rows at once (IoTDA and CLS), for the axe and Chinese tests:
 * each `open`s its state on `page` (after `path` is loaded) and resolves once it is shown. Nothing
 * is deleted: the delete call is held back (running) or refused (outcome). `list` is the page's
 * delete operation. */
export function bulkStates(server) {
  const chooseAll = async (page) => {
    await page.locator('input.select-page').check();
    await page.locator('.bulk-bar').waitFor();
  };
  const confirmDelete = async (page) => {
    await page.locator('.bulk-delete').click();
    await page.locator('.bulk-confirm .confirm-yes').click();
  };
  return [
    {
      name: 'rows chosen, delete asked',
      async open(page) {
        await chooseAll(page);
        await page.locator('.bulk-delete').click();
        await page.locator('.bulk-confirm').waitFor();
      },
    },
    {
      name: 'bulk delete running',
      async open(page, operation) {
        await chooseAll(page);
        await server.admin('POST', '/_mock/faults', { operation, latency_ms: 600000 });
        await confirmDelete(page);
        await page.locator('.bulk [role=progressbar]').waitFor();
      },
      async close(page, operation) {
        await page.locator('.bulk-cancel').click();
        await page.locator('.bulk-summary:not(:empty)').waitFor();
        await server.admin('DELETE', `/_mock/faults/${operation}`);
      },
    },
    {
      name: 'bulk delete refused, outcome per row',
      async open(page, operation) {
        await server.admin('POST', '/_mock/faults', { operation, error_code: 'InternalError', error_msg: 'Refused for the test' });
        try {
          await chooseAll(page);
          await confirmDelete(page);
          await page.locator('.bulk-summary:not(:empty)').waitFor();
        } finally {
          await server.admin('DELETE', `/_mock/faults/${operation}`);
        }
      },
    },
  ];
}

/** The delete operation of the pages with several-at-once actions. */
export const BULK_DELETE = { 'IoTDA exports': 'iotda:DeleteExportTask', 'CLS exports': 'cls:DeleteExport' };
