// The dashboard as people host it: the built files on a static host of their own (here a plain
// Node file server on another port, so another origin), `export-desk.json` naming a public demo
// mock elsewhere. The mock allows that origin by CORS (--allowed-origins); a page from an origin it
// does not list is refused. The demo's notice says who sees what, and when everything is reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repo, startServer, openBrowser, localInput, openCreateForm } from './support.mjs';

const dist = process.env.EXPORT_DESK_E2E_DIST || path.join(repo, 'dist');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** A static host for `dist/`: files as they are, client routes to index.html, and the
 * deployment's `export-desk.json` naming `backend()`. Resolves to its origin and a close(). */
async function staticHost(backend) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, 'http://static.invalid');
    if (url.pathname === '/export-desk.json') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ backend_url: backend() }));
    }
    const name = path.basename(url.pathname);
    const file = name.includes('.') ? path.join(dist, path.normalize(url.pathname)) : path.join(dist, 'index.html');
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

let mock;
let allowedHost;
let foreignHost;
let browser;
let page;
let pageErrors;

before(async () => {
  let mockUrl = '';
  allowedHost = await staticHost(() => mockUrl);
  foreignHost = await staticHost(() => mockUrl);
  mock = await startServer(['--demo', '--demo-tasks', '6', '--seed', '5', '--allowed-origins', allowedHost.origin]);
  mockUrl = mock.url;
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await mock?.stop();
  await allowedHost?.close();
  await foreignHost?.close();
});

test('the dashboard on another origin lists and creates tasks on the mock it names', async () => {
  await page.goto(allowedHost.origin + '/cdn/stats');
  await page.locator('table.task-table tbody tr').first().waitFor();
  assert.ok(await page.locator('table.task-table tbody tr').count() > 0, 'the demo tasks, fetched across origins');

  const end = new Date();
  end.setMinutes(0, 0, 0);
  await openCreateForm(page);
  await page.fill('#domain_name', 'www.example.com');
  await page.fill('#start_time', localInput(new Date(end.getTime() - 24 * 3600 * 1000)));
  await page.fill('#end_time', localInput(end));
  // A JSON POST across origins: the browser asks first (a preflight), then sends it.
  const [created] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(mock.url)),
    page.getByRole('button', { name: 'Create export task' }).click(),
  ]);
  assert.equal(created.status(), 200);
  await page.locator('table.task-table tbody tr.highlight').waitFor();
  assert.deepEqual(pageErrors, []);
});

test('a public demo says what visitors share and when it resets, in the chosen time zone', async () => {
  await page.goto(allowedHost.origin + '/');
  const notice = page.locator('.demo-notice');
  await notice.waitFor();
  const text = await notice.innerText();
  assert.match(text, /^Public demo: .*seen by every visitor/);
  assert.match(text, /returns to the starting tasks at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC(?:[+-]\d+(?::\d\d)?)?, in \d+ min\./);
  assert.match(text, /Each visitor can create up to 100 tasks between resets\./);
  assert.equal(await notice.getAttribute('role'), 'note');
});

test('a page on an origin the mock does not allow gets no answers, and says so', async () => {
  const refused = [];
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(mock.url)) refused.push(request.url());
  });
  await page.goto(foreignHost.origin + '/cdn/stats');
  await page.locator('.server-badge.down').waitFor();
  assert.ok(refused.length > 0, 'the browser refused the cross-origin answers');
  assert.equal(await page.locator('table.task-table tbody tr').count(), 0);
});
