// The Settings page, end to end: a bad server URL is refused next to its field and kept; the time
// zone choice changes how every page shows and takes times; an explicit server URL is used.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser } from './support.mjs';

let server;
let browser;
let page;
let pageErrors;

before(async () => {
  server = await startServer(['--demo-tasks', '3', '--seed', '4']);
  ({ browser } = await openBrowser());
  // A browser far from UTC, so "this browser's time zone" and UTC differ.
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The first task's creation time as shown, and as the UTC instant behind it. */
async function firstTime() {
  await page.goto(server.url + '/cdn/stats');
  const time = page.locator('table.task-table tbody tr').first().locator('time.timestamp').first();
  await time.waitFor();
  return {
    shown: await time.locator('.timestamp-local').innerText(),
    zone: await time.locator('.timestamp-zone').innerText(),
    iso: await time.getAttribute('datetime'),
  };
}

const utcText = (iso) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');

test('times follow the browser until UTC is chosen, and the forms say which zone they take', async () => {
  const before = await firstTime();
  assert.notEqual(before.shown, utcText(before.iso), 'Shanghai time differs from UTC');
  assert.equal(before.zone, 'UTC+8', 'each time names its zone');
  assert.match(await page.locator('label[for="start_time"]').innerText(), /\(UTC\+8\)/);

  await page.goto(server.url + '/settings');
  await page.locator('#zone-utc').check();
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save settings' }).click()]);
  assert.equal(await page.locator('#zone-in-force').innerText(), 'UTC');

  const after = await firstTime();
  assert.equal(after.shown, utcText(after.iso));
  assert.equal(after.zone, 'UTC');
  assert.match(await page.locator('label[for="start_time"]').innerText(), /\(UTC\)/);
});

test('Beijing time and any IANA zone the browser knows can be chosen; an unknown one is refused and kept', async () => {
  await page.goto(server.url + '/settings');
  await page.locator('#zone-beijing').check();
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save settings' }).click()]);
  assert.equal(await page.locator('#zone-in-force').innerText(), 'Beijing time (UTC+8)');
  const beijing = await firstTime();
  assert.equal(beijing.zone, 'UTC+8');
  assert.equal(beijing.shown, utcText(new Date(Date.parse(beijing.iso) + 8 * 3600_000).toISOString()));

  await page.goto(server.url + '/settings');
  await page.fill('#zone-other-name', 'Mars/Olympus_Mons');
  assert.equal(await page.locator('#zone-other').isChecked(), true, 'typing a zone chooses it');
  await page.getByRole('button', { name: 'Save settings' }).click();
  assert.match(await page.locator('#zone-other-name-error').innerText(), /does not know the time zone "Mars\/Olympus_Mons"/);
  assert.equal(await page.locator('#zone-other-name').inputValue(), 'Mars/Olympus_Mons');
  await page.waitForFunction(() => document.activeElement?.id === 'zone-other-name', null, { timeout: 5_000 });
  assert.ok((await page.locator('#zone-names option[value="America/New_York"]').count()) === 1, 'the browser\'s zones are offered');

  await page.fill('#zone-other-name', 'America/Sao_Paulo');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save settings' }).click()]);
  assert.equal(await page.locator('#zone-in-force').innerText(), 'America/Sao_Paulo (UTC-3)');
  const saoPaulo = await firstTime();
  assert.equal(saoPaulo.zone, 'UTC-3');
  assert.equal(saoPaulo.shown, utcText(new Date(Date.parse(saoPaulo.iso) - 3 * 3600_000).toISOString()));
  assert.match(await page.locator('label[for="start_time"]').innerText(), /\(UTC-3\)/);

  // Back to the browser's zone for the tests after this one.
  await page.goto(server.url + '/settings');
  await page.locator('#zone-default').check();
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save settings' }).click()]);
});

test('a bad server URL is refused next to its field, and what was typed stays', async () => {
  await page.goto(server.url + '/settings');
  await page.fill('#backend_url', 'ftp://files.example.com');
  await page.getByRole('button', { name: 'Save settings' }).click();
  assert.match(await page.locator('#backend_url-error').innerText(), /http:\/\/ or https:\/\//);
  assert.equal(await page.locator('#backend_url').inputValue(), 'ftp://files.example.com');
  await page.waitForFunction(() => document.activeElement?.id === 'backend_url', null, { timeout: 5_000 });
});

test('an explicit server URL is where the calls go, and clearing it returns to the page\'s origin', async () => {
  await page.goto(server.url + '/settings');
  await page.fill('#backend_url', server.url + '/');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save settings' }).click()]);
  assert.equal(await page.locator('#backend-in-force').innerText(), server.url, 'kept without the trailing slash');
  const calls = [];
  page.on('request', (request) => calls.push(request.url()));
  await page.goto(server.url + '/cdn/stats');
  await page.locator('table.task-table tbody tr').first().waitFor();
  assert.ok(calls.some((url) => url.startsWith(server.url + '/v1/cdn/statistics/export-tasks?')), calls.join('\n'));

  await page.goto(server.url + '/settings');
  await page.fill('#backend_url', '');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save settings' }).click()]);
  assert.equal(await page.locator('#backend-in-force').innerText(), "This page's own origin");
  assert.deepEqual(pageErrors, []);
});
