// pia collect postgres: a real PostgreSQL server → data stores (tables, columns as 記録項目, row counts,
// persons) and server settings, read in one READ ONLY transaction. Columns map to 記録項目 through the
// mapping file or a column comment 「記録項目: 氏名」; a column mapped to nothing is still listed (by its
// column name), so a column nobody declared shows up in pia check as an undeclared 記録項目 — that is the point.
//
// Credentials: the URL given on the command line must not contain a password (it would sit in shell
// history and CI logs); the password comes from PGPASSWORD or a file. Every message and every snapshot
// field uses the URL without user info and query (redactUrl), and driver errors are scrubbed.
import { appendPointer, buildPointer } from '../../pointer.ts';
import pg from 'pg';
import { InputError } from '../../errors.ts';
import type { PostgresMapping, PostgresTableMapping } from '../mapping.ts';
import { redactUrl, scrubSecrets } from '../provenance.ts';
import { SnapshotBuilder, type PartialSnapshot, type Rec, type SourceInfo } from '../snapshot-builder.ts';

export const SERVER_SETTINGS = [
  'ssl',
  'ssl_min_protocol_version',
  'password_encryption',
  'logging_collector',
  'log_connections',
  'log_disconnections',
  'log_statement',
  'log_min_duration_statement',
  'log_line_prefix',
] as const;

export interface PostgresCollectOptions {
  /** Connection URL without a password. */
  url: string;
  password?: string;
  system: string;
  organization: string;
  asOf: string;
  mapping?: PostgresMapping;
  /** The URL came from the environment (may hold a password), not from the command line. */
  urlFromEnv?: boolean;
  /** Use the planner's estimate (pg_class.reltuples) instead of count(*) (very large tables). */
  estimate?: boolean;
}

export interface PostgresCollectResult {
  snapshot: PartialSnapshot;
  tables: number;
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const COMMENT_ITEM = /^\s*記録項目\s*[:：=]\s*(.+?)\s*$/m;

export function assertNoPasswordInUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError('PostgreSQL の接続先 URL を読めません (例: postgres://user@host:5432/dbname)');
  }
  if (!/^postgres(ql)?:$/.test(u.protocol))
    throw new InputError(`接続先は postgres:// で始まる URL にしてください (${redactUrl(url)})`);
  if (u.password !== '' || /(^|&)password=/i.test(u.search.slice(1)))
    throw new InputError(
      `接続先 URL にパスワードを書かないでください (コマンド履歴やログに残ります): ${redactUrl(url)}。` +
        'パスワードは環境変数 PGPASSWORD か --password-file <ファイル> で渡します',
    );
}

/**
 * pg lets the values parsed from a connection string override explicit ones (an absent password included),
 * so with a password from a file the URL is taken apart here and given field by field.
 */
function clientConfig(url: string, password: string | undefined): pg.ClientConfig {
  if (password === undefined) return { connectionString: url };
  const u = new URL(url);
  const sslmode = u.searchParams.get('sslmode');
  return {
    host:
      decodeURIComponent(u.hostname.replace(/^\[|\]$/g, '')) || (u.searchParams.get('host') ?? 'localhost'),
    ...(u.port ? { port: Number(u.port) } : {}),
    ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
    ...(u.pathname.length > 1 ? { database: decodeURIComponent(u.pathname.slice(1)) } : {}),
    password,
    ...(sslmode && sslmode !== 'disable'
      ? { ssl: sslmode === 'verify-full' ? true : { rejectUnauthorized: false } }
      : {}),
  };
}

function urlPassword(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password ? decodeURIComponent(u.password) : undefined;
  } catch {
    return undefined;
  }
}

function tableKey(schema: string, table: string): string[] {
  return schema === 'public' ? [`public.${table}`, table] : [`${schema}.${table}`];
}

export async function collectPostgres(opts: PostgresCollectOptions): Promise<PostgresCollectResult> {
  if (!opts.urlFromEnv) assertNoPasswordInUrl(opts.url);
  const shown = redactUrl(opts.url);
  const secrets = [opts.password, process.env.PGPASSWORD, urlPassword(opts.url)];
  const client = new pg.Client({
    ...clientConfig(opts.url, opts.password),
    connectionTimeoutMillis: 15_000,
    application_name: 'pia collect',
  });
  const clean = (e: unknown) => scrubSecrets((e as Error).message ?? String(e), secrets);
  try {
    await client.connect();
  } catch (e) {
    // A failed handshake can leave the socket open and the process alive: do not wait for a polite end.
    void client.end().catch(() => {});
    throw new InputError(`PostgreSQL に接続できません (${shown}): ${clean(e)}`);
  }
  try {
    await client.query('BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const mapping = opts.mapping ?? {};
    const db = (await client.query<{ d: string }>('select current_database() as d')).rows[0].d;
    const schemas = mapping.schemas;
    const cols = await client.query<{ s: string; t: string; c: string; comment: string | null; ord: number }>(
      `select c.table_schema as s, c.table_name as t, c.column_name as c, c.ordinal_position as ord,
              col_description(format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position) as comment
         from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
        where t.table_type = 'BASE TABLE'
          and c.table_schema not in ('pg_catalog', 'information_schema')
          and c.table_schema not like 'pg_toast%'
          and ($1::text[] is null or c.table_schema = any($1::text[]))
        order by c.table_schema, c.table_name, c.ordinal_position`,
      [schemas ?? null],
    );
    const tables = new Map<
      string,
      { schema: string; table: string; columns: { name: string; comment: string | null }[] }
    >();
    for (const r of cols.rows) {
      const k = `${r.s}.${r.t}`;
      let t = tables.get(k);
      if (!t) tables.set(k, (t = { schema: r.s, table: r.t, columns: [] }));
      t.columns.push({ name: r.c, comment: r.comment });
    }
    const tableMapping = (schema: string, table: string): PostgresTableMapping | undefined => {
      for (const k of tableKey(schema, table)) if (mapping.tables?.[k]) return mapping.tables[k];
      return undefined;
    };
    for (const k of Object.keys(mapping.tables ?? {})) {
      const [s, t] = k.includes('.') ? k.split('.', 2) : ['public', k];
      if (!tables.has(`${s}.${t}`))
        throw new InputError(`マッピングのテーブル ${k} がデータベース ${db} (${shown}) にありません`);
    }

    const collectedAt = opts.asOf;
    const src: SourceInfo = { kind: 'postgres', source: shown, collectedAt };
    const b = new SnapshotBuilder(opts.organization, opts.asOf, 'pia collect postgres');
    const { value: sys, pointer: sysPointer } = b.system(opts.system);
    let count = 0;
    for (const { schema, table, columns } of [...tables.values()]) {
      const tm = tableMapping(schema, table);
      if (mapping.onlyListed && !tm) continue;
      count++;
      const qualified = `${quoteIdent(schema)}.${quoteIdent(table)}`;
      const fields: Rec[] = [];
      for (const c of columns) {
        const mapped = tm?.columns && c.name in tm.columns ? tm.columns[c.name] : undefined;
        if (mapped === null) continue; // explicitly not a 記録項目 (technical column)
        const fromComment = c.comment ? COMMENT_ITEM.exec(c.comment)?.[1] : undefined;
        const item = mapped ?? fromComment;
        const category = tm?.categories?.[c.name];
        fields.push({ column: c.name, ...(item ? { item } : {}), ...(category ? { category } : {}) });
      }
      let records: number;
      try {
        records = opts.estimate
          ? Math.max(
              0,
              Math.round(
                Number(
                  (
                    await client.query<{ n: number }>(
                      `select reltuples::float8 as n from pg_class where oid = $1::regclass`,
                      [qualified],
                    )
                  ).rows[0]?.n ?? 0,
                ),
              ),
            )
          : Number((await client.query<{ n: string }>(`select count(*) as n from ${qualified}`)).rows[0].n);
      } catch (e) {
        throw new InputError(`テーブル ${schema}.${table} の件数を数えられません (${shown}): ${clean(e)}`);
      }
      const name = mapping.dataStore
        ? `${mapping.dataStore} (${schema}.${table})`
        : `${db}.${schema}.${table}`;
      const file = tm?.file ?? mapping.file;
      const store: Rec = { name, system: opts.system, file: file ?? name, fields, records };
      if (tm?.persons)
        store.persons = await runCount(client, tm.persons, `${schema}.${table} の persons`, shown, clean);
      if (mapping.location) store.location = mapping.location;
      const p = b.addStore(store);
      b.note(p, src, { address: `${db}.${schema}.${table}` });
      b.note(appendPointer(p, 'records'), src, {
        address: `${db}.${schema}.${table}`,
        value: opts.estimate ? 'pg_class.reltuples (推定値)' : 'count(*)',
      });
      if (store.persons !== undefined)
        b.note(appendPointer(p, 'persons'), src, { address: `${db}.${schema}.${table}`, value: tm?.persons });
    }
    if (mapping.persons !== undefined) {
      b.setCounts({ persons: await runCount(client, mapping.persons, 'persons', shown, clean) });
      b.note('/counts/persons', src, { address: db, value: mapping.persons });
    }

    const settings = await client.query<{ name: string; setting: string }>(
      'select name, setting from pg_settings where name = any($1::text[]) order by name',
      [SERVER_SETTINGS as unknown as string[]],
    );
    const map = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
    sys.encryption = { inTransit: map.ssl === 'on' };
    b.note(appendPointer(sysPointer, 'encryption', 'inTransit'), src, { address: 'ssl', value: map.ssl });
    const logged = map.log_statement !== undefined && map.log_statement !== 'none';
    sys.accessLog = { enabled: logged || map.log_connections === 'on' };
    b.note(appendPointer(sysPointer, 'accessLog', 'enabled'), src, {
      address: 'log_statement, log_connections',
      value: `log_statement=${map.log_statement}, log_connections=${map.log_connections}`,
    });
    if (mapping.location) {
      sys.location = mapping.location;
      b.note(appendPointer(sysPointer, 'location'), { ...src, kind: 'mapping' });
    }
    // The settings belong to the server; record them on each of its data stores.
    const snap = b.build();
    for (const [i, d] of ((snap.dataStores ?? []) as Rec[]).entries()) {
      d.serverSettings = map;
      (snap.provenance as Rec[]).push({
        pointer: buildPointer(['dataStores', i, 'serverSettings']),
        kind: 'postgres',
        source: shown,
        address: 'pg_settings',
        collectedAt,
      });
    }
    await client.query('COMMIT');
    return { snapshot: snap, tables: count };
  } catch (e) {
    if (e instanceof InputError) throw new InputError(scrubSecrets(e.message, secrets), e.source);
    throw new InputError(`PostgreSQL から読めません (${shown}): ${clean(e)}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function runCount(
  client: pg.Client,
  sql: string,
  what: string,
  shown: string,
  clean: (e: unknown) => string,
): Promise<number> {
  let rows: Rec[];
  try {
    rows = (await client.query(sql)).rows as Rec[];
  } catch (e) {
    throw new InputError(`${what} の問い合わせが失敗しました (${shown}): ${clean(e)}`);
  }
  const v = rows.length === 1 ? Object.values(rows[0])[0] : undefined;
  const n = typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0)
    throw new InputError(
      `${what} の問い合わせは 0 以上の整数を 1 つ返すようにしてください (例: select count(distinct kojin_bango) from t)`,
    );
  return n;
}
