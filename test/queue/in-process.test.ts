// The in-process render queue, on its own and behind the real HTTP app, with a gated stand-in renderer so
// that "still rendering" is a state the test decides (no timing): the bound gives 503 + Retry-After, a
// request that waits past its bound gets 202 + a status URL, a client that goes away cancels its job
// (never rendered), failures read as Japanese, and finished jobs expire.
import { afterEach, describe, expect, it } from 'vitest';
import type { PdfRenderer } from '../../src/pdf/index.ts';
import { PdfRenderError } from '../../src/pdf/index.ts';
import { createInProcessQueue, QueueFullError } from '../../src/queue/index.ts';
import { STACK_TRACE, startFixture, type Fixture } from '../api/helpers.ts';
import { htmlJob } from './helpers.ts';

/** A renderer whose renders finish only when the test releases them; it records the titles it rendered. */
function gatedRenderer() {
  const started: string[] = [];
  const finished: string[] = [];
  const gates: { title: string; open: () => void; fail: (e: Error) => void }[] = [];
  const renderer: PdfRenderer = {
    renderPdf(_html, opts) {
      started.push(opts.title);
      return new Promise((resolve, reject) => {
        gates.push({
          title: opts.title,
          open: () => {
            finished.push(opts.title);
            resolve(new TextEncoder().encode(`%PDF-1.7\n% ${opts.title}\n%%EOF\n`));
          },
          fail: reject,
        });
      });
    },
    async close() {},
    stats: () => ({ launches: 0, openPages: 0, peakOpenPages: 0, queued: 0, rendered: finished.length }),
    getBrowser: () => Promise.reject(new Error('stub')),
  };
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(cond()).toBe(true);
  };
  return {
    renderer,
    started,
    finished,
    /** Releases the oldest running render. */
    async releaseNext() {
      await until(() => gates.length > 0);
      gates.shift()!.open();
    },
    async failNext(e: Error) {
      await until(() => gates.length > 0);
      gates.shift()!.fail(e);
    },
    until,
  };
}

describe('createInProcessQueue', () => {
  it('runs N at a time, bounds the waiting ones, cancels, reports failures in Japanese, expires results', async () => {
    const g = gatedRenderer();
    let now = 1_000_000;
    const q = createInProcessQueue({
      renderer: g.renderer,
      concurrency: 1,
      maxWaiting: 2,
      resultTtlMs: 60_000,
      now: () => now,
    });
    const a = await q.enqueue(htmlJob('A'));
    const b = await q.enqueue(htmlJob('B'));
    const c = await q.enqueue(htmlJob('C'));
    const full = await q.enqueue(htmlJob('D')).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(QueueFullError);
    expect((full as QueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((await q.status(a))?.state).toBe('rendering');
    expect((await q.status(b))?.state).toBe('queued');
    // B's client went away: B is never rendered.
    await q.cancel(b);
    expect((await q.status(b))?.state).toBe('cancelled');
    await g.releaseNext(); // A
    expect((await q.waitFor(a, 5_000))?.state).toBe('done');
    expect(new TextDecoder().decode((await q.result(a))!.pdf)).toContain('% A');
    await g.failNext(new PdfRenderError('timeout', 'PDF の生成が制限時間（120 秒）内に終わりませんでした。'));
    const failed = await q.waitFor(c, 5_000);
    expect(failed?.state).toBe('failed');
    expect(failed?.error).toEqual({ code: 'timeout', message: expect.stringMatching(/制限時間/) });
    expect(g.started).toEqual(['A', 'C']);
    // Other errors never show their own (English, internal) text.
    const d = await q.enqueue(htmlJob('E'));
    await g.failNext(new TypeError('Cannot read properties of undefined'));
    expect((await q.waitFor(d, 5_000))?.error?.message).toMatch(/^PDF の作成に失敗しました/);
    // Past the retention, jobs and PDFs are gone.
    now += 60_001;
    expect(await q.status(a)).toBeNull();
    expect(await q.result(a)).toBeNull();
    await q.close();
  });

  it('a render that finishes after its job was cancelled keeps no PDF', async () => {
    const g = gatedRenderer();
    const q = createInProcessQueue({ renderer: g.renderer, concurrency: 1, maxWaiting: 1 });
    const a = await q.enqueue(htmlJob('A'));
    await g.until(() => g.started.length === 1);
    await q.cancel(a);
    await g.releaseNext();
    expect((await q.status(a))?.state).toBe('cancelled');
    expect(await q.result(a)).toBeNull();
    await q.close();
  });
});

describe('the PDF endpoint on the in-process queue (real HTTP)', () => {
  let fx: Fixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  it('202 + status URL past the wait, 503 + Retry-After past the bound, 200 PDF from the status URL; other requests answered meanwhile', async () => {
    const g = gatedRenderer();
    fx = await startFixture({ pdf: g.renderer, pdfQueue: { concurrency: 1, maxWaiting: 2 }, pdfWaitMs: 0 });
    const { assessment } = await fx.newAssessment();
    const token = fx.tokens.officer;
    const pdfPath = `/api/assessments/${assessment.id}/versions/latest/pdf`;
    // 1 rendering + 2 waiting fill the queue; the 4th and 5th are refused.
    const replies = [];
    for (let i = 0; i < 5; i++)
      replies.push(await fx.call('GET', `${pdfPath}?edition=${i % 2 ? 'public' : 'internal'}`, { token }));
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 503, 503]);
    const busy = replies[3];
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((busy.json as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'pdf-busy',
      message: expect.stringMatching(/混み合っています/),
    });
    const pending = replies[0];
    const location = pending.headers.get('location')!;
    expect(location).toMatch(
      new RegExp(`^/api/assessments/${assessment.id}/versions/[^/]+/pdf/jobs/[0-9a-f-]{36}$`),
    );
    expect(pending.headers.get('retry-after')).toBe('2');
    expect(pending.json).toMatchObject({
      job: { state: 'rendering', edition: 'internal' },
      statusUrl: location,
    });
    // While PDFs queue, health and a JSON read are answered.
    expect((await fx.call('GET', '/api/health', { token })).status).toBe(200);
    expect((await fx.call('GET', `/api/assessments/${assessment.id}`, { token })).status).toBe(200);
    // Still pending: 202 again; then done: the PDF.
    expect((await fx.call('GET', location, { token })).status).toBe(202);
    await g.releaseNext();
    const done = await fx.call('GET', `${location}?wait=10`, { token });
    expect(done.status).toBe(200);
    expect(done.headers.get('content-type')).toBe('application/pdf');
    expect(done.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''/);
    // Another organisation's reviewer cannot read the job (404, as for the assessment).
    expect((await fx.call('GET', location, { token: fx.tokens.reviewerB })).status).toBe(404);
    // A job id under another version's URL is not found either.
    expect(
      (await fx.call('GET', location.replace(/versions\/[^/]+/, 'versions/nope'), { token })).status,
    ).toBe(404);
    expect(
      (
        await fx.call('GET', location.replace(/jobs\/.*/, 'jobs/00000000-0000-4000-8000-000000000000'), {
          token,
        })
      ).json,
    ).toMatchObject({
      error: { code: 'pdf-job-not-found', message: expect.stringMatching(/見つかりません/) },
    });
    await g.releaseNext();
    await g.releaseNext();
    expect(g.finished.length).toBe(3);
    for (const b of fx.bodies) expect(b).not.toMatch(STACK_TRACE);
  });

  it('answers the PDF itself when it is done within the wait', async () => {
    const g = gatedRenderer();
    fx = await startFixture({ pdf: g.renderer, pdfQueue: { concurrency: 1, maxWaiting: 2 } });
    const { assessment } = await fx.newAssessment();
    const reply = fx.call('GET', `/api/assessments/${assessment.id}/versions/latest/pdf`, {
      token: fx.tokens.admin,
    });
    await g.releaseNext();
    const r = await reply;
    expect(r.status).toBe(200);
    expect(r.text).toContain('%PDF-1.7');
  });

  it('a client that goes away while waiting cancels its job: it is never rendered', async () => {
    const g = gatedRenderer();
    fx = await startFixture({ pdf: g.renderer, pdfQueue: { concurrency: 1, maxWaiting: 4 } });
    const { assessment } = await fx.newAssessment();
    const url = `${fx.url}/api/assessments/${assessment.id}/versions/latest/pdf`;
    const headers = { authorization: `Bearer ${fx.tokens.officer}` };
    // The first occupies the renderer (its answer is handed out: wait=0 → 202).
    const first = await fetch(`${url}?wait=0`, { headers });
    expect(first.status).toBe(202);
    await g.until(() => g.started.length === 1);
    // The second waits in the queue; its client gives up.
    const ac = new AbortController();
    const second = fetch(`${url}?edition=public`, { headers, signal: ac.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    ac.abort();
    expect(await second).toBeInstanceOf(Error);
    // A third, whose client stays, is rendered after the first: the second was skipped.
    const third = fetch(`${url}?wait=30`, { headers });
    await new Promise((r) => setTimeout(r, 200));
    await g.releaseNext();
    await g.releaseNext();
    expect((await third).status).toBe(200);
    expect(g.started.length).toBe(2);
  });

  it('the web page download shows 「作成中」 with a refresh, then gives the PDF', async () => {
    const g = gatedRenderer();
    fx = await startFixture({ pdf: g.renderer, pdfQueue: { concurrency: 1, maxWaiting: 2 }, pdfWaitMs: 0 });
    const { assessment, versions } = await fx.newAssessment();
    // Sign in through the login form (session cookie + CSRF).
    const loginPage = await fetch(`${fx.url}/login`);
    const cookie0 = loginPage.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())?.[1] ?? '';
    const login = await fetch(`${fx.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie0, origin: fx.url },
      body: new URLSearchParams({ token: fx.tokens.officer, _csrf: csrf }).toString(),
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await fetch(
      `${fx.url}/assessments/${assessment.id}/versions/${versions[0].id}/document.pdf`,
      {
        headers: { cookie },
      },
    );
    expect(page.status).toBe(202);
    const html = await page.text();
    expect(html).toContain('PDF を作成中です');
    const refresh = /<meta http-equiv="refresh" content="\d+;url=([^"]+)">/.exec(html)?.[1];
    expect(refresh).toMatch(/document\.pdf\?job=[0-9a-f-]{36}$/);
    await g.releaseNext();
    const pdf = await fetch(`${fx.url}${refresh!.replace(/&amp;/g, '&')}`, { headers: { cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });
});
