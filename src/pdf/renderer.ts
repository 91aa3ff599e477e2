// HTML → PDF with one long-lived Chromium and a small pool of reusable pages.
//
// Why reuse pages: opening a tab costs about a quarter of a warm 30-page render (measured with
// bench/render-baseline.ts), and with JavaScript disabled a page keeps no state across documents:
// setContent() replaces the whole document. A page is still retired after `maxUsesPerPage` documents,
// after any failure, and when it has navigated away from about:blank (e.g. a <meta http-equiv=refresh>),
// so nothing can leak from one document into the next.
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { TimeoutError } from 'puppeteer-core';
import { launchBrowser, type LaunchedBrowser } from './browser.ts';
import { BrowserNotFoundError, PdfRenderError } from './errors.ts';
import { setPdfProducer } from './metadata.ts';
import { buildPdfOptions, type PrintOptions } from './page-options.ts';

export interface PdfRendererOptions {
  /** Pages rendering at the same time (each ≈ 0.25 GB in Chromium). Further renders wait in a queue. Default 2. */
  maxPages?: number;
  /**
   * Renders allowed to wait for a page; beyond that renderPdf fails at once with code 'busy'. Default
   * unbounded (a CLI batch queues all its documents); a server should set it (e.g. 64 → HTTP 503).
   */
  maxQueue?: number;
  /** Time for one document (load + print), not counting the wait in the queue. Default 120 s. */
  timeoutMs?: number;
  /** Time for Chromium to start. Default 30 s. */
  launchTimeoutMs?: number;
  /** Documents a page renders before it is replaced by a fresh one. Default 100. */
  maxUsesPerPage?: number;
  /** The browser binary; default: findBrowserExecutable() at the first launch. */
  executablePath?: string;
}

export interface RenderPdfOptions extends PrintOptions {
  /**
   * Written as the PDF's /CreationDate and /ModDate instead of the current time, so that the same HTML
   * gives the same bytes (Chromium's output differs only in those two dates).
   */
  creationDate?: Date;
}

export interface PdfRendererStats {
  /** Browsers started so far (more than 1 means it was relaunched). */
  launches: number;
  /** Pages currently open (idle or rendering). */
  openPages: number;
  /** Highest number of pages open at once. */
  peakOpenPages: number;
  /** Renders currently waiting for a page. */
  queued: number;
  /** Documents rendered successfully. */
  rendered: number;
  /** Process id of the running browser (also its process group), if one is running. */
  browserPid?: number;
}

export interface PdfRenderer {
  /** Renders a complete HTML document to an A4 PDF. Rejects with PdfRenderError or BrowserNotFoundError. */
  renderPdf(html: string, opts: RenderPdfOptions): Promise<Uint8Array>;
  /** Closes the browser and removes its profile. Waiting renders fail with code 'closed'. Idempotent. */
  close(): Promise<void>;
  stats(): PdfRendererStats;
  /** The current browser, started if needed (diagnostics, tests). Do not close it directly. */
  getBrowser(): Promise<Browser>;
}

interface Generation {
  launched: LaunchedBrowser;
  browser: Browser;
  alive: boolean;
  idle: PooledPage[];
  /** The tab Chromium opens at start; adopted as the first pool page instead of opening another. */
  spare: PooledPage | undefined;
  /** Rejects when the browser disconnects, so that no render waits on a dead browser. */
  gone: Promise<never>;
}

interface PooledPage {
  page: Page;
  gen: Generation;
  uses: number;
  /** Its renderer process died (possibly while idle: the OOM killer does not wait for a render). */
  dead: boolean;
  /** Rejects when the page's renderer process crashes. */
  crashed: Promise<never>;
}

const META_REFRESH = /<meta\b[^>]*http-equiv\s*=\s*["']?refresh\b[^>]*>/gi;

const CLOSED_MESSAGE = 'PDF 出力は終了処理に入ったため、この文書は出力されませんでした。';

export function createPdfRenderer(options: PdfRendererOptions = {}): PdfRenderer {
  return new PooledPdfRenderer(options);
}

/** One document with a browser of its own, closed afterwards (the CLI's single `pdf` command). */
export async function renderPdfOnce(
  html: string,
  opts: RenderPdfOptions,
  rendererOptions: PdfRendererOptions = {},
): Promise<Uint8Array> {
  const renderer = createPdfRenderer({ maxPages: 1, ...rendererOptions });
  try {
    return await renderer.renderPdf(html, opts);
  } finally {
    await renderer.close();
  }
}

class PooledPdfRenderer implements PdfRenderer {
  readonly #maxPages: number;
  readonly #maxQueue: number;
  readonly #timeoutMs: number;
  readonly #launchTimeoutMs: number;
  readonly #maxUses: number;
  readonly #executablePath: string | undefined;

  #gen: Generation | undefined;
  #launching: Promise<Generation> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #free: number;
  readonly #waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  readonly #pages = new Set<PooledPage>();
  readonly #stats = { launches: 0, peakOpenPages: 0, rendered: 0 };

  constructor(o: PdfRendererOptions) {
    this.#maxPages = positiveInt(o.maxPages, 2, 'maxPages');
    this.#maxQueue = o.maxQueue === undefined ? Infinity : Math.max(0, Math.floor(o.maxQueue));
    this.#timeoutMs = positiveInt(o.timeoutMs, 120_000, 'timeoutMs');
    this.#launchTimeoutMs = positiveInt(o.launchTimeoutMs, 30_000, 'launchTimeoutMs');
    this.#maxUses = positiveInt(o.maxUsesPerPage, 100, 'maxUsesPerPage');
    this.#executablePath = o.executablePath;
    this.#free = this.#maxPages;
  }

  stats(): PdfRendererStats {
    const gen = this.#gen?.alive ? this.#gen : undefined;
    return {
      ...this.#stats,
      openPages: this.#pages.size,
      queued: this.#waiters.length,
      browserPid: gen?.browser.process()?.pid,
    };
  }

  async getBrowser(): Promise<Browser> {
    if (this.#closed) throw new PdfRenderError('closed', CLOSED_MESSAGE);
    return (await this.#ensureGeneration()).browser;
  }

  async renderPdf(html: string, opts: RenderPdfOptions): Promise<Uint8Array> {
    if (typeof html !== 'string') throw new TypeError('renderPdf: html must be a string');
    if (typeof opts?.title !== 'string') throw new TypeError('renderPdf: opts.title must be a string');
    if (opts.creationDate && Number.isNaN(opts.creationDate.getTime())) {
      throw new TypeError('renderPdf: opts.creationDate is an invalid Date');
    }
    try {
      return await this.#attempt(html, opts);
    } catch (e) {
      // The browser was found dead only once we used it (killed while idle, or crashed under us): one
      // more try on a fresh browser makes the relaunch transparent. A page crash does not qualify.
      if (e instanceof BrowserGone && !this.#closed) {
        try {
          return await this.#attempt(html, opts);
        } catch (e2) {
          throw e2 instanceof BrowserGone ? e2.error : e2;
        }
      }
      throw e instanceof BrowserGone ? e.error : e;
    }
  }

  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.reject(new PdfRenderError('closed', CLOSED_MESSAGE));
    this.#closing = (async () => {
      const gen = this.#gen ?? (await this.#launching?.catch(() => undefined));
      this.#gen = undefined;
      if (gen) {
        gen.alive = false;
        await gen.launched.close();
      }
    })();
    return this.#closing;
  }

  async #attempt(html: string, opts: RenderPdfOptions): Promise<Uint8Array> {
    await this.#takeSlot();
    let lease: PooledPage | undefined;
    let ok = false;
    try {
      lease = await this.#acquirePage();
      const result = await withTimeout(
        Promise.race([this.#print(lease.page, html, opts), lease.crashed, lease.gen.gone]),
        this.#timeoutMs,
      );
      ok = true;
      this.#stats.rendered++;
      const named = setPdfProducer(result);
      return opts.creationDate ? setPdfDates(named, opts.creationDate) : named;
    } catch (e) {
      // A crashed renderer can fail the pending CDP command ("Target closed") a moment before Chromium's
      // crash report arrives; give the report a short grace so the error says what happened.
      if (lease && !(e instanceof PageCrashed) && !(e instanceof PdfRenderError) && !(e instanceof TimeoutError)) {
        const report = lease.crashed.then(
          () => undefined,
          (c: unknown) => c,
        );
        const crash = lease.dead ? await report : await Promise.race([report, sleep(250)]);
        if (crash instanceof PageCrashed) throw this.#classify(crash, lease);
      }
      throw this.#classify(e, lease);
    } finally {
      if (lease) await this.#releasePage(lease, ok);
      this.#giveSlot();
    }
  }

  async #print(page: Page, html: string, opts: RenderPdfOptions): Promise<Uint8Array> {
    // 'load' fires once every subresource has finished or failed; blocked requests fail at once
    // (interception aborts them, the resolver rule refuses the rest), so it does not wait on them.
    // A refresh to about:blank is a navigation interception never sees (see onRequest for the rest).
    await page.setContent(html.replace(META_REFRESH, ''), { waitUntil: 'load', timeout: this.#timeoutMs });
    // The PDF's Title comes from <title>; without one Chromium writes "about:blank".
    await page.evaluate((t: string) => {
      if (!document.title.trim()) document.title = t;
    }, opts.title);
    const pdf = await page.pdf(buildPdfOptions(opts, this.#timeoutMs));
    if (page.url() !== 'about:blank') throw new Error(`the document navigated away to ${page.url()}`);
    return pdf;
  }

  #classify(e: unknown, lease: PooledPage | undefined): Error {
    if (this.#closed && !(e instanceof PdfRenderError && e.code === 'busy')) {
      return e instanceof PdfRenderError && e.code === 'closed'
        ? e
        : new PdfRenderError('closed', CLOSED_MESSAGE, { cause: e });
    }
    if (e instanceof PdfRenderError || e instanceof BrowserNotFoundError || e instanceof BrowserGone)
      return e;
    if (e instanceof PageCrashed) {
      return new PdfRenderError(
        'crashed',
        'PDF の生成中に Chromium の描画プロセスが異常終了しました。文書が大きすぎないか確認し、もう一度実行してください。',
        { cause: e.cause },
      );
    }
    if (lease && (!lease.gen.alive || !lease.gen.browser.connected)) {
      return new BrowserGone(
        new PdfRenderError(
          'crashed',
          'PDF の生成中に Chromium が異常終了しました。もう一度実行してください。',
          { cause: e },
        ),
      );
    }
    if (e instanceof TimeoutError) return timeoutError(this.#timeoutMs, e);
    return new PdfRenderError(
      'failed',
      'PDF の生成に失敗しました（Chromium が文書または印刷設定を受け付けませんでした）。',
      { cause: e },
    );
  }

  // --- slots: at most maxPages renders hold a page; the rest wait in FIFO order ---

  #takeSlot(): Promise<void> {
    if (this.#closed) return Promise.reject(new PdfRenderError('closed', CLOSED_MESSAGE));
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    if (this.#waiters.length >= this.#maxQueue) {
      return Promise.reject(
        new PdfRenderError(
          'busy',
          'PDF 出力の依頼が混み合っています。しばらく待ってからもう一度実行してください。',
        ),
      );
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #giveSlot(): void {
    const next = this.#waiters.shift();
    if (next) next.resolve();
    else this.#free++;
  }

  // --- pages ---

  async #acquirePage(): Promise<PooledPage> {
    const gen = await this.#ensureGeneration();
    for (let idle = gen.idle.pop(); idle; idle = gen.idle.pop()) {
      if (!idle.dead && !idle.page.isClosed()) return idle;
      await this.#closePage(idle);
    }
    let pooled = gen.spare;
    gen.spare = undefined;
    try {
      if (!pooled) {
        pooled = { page: await gen.browser.newPage(), gen, uses: 0, dead: false, crashed: gen.gone };
        this.#pages.add(pooled);
        this.#stats.peakOpenPages = Math.max(this.#stats.peakOpenPages, this.#pages.size);
      }
      const entry = pooled;
      const { page } = entry;
      entry.crashed = new Promise<never>((_, reject) => {
        page.once('error', (err: Error) => {
          entry.dead = true;
          reject(new PageCrashed(err));
        });
      });
      pooled.crashed.catch(() => undefined);
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', onRequest);
      return pooled;
    } catch (e) {
      if (pooled) await this.#closePage(pooled);
      // Killed while idle and not noticed yet: the first command on it fails.
      if (!gen.alive || !gen.browser.connected) {
        throw new BrowserGone(
          new PdfRenderError('crashed', 'Chromium が応答しなくなりました。もう一度実行してください。', {
            cause: e,
          }),
        );
      }
      throw e;
    }
  }

  async #releasePage(p: PooledPage, ok: boolean): Promise<void> {
    p.uses++;
    const reusable =
      ok &&
      !p.dead &&
      !this.#closed &&
      p.gen === this.#gen &&
      p.gen.alive &&
      p.uses < this.#maxUses &&
      !p.page.isClosed() &&
      p.page.url() === 'about:blank';
    if (reusable) p.gen.idle.push(p);
    else await this.#closePage(p);
  }

  async #closePage(p: PooledPage): Promise<void> {
    this.#pages.delete(p);
    if (!p.gen.alive || p.page.isClosed()) return;
    // A hung renderer must not hold the slot forever; the browser reaps the tab on its own.
    await withTimeout(p.page.close(), 5_000).catch(() => undefined);
  }

  // --- browser ---

  #ensureGeneration(): Promise<Generation> {
    if (this.#gen?.alive && this.#gen.browser.connected) return Promise.resolve(this.#gen);
    this.#launching ??= this.#launch().finally(() => {
      this.#launching = undefined;
    });
    return this.#launching;
  }

  async #launch(): Promise<Generation> {
    const launched = await launchBrowser({
      executablePath: this.#executablePath,
      launchTimeoutMs: this.#launchTimeoutMs,
      protocolTimeoutMs: this.#timeoutMs + 10_000,
    });
    this.#stats.launches++;
    if (this.#closed) {
      await launched.close();
      throw new PdfRenderError('closed', CLOSED_MESSAGE);
    }
    const { browser } = launched;
    let markGone!: (e: Error) => void;
    const gone = new Promise<never>((_, reject) => {
      markGone = reject;
    });
    gone.catch(() => undefined);
    const [initial] = await browser.pages().catch(() => [] as Page[]);
    const gen: Generation = { launched, browser, alive: true, idle: [], spare: undefined, gone };
    if (initial) {
      // Counted like any pool page, so that "open pages ≤ maxPages" holds from the start.
      gen.spare = { page: initial, gen, uses: 0, dead: false, crashed: gone };
      this.#pages.add(gen.spare);
      this.#stats.peakOpenPages = Math.max(this.#stats.peakOpenPages, this.#pages.size);
    }
    browser.once('disconnected', () => {
      gen.alive = false;
      if (this.#gen === gen) this.#gen = undefined;
      for (const p of [...this.#pages]) if (p.gen === gen) this.#pages.delete(p);
      gen.idle = [];
      gen.spare = undefined;
      markGone(new Error('Chromium disconnected'));
    });
    this.#gen = gen;
    return gen;
  }
}

function onRequest(req: HTTPRequest): void {
  if (req.isInterceptResolutionHandled()) return;
  const url = req.url();
  const navigation = req.isNavigationRequest();
  // The document arrives by setContent(), never by navigation, so the main frame must not navigate at
  // all (<meta http-equiv=refresh>, even to about:blank). An aborted navigation would replace the
  // document with an error page and the PDF would come out blank; "204 No Content" cancels it and the
  // document stays. The answer is made here; nothing goes out.
  if (navigation && !req.frame()?.parentFrame()) noContent(req);
  // Only inline data and the blank page. No http(s), file, ws, blob or chrome URLs.
  else if (url.startsWith('data:') || url === 'about:blank') req.continue().catch(() => undefined);
  // A blocked frame stays empty instead of showing Chromium's error text in the PDF.
  else if (navigation) noContent(req);
  else req.abort('blockedbyclient').catch(() => undefined);
}

function noContent(req: HTTPRequest): void {
  req.respond({ status: 204, body: '' }).catch(() => undefined);
}

/** Marks a failure caused by the browser having died: renderPdf retries once on a new browser. */
class BrowserGone extends Error {
  constructor(readonly error: PdfRenderError) {
    super(error.message);
  }
}

class PageCrashed extends Error {
  constructor(cause: Error) {
    super('page crashed', { cause });
  }
}

function timeoutError(ms: number, cause?: unknown): PdfRenderError {
  return new PdfRenderError(
    'timeout',
    `PDF の生成が制限時間（${Math.round(ms / 1000)} 秒）内に終わりませんでした。文書を分けるか、時間をおいてもう一度実行してください。`,
    { cause },
  );
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError(ms)), ms);
  });
  // The losing promise may still reject later (page closed under it); that rejection is expected.
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1) throw new RangeError(`createPdfRenderer: ${name} must be ≥ 1`);
  return Math.floor(value);
}

/**
 * Rewrites the /CreationDate and /ModDate of Chromium's output in place. The new value has the same
 * length as the old one (D:YYYYMMDDHHmmSS+00'00'), so the cross-reference offsets stay valid.
 */
export function setPdfDates(pdf: Uint8Array, date: Date): Uint8Array {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const iso = date.toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
  const stamp = `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
  const out = new Uint8Array(pdf);
  for (const m of text.matchAll(/\/(?:CreationDate|ModDate) \((D:[0-9]{14}[^)]*)\)/g)) {
    const old = m[1];
    if (old.length !== stamp.length) continue;
    const start = (m.index ?? 0) + m[0].indexOf('(') + 1;
    out.set(Buffer.from(stamp, 'latin1'), start);
  }
  return out;
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
