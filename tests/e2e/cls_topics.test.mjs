// The CLS page's topic picker, end to end: the account's topics come from DescribeTopics (through a
// proxy in front of the mock, as in a real deployment), the topics the server's configuration names
// come first as favourites, the search box narrows both (a name part, or a pasted id), a pick puts
// the topic in the URL, and a failing DescribeTopics shows its error while the favourites and a
// typed topic id keep working. The mock's faults make the failure certain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, openBrowser } from './support.mjs';

const NGINX = '2f6c1d3e-8a47-4b9e-9c21-5d7e3f4a6b80';
const AUDIT = 'c4d8e2f1-6a3b-4c7d-9e0f-1a2b3c4d5e6f';
const CLOSED = 'e9f0a1b2-c3d4-4e5f-a6b7-c8d9e0f1a2b3';

let upstream;
let withFavourite;
let withNone;
let browser;
let page;
let pageErrors;
let configDir;

/** A proxy in front of the mock for CLS only, its favourites in a config file when given. */
async function proxy(favourites) {
  const env = {
    TENCENTCLOUD_SECRET_ID: 'AKIDsdktest0000000000000000000000000',
    TENCENTCLOUD_SECRET_KEY: 'sdktestsecretkeynotreal0000000000',
    EXPORT_DESK_CLS_REGION: 'ap-guangzhou',
    EXPORT_DESK_CLS_ENDPOINT: upstream.url,
  };
  if (!favourites) return startServer(['--mode', 'proxy'], env);
  const file = path.join(configDir, 'desk.toml');
  const entries = favourites.map(({ id, name }) => `{ id = ${JSON.stringify(id)}, name = ${JSON.stringify(name)} }`);
  await writeFile(file, `[cls]\ntopics = [${entries.join(', ')}]\n`);
  return startServer(['--mode', 'proxy', '--config', file], env);
}

before(async () => {
  upstream = await startServer(['--demo-tasks', '0', '--seed', '7']);
  configDir = await mkdtemp(path.join(tmpdir(), 'desk-cls-topics-'));
  withFavourite = await proxy([{ id: AUDIT, name: 'audit-trail' }]);
  withNone = await proxy(null);
  ({ browser, page, errors: pageErrors } = await openBrowser());
});

after(async () => {
  await browser?.close();
  await withFavourite?.stop();
  await withNone?.stop();
  await upstream?.stop();
  if (configDir) await rm(configDir, { recursive: true, force: true });
});

const favourites = () => page.locator('#topic-select .topic-favourites option').allInnerTexts();
const account = () => page.locator('#topic-select .topic-account option').allInnerTexts();

/** Waits until the account group lists exactly `names`. */
async function accountListIs(names) {
  await page.waitForFunction(
    (expected) => JSON.stringify([...document.querySelectorAll('#topic-select .topic-account option')].map((o) => o.textContent.trim())) === expected,
    JSON.stringify(names),
  );
}

/** The DescribeTopics calls that reached the mock since the journal was cleared, as their bodies. */
async function topicCalls() {
  const { entries } = await upstream.admin('GET', '/_mock/journal?operation=cls:DescribeTopics');
  return entries.map((entry) => JSON.parse(entry.body || '{}'));
}

test('the favourites come first, then the account\'s other topics from DescribeTopics', async () => {
  await upstream.admin('DELETE', '/_mock/journal');
  await page.goto(withFavourite.url + '/cls/exports');
  await accountListIs(['app-backend', 'nginx-access', 'legacy-archive (closed)']);
  assert.deepEqual(await favourites(), ['audit-trail']);
  const groups = await page.locator('#topic-select optgroup').evaluateAll((all) => all.map((g) => g.label));
  assert.deepEqual(groups, ['Favourites', 'In this account'], 'favourites first');
  assert.equal(await page.locator('#topic-found').innerText(), '4 topics');
  assert.deepEqual(await topicCalls(), [{ Offset: 0, Limit: 20 }], 'one page of every topic, the default page size');
  // The picker is labelled for assistive technology: the search box, the select and the status.
  assert.equal(await page.getByRole('searchbox', { name: 'Find a topic' }).count(), 1);
  assert.equal(await page.getByRole('combobox', { name: 'Topic', exact: true }).count(), 1);
  assert.equal(await page.getByRole('status').filter({ hasText: '4 topics' }).count(), 1);
});

test('a name part searches by topicName, a pick goes in the URL, and the form knows the topic', async () => {
  await upstream.admin('DELETE', '/_mock/journal');
  await page.fill('#topic-search', 'NGINX');
  await page.press('#topic-search', 'Enter');
  await accountListIs(['nginx-access']);
  assert.deepEqual(await favourites(), [], 'audit-trail does not match');
  assert.equal(await page.locator('#topic-found').innerText(), '1 topic');
  assert.deepEqual((await topicCalls()).at(-1), { Filters: [{ Key: 'topicName', Values: ['NGINX'] }], Offset: 0, Limit: 20 });
  assert.equal(page.url().includes('topic='), false, 'Enter in the search box searched; it did not submit the id');

  await page.selectOption('#topic-select', NGINX);
  await page.waitForURL((url) => url.searchParams.get('topic') === NGINX);
  await page.getByText('No exports of this topic yet. Create one with the form above.').waitFor();
  assert.match(await page.locator('.cls-topic-note').innerText(), /From topic nginx-access/);
  assert.equal(await page.locator('#topic-id').inputValue(), NGINX, 'the id box follows the pick');
});

test('a pasted id searches by topicId; a closed topic found keeps its status', async () => {
  await upstream.admin('DELETE', '/_mock/journal');
  await page.fill('#topic-search', ` ${CLOSED} `);
  // No Enter: the search runs once typing pauses.
  await page.waitForFunction(() => document.querySelector('#topic-found')?.textContent === '1 topic'
    && [...document.querySelectorAll('#topic-select .topic-account option')].some((o) => o.textContent.includes('legacy-archive')));
  assert.deepEqual((await topicCalls()).at(-1), { Filters: [{ Key: 'topicId', Values: [CLOSED] }], Offset: 0, Limit: 20 });
  // The topic chosen stays listed whatever the search, so the select still shows it.
  assert.deepEqual(await account(), ['nginx-access', 'legacy-archive (closed)']);
  assert.equal(await page.locator('#topic-select').inputValue(), NGINX);
  await page.selectOption('#topic-select', CLOSED);
  await page.waitForURL((url) => url.searchParams.get('topic') === CLOSED);
  await page.getByText('This topic has no exports, and as it is closed none can be made.').waitFor();
  assert.match(await page.locator('.cls-topic-note').innerText(), /legacy-archive is closed/);
});

test('a shared link to a topic that is not a favourite is looked up by its id', async () => {
  await page.goto(`${withFavourite.url}/cls/exports?topic=${NGINX}`);
  await page.getByRole('heading', { name: 'Exports of nginx-access' }).waitFor();
  assert.match(await page.locator('.cls-topic-note').innerText(), /From topic nginx-access/);
  assert.equal(await page.locator('#topic-select').inputValue(), NGINX);
});

test('a search that matches nothing keeps the chosen topic, a favourite too, selected', async () => {
  await page.goto(`${withFavourite.url}/cls/exports?topic=${AUDIT}`);
  await accountListIs(['app-backend', 'nginx-access', 'legacy-archive (closed)']);
  await page.fill('#topic-search', 'zzz');
  await page.press('#topic-search', 'Enter');
  await page.getByRole('status').filter({ hasText: 'No topic matches “zzz”.' }).waitFor();
  assert.deepEqual(await favourites(), ['audit-trail']);
  assert.deepEqual(await account(), []);
  assert.equal(await page.locator('#topic-select').inputValue(), AUDIT, 'not "another topic"');
});

test('DescribeTopics failing shows its error; the favourites and a typed topic id still work', async () => {
  await upstream.admin('POST', '/_mock/faults', { operation: 'cls:DescribeTopics', error_code: 'InternalError', error_msg: 'The topics are unavailable.' });
  try {
    await page.goto(withFavourite.url + '/cls/exports');
    const error = page.locator('.topics-error .error-view');
    await error.waitFor();
    assert.equal(await error.locator('.error-code').innerText(), 'InternalError');
    assert.match(await page.locator('.topics-error').innerText(), /favourites and a typed topic id still work/);
    assert.deepEqual(await favourites(), ['audit-trail'], 'the favourites are still offered');
    assert.equal(await page.locator('#topic-select .topic-account').count(), 0);

    await page.fill('#topic-id', NGINX);
    await page.press('#topic-id', 'Enter');
    await page.waitForURL((url) => url.searchParams.get('topic') === NGINX);
    await page.getByText('No exports of this topic yet. Create one with the form above.').waitFor();
    // Its name could not be looked up either: it is a typed id, and exports still list and create.
    assert.match(await page.locator('.cls-topic-note').innerText(), /typed topic id/);
  } finally {
    await upstream.admin('DELETE', '/_mock/faults');
  }
  // Retry, now that the cloud answers, fills the list.
  await page.locator('.topics-error').getByRole('button', { name: 'Retry' }).click();
  await accountListIs(['app-backend', 'nginx-access', 'legacy-archive (closed)']);
  assert.equal(await page.locator('.topics-error').count(), 0);
  assert.deepEqual(pageErrors, []);
});

test('with no topics configured, any topic of the account can still be picked', async () => {
  await page.goto(withNone.url + '/cls/exports');
  await accountListIs(['app-backend', 'nginx-access', 'audit-trail', 'legacy-archive (closed)']);
  assert.equal(await page.locator('#topic-select .topic-favourites').count(), 0);
  await page.selectOption('#topic-select', { label: 'audit-trail' });
  await page.waitForURL((url) => url.searchParams.get('topic') === AUDIT);
  await page.getByRole('heading', { name: 'Exports of audit-trail' }).waitFor();
  assert.deepEqual(pageErrors, []);
});
