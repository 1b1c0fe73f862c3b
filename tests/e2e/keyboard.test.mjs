// Keyboard only, end to end: every page's controls are reachable with Tab and show where focus is,
// a task can be created without a mouse, and focus survives the refreshes that rebuild a running
// task's row. Real server (mock mode), real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, openBrowser } from './support.mjs';

let server;
let browser;
let page;
let pageErrors;

// Tasks run 300 s of mock time: the demo tasks stay unfinished until the test moves the clock.
// The clock crawls, so a running row's progress (part of its key) changes only when a test moves
// it: a Tab walk is not cut short by a refresh rebuilding the row it stands on.
before(async () => {
  server = await startServer(['--task-duration', '300s', '--fail-rate', '0', '--demo-tasks', '4', '--seed', '11']);
  await server.admin('PUT', '/_mock/clock/speed', { speed: 0.001 });
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Marks every control a keyboard user should be able to reach (visible, enabled, in tab order)
 * with `data-kb`, and answers how many there are. */
async function markReachableControls() {
  return page.evaluate(() => {
    const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]';
    let count = 0;
    for (const element of document.querySelectorAll(selector)) {
      element.removeAttribute('data-kb');
      // :disabled also covers controls in a disabled fieldset.
      if (element.matches(':disabled') || element.tabIndex < 0) continue;
      if (!element.checkVisibility({ visibilityProperty: true })) continue;
      // Radio buttons of one group are a single tab stop: arrows move between them.
      if (element.type === 'radio' && !element.checked && document.querySelector(`input[type=radio][name="${element.name}"]:checked`)) continue;
      element.setAttribute('data-kb', String(count));
      count += 1;
    }
    return count;
  });
}

/** Presses Tab from the top of the page until focus leaves the page, answering what got focus,
 * in order, with whether each showed a focus indicator. */
async function tabThroughPage() {
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  const visited = [];
  for (let presses = 0; presses < 400; presses += 1) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return null;
      const style = getComputedStyle(element);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      const name = element.getAttribute('aria-label') || element.textContent.trim().slice(0, 40) || element.id || element.tagName;
      return { kb: element.getAttribute('data-kb'), ring, name, tag: element.tagName };
    });
    if (focus === null) break;
    if (visited.length > 0 && focus.kb !== null && focus.kb === visited[0].kb) break;
    visited.push(focus);
  }
  return visited;
}

const pages = [
  { path: '/', ready: 'table.task-table tbody tr[data-task-id]' },
  { path: '/cdn/stats', ready: 'table.task-table tbody tr[data-task-id]' },
  { path: '/cdn/purge', ready: 'table.task-table tbody tr[data-task-id]' },
  { path: '/iotda/exports', ready: 'table.task-table tbody tr[data-task-id]' },
  { path: '/cls/exports', ready: '.topic-picker' },
  { path: '/settings', ready: 'form.task-form' },
];

for (const { path, ready } of pages) {
  test(`${path}: Tab reaches every control, starting with the skip link, and each shows focus`, async () => {
    await page.goto(server.url + path);
    await page.locator(ready).first().waitFor();
    // Let the first refresh settle so the controls do not change under the walk.
    await page.waitForFunction(() => !document.querySelector('[role=status].loading'));
    const expected = await markReachableControls();
    assert.ok(expected > 3, `${path} has controls to reach (found ${expected})`);
    const visited = await tabThroughPage();
    assert.equal(visited[0].name, 'Skip to content', 'the first Tab lands on the skip link');
    const reached = new Set(visited.map((v) => v.kb).filter((kb) => kb !== null));
    const missed = await page.evaluate((reachedList) => {
      const reachedSet = new Set(reachedList);
      return [...document.querySelectorAll('[data-kb]')]
        .filter((element) => !reachedSet.has(element.getAttribute('data-kb')))
        .map((element) => element.outerHTML.slice(0, 120));
    }, [...reached]);
    assert.deepEqual(missed, [], `${path}: controls Tab never reaches`);
    const unmarked = visited.filter((v) => !v.ring).map((v) => `${v.tag} ${v.name}`);
    assert.deepEqual(unmarked, [], `${path}: controls that show no focus indicator`);
    assert.deepEqual(pageErrors, []);
  });
}

test('the skip link moves focus past the navigation to the page', async () => {
  await page.goto(server.url + '/iotda/exports');
  await page.locator('table.task-table tbody tr[data-task-id]').first().waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => document.querySelector('main').contains(document.activeElement));
  assert.ok(inMain, 'after the skip link, the next Tab is inside the page, not the navigation');
});

test('an IoTDA export task is created with the keyboard alone', async () => {
  await page.goto(server.url + '/iotda/exports');
  await page.locator('table.task-table tbody tr[data-task-id]').first().waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  // The list comes first: the form opens from its button, which takes focus into it.
  for (let presses = 0; presses < 100; presses += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.classList.contains('create-toggle'))) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-expanded')), 'false');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#create-panel')?.contains(document.activeElement));
  assert.match(page.url(), /[?&]new=1/, 'the URL remembers that the form is open');
  for (let presses = 0; presses < 100; presses += 1) {
    if (await page.evaluate(() => document.activeElement?.id === 'batch_task_id')) break;
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'batch_task_id', 'Tab reaches the batch task field');
  await page.keyboard.type('00ab00cd00ef00ab00cd00ef');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^Task [0-9a-f]{24}/.test(document.querySelector('.create-form .form-status')?.textContent ?? ''));
  const created = await page.locator('tr.highlight .iotda-batch').innerText();
  assert.equal(created, '00ab00cd00ef00ab00cd00ef');
  assert.equal(await page.locator('#create-panel').isHidden(), true, 'a create that succeeded closes the form');
  await page.waitForFunction(() => document.activeElement?.classList.contains('create-toggle'));
  assert.doesNotMatch(page.url(), /[?&]new=/);
});

test('focus stays on a running task’s Delete while refreshes rebuild its row', async () => {
  await page.goto(server.url + '/iotda/exports');
  const running = page.locator('table.task-table tbody tr[data-task-id]:has(.badge[data-status="running"])').first();
  await running.waitFor();
  const id = await running.getAttribute('data-task-id');
  const progress = () => page.locator(`tr[data-task-id="${id}"] .iotda-progress-label`).innerText();
  const before = await progress();
  const del = page.locator(`tr[data-task-id="${id}"]`).getByRole('button', { name: /^Delete/ });
  await del.focus();
  const focusedName = await page.evaluate(() => document.activeElement.getAttribute('aria-label') ?? document.activeElement.textContent);
  // A row's key includes its progress: moving the clock makes the next refresh rebuild the row.
  await server.admin('POST', '/_mock/clock/advance', { seconds: 40 });
  await page.waitForFunction(
    ([taskId, old]) => {
      const label = document.querySelector(`tr[data-task-id="${taskId}"] .iotda-progress-label`)?.textContent;
      return label !== undefined && label !== old;
    },
    [id, before],
    { timeout: 15_000 },
  );
  assert.notEqual(await progress(), before, 'the refresh moved the task on');
  // Focus is put back on the next animation frame after the rows are patched.
  await page.waitForFunction(
    ([taskId, name]) => {
      const active = document.activeElement;
      return active?.isConnected && active.closest('tr')?.getAttribute('data-task-id') === taskId
        && (active.getAttribute('aria-label') ?? active.textContent) === name;
    },
    [id, focusedName],
    { timeout: 5_000 },
  );
  // And the keyboard still works from there: Enter asks for confirmation on that row.
  await page.keyboard.press('Enter');
  await page.locator(`tr[data-task-id="${id}"] [role="group"]`).waitFor();
  await page.keyboard.press('Escape');
  assert.deepEqual(pageErrors, []);
});
