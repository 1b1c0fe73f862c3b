// Moving around the dashboard, end to end: links navigate inside the app (no reload), the nav
// marks the page in view, back and forward restore the page and its query, a task page and the
// way back to its list, and a reload or a shared link opens the same page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser } from './support.mjs';

let server;
let browser;
let page;
let pageErrors;

before(async () => {
  server = await startServer(['--demo-tasks', '4', '--seed', '5']);
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const heading = () => page.locator('main h1');
const current = () => page.locator('header a[aria-current="page"]');
const rows = () => page.locator('table.task-table tbody tr:not([aria-hidden])');

test('links move inside the app without a reload, and the nav marks where you are', async () => {
  await page.goto(server.url + '/');
  await heading().waitFor();
  // A reload would lose this.
  await page.evaluate(() => { window.stillTheSamePage = true; });
  assert.deepEqual(await current().allInnerTexts(), ['Export Desk']);

  await page.locator('nav.app-nav').getByRole('link', { name: 'CDN statistics exports' }).click();
  await page.waitForURL(server.url + '/cdn/stats');
  await heading().filter({ hasText: 'CDN statistics exports' }).waitFor();
  assert.deepEqual(await current().allInnerTexts(), ['CDN statistics exports']);

  await page.getByRole('link', { name: 'Settings' }).click();
  await page.waitForURL(server.url + '/settings');
  await heading().filter({ hasText: 'Settings' }).waitFor();
  assert.deepEqual(await current().allInnerTexts(), ['Settings']);
  // A link to the page already shown adds no history entry: Back leaves it.
  const entries = await page.evaluate(() => history.length);
  await page.getByRole('link', { name: 'Settings' }).click();
  assert.equal(await page.evaluate(() => history.length), entries);
  await page.goBack();
  await page.waitForURL(server.url + '/cdn/stats');
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'no page load happened');
});

test('back and forward restore the page and its query; a task page marks its kind in the nav', async () => {
  await page.goto(server.url + '/cdn/purge?task_type=refresh');
  await rows().first().waitFor();
  await page.evaluate(() => { window.stillTheSamePage = true; });
  const link = rows().first().locator('a.task-link');
  const id = await link.innerText();
  const detail = server.url + (await link.getAttribute('href'));
  assert.ok(detail.startsWith(server.url + `/cdn/purge/${id}?`), detail);
  await link.click();
  await page.waitForURL(detail);
  await page.getByText('All refresh and preheat tasks').waitFor();
  assert.deepEqual(await current().allInnerTexts(), ['CDN refresh and preheat'], 'the kind stays marked on its task page');

  await page.goBack();
  await page.waitForURL(server.url + '/cdn/purge?task_type=refresh');
  await rows().first().waitFor();
  assert.equal(await page.locator('#filter-task-type').inputValue(), 'refresh',
    'the filter from the URL is shown again');

  await page.goForward();
  await page.waitForURL(detail);
  // The way back to the list keeps the list's filters.
  await page.getByRole('link', { name: /All refresh and preheat tasks/ }).click();
  await page.waitForURL(server.url + '/cdn/purge?task_type=refresh');
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'no page load happened');
});

test('an address opened directly shows its page; an unknown one says so', async () => {
  await page.goto(server.url + '/cls/exports');
  await heading().filter({ hasText: 'CLS log exports' }).waitFor();
  await page.goto(server.url + '/cdn/nothing-here');
  await page.getByText('There is no page at this address.').waitFor();
  assert.deepEqual(await current().allInnerTexts(), []);
  await page.getByRole('link', { name: 'Go to the CDN statistics exports' }).click();
  await page.waitForURL(server.url + '/cdn/stats');
  await heading().filter({ hasText: 'CDN statistics exports' }).waitFor();
  assert.deepEqual(pageErrors, []);
});
