// The one place a `pg.Pool` is made, for the store and for anything else on the same database (the PDF
// queue). Types are parsed per pool, never through pg's global parsers, so other users of `pg` in the
// process are not affected.
import pg from 'pg';
import { InputError } from '../../errors.ts';
import { redactText, redactUrl } from '../redact.ts';

export interface PgPoolOptions {
  /** Connections at most (default 10, or PIA_PG_POOL). */
  max?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
}

const INT8 = 20;

/** A pool on `url` (postgres://…). bigint columns come back as numbers (counts and audit seq fit). */
export function createPgPool(url: string, options: PgPoolOptions = {}): pg.Pool {
  const envMax = Number(process.env.PIA_PG_POOL);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? (Number.isInteger(envMax) && envMax > 0 ? envMax : 10),
    application_name: options.applicationName ?? 'pia',
    connectionTimeoutMillis: 15_000,
    idleTimeoutMillis: 30_000,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as never,
    },
  });
  // An idle connection that dies (server restart, network) must not crash the process: the pool drops it
  // and the next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
}

/** A failure to reach the database, as a message for users (exit 2), without the password. */
export function connectError(url: string, e: unknown): InputError {
  const msg = redactText((e as Error)?.message ?? String(e));
  return new InputError(`PostgreSQL のストア ${redactUrl(url)} に接続できません (${msg})`, redactUrl(url));
}
