// What `pia worker` runs (and `pia serve --render-in-process` on PostgreSQL): N pg-boss workers on the
// render queue, each rendering one job at a time on one pooled Chromium, results into pia_render_jobs.
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { createPdfRenderer, type PdfRenderer } from '../pdf/index.ts';
import { createPgPool } from '../store/postgres/pool.ts';
import { describeRenderError, renderPayload } from './render-job.ts';
import { RENDER_QUEUE, migrateRenderTables, startBoss, type RenderJobData } from './postgres.ts';

export interface RenderWorkerOptions {
  /** postgres://… (the store's database). */
  url: string;
  /** Jobs rendered at the same time (pages of the one browser). Default 2. */
  concurrency?: number;
  /** How often an idle worker looks for jobs, in seconds (pg-boss polls; ≥ 0.5). Default 0.5. */
  pollingIntervalSeconds?: number;
  /** A renderer to use instead of starting one (tests); it is not closed by close(). */
  renderer?: PdfRenderer;
  onError?: (e: Error) => void;
  /** Called after each job with its outcome (logging). */
  onJob?: (event: {
    id: string;
    outcome: 'done' | 'failed' | 'skipped';
    ms: number;
    message?: string;
  }) => void;
}

export interface RenderWorker {
  readonly concurrency: number;
  stats(): { done: number; failed: number; skipped: number };
  /** Stops fetching, lets running renders finish (up to 30 s), closes the browser and the connections. */
  close(): Promise<void>;
}

export async function startRenderWorker(o: RenderWorkerOptions): Promise<RenderWorker> {
  const concurrency = Math.max(1, Math.floor(o.concurrency ?? 2));
  const pool = createPgPool(o.url, { max: Math.min(10, concurrency + 1), applicationName: 'pia-worker' });
  const ownRenderer = !o.renderer;
  const renderer = o.renderer ?? createPdfRenderer({ maxPages: concurrency });
  let boss: PgBoss | undefined;
  const counts = { done: 0, failed: 0, skipped: 0 };
  try {
    await migrateRenderTables(pool);
    boss = await startBoss(o.url, { ...(o.onError ? { onError: o.onError } : {}) });
    const handle = makeHandler(pool, renderer, counts, o.onJob);
    // One pg-boss worker fetches and finishes one job at a time; N of them render N at once.
    for (let i = 0; i < concurrency; i++) {
      await boss.work<RenderJobData>(
        RENDER_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: o.pollingIntervalSeconds ?? 0.5 },
        async ([job]) => handle(job),
      );
    }
  } catch (e) {
    await boss?.stop({ graceful: false, wait: true, timeout: 5_000 }).catch(() => undefined);
    if (ownRenderer) await renderer.close();
    await pool.end().catch(() => undefined);
    throw e;
  }
  const b = boss;
  let closing: Promise<void> | undefined;
  return {
    concurrency,
    stats: () => ({ ...counts }),
    close() {
      closing ??= (async () => {
        await b.stop({ graceful: true, wait: true, timeout: 30_000 }).catch(() => undefined);
        if (ownRenderer) await renderer.close();
        await pool.end().catch(() => undefined);
      })();
      return closing;
    },
  };
}

function makeHandler(
  pool: pg.Pool,
  renderer: PdfRenderer,
  counts: { done: number; failed: number; skipped: number },
  onJob: RenderWorkerOptions['onJob'],
) {
  return async (job: PgBoss.Job<RenderJobData>): Promise<{ outcome: string }> => {
    const started = Date.now();
    // Claim the row: a job cancelled (its client went away) or expired meanwhile is not rendered.
    const claimed = await pool.query(
      `UPDATE pia_render_jobs SET state = 'rendering', started_at = now()
       WHERE job_id = $1 AND state = 'queued' AND expires_at >= now()`,
      [job.id],
    );
    if (!claimed.rowCount) {
      counts.skipped++;
      onJob?.({ id: job.id, outcome: 'skipped', ms: 0 });
      return { outcome: 'skipped' };
    }
    let pdf: Uint8Array;
    try {
      pdf = await renderPayload(renderer, job.data);
    } catch (e) {
      const err = describeRenderError(e);
      await pool.query(
        `UPDATE pia_render_jobs SET state = 'failed', error_code = $2, error_message = $3, finished_at = now(),
           expires_at = now() + make_interval(secs => ttl_seconds)
         WHERE job_id = $1 AND state = 'rendering'`,
        [job.id, err.code, err.message],
      );
      counts.failed++;
      onJob?.({ id: job.id, outcome: 'failed', ms: Date.now() - started, message: err.message });
      // pg-boss records the job as failed too (no retry: the requester sees the message and decides).
      throw new Error(err.message);
    }
    // Only a row still 'rendering' takes the PDF: cancelled meanwhile means nobody collects it.
    const stored = await pool.query(
      `UPDATE pia_render_jobs SET state = 'done', pdf = $2, finished_at = now(),
         expires_at = now() + make_interval(secs => ttl_seconds)
       WHERE job_id = $1 AND state = 'rendering'`,
      [job.id, Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)],
    );
    const outcome = stored.rowCount ? 'done' : 'skipped';
    counts[outcome]++;
    onJob?.({ id: job.id, outcome, ms: Date.now() - started });
    return { outcome };
  };
}
