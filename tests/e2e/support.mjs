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
 * failing unless it is a 200. */
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
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/** A headless Chromium with the flags this sandbox needs, and a page that fails the test on a
 * JavaScript error (a panic in the wasm shows up as one). */
export async function openBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1300, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  return { browser, page, errors };
}

/** `YYYY-MM-DDTHH:MM` in the local time zone, what a datetime-local input holds. */
export function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
