// One browser, a bounded pool of pages, relaunch after a crash, clean shutdown.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Target } from 'puppeteer-core';
import { createPdfRenderer, PdfRenderError, renderPdfOnce, type PdfRenderer } from '../../src/pdf/index.ts';
import { generateSampleHtml } from '../../bench/lib/sample-html.ts';
import { japaneseDocument } from './fixtures/html.ts';
import { isProcessAlive, liveProcessesInGroup, pdfText } from './pdf-tools.ts';

function userDataDirOf(browser: Browser): string {
  const arg = browser.process()?.spawnargs.find((a) => a.startsWith('--user-data-dir='));
  if (!arg) throw new Error('no --user-data-dir');
  return arg.slice('--user-data-dir='.length);
}

/** Counts open page targets of a browser, remembering the highest count seen. */
function watchPages(browser: Browser): { peak: () => number } {
  const isPage = (t: Target) => t.type() === 'page';
  let open = browser.targets().filter(isPage).length;
  let peak = open;
  browser.on('targetcreated', (t: Target) => {
    if (isPage(t)) peak = Math.max(peak, ++open);
  });
  browser.on('targetdestroyed', (t: Target) => {
    if (isPage(t)) open--;
  });
  return { peak: () => peak };
}

let renderer: PdfRenderer;

beforeAll(() => {
  renderer = createPdfRenderer({ maxPages: 2 });
});

afterAll(async () => {
  await renderer?.close();
});

describe('pool', () => {
  it('renders 8 documents at once with never more than 2 pages open, each with its own content', async () => {
    const watcher = watchPages(await renderer.getBrowser());
    const docs = Array.from({ length: 8 }, (_, i) =>
      japaneseDocument({ title: `文書${i}`, body: `<p>本文番号〈${i}〉</p>` }),
    );
    const pdfs = await Promise.all(docs.map((html, i) => renderer.renderPdf(html, { title: `評価書${i}` })));
    pdfs.forEach((pdf, i) => {
      const text = pdfText(pdf);
      expect(text).toContain(`本文番号〈${i}〉`);
      expect(text).toContain(`評価書${i}`);
      expect(text.match(/本文番号〈\d〉/g)).toEqual([`本文番号〈${i}〉`]);
    });
    expect(watcher.peak()).toBeLessThanOrEqual(2);
    const stats = renderer.stats();
    expect(stats.peakOpenPages).toBeLessThanOrEqual(2);
    expect(stats.launches).toBe(1);
    expect(stats.queued).toBe(0);
  });

  it('relaunches transparently after the browser was killed', async () => {
    const browser = await renderer.getBrowser();
    const pid = browser.process()?.pid;
    const profile = userDataDirOf(browser);
    const launches = renderer.stats().launches;
    browser.process()?.kill('SIGKILL');
    const pdf = await renderer.renderPdf(japaneseDocument({ title: 'x', body: '<p>再起動後の文書</p>' }), {
      title: 'x',
    });
    expect(pdfText(pdf)).toContain('再起動後の文書');
    expect(renderer.stats().launches).toBe(launches + 1);
    expect((await renderer.getBrowser()).process()?.pid).not.toBe(pid);
    await expect.poll(() => liveProcessesInGroup(pid!)).toEqual([]);
    await expect.poll(() => existsSync(profile)).toBe(false);
  });

  it('finishes a render during which the browser is killed (retried on a new browser)', async () => {
    const browser = await renderer.getBrowser();
    const rendering = renderer.renderPdf(generateSampleHtml(10), { title: '途中で停止' });
    setImmediate(() => browser.process()?.kill('SIGKILL'));
    const text = pdfText(await rendering);
    expect(text).toContain('途中で停止');
  });

  it('reports a crashed page as code "crashed" and never hands a crashed idle page to the next document', async () => {
    // Two idle pages in the pool, so that one of them crashes while idle.
    const warm = japaneseDocument({ title: 'x', body: '<p>準備</p>' });
    await Promise.all([renderer.renderPdf(warm, { title: 'x' }), renderer.renderPdf(warm, { title: 'x' })]);
    const browser = await renderer.getBrowser();
    const rendering = renderer
      .renderPdf(generateSampleHtml(10), { title: 'クラッシュ' })
      .catch((e: unknown) => e);
    // Crash every tab's renderer process: the busy one and the idle one.
    const crashes: Promise<unknown>[] = [];
    for (const page of await browser.pages()) {
      crashes.push(new Promise((resolve) => page.once('error', resolve)));
      const session = await page.createCDPSession();
      session.send('Page.crash').catch(() => undefined);
    }
    const err = await rendering;
    // Chromium reports each crash asynchronously; the next documents come after the reports (a page that
    // crashes in the instant between its report and its lease is the browser's race, not the pool's).
    await Promise.race([Promise.all(crashes), new Promise((r) => setTimeout(r, 5000))]);
    expect(err).toBeInstanceOf(PdfRenderError);
    expect((err as PdfRenderError).code).toBe('crashed');
    expect((err as PdfRenderError).message).toMatch(/異常終了/);
    const after = japaneseDocument({ title: 'x', body: '<p>クラッシュ後</p>' });
    const pdfs = await Promise.all([
      renderer.renderPdf(after, { title: 'x' }),
      renderer.renderPdf(after, { title: 'x' }),
    ]);
    for (const pdf of pdfs) expect(pdfText(pdf)).toContain('クラッシュ後');
    expect(renderer.stats().openPages).toBeLessThanOrEqual(2);
  });

  it('rejects beyond maxQueue with code "busy", and the rest still completes', async () => {
    const small = createPdfRenderer({ maxPages: 1, maxQueue: 1 });
    try {
      const html = japaneseDocument({ title: 'q', body: '<p>待ち行列</p>' });
      const results = await Promise.allSettled([1, 2, 3].map(() => small.renderPdf(html, { title: 'q' })));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
      const err = (results[2] as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(PdfRenderError);
      expect(err.code).toBe('busy');
      expect(err.message).toMatch(/混み合って/);
    } finally {
      await small.close();
    }
  });

  it('reports a timeout as a PdfRenderError and retires the page', async () => {
    const hasty = createPdfRenderer({ maxPages: 1, timeoutMs: 1 });
    try {
      const err = await hasty.renderPdf(generateSampleHtml(5), { title: 't' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PdfRenderError);
      expect((err as PdfRenderError).code).toBe('timeout');
      expect((err as PdfRenderError).message).toMatch(/制限時間/);
      expect(hasty.stats().openPages).toBe(0);
    } finally {
      await hasty.close();
    }
  });

  it('closes: browser process and profile gone, waiting and later renders rejected with code "closed"', async () => {
    const own = createPdfRenderer({ maxPages: 1 });
    const browser = await own.getBrowser();
    const pid = browser.process()!.pid!;
    const profile = userDataDirOf(browser);
    expect(existsSync(profile)).toBe(true);
    const html = japaneseDocument({ title: 'c', body: '<p>終了</p>' });
    const inFlight = [1, 2, 3].map(() => own.renderPdf(html, { title: 'c' }).catch((e: unknown) => e));
    await own.close();
    await own.close(); // idempotent
    for (const result of await Promise.all(inFlight)) {
      if (result instanceof Uint8Array) continue; // the first may have finished before close
      expect(result).toBeInstanceOf(PdfRenderError);
      expect((result as PdfRenderError).code).toBe('closed');
    }
    await expect(own.renderPdf(html, { title: 'c' })).rejects.toMatchObject({ code: 'closed' });
    expect(isProcessAlive(pid)).toBe(false);
    await expect.poll(() => liveProcessesInGroup(pid)).toEqual([]);
    expect(existsSync(profile)).toBe(false);
  });

  it('renderPdfOnce starts a browser for one document and closes it', async () => {
    const pdf = await renderPdfOnce(japaneseDocument({ title: 'x', body: '<p>一度だけ</p>' }), {
      title: '単発',
    });
    const text = pdfText(pdf);
    expect(text).toContain('一度だけ');
    expect(text).toContain('単発');
  });

  it('reports a browser that does not start as launch-failed, in Japanese', async () => {
    const broken = createPdfRenderer({ executablePath: '/bin/false', launchTimeoutMs: 10_000 });
    try {
      const err = await broken.renderPdf('<p>x</p>', { title: 'x' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PdfRenderError);
      expect((err as PdfRenderError).code).toBe('launch-failed');
      expect((err as PdfRenderError).message).toMatch(/Chromium を起動できませんでした/);
    } finally {
      await broken.close();
    }
  });
});
