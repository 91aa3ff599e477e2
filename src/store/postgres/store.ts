// The PostgreSQL backend: the Store contract on tables (migrations.ts), for many organisations and several
// server processes on one database.
//
// Writes: like the embedded engine, mutations are queued and applied in group commits, here one database
// transaction per batch with a savepoint per operation (a failed operation — 412, 404 — is rolled back
// alone). Each batch first takes the audit lock (pg_advisory_xact_lock), then reads the chain's head: the
// audit chain stays one unbroken chain whatever process writes, and every transaction takes its locks in
// one order (audit lock, then rows), so writers never deadlock. A version is added under a row lock on its
// assessment (SELECT … FOR UPDATE), after the If-Match check in the same transaction, and the unique
// (assessment, number) constraint makes a lost or doubled version impossible even if that logic were
// wrong. A batch is acknowledged only after COMMIT returned, so a 2xx always names committed data.
//
// Reads go straight to the pool and see only committed data.
import pg from 'pg';

import { InternalError } from '../../errors.ts';
import type { Diagnostic, Json, JsonObject } from '../../types.ts';
import { GENESIS_HASH, sha256Hex, verifyAuditChain } from '../audit-chain.ts';
import { verifyAuditedRecords } from '../audit-records.ts';
import {
  deletedAssessment,
  disabledUser,
  newAssessment,
  newCheckRun,
  newComment,
  newOrganisation,
  newReview,
  newToken,
  newTransition,
  newUser,
  newVersion,
  nextAuditEntry,
  nextJudgement,
  parseAssessmentInput,
  parseAssessmentPatch,
  parseAuditInput,
  parseCheckRunInput,
  parseJudgementInput,
  parseOrganisationInput,
  parseReviewInput,
  parseTokenInput,
  parseTransitionInput,
  parseVersionInput,
  preconditionFailed,
  resolvedComment,
  revokedToken,
  updatedAssessment,
} from '../record-builders.ts';
import { clockOf, newId, type Clock, type StoreOptions } from '../clock.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  StoreCorruptError,
  StoreWriteError,
} from '../errors.ts';
import { etagMatches } from '../etag.ts';
import { redactText } from '../redact.ts';
import { hashSessionId, newSessionRecord, sessionDataOf, type SessionData } from '../sessions.ts';
import { generateToken, newTokenId, parseTokenId, tokenMatches } from '../tokens.ts';
import {
  type AddVersionOptions,
  type Assessment,
  type AssessmentFilter,
  type AssessmentInput,
  type AssessmentPatch,
  type AuditEntry,
  type AuditHead,
  type AuditInput,
  type AuditVerification,
  type ChangeJudgement,
  type ChangeJudgementInput,
  type CheckRun,
  type CheckRunInfo,
  type CheckSummary,
  type Comment,
  type CreatedToken,
  type CreateTokenInput,
  type Organisation,
  type Principal,
  type ReviewRecord,
  type ReviewRecordInput,
  type ReviewStatus,
  type Role,
  type StatusTransition,
  type TransitionInput,
  type Store,
  type TokenInfo,
  type User,
  type Version,
  type VersionInfo,
} from '../types.ts';
import {
  requirePointer,
  requireText,
  validateNewUser,
} from '../validate.ts';

/** Key of the advisory lock that serialises the audit chain's append ("pia" 7069 61, then 1). */
export const AUDIT_LOCK = 7_069_610_001;

type Row = Record<string, unknown>;
const pgDatabaseError = pg.DatabaseError;
type Queryable = pg.Pool | pg.PoolClient;

// Prepared statements: one name per SQL text, so each connection parses a statement once.
const statementNames = new Map<string, string>();
function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (!name) {
    name = `pia_${sha256Hex(text).slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

async function q<T extends Row = Row>(db: Queryable, text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(prepared(text, values))).rows;
}

// ── row mappers ──

const s = (v: unknown): string => v as string;
const sn = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));

const ORG_COLS = 'id, name, code, created_at';
const toOrg = (r: Row): Organisation => ({
  id: s(r.id),
  name: s(r.name),
  code: sn(r.code),
  createdAt: s(r.created_at),
});

const ASM_COLS =
  'id, org_id, title, form, number, created_at, created_by, updated_at, deleted_at, latest_version_id, latest_etag, status, version_count';
const toAssessment = (r: Row): Assessment => ({
  id: s(r.id),
  orgId: s(r.org_id),
  title: s(r.title),
  form: sn(r.form) as Assessment['form'],
  number: sn(r.number),
  createdAt: s(r.created_at),
  createdBy: s(r.created_by),
  updatedAt: s(r.updated_at),
  deletedAt: sn(r.deleted_at),
  latestVersionId: sn(r.latest_version_id),
  latestEtag: sn(r.latest_etag),
  status: sn(r.status) as ReviewStatus | null,
  versionCount: Number(r.version_count),
});

const VER_COLS = 'id, assessment_id, org_id, number, etag, author, created_at, message, doc_hash, size, status';
const toVersionInfo = (r: Row): VersionInfo => ({
  id: s(r.id),
  assessmentId: s(r.assessment_id),
  orgId: s(r.org_id),
  number: Number(r.number),
  etag: s(r.etag),
  author: s(r.author),
  createdAt: s(r.created_at),
  message: sn(r.message),
  status: s(r.status) as ReviewStatus,
  docHash: s(r.doc_hash),
  size: Number(r.size),
});

const TR_COLS = 'id, version_id, assessment_id, org_id, from_status, to_status, actor, at, note';
const toTransition = (r: Row): StatusTransition => ({
  id: s(r.id),
  versionId: s(r.version_id),
  assessmentId: s(r.assessment_id),
  orgId: s(r.org_id),
  from: sn(r.from_status) as ReviewStatus | null,
  to: s(r.to_status) as ReviewStatus,
  actor: s(r.actor),
  at: s(r.at),
  note: sn(r.note),
});

const COM_COLS =
  'id, version_id, assessment_id, org_id, pointer, parent_id, body, author, created_at, resolved, resolved_at, resolved_by';
const toComment = (r: Row): Comment => ({
  id: s(r.id),
  versionId: s(r.version_id),
  assessmentId: s(r.assessment_id),
  orgId: s(r.org_id),
  pointer: s(r.pointer),
  parentId: sn(r.parent_id),
  body: s(r.body),
  author: s(r.author),
  createdAt: s(r.created_at),
  resolved: r.resolved === true,
  resolvedAt: sn(r.resolved_at),
  resolvedBy: sn(r.resolved_by),
});

const CR_COLS = 'id, version_id, assessment_id, org_id, actor, created_at, summary, meta, diagnostics_hash';
const toCheckRun = (r: Row): CheckRunInfo => ({
  id: s(r.id),
  versionId: s(r.version_id),
  assessmentId: s(r.assessment_id),
  orgId: s(r.org_id),
  actor: s(r.actor),
  createdAt: s(r.created_at),
  summary: r.summary as CheckSummary,
  meta: (r.meta ?? null) as JsonObject | null,
  diagnosticsHash: s(r.diagnostics_hash),
});

const JU_COLS = 'id, version_id, assessment_id, org_id, key, exception, timing, reason, date, actor, at';
const toJudgement = (r: Row): ChangeJudgement => ({
  id: s(r.id),
  versionId: s(r.version_id),
  assessmentId: s(r.assessment_id),
  orgId: s(r.org_id),
  key: s(r.key),
  exception: sn(r.exception),
  timing: sn(r.timing) as ChangeJudgement['timing'],
  reason: sn(r.reason),
  date: sn(r.date),
  actor: s(r.actor),
  at: s(r.at),
});

const RV_COLS = 'id, assessment_id, org_id, date, result, note, actor, at';
const toReview = (r: Row): ReviewRecord => ({
  id: s(r.id),
  assessmentId: s(r.assessment_id),
  orgId: s(r.org_id),
  date: s(r.date),
  result: s(r.result) as ReviewRecord['result'],
  note: sn(r.note),
  actor: s(r.actor),
  at: s(r.at),
});

const USER_COLS = 'id, name, role, org_id, created_at, disabled_at';
const toUser = (r: Row): User => ({
  id: s(r.id),
  name: s(r.name),
  role: s(r.role) as Role,
  orgId: sn(r.org_id),
  createdAt: s(r.created_at),
  disabledAt: sn(r.disabled_at),
});

const TOKEN_COLS = 'id, user_id, label, created_at, created_by, expires_at, revoked_at';
const toToken = (r: Row): TokenInfo => ({
  id: s(r.id),
  userId: s(r.user_id),
  label: s(r.label),
  createdAt: s(r.created_at),
  createdBy: s(r.created_by),
  expiresAt: sn(r.expires_at),
  revokedAt: sn(r.revoked_at),
});

const AUDIT_COLS = 'seq, at, actor, action, target, org_id, before, after, prev_hash, hash, mac';
const toAudit = (r: Row): AuditEntry => ({
  seq: Number(r.seq),
  at: s(r.at),
  actor: s(r.actor),
  action: s(r.action),
  target: s(r.target),
  orgId: sn(r.org_id),
  before: JSON.parse(s(r.before)) as Json,
  after: JSON.parse(s(r.after)) as Json,
  prevHash: s(r.prev_hash),
  hash: s(r.hash),
  ...(typeof r.mac === 'string' ? { mac: r.mac } : {}),
});

// ── the write batch ──

/** One operation's view of the batch transaction. */
class PgTx {
  /** The chain's last entry: its MAC too, so a keyed log refuses a keyless append (nextAuditEntry). */
  private last: Pick<AuditEntry, 'seq' | 'hash' | 'mac'> | undefined;

  constructor(
    readonly client: pg.PoolClient,
    private readonly clock: Clock,
    head: AuditHead & { mac?: string },
  ) {
    this.last = head.seq === 0 ? undefined : head;
  }

  now(): string {
    return this.clock().toISOString();
  }

  /** Statements that changed something in this transaction (an operation that fails after one aborts it). */
  writes = 0;

  q<T extends Row = Row>(text: string, values: unknown[] = []): Promise<T[]> {
    if (!/^\s*SELECT/i.test(text)) this.writes++;
    return q<T>(this.client, text, values);
  }

  /** The next audit entry and its column values, for an INSERT the caller sends (see addVersion). */
  prepareAudit(input: AuditInput, at: string): { entry: AuditEntry; values: unknown[] } {
    const entry = nextAuditEntry(input, this.last, at);
    return {
      entry,
      values: [
        entry.seq,
        entry.at,
        entry.actor,
        entry.action,
        entry.target,
        entry.orgId,
        JSON.stringify(entry.before),
        JSON.stringify(entry.after),
        entry.prevHash,
        entry.hash,
        entry.mac ?? null,
      ],
    };
  }

  /** After the prepared entry's INSERT succeeded. */
  appended(entry: AuditEntry): void {
    this.last = entry;
  }

  async audit(input: AuditInput, at: string): Promise<AuditEntry> {
    const { entry, values } = this.prepareAudit(input, at);
    await this.q(
      `INSERT INTO pia_audit (${AUDIT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      values,
    );
    this.appended(entry);
    return entry;
  }

  /** Puts a content-addressed body (a no-op when it is already there). */
  async putBody(hash: string, text: string): Promise<void> {
    await this.q('INSERT INTO pia_documents (hash, body) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING', [
      hash,
      text,
    ]);
  }
}

interface Pending {
  op: (tx: PgTx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Most operations a batch takes (keeps one transaction, and its locks, short). */
const MAX_BATCH = 64;

const isUniqueViolation = (e: unknown, constraint: string): boolean =>
  (e as { code?: string; constraint?: string })?.code === '23505' &&
  (e as { constraint?: string }).constraint === constraint;

export class PostgresStore implements Store {
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly clock: Clock;

  constructor(
    private readonly pool: pg.Pool,
    /** The URL without its password. */
    readonly location: string,
    options: StoreOptions = {},
    private readonly ownsPool = true,
  ) {
    this.clock = clockOf(options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.flushing;
    if (this.ownsPool) await this.pool.end();
  }

  private checkOpen(): void {
    if (this.closed) throw new InternalError(`ストア ${this.location} は既に閉じられています`);
  }

  private read<T extends Row = Row>(text: string, values: unknown[] = []): Promise<T[]> {
    this.checkOpen();
    return q<T>(this.pool, text, values);
  }

  // ── write queue ──

  private enqueue<R>(op: (tx: PgTx) => Promise<R>): Promise<R> {
    if (this.closed)
      return Promise.reject(new InternalError(`ストア ${this.location} は既に閉じられています`));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = null;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      await this.runBatch(batch);
    }
  }

  /**
   * One transaction for the batch. An operation that fails before writing anything (412, 404, 409: the
   * checks come first) just fails; one that fails after a write, or on a database error (which aborts the
   * transaction), fails alone and the batch is run again without it — nothing was acknowledged yet, and
   * operations read what they need inside the transaction, so running them again is safe. This costs no
   * savepoint round trips on the common path.
   */
  private async runBatch(batch: Pending[]): Promise<void> {
    type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
    const outcome = new Map<Pending, Outcome>();
    let pending = batch;
    let failure: unknown;
    while (pending.length > 0 && failure === undefined) {
      let client: pg.PoolClient | undefined;
      let broken: unknown;
      const attempt: [Pending, Outcome][] = [];
      let restart = false;
      try {
        client = await this.pool.connect();
        await client.query('BEGIN');
        // The audit lock first, before any row lock: one lock order for every writer, on every process.
        await q(client, 'SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
        const head = await q(client, 'SELECT seq, hash, mac FROM pia_audit ORDER BY seq DESC LIMIT 1');
        const tx = new PgTx(
          client,
          this.clock,
          head[0]
            ? {
                seq: Number(head[0].seq),
                hash: s(head[0].hash),
                ...(typeof head[0].mac === 'string' ? { mac: head[0].mac } : {}),
              }
            : { seq: 0, hash: GENESIS_HASH },
        );
        for (const item of pending) {
          const writes = tx.writes;
          try {
            attempt.push([item, { ok: true, value: await item.op(tx) }]);
          } catch (error) {
            if (tx.writes !== writes || error instanceof pgDatabaseError) {
              outcome.set(item, { ok: false, error: this.mapError(error) });
              restart = true;
              break;
            }
            attempt.push([item, { ok: false, error }]);
          }
        }
        if (restart) await client.query('ROLLBACK');
        else await client.query('COMMIT');
      } catch (e) {
        failure = e;
        broken = e;
        await client?.query('ROLLBACK').catch(() => undefined);
      } finally {
        // A connection that failed mid-transaction is discarded rather than reused.
        client?.release(broken !== undefined ? (broken as Error) : undefined);
      }
      if (failure !== undefined) break;
      if (restart) {
        pending = pending.filter((p) => !outcome.has(p));
        continue;
      }
      for (const [item, o] of attempt) outcome.set(item, o);
      pending = [];
    }
    for (const item of batch) {
      const r = outcome.get(item);
      if (r && r.ok) item.resolve(r.value);
      else if (r) item.reject(r.error);
      else
        item.reject(
          new StoreWriteError(
            `ストア ${this.location} への書き込みに失敗しました (${redactText((failure as Error)?.message ?? String(failure))})。この操作は保存されていません。`,
            { cause: failure },
          ),
        );
    }
  }

  /** Constraint violations that mean a conflict with the current state, as the contract's errors. */
  private mapError(e: unknown): unknown {
    if (isUniqueViolation(e, 'pia_assessments_title_key'))
      return new ConflictError('この組織には既に同じ事務名の評価書があります');
    return e;
  }

  // ── helpers used inside operations ──

  private async liveAssessment(tx: PgTx, id: string, lock = false): Promise<Assessment> {
    if (typeof id !== 'string') throw new NotFoundError(`評価書 ${String(id)} はありません`);
    const rows = await tx.q(
      `SELECT ${ASM_COLS} FROM pia_assessments WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!rows[0] || rows[0].deleted_at !== null) throw new NotFoundError(`評価書 ${id} はありません`);
    return toAssessment(rows[0]);
  }

  private async writableVersion(tx: PgTx, versionId: string): Promise<VersionInfo> {
    const rows =
      typeof versionId === 'string'
        ? await tx.q(`SELECT ${VER_COLS} FROM pia_versions WHERE id = $1`, [versionId])
        : [];
    if (!rows[0]) throw new NotFoundError(`版 ${versionId} はありません`);
    const v = toVersionInfo(rows[0]);
    await this.liveAssessment(tx, v.assessmentId);
    return v;
  }

  private async checkTitleFree(tx: PgTx, orgId: string, title: string, exceptId?: string): Promise<void> {
    const clash = await tx.q(
      'SELECT id FROM pia_assessments WHERE org_id = $1 AND title = $2 AND deleted_at IS NULL AND id <> $3',
      [orgId, title, exceptId ?? ''],
    );
    if (clash[0])
      throw new ConflictError(`この組織には既に事務「${title}」の評価書があります (${s(clash[0].id)})`);
  }

  private async readBody<T>(hash: string, what: string): Promise<T> {
    const rows = await this.read('SELECT body FROM pia_documents WHERE hash = $1', [hash]);
    if (!rows[0]) throw new StoreCorruptError(`${what}の本体 ${hash} がありません (${this.location})`, this.location);
    const body = s(rows[0].body);
    if (sha256Hex(Buffer.from(body, 'utf8')) !== hash) {
      throw new StoreCorruptError(
        `${what}の本体 ${hash} がハッシュと一致しません。改変または破損しています (${this.location})`,
        this.location,
      );
    }
    return JSON.parse(body) as T;
  }

  // ── organisations ──

  async createOrganisation(
    input: { name: string; code?: string | null },
    ctx: { actor: string },
  ): Promise<Organisation> {
    const parsed = parseOrganisationInput(input, ctx);
    return this.enqueue(async (tx) => {
      const at = tx.now();
      const { organisation: org, audit } = newOrganisation(parsed, newId(), at);
      await tx.q(`INSERT INTO pia_organisations (${ORG_COLS}) VALUES ($1, $2, $3, $4)`, [
        org.id,
        org.name,
        org.code,
        at,
      ]);
      await tx.audit(audit, at);
      return org;
    });
  }

  async getOrganisation(id: string): Promise<Organisation | null> {
    if (typeof id !== 'string') return null;
    const rows = await this.read(`SELECT ${ORG_COLS} FROM pia_organisations WHERE id = $1`, [id]);
    return rows[0] ? toOrg(rows[0]) : null;
  }

  async listOrganisations(): Promise<Organisation[]> {
    return (await this.read(`SELECT ${ORG_COLS} FROM pia_organisations ORDER BY ord`)).map(toOrg);
  }

  // ── assessments ──

  async createAssessment(input: AssessmentInput, ctx: { actor: string }): Promise<Assessment> {
    const parsed = parseAssessmentInput(input, ctx);
    const { orgId, title } = parsed;
    return this.enqueue(async (tx) => {
      const org = await tx.q('SELECT id FROM pia_organisations WHERE id = $1', [orgId]);
      if (!org[0]) throw new NotFoundError(`組織 ${orgId} はありません`);
      await this.checkTitleFree(tx, orgId, title);
      const at = tx.now();
      const { assessment: a, audit } = newAssessment(parsed, newId(), at);
      const rows = await tx.q(
        `INSERT INTO pia_assessments (id, org_id, title, form, number, created_at, created_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $6) RETURNING ${ASM_COLS}`,
        [a.id, orgId, title, a.form, a.number, at, a.createdBy],
      );
      await tx.audit(audit, at);
      return toAssessment(rows[0]);
    });
  }

  async getAssessment(id: string, opts: { includeDeleted?: boolean } = {}): Promise<Assessment | null> {
    if (typeof id !== 'string') return null;
    const rows = await this.read(`SELECT ${ASM_COLS} FROM pia_assessments WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row || (row.deleted_at !== null && !opts.includeDeleted)) return null;
    return toAssessment(row);
  }

  async listAssessments(filter: AssessmentFilter = {}): Promise<Assessment[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      values.push(v);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (filter.orgId !== undefined) add('org_id = ?', filter.orgId);
    if (!filter.includeDeleted) where.push('deleted_at IS NULL');
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.form !== undefined) add('form = ?', filter.form);
    if (filter.title !== undefined && filter.title !== '') {
      // LIKE with the pattern characters escaped: the text is matched literally.
      add("lower(title) LIKE ? ESCAPE '\\'", `%${filter.title.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    }
    let sql = `SELECT ${ASM_COLS} FROM pia_assessments${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY ord`;
    if (filter.limit !== undefined) {
      values.push(Math.max(0, Math.floor(filter.limit)));
      sql += ` LIMIT $${values.length}`;
    }
    if (filter.offset !== undefined && filter.offset > 0) {
      values.push(Math.floor(filter.offset));
      sql += ` OFFSET $${values.length}`;
    }
    return (await this.read(sql, values)).map(toAssessment);
  }

  async updateAssessment(id: string, patch: AssessmentPatch, ctx: { actor: string }): Promise<Assessment> {
    const { actor, next } = parseAssessmentPatch(patch, ctx);
    return this.enqueue(async (tx) => {
      const row = await this.liveAssessment(tx, id, true);
      if (next.title !== undefined) await this.checkTitleFree(tx, row.orgId, next.title, id);
      const change = updatedAssessment(row, next, actor, () => tx.now());
      if (!change) return row;
      const { updated, audit, at } = change;
      await tx.q('UPDATE pia_assessments SET title = $2, form = $3, number = $4, updated_at = $5 WHERE id = $1', [
        id,
        updated.title,
        updated.form,
        updated.number,
        at,
      ]);
      await tx.audit(audit, at);
      return updated;
    });
  }

  async deleteAssessment(id: string, ctx: { actor: string }): Promise<Assessment> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue(async (tx) => {
      const row = await this.liveAssessment(tx, id, true);
      const at = tx.now();
      const { deleted, audit } = deletedAssessment(row, actor, at);
      await tx.q('UPDATE pia_assessments SET deleted_at = $2, updated_at = $2 WHERE id = $1', [id, at]);
      await tx.audit(audit, at);
      return deleted;
    });
  }

  // ── versions ──

  async addVersion(assessmentId: string, doc: JsonObject, opts: AddVersionOptions): Promise<Version> {
    const input = parseVersionInput(doc, opts);
    const { docHash, text, size, author, message, initial } = input;
    const info = await this.enqueue(async (tx): Promise<VersionInfo> => {
      // The row lock on the assessment makes the If-Match check and the insert one step for every process.
      const a = await this.liveAssessment(tx, assessmentId, true);
      const latest = a.latestVersionId
        ? { id: a.latestVersionId, number: a.versionCount, etag: a.latestEtag! }
        : null;
      if (input.ifMatch !== undefined && !etagMatches(input.ifMatch, a.latestEtag))
        throw preconditionFailed(input.ifMatch, latest);
      const at = tx.now();
      const built = newVersion(
        input,
        { assessmentId, orgId: a.orgId },
        latest,
        { version: newId(), transition: newId() },
        at,
      );
      const { id, number, etag } = built.version;
      const audit = tx.prepareAudit(built.audit, at);
      // One statement (one round trip) for the document, the version, its initial status, the audit entry
      // and the assessment's derived columns; the foreign keys are checked at its end.
      await tx.q(
        `WITH d AS (INSERT INTO pia_documents (hash, body) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING),
              v AS (INSERT INTO pia_versions (${VER_COLS}) VALUES ($3, $4, $5, $6, $7, $8, $9, $10, $1, $11, $12)),
              t AS (INSERT INTO pia_transitions (${TR_COLS}) VALUES ($13, $3, $4, $5, NULL, $12, $8, $9, NULL)),
              au AS (INSERT INTO pia_audit (${AUDIT_COLS})
                     VALUES ($14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24))
         UPDATE pia_assessments SET updated_at = $9, latest_version_id = $3, latest_etag = $7, status = $12,
                version_count = $6 WHERE id = $4`,
        [docHash, text, id, assessmentId, a.orgId, number, etag, author, at, message, size, initial, built.initial.id, ...audit.values],
      );
      tx.appended(audit.entry);
      return Object.assign({}, built.version, { status: initial });
    });
    return Object.assign({}, info, { doc: input.normalised });
  }

  async getVersion(versionId: string): Promise<Version | null> {
    const info = await this.getVersionInfo(versionId);
    if (!info) return null;
    const doc = await this.readBody<JsonObject>(info.docHash, `第 ${info.number} 版 (${info.id}) の文書`);
    return Object.assign({}, info, { doc });
  }

  async getVersionInfo(versionId: string): Promise<VersionInfo | null> {
    if (typeof versionId !== 'string') return null;
    const rows = await this.read(`SELECT ${VER_COLS} FROM pia_versions WHERE id = $1`, [versionId]);
    return rows[0] ? toVersionInfo(rows[0]) : null;
  }

  async listVersions(assessmentId: string): Promise<VersionInfo[]> {
    if (typeof assessmentId !== 'string') return [];
    return (
      await this.read(`SELECT ${VER_COLS} FROM pia_versions WHERE assessment_id = $1 ORDER BY number`, [
        assessmentId,
      ])
    ).map(toVersionInfo);
  }

  async latestVersion(assessmentId: string): Promise<Version | null> {
    if (typeof assessmentId !== 'string') return null;
    // One round trip: the latest version's record and its document.
    const rows = await this.read(
      `SELECT v.id, v.assessment_id, v.org_id, v.number, v.etag, v.author, v.created_at, v.message,
              v.doc_hash, v.size, v.status, d.body
         FROM pia_assessments a
         JOIN pia_versions v ON v.id = a.latest_version_id
         LEFT JOIN pia_documents d ON d.hash = v.doc_hash
        WHERE a.id = $1`,
      [assessmentId],
    );
    if (!rows[0]) return null;
    const info = toVersionInfo(rows[0]);
    const body = rows[0].body as string | null;
    const what = `第 ${info.number} 版 (${info.id}) の文書`;
    if (body === null) throw new StoreCorruptError(`${what}の本体 ${info.docHash} がありません`, this.location);
    if (sha256Hex(Buffer.from(body, 'utf8')) !== info.docHash)
      throw new StoreCorruptError(
        `${what}の本体 ${info.docHash} がハッシュと一致しません。改変または破損しています (${this.location})`,
        this.location,
      );
    return Object.assign({}, info, { doc: JSON.parse(body) as JsonObject });
  }

  // ── review status ──

  async transitionStatus(versionId: string, input: TransitionInput): Promise<StatusTransition> {
    const parsed = parseTransitionInput(input);
    return this.enqueue(async (tx) => {
      const v = await this.writableVersion(tx, versionId);
      const { transition: t, audits, at } = newTransition(parsed, v, v.status, newId(), () => tx.now());
      await tx.q(`INSERT INTO pia_transitions (${TR_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        t.id,
        versionId,
        v.assessmentId,
        v.orgId,
        t.from,
        t.to,
        t.actor,
        at,
        t.note,
      ]);
      await tx.q('UPDATE pia_versions SET status = $2 WHERE id = $1', [versionId, t.to]);
      await tx.q('UPDATE pia_assessments SET status = $2 WHERE id = $3 AND latest_version_id = $1', [
        versionId,
        t.to,
        v.assessmentId,
      ]);
      // The transition and every entry recording it are one operation of the batch's transaction: a
      // failure in any rolls back all of them (runBatch), so none is committed without the others.
      for (const a of audits) await tx.audit(a, at);
      return t;
    });
  }

  async listStatusHistory(versionId: string): Promise<StatusTransition[]> {
    if (typeof versionId !== 'string') return [];
    return (
      await this.read(`SELECT ${TR_COLS} FROM pia_transitions WHERE version_id = $1 ORDER BY ord`, [versionId])
    ).map(toTransition);
  }

  // ── comments ──

  private async commentIn(tx: PgTx, id: string): Promise<Comment | undefined> {
    if (typeof id !== 'string') return undefined;
    const rows = await tx.q(`SELECT ${COM_COLS} FROM pia_comments WHERE id = $1`, [id]);
    return rows[0] ? toComment(rows[0]) : undefined;
  }

  private async insertComment(tx: PgTx, c: Comment): Promise<void> {
    await tx.q(
      `INSERT INTO pia_comments (${COM_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        c.id,
        c.versionId,
        c.assessmentId,
        c.orgId,
        c.pointer,
        c.parentId,
        c.body,
        c.author,
        c.createdAt,
        c.resolved,
        c.resolvedAt,
        c.resolvedBy,
      ],
    );
  }

  async addComment(
    versionId: string,
    input: { pointer: string; body: string; author: string },
  ): Promise<Comment> {
    const pointer = requirePointer(input?.pointer);
    const body = requireText(input.body, 'コメント', 20_000);
    const author = requireText(input.author, '作成者', 200);
    return this.enqueue(async (tx) => {
      const v = await this.writableVersion(tx, versionId);
      const at = tx.now();
      const { comment, audit } = newComment(at, newId(), { body, author }, { version: v, pointer });
      await this.insertComment(tx, comment);
      await tx.audit(audit, at);
      return comment;
    });
  }

  async replyComment(commentId: string, input: { body: string; author: string }): Promise<Comment> {
    const body = requireText(input?.body, 'コメント', 20_000);
    const author = requireText(input.author, '作成者', 200);
    return this.enqueue(async (tx) => {
      const parent = await this.commentIn(tx, commentId);
      if (!parent) throw new NotFoundError(`コメント ${commentId} はありません`);
      const root = parent.parentId === null ? parent : (await this.commentIn(tx, parent.parentId))!;
      await this.writableVersion(tx, root.versionId);
      const at = tx.now();
      const { comment, audit } = newComment(at, newId(), { body, author }, { root });
      await this.insertComment(tx, comment);
      await tx.audit(audit, at);
      return comment;
    });
  }

  async resolveComment(commentId: string, input: { actor: string; resolved?: boolean }): Promise<Comment> {
    const actor = requireText(input?.actor, '操作者', 200);
    const resolved = input.resolved ?? true;
    return this.enqueue(async (tx) => {
      const c = await this.commentIn(tx, commentId);
      if (!c) throw new NotFoundError(`コメント ${commentId} はありません`);
      if (c.parentId !== null) {
        throw new InvalidInputError(
          `返信ではなく、スレッドの最初のコメント (${c.parentId}) を解決してください`,
        );
      }
      await this.writableVersion(tx, c.versionId);
      if (c.resolved === resolved) return c;
      const at = tx.now();
      const { comment: next, audit } = resolvedComment(c, resolved, actor, at);
      await tx.q('UPDATE pia_comments SET resolved = $2, resolved_at = $3, resolved_by = $4 WHERE id = $1', [
        c.id,
        resolved,
        next.resolvedAt,
        next.resolvedBy,
      ]);
      await tx.audit(audit, at);
      return next;
    });
  }

  async getComment(id: string): Promise<Comment | null> {
    if (typeof id !== 'string') return null;
    const rows = await this.read(`SELECT ${COM_COLS} FROM pia_comments WHERE id = $1`, [id]);
    return rows[0] ? toComment(rows[0]) : null;
  }

  async listComments(versionId: string, filter: { pointer?: string } = {}): Promise<Comment[]> {
    if (typeof versionId !== 'string') return [];
    const rows =
      filter.pointer === undefined
        ? await this.read(`SELECT ${COM_COLS} FROM pia_comments WHERE version_id = $1 ORDER BY ord`, [versionId])
        : await this.read(
            `SELECT ${COM_COLS} FROM pia_comments WHERE version_id = $1 AND pointer = $2 ORDER BY ord`,
            [versionId, filter.pointer],
          );
    return rows.map(toComment);
  }

  // ── check runs ──

  async addCheckRun(
    versionId: string,
    input: { diagnostics: Diagnostic[]; actor: string; meta?: JsonObject | null },
  ): Promise<CheckRun> {
    const parsed = parseCheckRunInput(input);
    const info = await this.enqueue(async (tx) => {
      const v = await this.writableVersion(tx, versionId);
      const at = tx.now();
      const { checkRun: rec, audit } = newCheckRun(parsed, v, newId(), at);
      await tx.putBody(parsed.hash, parsed.text);
      await tx.q(`INSERT INTO pia_check_runs (${CR_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        rec.id,
        versionId,
        v.assessmentId,
        v.orgId,
        rec.actor,
        at,
        JSON.stringify(rec.summary),
        parsed.metaText,
        rec.diagnosticsHash,
      ]);
      await tx.audit(audit, at);
      return rec;
    });
    return Object.assign({}, structuredClone(info), { diagnostics: parsed.diagnostics });
  }

  async getCheckRun(id: string): Promise<CheckRun | null> {
    if (typeof id !== 'string') return null;
    const rows = await this.read(`SELECT ${CR_COLS} FROM pia_check_runs WHERE id = $1`, [id]);
    if (!rows[0]) return null;
    const rec = toCheckRun(rows[0]);
    const diagnostics = await this.readBody<Diagnostic[]>(rec.diagnosticsHash, `検査結果 ${rec.id} の診断`);
    return Object.assign({}, rec, { diagnostics });
  }

  async listCheckRuns(versionId: string): Promise<CheckRunInfo[]> {
    if (typeof versionId !== 'string') return [];
    return (
      await this.read(`SELECT ${CR_COLS} FROM pia_check_runs WHERE version_id = $1 ORDER BY ord`, [versionId])
    ).map(toCheckRun);
  }

  async latestCheckRun(versionId: string): Promise<CheckRun | null> {
    if (typeof versionId !== 'string') return null;
    const rows = await this.read(
      'SELECT id FROM pia_check_runs WHERE version_id = $1 ORDER BY ord DESC LIMIT 1',
      [versionId],
    );
    return rows[0] ? this.getCheckRun(s(rows[0].id)) : null;
  }

  // ── 変更箇所 judgements ──

  async setChangeJudgement(versionId: string, input: ChangeJudgementInput): Promise<ChangeJudgement> {
    const parsed = parseJudgementInput(input);
    return this.enqueue(async (tx) => {
      const v = await this.writableVersion(tx, versionId);
      const oldRows = await tx.q(`SELECT ${JU_COLS} FROM pia_judgements WHERE version_id = $1 AND key = $2`, [
        versionId,
        parsed.key,
      ]);
      const old = oldRows[0] ? toJudgement(oldRows[0]) : undefined;
      const next = nextJudgement(parsed, v, old, newId, () => tx.now());
      if (!next) return old!;
      const { judgement: j, audit, at } = next;
      if (old) {
        await tx.q(
          'UPDATE pia_judgements SET exception = $2, timing = $3, reason = $4, date = $5, actor = $6, at = $7 WHERE id = $1',
          [j.id, j.exception, j.timing, j.reason, j.date, j.actor, at],
        );
      } else {
        await tx.q(`INSERT INTO pia_judgements (${JU_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
          j.id,
          versionId,
          v.assessmentId,
          v.orgId,
          j.key,
          j.exception,
          j.timing,
          j.reason,
          j.date,
          j.actor,
          at,
        ]);
      }
      await tx.audit(audit, at);
      return j;
    });
  }

  async listChangeJudgements(versionId: string): Promise<ChangeJudgement[]> {
    if (typeof versionId !== 'string') return [];
    const rows = (
      await this.read(`SELECT ${JU_COLS} FROM pia_judgements WHERE version_id = $1`, [versionId])
    ).map(toJudgement);
    // Code-unit order, as the other backends (not the database collation).
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  // ── 見直し records ──

  async addReviewRecord(assessmentId: string, input: ReviewRecordInput): Promise<ReviewRecord> {
    const parsed = parseReviewInput(input);
    return this.enqueue(async (tx) => {
      const a = await this.liveAssessment(tx, assessmentId);
      const at = tx.now();
      const { review: r, audit } = newReview(parsed, a, newId(), at);
      await tx.q(`INSERT INTO pia_reviews (${RV_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        r.id,
        assessmentId,
        a.orgId,
        r.date,
        r.result,
        r.note,
        r.actor,
        at,
      ]);
      await tx.audit(audit, at);
      return r;
    });
  }

  async listReviewRecords(assessmentId: string): Promise<ReviewRecord[]> {
    if (typeof assessmentId !== 'string') return [];
    return (
      await this.read(
        `SELECT ${RV_COLS} FROM pia_reviews WHERE assessment_id = $1 ORDER BY date COLLATE "C", at COLLATE "C", ord`,
        [assessmentId],
      )
    ).map(toReview);
  }

  // ── users and tokens ──

  private async insertUser(
    tx: PgTx,
    u: { name: string; role: Role; orgId: string | null },
    actor: string,
    at: string,
  ): Promise<User> {
    if (u.orgId !== null) {
      const org = await tx.q('SELECT id FROM pia_organisations WHERE id = $1', [u.orgId]);
      if (!org[0]) throw new NotFoundError(`組織 ${u.orgId} はありません`);
    }
    const { user, audit } = newUser(u, newId(), actor, at);
    await tx.q(`INSERT INTO pia_users (${USER_COLS}) VALUES ($1, $2, $3, $4, $5, NULL)`, [
      user.id,
      u.name,
      u.role,
      u.orgId,
      at,
    ]);
    await tx.audit(audit, at);
    return user;
  }

  async createUser(
    input: { name: string; role: Role; orgId: string | null },
    ctx: { actor: string },
  ): Promise<User> {
    const u = validateNewUser(input);
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => this.insertUser(tx, u, actor, tx.now()));
  }

  async getUser(id: string): Promise<User | null> {
    if (typeof id !== 'string') return null;
    const rows = await this.read(`SELECT ${USER_COLS} FROM pia_users WHERE id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async listUsers(filter: { orgId?: string } = {}): Promise<User[]> {
    const rows =
      filter.orgId === undefined
        ? await this.read(`SELECT ${USER_COLS} FROM pia_users ORDER BY ord`)
        : await this.read(`SELECT ${USER_COLS} FROM pia_users WHERE org_id = $1 ORDER BY ord`, [filter.orgId]);
    return rows.map(toUser);
  }

  async disableUser(id: string, ctx: { actor: string }): Promise<User> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue(async (tx) => {
      const rows =
        typeof id === 'string'
          ? await tx.q(`SELECT ${USER_COLS} FROM pia_users WHERE id = $1 FOR UPDATE`, [id])
          : [];
      if (!rows[0]) throw new NotFoundError(`利用者 ${id} はありません`);
      const user = toUser(rows[0]);
      if (user.disabledAt !== null) return user;
      const at = tx.now();
      const disabled = disabledUser(user, actor, at);
      await tx.q('UPDATE pia_users SET disabled_at = $2 WHERE id = $1', [id, at]);
      await tx.audit(disabled.audit, at);
      return disabled.user;
    });
  }

  async createToken(input: CreateTokenInput, ctx: { actor: string }): Promise<CreatedToken> {
    const parsed = parseTokenInput(input, ctx);
    const { actor, userId } = parsed;
    return this.enqueue(async (tx) => {
      const at = tx.now();
      let user: User;
      if (parsed.newUser) {
        user = await this.insertUser(tx, parsed.newUser, actor, at);
      } else {
        const rows = await tx.q(`SELECT ${USER_COLS} FROM pia_users WHERE id = $1`, [userId]);
        if (!rows[0]) throw new NotFoundError(`利用者 ${userId} はありません`);
        user = toUser(rows[0]);
        if (user.disabledAt !== null) throw new ConflictError(`利用者 ${user.name} は無効化されています`);
      }
      const id = newTokenId();
      const { token, hash } = generateToken(id);
      const { info, audit } = newToken(parsed, user, id, at);
      await tx.q(`INSERT INTO pia_tokens (${TOKEN_COLS}, hash) VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)`, [
        id,
        user.id,
        info.label,
        at,
        actor,
        info.expiresAt,
        hash,
      ]);
      await tx.audit(audit, at);
      return { token, info, user };
    });
  }

  async listTokens(filter: { userId?: string } = {}): Promise<TokenInfo[]> {
    const rows =
      filter.userId === undefined
        ? await this.read(`SELECT ${TOKEN_COLS} FROM pia_tokens ORDER BY ord`)
        : await this.read(`SELECT ${TOKEN_COLS} FROM pia_tokens WHERE user_id = $1 ORDER BY ord`, [filter.userId]);
    return rows.map(toToken);
  }

  async revokeToken(tokenId: string, ctx: { actor: string }): Promise<TokenInfo> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue(async (tx) => {
      const rows =
        typeof tokenId === 'string'
          ? await tx.q(
              `SELECT t.id, t.user_id, t.label, t.created_at, t.created_by, t.expires_at, t.revoked_at, u.org_id
                 FROM pia_tokens t LEFT JOIN pia_users u ON u.id = t.user_id WHERE t.id = $1 FOR UPDATE OF t`,
              [tokenId],
            )
          : [];
      if (!rows[0]) throw new NotFoundError(`トークン ${tokenId} はありません`);
      const info = toToken(rows[0]);
      if (info.revokedAt !== null) return info;
      const at = tx.now();
      const revoked = revokedToken(info, sn(rows[0].org_id), actor, at);
      await tx.q('UPDATE pia_tokens SET revoked_at = $2 WHERE id = $1', [tokenId, at]);
      await tx.audit(revoked.audit, at);
      return revoked.token;
    });
  }

  async authenticate(token: string): Promise<Principal | null> {
    if (typeof token !== 'string' || token.length > 200) return null;
    const id = parseTokenId(token);
    const rows =
      id === null
        ? []
        : await this.read(
            `SELECT t.id, t.hash, t.expires_at, t.revoked_at, u.id AS user_id, u.name, u.role, u.org_id, u.disabled_at
               FROM pia_tokens t JOIN pia_users u ON u.id = t.user_id WHERE t.id = $1`,
            [id],
          );
    const r = rows[0];
    // Always one constant-time comparison, whether or not the id exists.
    if (!tokenMatches(token, r ? s(r.hash) : undefined) || !r) return null;
    if (r.revoked_at !== null) return null;
    if (r.expires_at !== null && Date.parse(s(r.expires_at)) <= this.clock().getTime()) return null;
    if (r.disabled_at !== null) return null;
    return {
      userId: s(r.user_id),
      name: s(r.name),
      role: s(r.role) as Role,
      orgId: sn(r.org_id),
      tokenId: s(r.id),
    };
  }

  // ── web sessions (not queued: not audited, and a session write must not wait behind a batch) ──

  async createSession(input: { id: string; token: string; csrf: string }, at?: number): Promise<SessionData> {
    this.checkOpen();
    const rec = newSessionRecord(input, at ?? this.clock().getTime());
    await this.read(
      'INSERT INTO pia_sessions (id_hash, sealed, created_at, last_seen) VALUES ($1, $2, $3, $4)',
      [rec.idHash, rec.sealed, rec.createdAt, rec.lastSeen],
    );
    return sessionDataOf(input.id, rec)!;
  }

  async getSession(id: string): Promise<SessionData | null> {
    if (typeof id !== 'string') return null;
    const rows = await this.read('SELECT id_hash, sealed, created_at, last_seen FROM pia_sessions WHERE id_hash = $1', [
      hashSessionId(id),
    ]);
    const r = rows[0];
    return r
      ? sessionDataOf(id, {
          idHash: s(r.id_hash),
          sealed: s(r.sealed),
          createdAt: Number(r.created_at),
          lastSeen: Number(r.last_seen),
        })
      : null;
  }

  async touchSession(id: string, at?: number): Promise<void> {
    if (typeof id !== 'string') return;
    await this.read('UPDATE pia_sessions SET last_seen = GREATEST(last_seen, $2) WHERE id_hash = $1', [
      hashSessionId(id),
      at ?? this.clock().getTime(),
    ]);
  }

  async deleteSession(id: string): Promise<void> {
    if (typeof id !== 'string') return;
    await this.read('DELETE FROM pia_sessions WHERE id_hash = $1', [hashSessionId(id)]);
  }

  async pruneSessions(filter: { lastSeenBefore?: number; createdBefore?: number }): Promise<number> {
    const r = await this.read<{ n: number }>(
      `WITH gone AS (DELETE FROM pia_sessions WHERE last_seen < $1 OR created_at < $2 RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [filter.lastSeenBefore ?? -1, filter.createdBefore ?? -1],
    );
    return Number(r[0]?.n ?? 0);
  }

  // ── audit ──

  async appendAudit(input: AuditInput): Promise<AuditEntry> {
    const entry = parseAuditInput(input);
    return this.enqueue((tx) => tx.audit(entry, tx.now()));
  }

  async listAudit(
    filter: { orgId?: string; target?: string; actor?: string; afterSeq?: number; limit?: number } = {},
  ): Promise<AuditEntry[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (col: string, v: unknown) => {
      values.push(v);
      where.push(`${col} $${values.length}`);
    };
    if (filter.afterSeq !== undefined) add('seq >', filter.afterSeq);
    if (filter.orgId !== undefined) add('org_id =', filter.orgId);
    if (filter.target !== undefined) add('target =', filter.target);
    if (filter.actor !== undefined) add('actor =', filter.actor);
    let sql = `SELECT ${AUDIT_COLS} FROM pia_audit${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY seq`;
    if (filter.limit !== undefined) {
      values.push(Math.max(0, Math.floor(filter.limit)));
      sql += ` LIMIT $${values.length}`;
    }
    return (await this.read(sql, values)).map(toAudit);
  }

  async auditHead(): Promise<AuditHead> {
    const rows = await this.read('SELECT seq, hash FROM pia_audit ORDER BY seq DESC LIMIT 1');
    return rows[0] ? { seq: Number(rows[0].seq), hash: s(rows[0].hash) } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * The chain, then the records against the entries that committed them (audit-records.ts). Read in one
   * REPEATABLE READ transaction: one consistent snapshot even while other processes keep writing.
   */
  async verifyAudit(opts: { anchor?: AuditHead } = {}): Promise<AuditVerification> {
    this.checkOpen();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const audit = (await q(client, `SELECT ${AUDIT_COLS} FROM pia_audit ORDER BY seq`)).map(toAudit);
      const chain = verifyAuditChain(audit, opts.anchor);
      if (!chain.ok) return chain;
      const versions = (await q(client, `SELECT ${VER_COLS} FROM pia_versions ORDER BY ord`)).map((r) => {
        const { status: _status, ...v } = toVersionInfo(r);
        return v;
      });
      const transitions = (await q(client, `SELECT ${TR_COLS} FROM pia_transitions ORDER BY ord`)).map(
        toTransition,
      );
      const checkRuns = (await q(client, `SELECT ${CR_COLS} FROM pia_check_runs ORDER BY ord`)).map(toCheckRun);
      const judgements = (await q(client, `SELECT ${JU_COLS} FROM pia_judgements ORDER BY ord`)).map(
        toJudgement,
      );
      const reviews = (await q(client, `SELECT ${RV_COLS} FROM pia_reviews ORDER BY ord`)).map(toReview);
      return verifyAuditedRecords(chain, { audit, versions, transitions, checkRuns, judgements, reviews });
    } finally {
      await client.query('COMMIT').catch(() => undefined);
      client.release();
    }
  }
}
