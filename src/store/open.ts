// Which backend a location names. Drivers pass what the user gave (--db, PIA_DB) and never pick a backend
// themselves, so adding one is a change here only.
import { resolve, join } from 'node:path';
import { UsageError } from '../errors.ts';
import type { StoreOptions } from './clock.ts';
import { openLowdbStore } from './lowdb/index.ts';
import { createMemoryStore } from './memory/index.ts';
import { openPostgresStore, type PostgresStoreOptions } from './postgres/index.ts';
import { redactUrl } from './redact.ts';
import type { Store } from './types.ts';

/** `PIA_DB`, or `.pia-data/pia.json` under the working directory. A URL (postgres://…) is returned as is. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  const db = env.PIA_DB;
  if (db && isStoreUrl(db)) return db;
  return resolve(db || join('.pia-data', 'pia.json'));
}

/** `scheme://…`: a database URL rather than a file path (a Windows drive letter has no `//`). */
export function isStoreUrl(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

/**
 * Opens the store at `location`:
 * - `:memory:` — the in-memory backend (nothing survives close);
 * - `postgres://…` / `postgresql://…` — PostgreSQL (several servers on one database); `migrate: true`
 *   applies pending schema migrations first (otherwise a database behind this pia is refused);
 * - anything else — a file path: the embedded lowdb store (index + journal + blobs + lock), created if
 *   missing. Throws StoreLockedError if another process, or this one, has it open; StoreCorruptError if
 *   the files are not a readable PIA store (they are not touched).
 */
export async function openStore(
  location: string = defaultStorePath(),
  options: StoreOptions & Pick<PostgresStoreOptions, 'migrate' | 'poolSize'> = {},
): Promise<Store> {
  if (location === ':memory:') return createMemoryStore(options);
  if (isStoreUrl(location)) {
    const scheme = location.slice(0, location.indexOf(':')).toLowerCase();
    if (scheme === 'postgres' || scheme === 'postgresql') {
      return openPostgresStore(location, options);
    }
    throw new UsageError(
      `ストアの場所「${redactUrl(location)}」の形式 (${scheme}://) には対応していません。ファイルのパスを指定してください。`,
    );
  }
  return openLowdbStore(location, options);
}

export { redactUrl } from './redact.ts';
