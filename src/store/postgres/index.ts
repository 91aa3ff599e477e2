// The PostgreSQL backend's entry: `openStore('postgres://…')` lands here. Opening checks the connection
// and the schema version; it migrates only when asked (`pia serve --migrate`, PIA_DB_MIGRATE=1, or
// `pia db migrate`), so an operator decides when a schema changes under several running servers.
import { InputError } from '../../errors.ts';
import type { StoreOptions } from '../clock.ts';
import { redactUrl } from '../redact.ts';
import type { Store } from '../types.ts';
import { LATEST_SCHEMA, migrate, schemaVersion } from './migrations.ts';
import { connectError, createPgPool } from './pool.ts';
import { PostgresStore } from './store.ts';

export { createPgPool } from './pool.ts';
export { migrate, schemaVersion, LATEST_SCHEMA, MIGRATIONS } from './migrations.ts';
export { PostgresStore } from './store.ts';

export interface PostgresStoreOptions extends StoreOptions {
  /** Apply pending migrations before opening (default false: a schema behind this pia is refused). */
  migrate?: boolean;
  /** Pool size (default 10 or PIA_PG_POOL). */
  poolSize?: number;
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const pool = createPgPool(url, options.poolSize ? { max: options.poolSize } : {});
  const shown = redactUrl(url);
  try {
    let version: number;
    try {
      version = await schemaVersion(pool);
    } catch (e) {
      throw connectError(url, e);
    }
    if (version < LATEST_SCHEMA) {
      if (!options.migrate) {
        throw new InputError(
          version === 0
            ? `PostgreSQL のストア ${shown} にはまだ表がありません。先に pia db migrate --db <URL> を実行してください (または pia serve --migrate)。`
            : `PostgreSQL のストア ${shown} のスキーマは第 ${version} 版で、この pia には第 ${LATEST_SCHEMA} 版が必要です。pia db migrate --db <URL> を実行してください。`,
          shown,
        );
      }
      await migrate(pool);
    } else if (version > LATEST_SCHEMA) {
      throw new InputError(
        `PostgreSQL のストア ${shown} のスキーマ (第 ${version} 版) はこの pia (第 ${LATEST_SCHEMA} 版まで) より新しいため使えません。pia を更新してください。`,
        shown,
      );
    }
    return new PostgresStore(pool, shown, options);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}
