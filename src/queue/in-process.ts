// The render queue of a single server (embedded store): N renders at a time on the pooled renderer, a
// bound on the jobs waiting behind them, finished PDFs kept in memory for a while (and within a byte
// budget) so that a status URL can hand them out.
import { randomUUID } from 'node:crypto';
import type { PdfRenderer } from '../pdf/index.ts';
import { describeRenderError, renderPayload } from './render-job.ts';
import {
  QueueFullError,
  isFinished,
  retryAfterFor,
  type RenderJobInput,
  type RenderJobStatus,
  type RenderQueue,
  type RenderResult,
} from './types.ts';

export interface InProcessQueueOptions {
  renderer: PdfRenderer;
  /** Renders at the same time (keep ≤ the renderer's maxPages). Default 2. */
  concurrency?: number;
  /** Jobs allowed to wait behind the running ones; beyond it enqueue throws QueueFullError. Default 32. */
  maxWaiting?: number;
  /** How long a finished job (and its PDF) is kept. Default 10 minutes. */
  resultTtlMs?: number;
  /** Bytes of finished PDFs kept at most; the oldest go first. Default 256 MB. */
  maxResultBytes?: number;
  now?: () => number;
}

interface Job {
  status: RenderJobStatus;
  input: RenderJobInput | undefined;
  pdf?: Uint8Array;
  finishedAt?: number;
  listeners: Set<() => void>;
}

export function createInProcessQueue(options: InProcessQueueOptions): RenderQueue {
  return new InProcessQueue(options);
}

const CLOSED = {
  code: 'closed',
  message: 'サーバーが終了処理に入ったため、PDF は作成されませんでした。もう一度お試しください。',
};

class InProcessQueue implements RenderQueue {
  readonly kind = 'in-process' as const;
  readonly #renderer: PdfRenderer;
  readonly #concurrency: number;
  readonly #maxWaiting: number;
  readonly #ttl: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #jobs = new Map<string, Job>();
  readonly #waiting: Job[] = [];
  #running = 0;
  /** Places taken by enqueues still building their job. */
  #reserved = 0;
  #bytes = 0;
  #closed = false;
  /** Mean render time (exponential average), for Retry-After. Starts at the measured warm render. */
  #meanMs = 1_000;

  constructor(o: InProcessQueueOptions) {
    this.#renderer = o.renderer;
    this.#concurrency = Math.max(1, Math.floor(o.concurrency ?? 2));
    this.#maxWaiting = Math.max(0, Math.floor(o.maxWaiting ?? 32));
    this.#ttl = o.resultTtlMs ?? 10 * 60_000;
    this.#maxBytes = o.maxResultBytes ?? 256 * 1024 * 1024;
    this.#now = o.now ?? Date.now;
  }

  async checkRoom(): Promise<void> {
    this.#checkRoom();
  }

  /** Synchronous, so that the check and the reservation after it cannot be split by another request. */
  #checkRoom(): void {
    if (this.#closed) throw new QueueFullError(30, this.#waiting.length);
    const taken = this.#running + this.#waiting.length + this.#reserved;
    if (taken >= this.#concurrency + this.#maxWaiting) {
      throw new QueueFullError(
        retryAfterFor(taken, this.#concurrency, this.#meanMs),
        this.#waiting.length + this.#reserved,
      );
    }
  }

  async enqueue(make: RenderJobInput | (() => Promise<RenderJobInput>)): Promise<string> {
    this.#sweep();
    this.#checkRoom();
    this.#reserved++;
    let input: RenderJobInput;
    try {
      input = typeof make === 'function' ? await make() : make;
    } finally {
      this.#reserved--;
    }
    if (this.#closed) throw new QueueFullError(30, this.#waiting.length);
    const id = randomUUID();
    const now = this.#now();
    const job: Job = {
      status: {
        id,
        state: 'queued',
        assessmentId: input.assessmentId,
        versionId: input.versionId,
        orgId: input.orgId,
        public: input.public,
        filename: input.filename,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + this.#ttl).toISOString(),
      },
      input,
      listeners: new Set(),
    };
    this.#jobs.set(id, job);
    this.#waiting.push(job);
    this.#pump();
    return id;
  }

  async status(id: string): Promise<RenderJobStatus | null> {
    this.#sweep();
    const job = this.#jobs.get(id);
    return job ? { ...job.status } : null;
  }

  async result(id: string): Promise<RenderResult | null> {
    this.#sweep();
    const job = this.#jobs.get(id);
    return job?.pdf ? { pdf: job.pdf, filename: job.status.filename } : null;
  }

  async waitFor(id: string, ms: number, signal?: AbortSignal): Promise<RenderJobStatus | null> {
    const job = this.#jobs.get(id);
    if (!job || isFinished(job.status) || ms <= 0 || signal?.aborted) return this.status(id);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        job.listeners.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      job.listeners.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
    return this.status(id);
  }

  async cancel(id: string): Promise<void> {
    const job = this.#jobs.get(id);
    if (!job || isFinished(job.status)) return;
    const i = this.#waiting.indexOf(job);
    if (i >= 0) this.#waiting.splice(i, 1);
    // A running render cannot be stopped half-way on a shared page; its PDF is dropped when it ends.
    this.#finish(job, { state: 'cancelled' });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#waiting.splice(0)) this.#finish(job, { state: 'failed', error: CLOSED });
  }

  #pump(): void {
    while (!this.#closed && this.#running < this.#concurrency && this.#waiting.length > 0) {
      const job = this.#waiting.shift() as Job;
      void this.#run(job);
    }
  }

  async #run(job: Job): Promise<void> {
    this.#running++;
    job.status.state = 'rendering';
    const input = job.input as RenderJobInput;
    const started = this.#now();
    try {
      const pdf = await renderPayload(this.#renderer, input);
      this.#meanMs = this.#meanMs * 0.8 + (this.#now() - started) * 0.2;
      if (job.status.state === 'rendering') this.#finish(job, { state: 'done' }, pdf);
    } catch (e) {
      if (job.status.state === 'rendering')
        this.#finish(job, { state: 'failed', error: describeRenderError(e) });
    } finally {
      this.#running--;
      this.#pump();
    }
  }

  #finish(job: Job, change: Pick<RenderJobStatus, 'state' | 'error'>, pdf?: Uint8Array): void {
    const now = this.#now();
    job.input = undefined; // the HTML is not needed any more
    job.finishedAt = now;
    job.status = {
      ...job.status,
      state: change.state,
      ...(change.error ? { error: change.error } : {}),
      expiresAt: new Date(now + this.#ttl).toISOString(),
    };
    if (pdf) {
      job.pdf = pdf;
      this.#bytes += pdf.byteLength;
      this.#trim();
    }
    for (const l of [...job.listeners]) l();
  }

  /** Forgets finished jobs past their time. */
  #sweep(): void {
    const now = this.#now();
    for (const [id, job] of this.#jobs) {
      if (job.finishedAt !== undefined && job.finishedAt + this.#ttl <= now) this.#forget(id, job);
    }
  }

  /** Over the byte budget: the oldest finished PDFs go first (Map order is insertion order). */
  #trim(): void {
    for (const [id, job] of this.#jobs) {
      if (this.#bytes <= this.#maxBytes) break;
      if (job.pdf) this.#forget(id, job);
    }
  }

  #forget(id: string, job: Job): void {
    if (job.pdf) this.#bytes -= job.pdf.byteLength;
    this.#jobs.delete(id);
  }
}
