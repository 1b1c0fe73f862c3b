// A phone-sized window (390 × 844, an iPhone's CSS pixels), end to end: no page scrolls sideways,
// the header's links all fit on screen, and a table's long ids and file names take one line each,
// cut with an ellipsis, whole in their tooltip and on focus, and copied whole. Real server (mock
// mode), real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStillMock, openBrowser, purgeTaskPath } from './support.mjs';

const NGINX = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';
const ROWS = 'table.task-table tbody tr[data-task-id]';

let server;
let browser;
let page;
let pageErrors;
let purgeDetailPath;

before(async () => {
  server = await startStillMock();
  ({ browser, page, errors: pageErrors } = await openBrowser());
  await page.setViewportSize({ width: 390, height: 844 });
  purgeDetailPath = await purgeTaskPath(page, server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const pages = () => [
  { name: 'Overview', path: '/', ready: ROWS },
  { name: 'CDN statistics', path: '/cdn/stats', ready: ROWS },
  { name: 'Refresh and preheat', path: '/cdn/purge', ready: ROWS },
  { name: 'Refresh/preheat task', path: purgeDetailPath, ready: ROWS },
  { name: 'IoTDA exports', path: '/iotda/exports', ready: ROWS },
  { name: 'CLS exports', path: `/cls/exports?topic=${NGINX}`, ready: ROWS },
  { name: 'Settings', path: '/settings', ready: 'form.task-form' },
  { name: 'Not found', path: '/no/such/page', ready: 'h1' },
];

test('no page is wider than the phone, and every header link is on screen', async () => {
  const problems = [];
  for (const { name, path, ready } of pages()) {
    await page.goto(server.url + path);
    await page.locator(ready).first().waitFor();
    await page.waitForFunction(() => !document.querySelector('[role=status].loading'));
    const { scrollWidth, innerWidth, offScreen } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      offScreen: [...document.querySelectorAll('.app-header a')]
        .filter((a) => { const box = a.getBoundingClientRect(); return box.left < 0 || box.right > window.innerWidth; })
        .map((a) => a.textContent),
    }));
    if (scrollWidth > innerWidth) problems.push(`${name}: the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
    if (offScreen.length > 0) problems.push(`${name}: header links off screen: ${offScreen.join(', ')}`);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(pageErrors, []);
});

test('a CLS export’s id and file name take one line each, whole in the tooltip, on focus and when copied', async () => {
  await page.goto(server.url + `/cls/exports?topic=${NGINX}`);
  const row = page.locator(ROWS).first();
  await row.waitFor();
  const id = await row.getAttribute('data-task-id');
  const cut = row.locator('.long-text');
  assert.equal(await cut.count(), 2, 'the export id and the file name');
  for (const text of await cut.all()) {
    const shape = await text.evaluate((element) => {
      const style = getComputedStyle(element);
      return {
        whole: element.textContent,
        title: element.title,
        lines: Math.round(element.getBoundingClientRect().height / parseFloat(style.lineHeight)),
        cut: element.scrollWidth > element.clientWidth,
        ellipsis: style.textOverflow,
      };
    });
    assert.equal(shape.title, shape.whole, 'the tooltip holds the whole value');
    assert.equal(shape.lines, 1, `${shape.whole} takes one line`);
    assert.ok(shape.cut && shape.ellipsis === 'ellipsis', `${shape.whole} is cut with an ellipsis`);
    // Focused by keyboard (an id's copy button, its one Tab stop, or the text itself), it shows whole.
    const copy = text.locator('xpath=following-sibling::button[contains(@class, "copy-button")]');
    await ((await copy.count()) ? copy.focus() : text.focus());
    assert.equal(await text.evaluate((element) => element.scrollWidth > element.clientWidth), false, `${shape.whole} shows whole on focus`);
  }
  assert.equal(await cut.first().textContent(), id);
  // Selecting the cut text copies the whole value.
  const origin = new URL(server.url).origin;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await cut.first().evaluate((element) => window.getSelection().selectAllChildren(element));
  await page.keyboard.press('Control+C');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), id);
  // A row is a card of a few lines, not a column of broken ids (430 px when the ids broke over
  // about 20 lines; about 350 px now that every time also names its zone).
  const height = await row.evaluate((element) => element.getBoundingClientRect().height);
  assert.ok(height < 380, `a row is ${height} px tall`);
  assert.deepEqual(pageErrors, []);
});
