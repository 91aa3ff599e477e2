// The PostgreSQL render queue across processes: jobs enqueued here are rendered by `pia worker` in another
// process (its own Chromium) on a throwaway PostgreSQL cluster; the bound answers QueueFullError; a
// cancelled job is never rendered; results expire.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { QueueFullError, type RenderQueue } from '../../src/queue/index.ts';
import { openPostgresQueue } from '../../src/queue/postgres.ts';
import { htmlJob, pdfText, spawnWorker, type WorkerProcess } from './helpers.ts';

let cluster: PostgresCluster;
let queue: RenderQueue;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  cluster = await startPostgres();
  queue = await openPostgresQueue({ url: cluster.url, maxQueued: 3, resultTtlSeconds: 60 });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await queue?.close();
  await cluster?.stop();
}, 120_000);

describe('PostgreSQL render queue', () => {
  it('without a worker, jobs wait; past the bound, QueueFullError with a Retry-After; a cancelled job is never rendered', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await queue.enqueue(htmlJob(`待機 ${i}`)));
    const full = await queue.enqueue(htmlJob('溢れ')).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(QueueFullError);
    expect((full as QueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((full as QueueFullError).message).toMatch(/混み合っています/);
    expect((await queue.status(ids[0]))?.state).toBe('queued');
    // The client of these went away: cancelled before any worker exists.
    for (const id of ids) await queue.cancel(id);
    expect((await queue.status(ids[0]))?.state).toBe('cancelled');
    expect(await queue.result(ids[0])).toBeNull();
  });

  it('a `pia worker` in another process renders the job; the PDF text has the title; cancelled jobs stay unrendered', async () => {
    worker = await spawnWorker(cluster.url, 1);
    const id = await queue.enqueue(htmlJob('別プロセスで作成した評価書'));
    const st = await queue.waitFor(id, 50_000);
    expect(st?.state, worker.stderr()).toBe('done');
    const result = await queue.result(id);
    expect(result?.filename).toBe('別プロセスで作成した評価書.pdf');
    expect(pdfText(result!.pdf)).toContain('別プロセスで作成した評価書');
    // Not rendered in this process: this process has no browser at all, and the worker counted it.
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT state, count(*)::int AS n FROM pia_render_jobs GROUP BY state ORDER BY state`,
      );
      expect(rows).toEqual([
        { state: 'cancelled', n: 3 },
        { state: 'done', n: 1 },
      ]);
    } finally {
      await db.end();
    }
  });

  it('unknown and malformed job ids are null, not errors', async () => {
    expect(await queue.status('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await queue.status('not-a-uuid')).toBeNull();
    expect(await queue.result("x'; DROP TABLE pia_render_jobs; --")).toBeNull();
  });

  it('the worker stops on SIGTERM with exit code 0 and reports what it did', async () => {
    const code = await worker!.stop();
    expect(code).toBe(0);
    expect(worker!.stdout()).toMatch(/作成 1 件/);
    worker = undefined;
  });
});
