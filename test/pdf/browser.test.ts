// Browser discovery (no browser started here) and the launch flags.
import { describe, expect, it } from 'vitest';
import {
  BROWSER_CANDIDATES,
  BrowserNotFoundError,
  CHROMIUM_ARGS,
  createPdfRenderer,
  findBrowserExecutable,
} from '../../src/pdf/index.ts';
import { InputError, isUserError } from '../../src/errors.ts';

function fakeFs(executables: string[], scripts: string[] = []) {
  return {
    isExecutable: (p: string) => executables.includes(p),
    isScript: (p: string) => scripts.includes(p),
  };
}

describe('findBrowserExecutable', () => {
  it('checks the candidates in the documented order', () => {
    expect(BROWSER_CANDIDATES).toEqual([
      '/usr/bin/chromium',
      '/usr/lib/chromium/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
    ]);
  });

  it.each([
    [
      'PUPPETEER_EXECUTABLE_PATH wins',
      { PUPPETEER_EXECUTABLE_PATH: '/opt/chrome/chrome' },
      ['/opt/chrome/chrome', '/usr/bin/chromium'],
      [],
      '/opt/chrome/chrome',
    ],
    [
      'first candidate that exists',
      {},
      ['/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
      [],
      '/usr/bin/chromium-browser',
    ],
    [
      '/usr/bin/chromium when it is a binary',
      {},
      ['/usr/bin/chromium', '/usr/lib/chromium/chromium'],
      [],
      '/usr/bin/chromium',
    ],
    [
      'the real binary over the Debian wrapper script',
      {},
      ['/usr/bin/chromium', '/usr/lib/chromium/chromium'],
      ['/usr/bin/chromium'],
      '/usr/lib/chromium/chromium',
    ],
    [
      'a wrapper script when nothing else exists',
      {},
      ['/usr/bin/google-chrome'],
      ['/usr/bin/google-chrome'],
      '/usr/bin/google-chrome',
    ],
    [
      'an empty PUPPETEER_EXECUTABLE_PATH is ignored',
      { PUPPETEER_EXECUTABLE_PATH: ' ' },
      ['/usr/bin/google-chrome'],
      [],
      '/usr/bin/google-chrome',
    ],
  ])('%s', (_name, env, executables, scripts, expected) => {
    expect(findBrowserExecutable(env, fakeFs(executables, scripts))).toBe(expected);
  });

  it('reports a missing browser as a user error with a Japanese message', () => {
    let err: unknown;
    try {
      findBrowserExecutable({}, fakeFs([]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BrowserNotFoundError);
    expect(err).toBeInstanceOf(InputError);
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toContain('PDF 出力に必要な Chromium が見つかりません');
    expect((err as Error).message).toContain('scripts/setup.sh');
    expect((err as Error).message).toContain('PUPPETEER_EXECUTABLE_PATH');
  });

  it('does not fall back when PUPPETEER_EXECUTABLE_PATH points nowhere', () => {
    expect(() =>
      findBrowserExecutable({ PUPPETEER_EXECUTABLE_PATH: '/nope/chrome' }, fakeFs(['/usr/bin/chromium'])),
    ).toThrow(/PUPPETEER_EXECUTABLE_PATH.*\/nope\/chrome/);
  });

  it('reaches renderPdf callers unchanged (not wrapped as a render failure)', async () => {
    const saved = process.env.PUPPETEER_EXECUTABLE_PATH;
    process.env.PUPPETEER_EXECUTABLE_PATH = '/nonexistent/chromium';
    const renderer = createPdfRenderer();
    try {
      await expect(renderer.renderPdf('<p>x</p>', { title: 'x' })).rejects.toBeInstanceOf(
        BrowserNotFoundError,
      );
      expect(renderer.stats().launches).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
      else process.env.PUPPETEER_EXECUTABLE_PATH = saved;
      await renderer.close();
    }
  });

  it('finds the browser installed on this machine', () => {
    const path = findBrowserExecutable({});
    expect(BROWSER_CANDIDATES).toContain(path);
  });
});

describe('CHROMIUM_ARGS', () => {
  it('seal the network and keep the browser quiet', () => {
    expect(CHROMIUM_ARGS).toContain('--host-resolver-rules=MAP * ~NOTFOUND');
    for (const flag of [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ]) {
      expect(CHROMIUM_ARGS).toContain(flag);
    }
  });
});
