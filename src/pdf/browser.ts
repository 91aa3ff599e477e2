// Finding and starting Chromium. Nothing else in the project spawns a browser.
import { accessSync, constants, mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { BrowserNotFoundError, PdfRenderError } from './errors.ts';
import { trackBrowserProcess } from './process-cleanup.ts';

/** Where Chromium is looked for when `PUPPETEER_EXECUTABLE_PATH` is not set, in order. */
export const BROWSER_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/**
 * Flags added to puppeteer's defaults (which already carry --disable-background-networking, --disable-sync,
 * --no-first-run, --disable-dev-shm-usage, --disable-breakpad…; repeated here so the intent is visible).
 * The host resolver rule is the actual network seal: request interception does not see
 * <link rel=prefetch|preconnect> or WebSockets, but every connection needs a resolved address, and
 * `~NOTFOUND` fails the resolution of every name and IP literal. Puppeteer talks over a pipe, so it is
 * not affected.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  // We run as root in containers; the sandbox cannot start there. The page runs no JavaScript and
  // reaches no network, which is what the sandbox would otherwise contain.
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-domain-reliability',
  '--dns-prefetch-disable',
  '--no-pings',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

type Env = Readonly<Record<string, string | undefined>>;

export interface FindBrowserDeps {
  /** True when the path is an executable file. */
  isExecutable?: (path: string) => boolean;
  /** True when the file is a shell script (a distribution wrapper) rather than the browser binary. */
  isScript?: (path: string) => boolean;
}

/**
 * The browser to launch: `PUPPETEER_EXECUTABLE_PATH` when set (it must exist: a wrong explicit path is
 * reported, not silently replaced), else the first of BROWSER_CANDIDATES that exists. A wrapper script
 * such as Debian's /usr/bin/chromium (it sources /etc/chromium.d, loading extensions and API keys) is
 * passed over when a real binary is also installed; it is used only when nothing else is there.
 */
export function findBrowserExecutable(env: Env = process.env, deps: FindBrowserDeps = {}): string {
  const isExecutable = deps.isExecutable ?? isExecutableFile;
  const isScript = deps.isScript ?? isShellScript;
  const explicit = env.PUPPETEER_EXECUTABLE_PATH?.trim();
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new BrowserNotFoundError(
      `PUPPETEER_EXECUTABLE_PATH に指定された Chromium が見つからないか実行できません: ${explicit}` +
        '。パスを確認するか、設定を外して scripts/setup.sh でインストールした Chromium を使ってください。',
      [explicit],
    );
  }
  const found = BROWSER_CANDIDATES.filter((p) => isExecutable(p));
  const binary = found.find((p) => !isScript(p));
  const chosen = binary ?? found[0];
  if (chosen) return chosen;
  throw new BrowserNotFoundError(
    'PDF 出力に必要な Chromium が見つかりません。scripts/setup.sh を実行するか PUPPETEER_EXECUTABLE_PATH を設定してください。' +
      `（確認した場所: ${BROWSER_CANDIDATES.join(', ')}）`,
    BROWSER_CANDIDATES,
  );
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isShellScript(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface LaunchedBrowser {
  browser: Browser;
  executablePath: string;
  userDataDir: string;
  /** Closes the browser (kills it if it does not close in time) and removes the profile directory. */
  close(): Promise<void>;
  /** Resolves once the browser process has exited and its profile directory is gone. */
  readonly exited: Promise<void>;
}

export interface LaunchOptions {
  executablePath?: string;
  launchTimeoutMs?: number;
  /** Upper bound for any single DevTools call (puppeteer's protocolTimeout). */
  protocolTimeoutMs?: number;
}

/** Starts a sealed headless Chromium with a fresh profile directory of its own. */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const executablePath = opts.executablePath ?? findBrowserExecutable();
  const userDataDir = mkdtempSync(join(tmpdir(), 'pia-chromium-'));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      // A pipe instead of a DevTools port: nothing else on the machine can connect to the browser.
      pipe: true,
      userDataDir,
      args: [...CHROMIUM_ARGS],
      // Our own hooks (process-cleanup.ts) close the browser without taking over the process's exit:
      // puppeteer's SIGINT handler would call process.exit(130) under everyone else's feet.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: opts.launchTimeoutMs ?? 30_000,
      protocolTimeout: opts.protocolTimeoutMs ?? 180_000,
      defaultViewport: null,
    });
  } catch (cause) {
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    throw new PdfRenderError(
      'launch-failed',
      `Chromium を起動できませんでした（${executablePath}）。scripts/setup.sh を実行して Chromium と依存ライブラリを確認するか、` +
        'PUPPETEER_EXECUTABLE_PATH を見直してください。',
      { cause },
    );
  }

  const proc = browser.process();
  const untrack = trackBrowserProcess({ pid: proc?.pid, userDataDir });
  const processExited = new Promise<void>((resolve) => {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  const exited = processExited.then(async () => {
    untrack();
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  });
  // If the connection drops (crash, kill), make sure the rest of the process group goes too, so no
  // orphaned renderer keeps memory; `exited` then removes the profile.
  browser.once('disconnected', () => killProcessGroup(proc?.pid));

  return {
    browser,
    executablePath,
    userDataDir,
    exited,
    async close() {
      const timer = setTimeout(() => killProcessGroup(proc?.pid), 5_000);
      try {
        await browser.close();
      } catch {
        killProcessGroup(proc?.pid);
      } finally {
        clearTimeout(timer);
      }
      await exited;
    },
  };
}

/** Puppeteer starts Chromium as a process-group leader (detached), so -pid reaches its helpers too. */
export function killProcessGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
