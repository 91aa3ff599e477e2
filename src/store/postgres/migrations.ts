// Versioned schema migrations. Each migration is numbered and applied once, in order, in one transaction
// holding an advisory lock, so several servers started at once (`pia serve --migrate`) apply it once and
// the others wait and find it done. Applied versions are recorded in pia_migrations. A database with a
// migration newer than this pia knows is refused: an older binary must not write to a newer schema.
import type pg from 'pg';
import { InputError } from '../../errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Key of the advisory lock migrations hold ("pia" 7069 61, then 2; fits a double exactly). */
const MIGRATION_LOCK = 7_069_610_002;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'store tables',
    sql: `
-- Times are ISO 8601 UTC text exactly as the store hands them out (and as the audit entries hash them);
-- they sort correctly as text. 'ord' keeps creation order where timestamps can tie.
CREATE TABLE pia_organisations (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  name text NOT NULL,
  code text,
  created_at text NOT NULL
);
CREATE TABLE pia_assessments (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  org_id text NOT NULL REFERENCES pia_organisations (id),
  title text NOT NULL,
  form text,
  number text,
  created_at text NOT NULL,
  created_by text NOT NULL,
  updated_at text NOT NULL,
  deleted_at text,
  -- Derived from the versions, kept with the row so lists never touch the versions table.
  latest_version_id text,
  latest_etag text,
  status text,
  version_count integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX pia_assessments_title_key ON pia_assessments (org_id, title) WHERE deleted_at IS NULL;
CREATE INDEX pia_assessments_org ON pia_assessments (org_id, ord);
CREATE INDEX pia_assessments_ord ON pia_assessments (ord);
CREATE INDEX pia_assessments_status ON pia_assessments (status, ord) WHERE deleted_at IS NULL;
CREATE INDEX pia_assessments_form ON pia_assessments (form, ord) WHERE deleted_at IS NULL;

-- Content-addressed bodies (version documents, check-run diagnostics): the exact JSON text whose SHA-256
-- is the key, so every read can verify it.
CREATE TABLE pia_documents (
  hash text PRIMARY KEY,
  body text NOT NULL
);
CREATE TABLE pia_versions (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  assessment_id text NOT NULL REFERENCES pia_assessments (id),
  org_id text NOT NULL,
  number integer NOT NULL,
  etag text NOT NULL,
  author text NOT NULL,
  created_at text NOT NULL,
  message text,
  doc_hash text NOT NULL REFERENCES pia_documents (hash),
  size integer NOT NULL,
  -- Current review status (the last transition's 'to'), for lists.
  status text NOT NULL,
  CONSTRAINT pia_versions_number_key UNIQUE (assessment_id, number)
);
CREATE TABLE pia_transitions (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  version_id text NOT NULL REFERENCES pia_versions (id),
  assessment_id text NOT NULL,
  org_id text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  actor text NOT NULL,
  at text NOT NULL,
  note text
);
CREATE INDEX pia_transitions_version ON pia_transitions (version_id, ord);
CREATE TABLE pia_comments (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  version_id text NOT NULL REFERENCES pia_versions (id),
  assessment_id text NOT NULL,
  org_id text NOT NULL,
  pointer text NOT NULL,
  parent_id text REFERENCES pia_comments (id),
  body text NOT NULL,
  author text NOT NULL,
  created_at text NOT NULL,
  resolved boolean NOT NULL DEFAULT false,
  resolved_at text,
  resolved_by text
);
CREATE INDEX pia_comments_version ON pia_comments (version_id, ord);
CREATE TABLE pia_check_runs (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  version_id text NOT NULL REFERENCES pia_versions (id),
  assessment_id text NOT NULL,
  org_id text NOT NULL,
  actor text NOT NULL,
  created_at text NOT NULL,
  summary jsonb NOT NULL,
  meta jsonb,
  diagnostics_hash text NOT NULL REFERENCES pia_documents (hash)
);
CREATE INDEX pia_check_runs_version ON pia_check_runs (version_id, ord);
CREATE TABLE pia_judgements (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  version_id text NOT NULL REFERENCES pia_versions (id),
  assessment_id text NOT NULL,
  org_id text NOT NULL,
  key text NOT NULL,
  exception text,
  timing text,
  reason text,
  date text,
  actor text NOT NULL,
  at text NOT NULL,
  CONSTRAINT pia_judgements_key UNIQUE (version_id, key)
);
CREATE TABLE pia_reviews (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  assessment_id text NOT NULL REFERENCES pia_assessments (id),
  org_id text NOT NULL,
  date text NOT NULL,
  result text NOT NULL,
  note text,
  actor text NOT NULL,
  at text NOT NULL
);
CREATE INDEX pia_reviews_assessment ON pia_reviews (assessment_id, date, at, ord);
CREATE TABLE pia_users (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL,
  org_id text REFERENCES pia_organisations (id),
  created_at text NOT NULL,
  disabled_at text
);
CREATE INDEX pia_users_org ON pia_users (org_id, ord);
CREATE TABLE pia_tokens (
  ord bigint GENERATED ALWAYS AS IDENTITY,
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES pia_users (id),
  label text NOT NULL,
  created_at text NOT NULL,
  created_by text NOT NULL,
  expires_at text,
  revoked_at text,
  hash text NOT NULL
);
CREATE INDEX pia_tokens_user ON pia_tokens (user_id, ord);
-- The audit log: one hash chain. seq is the primary key and prev_hash unique, so two writers that read
-- the same head can never both append (a fork is a constraint violation, not a broken chain).
-- before/after are JSON text exactly as hashed.
CREATE TABLE pia_audit (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  at text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  org_id text,
  before text NOT NULL,
  after text NOT NULL,
  prev_hash text NOT NULL UNIQUE,
  hash text NOT NULL,
  -- HMAC of hash under the audit key (audit-key.ts), when the writing process had one.
  mac text
);
CREATE INDEX pia_audit_target ON pia_audit (target, seq);
CREATE INDEX pia_audit_org ON pia_audit (org_id, seq);
CREATE INDEX pia_audit_actor ON pia_audit (actor, seq);
-- Web sessions: only the SHA-256 of the session id; token and CSRF value sealed under the id.
CREATE TABLE pia_sessions (
  id_hash text PRIMARY KEY,
  sealed text NOT NULL,
  created_at bigint NOT NULL,
  last_seen bigint NOT NULL
);
CREATE INDEX pia_sessions_last_seen ON pia_sessions (last_seen);
`,
  },
  {
    version: 2,
    name: 'title search index (pg_trgm, when available)',
    // Substring search on 事務名 across every organisation. pg_trgm is a trusted extension (PostgreSQL 13+);
    // where it cannot be created (no contrib, no CREATE privilege) search still works, by a scan.
    sql: `
DO $$
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available: title search scans';
  END;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    EXECUTE 'CREATE INDEX pia_assessments_title_trgm ON pia_assessments USING gin (lower(title) gin_trgm_ops)';
  END IF;
END
$$;
`,
  },
];

export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1].version;

export interface MigrationResult {
  applied: Migration[];
  version: number;
}

async function appliedVersions(client: pg.PoolClient): Promise<number[]> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('pia_migrations')::text AS t`);
  if (exists.rows[0].t === null) return [];
  const r = await client.query<{ version: number }>('SELECT version FROM pia_migrations ORDER BY version');
  return r.rows.map((row) => Number(row.version));
}

/** The schema version of the database (0: never migrated). */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    const v = await appliedVersions(client);
    return v.length ? v[v.length - 1] : 0;
  } finally {
    client.release();
  }
}

/** Applies the migrations the database lacks, each in its own transaction, under the advisory lock. */
export async function migrate(pool: pg.Pool): Promise<MigrationResult> {
  const client = await pool.connect();
  const applied: Migration[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS pia_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = new Set(await appliedVersions(client));
      const newest = Math.max(0, ...done);
      if (newest > LATEST_SCHEMA) {
        throw new InputError(
          `データベースのスキーマ (第 ${newest} 版) はこの pia (第 ${LATEST_SCHEMA} 版まで) より新しいため使えません。pia を更新してください。`,
        );
      }
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO pia_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new InputError(
            `マイグレーション第 ${m.version} 版 (${m.name}) に失敗しました: ${(e as Error).message}`,
          );
        }
        applied.push(m);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
    return { applied, version: LATEST_SCHEMA };
  } finally {
    client.release();
  }
}
