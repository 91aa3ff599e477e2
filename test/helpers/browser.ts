// Shared set-up of the tests that drive the pages in a real headless Chromium (test/web/browser.test.ts,
// test/web/editor-browser.test.ts, test/calendar/browser.test.ts): the real app over HTTP on a free port,
// the system Chromium started the way src/pdf/browser.ts starts it, pages in Japanese, and a tear-down that
// kills the browser's whole process group even when a test (or the set-up itself) failed.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { createApp, type AppOptions } from '../../src/api/index.ts';
import { CHROMIUM_ARGS, findBrowserExecutable, killProcessGroup } from '../../src/pdf/browser.ts';
import { trackBrowserProcess } from '../../src/pdf/process-cleanup.ts';

/** The locale the pages are read in (a municipality's officer). */
export const PAGE_LOCALE = 'ja-JP';
export const PAGE_TIMEZONE = 'Asia/Tokyo';

/**
 * src/pdf's flags, except that the network seal (`MAP * ~NOTFOUND`, which also fails IP literals) lets the
 * loopback address through: these tests browse the app on 127.0.0.1. Everything else stays unresolvable.
 */
export const TEST_CHROMIUM_ARGS: readonly string[] = [
  ...CHROMIUM_ARGS.map((a) =>
    a.startsWith('--host-resolver-rules=') ? `${a}, EXCLUDE 127.0.0.1, EXCLUDE localhost` : a,
  ),
  `--lang=${PAGE_LOCALE}`,
];

export interface TestBrowser {
  browser: Browser;
  /** Closes the browser; kills its process group if it does not close in time. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts the system Chromium (as src/pdf does: pipe, fresh profile, no signal take-over). */
export async function launchTestBrowser(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pia-test-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: findBrowserExecutable(),
      headless: true,
      pipe: true,
      userDataDir,
      args: [...TEST_CHROMIUM_ARGS],
      // The locale comes from --lang and the page's headers, not LANG: the machine has no ja_JP locale, and
      // under an unknown LANG Chromium cannot encode a Japanese download name (it saves 「download」).
      env: { ...process.env, TZ: PAGE_TIMEZONE },
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 30_000,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    throw e;
  }
  const proc = browser.process();
  // If vitest's worker dies before afterAll, the process-exit hook still kills the group.
  const untrack = trackBrowserProcess({ pid: proc?.pid, userDataDir });
  const exited = new Promise<void>((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  let closing: Promise<void> | undefined;
  return {
    browser,
    close() {
      closing ??= (async () => {
        const timer = setTimeout(() => killProcessGroup(proc?.pid), 5_000);
        try {
          await browser.close();
        } catch {
          // A crashed or hung browser: no graceful close, just the kill below.
        } finally {
          clearTimeout(timer);
          // Renderer/zygote helpers that outlive the main process go with the group.
          killProcessGroup(proc?.pid);
        }
        await exited;
        untrack();
        rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
      })();
      return closing;
    },
  };
}

/** A page that reads Japanese (Accept-Language, navigator.language, time zone). */
export async function newJapanesePage(
  owner: Browser | BrowserContext,
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
): Promise<Page> {
  const page = await owner.newPage();
  await page.setExtraHTTPHeaders({ 'Accept-Language': `${PAGE_LOCALE},ja;q=0.9` });
  await page.emulateTimezone(PAGE_TIMEZONE);
  await page.setViewport(viewport);
  return page;
}

export interface TestApp {
  url: string;
  server: Server;
  /** Errors the app logged (a test expects none). */
  logged: string[];
  close(): Promise<void>;
}

/** The real app (createApp) listening on a free port of 127.0.0.1; its error log is collected. */
export async function startTestApp(options: Omit<AppOptions, 'logger'>): Promise<TestApp> {
  const logged: string[] = [];
  const app = createApp({
    ...options,
    logger: { error: (m, e) => logged.push(`${m} ${(e as Error)?.stack}`) },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    logged,
    close() {
      closing ??= new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Signs in through the login form (the page then holds the session cookie). */
export async function loginPage(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.type('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

/**
 * Runs every tear-down step even when one throws (a failed test must not leave Chromium or the server
 * behind), then rethrows the first error.
 */
export async function tearDown(...steps: (() => unknown)[]): Promise<void> {
  let first: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}
