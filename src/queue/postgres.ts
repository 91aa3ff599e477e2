// The render queue on PostgreSQL: pg-boss holds the work (the job and its HTML, fetched by `pia worker`
// processes with SKIP LOCKED), and our own table pia_render_jobs holds what a status URL needs — the
// job's ids, its state, its Japanese error and the finished PDF — until it expires. Any server process on
// the same database can answer any job's status URL; no process keeps state another needs.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import PgBoss from 'pg-boss';
import { createPgPool } from '../store/postgres/pool.ts';
import {
  QueueFullError,
  isFinished,
  retryAfterFor,
  type RenderJobInput,
  type RenderJobState,
  type RenderJobStatus,
  type RenderQueue,
  type RenderResult,
} from './types.ts';

/** The pg-boss queue of PDF renders. */
export const RENDER_QUEUE = 'pia-render';

/** Key of the advisory lock our table's creation holds ('pia_rq' as a number). */
const MIGRATION_LOCK = 0x7069615f7271;

/**
 * Creates pia_render_jobs if it is missing (idempotent; under an advisory lock, so servers and workers
 * starting at once do not race on CREATE TABLE).
 */
export async function migrateRenderTables(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS pia_render_jobs (
        job_id uuid PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('queued', 'rendering', 'done', 'failed', 'cancelled')),
        assessment_id text NOT NULL,
        version_id text NOT NULL,
        org_id text NOT NULL,
        public boolean NOT NULL,
        filename text NOT NULL,
        ttl_seconds integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        expires_at timestamptz NOT NULL,
        error_code text,
        error_message text,
        pdf bytea
      );
      CREATE INDEX IF NOT EXISTS pia_render_jobs_expires ON pia_render_jobs (expires_at);
      CREATE INDEX IF NOT EXISTS pia_render_jobs_state ON pia_render_jobs (state) WHERE state IN ('queued', 'rendering');
    `);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

export interface BossOptions {
  /** Connections of pg-boss's own pool. Default 3. */
  max?: number;
  /** Runs pg-boss maintenance (expiring jobs whose worker died, archiving). Default true. */
  supervise?: boolean;
  onError?: (e: Error) => void;
}

/** Starts pg-boss on `url` (installs or migrates its schema `pgboss`) and makes sure our queue exists. */
export async function startBoss(url: string, o: BossOptions = {}): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    max: o.max ?? 3,
    application_name: 'pia-queue',
    schedule: false,
    supervise: o.supervise ?? true,
  });
  // pg-boss reports connection trouble as 'error' events; unheard, they would end the process.
  boss.on('error', o.onError ?? (() => undefined));
  await boss.start();
  await boss.createQueue(RENDER_QUEUE, { name: RENDER_QUEUE, retryLimit: 0 });
  return boss;
}

export interface PostgresQueueOptions {
  /** postgres://… (the store's database). */
  url: string;
  /** Jobs allowed to wait for a worker; beyond it enqueue throws QueueFullError. Default 64. */
  maxQueued?: number;
  /** How long a finished job (and its PDF) is kept; also how long a job may wait for a worker. Default 600 s. */
  resultTtlSeconds?: number;
  /** Time a worker may spend on one job before pg-boss counts it as failed. Default 180 s. */
  jobTimeoutSeconds?: number;
  onError?: (e: Error) => void;
}

export interface RenderJobData {
  html: string;
  title: string;
  headerText?: string;
  creationDate: string;
  public: boolean;
  ttlSeconds: number;
}

interface Row {
  job_id: string;
  state: RenderJobState;
  assessment_id: string;
  version_id: string;
  org_id: string;
  public: boolean;
  filename: string;
  created_at: Date;
  expires_at: Date;
  error_code: string | null;
  error_message: string | null;
}

const STATUS_COLUMNS =
  'job_id, state, assessment_id, version_id, org_id, public, filename, created_at, expires_at, error_code, error_message';

const WORKER_LOST = {
  code: 'worker-lost',
  message:
    'PDF を作成していた worker が時間内に応答しませんでした (停止または異常終了)。もう一度 PDF を依頼してください。',
};

export async function openPostgresQueue(o: PostgresQueueOptions): Promise<RenderQueue> {
  const pool = createPgPool(o.url, { max: 4, applicationName: 'pia-queue' });
  try {
    await migrateRenderTables(pool);
    const boss = await startBoss(o.url, { ...(o.onError ? { onError: o.onError } : {}) });
    return new PostgresQueue(pool, boss, o);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}

class PostgresQueue implements RenderQueue {
  readonly kind = 'postgres' as const;
  readonly #maxQueued: number;
  readonly #ttl: number;
  readonly #jobTimeout: number;
  #closing: Promise<void> | undefined;
  /** Enqueues of this process still building their job (counted against the bound). */
  #reserved = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly boss: PgBoss,
    o: PostgresQueueOptions,
  ) {
    this.#maxQueued = Math.max(0, Math.floor(o.maxQueued ?? 64));
    this.#ttl = Math.max(1, Math.floor(o.resultTtlSeconds ?? 600));
    this.#jobTimeout = Math.max(1, Math.floor(o.jobTimeoutSeconds ?? 180));
  }

  async checkRoom(): Promise<void> {
    // Jobs not yet fetched by a worker (pg-boss states created/retry). Servers count independently, so under a
    // burst spread over several servers the line may pass the bound by a few; it never grows without bound.
    const waiting = (await this.boss.getQueueSize(RENDER_QUEUE)) + this.#reserved;
    if (waiting >= this.#maxQueued) throw new QueueFullError(await this.#retryAfter(waiting), waiting);
  }

  async enqueue(make: RenderJobInput | (() => Promise<RenderJobInput>)): Promise<string> {
    // Expired jobs go here, on the way in: a table that only grows while PDFs are asked for.
    await this.pool.query('DELETE FROM pia_render_jobs WHERE expires_at < now()');
    // The place is taken before the (async) count, so a burst on this process cannot all pass the check:
    // each request counts the ones of this process that reserved before it.
    const ahead = this.#reserved++;
    try {
      const waiting = (await this.boss.getQueueSize(RENDER_QUEUE)) + ahead;
      if (waiting >= this.#maxQueued) throw new QueueFullError(await this.#retryAfter(waiting), waiting);
      return await this.#add(typeof make === 'function' ? await make() : make);
    } finally {
      this.#reserved--;
    }
  }

  async #add(input: RenderJobInput): Promise<string> {
    const id = randomUUID();
    await this.pool.query(
      `INSERT INTO pia_render_jobs (job_id, state, assessment_id, version_id, org_id, public, filename, ttl_seconds, expires_at)
       VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))`,
      [
        id,
        input.assessmentId,
        input.versionId,
        input.orgId,
        input.public,
        input.filename,
        this.#ttl,
        // A job nobody rendered by then is forgotten along with its row.
        this.#ttl + this.#jobTimeout,
      ],
    );
    const data: RenderJobData = {
      html: input.html,
      title: input.title,
      ...(input.headerText ? { headerText: input.headerText } : {}),
      creationDate: input.creationDate,
      public: input.public,
      ttlSeconds: this.#ttl,
    };
    try {
      await this.boss.send(RENDER_QUEUE, data, {
        id,
        retryLimit: 0,
        expireInSeconds: this.#jobTimeout,
        retentionSeconds: this.#ttl,
      });
    } catch (e) {
      await this.pool.query('DELETE FROM pia_render_jobs WHERE job_id = $1', [id]).catch(() => undefined);
      throw e;
    }
    return id;
  }

  async status(id: string): Promise<RenderJobStatus | null> {
    if (!isUuid(id)) return null;
    let row = await this.#row(id);
    if (!row) return null;
    if (row.state === 'queued' || row.state === 'rendering') {
      // Our row says pending; if pg-boss has already given up on the job (its worker died and the job
      // expired, or maintenance removed it), nobody will ever finish it.
      const job = await this.boss.getJobById(RENDER_QUEUE, id).catch(() => undefined);
      if (
        job === null ||
        (job && (job.state === 'failed' || job.state === 'completed' || job.state === 'cancelled'))
      ) {
        row = await this.#row(id); // the worker may have finished between the two reads
        if (row && (row.state === 'queued' || row.state === 'rendering')) {
          await this.pool.query(
            `UPDATE pia_render_jobs SET state = 'failed', error_code = $2, error_message = $3, finished_at = now(),
               expires_at = now() + make_interval(secs => ttl_seconds)
             WHERE job_id = $1 AND state IN ('queued', 'rendering')`,
            [id, WORKER_LOST.code, WORKER_LOST.message],
          );
          row = await this.#row(id);
        }
      }
    }
    return row ? toStatus(row) : null;
  }

  async result(id: string): Promise<RenderResult | null> {
    if (!isUuid(id)) return null;
    const { rows } = await this.pool.query<{ pdf: Buffer; filename: string }>(
      `SELECT pdf, filename FROM pia_render_jobs WHERE job_id = $1 AND state = 'done' AND expires_at >= now()`,
      [id],
    );
    const r = rows[0];
    return r?.pdf
      ? { pdf: new Uint8Array(r.pdf.buffer, r.pdf.byteOffset, r.pdf.byteLength), filename: r.filename }
      : null;
  }

  async waitFor(id: string, ms: number, signal?: AbortSignal): Promise<RenderJobStatus | null> {
    if (!isUuid(id)) return null;
    const deadline = Date.now() + ms;
    let delay = 100;
    // Polling our small row (no PDF bytes) is cheap; waiting requests are bounded by the queue bound.
    for (;;) {
      const row = await this.#row(id);
      const left = deadline - Date.now();
      if (!row || isFinished(toStatus(row)) || left <= 0 || signal?.aborted) break;
      await sleep(Math.min(delay, left), signal);
      delay = Math.min(500, Math.round(delay * 1.5));
    }
    return this.status(id);
  }

  async cancel(id: string): Promise<void> {
    if (!isUuid(id)) return;
    const { rowCount } = await this.pool.query(
      `UPDATE pia_render_jobs SET state = 'cancelled', finished_at = now(), expires_at = now() + make_interval(secs => ttl_seconds)
       WHERE job_id = $1 AND state IN ('queued', 'rendering')`,
      [id],
    );
    // A job not yet fetched is never fetched; one being rendered finds its row cancelled and drops the PDF.
    if (rowCount) await this.boss.cancel(RENDER_QUEUE, id).catch(() => undefined);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.boss.stop({ graceful: false, wait: true, timeout: 5_000 }).catch(() => undefined);
      await this.pool.end().catch(() => undefined);
    })();
    return this.#closing;
  }

  async #row(id: string): Promise<Row | undefined> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${STATUS_COLUMNS} FROM pia_render_jobs WHERE job_id = $1 AND expires_at >= now()`,
      [id],
    );
    return rows[0];
  }

  /** The jobs ahead × the recent mean render time, over the renders running now (at least one worker). */
  async #retryAfter(waiting: number): Promise<number> {
    const { rows } = await this.pool.query<{ mean_ms: number | null; running: number }>(
      `SELECT (SELECT avg(extract(epoch FROM finished_at - started_at)) * 1000 FROM
                 (SELECT finished_at, started_at FROM pia_render_jobs WHERE state = 'done' AND started_at IS NOT NULL
                  ORDER BY finished_at DESC LIMIT 20) recent)::float8 AS mean_ms,
              (SELECT count(*) FROM pia_render_jobs WHERE state = 'rendering')::int AS running`,
    );
    const r = rows[0];
    return retryAfterFor(waiting, Math.max(1, r?.running ?? 1), r?.mean_ms ?? 2_000);
  }
}

function toStatus(r: Row): RenderJobStatus {
  return {
    id: r.job_id,
    state: r.state,
    assessmentId: r.assessment_id,
    versionId: r.version_id,
    orgId: r.org_id,
    public: r.public,
    filename: r.filename,
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    ...(r.state === 'failed'
      ? {
          error: { code: r.error_code ?? 'failed', message: r.error_message ?? 'PDF の作成に失敗しました。' },
        }
      : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Job ids come from URLs; anything else would be a uuid cast error from PostgreSQL. */
const isUuid = (s: string): boolean => UUID.test(s);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
