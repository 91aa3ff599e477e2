// The engine both embedded backends share: the whole state in memory, mutations queued and applied to a
// draft (Tx) in group commits, a batch made durable by the backend's Persistence before it is published.
//
// Writes: every mutating method is a synchronous operation on a draft (Tx), queued. The queue applies all
// waiting operations to one draft (group commit), makes the batch durable once (Persistence.commit), and
// only then publishes the draft as the state readers see and resolves the callers. Readers therefore never
// see an unacknowledged write, and a failed operation (412, 404…) is rolled back without touching the
// others in its batch. The small tables are copied on write per batch; the ever-growing ones are never
// copied: a draft collects its new rows and they are appended to the shared arrays when the batch is
// published.
//
// Validation (validate.ts), the audit chain (audit-chain.ts, audit-records.ts), ETags (etag.ts) and tokens
// (tokens.ts) are shared with every backend; only the state handling here is specific to this engine.
import { InternalError } from '../../errors.ts';
import type { Diagnostic, JsonObject } from '../../types.ts';
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
import { newSessionRecord, sessionDataOf, hashSessionId, type SessionRecord } from '../sessions.ts';
import { generateToken, newTokenId, parseTokenId, tokenMatches } from '../tokens.ts';
import {
  INITIAL_REVIEW_STATUS,
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
  type Comment,
  type CreatedToken,
  type CreateTokenInput,
  type Organisation,
  type Principal,
  type ReviewRecord,
  type ReviewRecordInput,
  type SessionData,
  type Role,
  type StatusTransition,
  type TransitionInput,
  type Store,
  type TokenInfo,
  type User,
  type Version,
  type VersionInfo,
} from '../types.ts';
import { requirePointer, requireText, validateNewUser } from '../validate.ts';
import { Derived } from './derived.ts';
import type { Persistence } from './persistence.ts';
import {
  findById,
  isJournalTable,
  isLogTable,
  putRow,
  type AssessmentRecord,
  type StoreState,
  type Tables,
  type VersionRecord,
} from './tables.ts';
import { changeJson, Tx } from './tx.ts';

interface Pending {
  op: (tx: Tx) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const clone = <T>(v: T): T => structuredClone(v);

function* indices(from: number, to: number): Generator<number> {
  for (let i = from; i < to; i++) yield i;
}
/** Rows whose fields are all primitives: a shallow copy is a fresh object, at a fraction of structuredClone. */
const copy = <T extends object>(v: T): T => ({ ...v });

export class EngineStore implements Store {
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly clock: Clock;
  /** The acknowledged state. Small tables are replaced by each commit; growing ones only grow. */
  private data: StoreState;
  private readonly derived: Derived;
  /**
   * Web sessions live in this process only (both embedded backends run as one process): a restart signs
   * everyone out, as before sessions moved into the store. Not journalled: a session is not a record.
   */
  private readonly sessions = new Map<string, SessionRecord>();

  constructor(
    state: StoreState,
    private readonly persistence: Persistence,
    readonly location: string,
    private readonly onClose: () => void,
    options: StoreOptions = {},
  ) {
    this.clock = clockOf(options);
    this.data = state;
    this.derived = Derived.of(state);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.persistence.close(this.data);
    this.onClose();
  }

  // ── write queue ──

  private enqueue<R>(op: (tx: Tx) => R): Promise<R> {
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
      const batch = this.queue.splice(0);
      const tx = new Tx(this.data, this.derived, this.clock);
      const results = batch.map((item) => {
        const mark = tx.mark();
        try {
          return { ok: true as const, value: item.op(tx) };
        } catch (error) {
          tx.rollback(mark);
          return { ok: false as const, error };
        }
      });
      let writeError: StoreWriteError | null = null;
      if (tx.changed) {
        try {
          await this.persistence.commit(tx, this.data);
        } catch (e) {
          writeError = new StoreWriteError(
            `ストア ${this.location} への書き込みに失敗しました (${(e as Error).message})。この操作は保存されていません。`,
            { cause: e },
          );
        }
        if (!writeError) this.publish(tx);
      }
      batch.forEach((item, i) => {
        const r = results[i];
        if (!r.ok) item.reject(r.error);
        else if (writeError) item.reject(writeError);
        else item.resolve(r.value);
      });
      if (tx.changed && !writeError) await this.persistence.idle(this.data);
    }
  }

  /** The batch is durable: make it what readers see (synchronously, so no reader sees half of it). */
  private publish(tx: Tx): void {
    const data = tx.data;
    for (const c of tx.changes) {
      // Small tables are already in the draft's copies; growing ones are shared and appended here.
      if (isJournalTable(c.table))
        putRow(data, c.table, c.row, isLogTable(c.table) ? changeJson(c) : undefined);
      this.derived.published(c.table, c.row, c.added);
    }
    this.data = data;
  }

  private async readBlob<T>(hash: string, what: string): Promise<T> {
    const bytes = await this.persistence.getBlob(hash);
    if (bytes === null) {
      throw new StoreCorruptError(
        `${what}の本体 ${hash}.json がありません (${this.location})`,
        this.location,
      );
    }
    if (sha256Hex(bytes) !== hash) {
      throw new StoreCorruptError(
        `${what}の本体 ${hash}.json がハッシュと一致しません。改変または破損しています (${this.location})`,
        this.location,
      );
    }
    return JSON.parse(bytes.toString('utf8')) as T;
  }

  // ── helpers used inside operations ──

  private liveAssessment(data: Tables, id: string): { row: AssessmentRecord; index: number } {
    const found = findById(data.assessments, id);
    if (!found || found.row.deletedAt !== null) throw new NotFoundError(`評価書 ${id} はありません`);
    return found;
  }

  private writableVersion(data: Tables, versionId: string): VersionRecord {
    const v = findById(data.versions, versionId)?.row;
    if (!v) throw new NotFoundError(`版 ${versionId} はありません`);
    this.liveAssessment(data, v.assessmentId);
    return v;
  }

  /** The assessment as published, or as a draft inside an operation (`tx`). */
  private assessmentView(rec: AssessmentRecord, tx?: Tx): Assessment {
    const latest = tx ? tx.latestVersion(rec.id) : this.derived.latest.get(rec.id);
    const count = tx ? tx.versionCount(rec.id) : (this.derived.count.get(rec.id) ?? 0);
    const status = latest
      ? tx
        ? tx.status(latest.id)
        : (this.derived.status.get(latest.id) ?? INITIAL_REVIEW_STATUS)
      : null;
    return Object.assign({}, rec, {
      latestVersionId: latest?.id ?? null,
      latestEtag: latest?.etag ?? null,
      status,
      versionCount: count,
    });
  }

  private versionInfo(rec: VersionRecord): VersionInfo {
    return Object.assign({}, rec, { status: this.derived.status.get(rec.id) ?? INITIAL_REVIEW_STATUS });
  }

  private checkTitleFree(data: Tables, orgId: string, title: string, exceptId?: string): void {
    const clash = data.assessments.find(
      (a) => a.orgId === orgId && a.deletedAt === null && a.title === title && a.id !== exceptId,
    );
    if (clash) throw new ConflictError(`この組織には既に事務「${title}」の評価書があります (${clash.id})`);
  }
  // ── organisations ──

  async createOrganisation(
    input: { name: string; code?: string | null },
    ctx: { actor: string },
  ): Promise<Organisation> {
    const parsed = parseOrganisationInput(input, ctx);
    return this.enqueue((tx) => {
      const at = tx.now();
      const { organisation, audit } = newOrganisation(parsed, newId(), at);
      tx.insert('organisations', organisation);
      tx.audit(audit, at);
      return copy(organisation);
    });
  }

  async getOrganisation(id: string): Promise<Organisation | null> {
    const row = findById(this.data.organisations, id)?.row;
    return row ? copy(row) : null;
  }

  async listOrganisations(): Promise<Organisation[]> {
    return this.data.organisations.map(copy);
  }

  // ── assessments ──

  async createAssessment(input: AssessmentInput, ctx: { actor: string }): Promise<Assessment> {
    const parsed = parseAssessmentInput(input, ctx);
    const { orgId, title } = parsed;
    return this.enqueue((tx) => {
      if (!findById(tx.data.organisations, orgId)) throw new NotFoundError(`組織 ${orgId} はありません`);
      this.checkTitleFree(tx.data, orgId, title);
      const at = tx.now();
      const { assessment, audit } = newAssessment(parsed, newId(), at);
      tx.insert('assessments', assessment);
      tx.audit(audit, at);
      return this.assessmentView(assessment, tx);
    });
  }

  async getAssessment(id: string, opts: { includeDeleted?: boolean } = {}): Promise<Assessment | null> {
    const row = findById(this.data.assessments, id)?.row;
    if (!row || (row.deletedAt !== null && !opts.includeDeleted)) return null;
    return this.assessmentView(row);
  }

  async listAssessments(filter: AssessmentFilter = {}): Promise<Assessment[]> {
    const data = this.data;
    const title = filter.title?.toLowerCase();
    const out: Assessment[] = [];
    let skip = filter.offset ?? 0;
    const limit = filter.limit ?? Infinity;
    for (const a of data.assessments) {
      if (out.length >= limit) break;
      if (filter.orgId !== undefined && a.orgId !== filter.orgId) continue;
      if (!filter.includeDeleted && a.deletedAt !== null) continue;
      if (filter.form !== undefined && a.form !== filter.form) continue;
      if (title !== undefined && !a.title.toLowerCase().includes(title)) continue;
      const view = this.assessmentView(a);
      if (filter.status !== undefined && view.status !== filter.status) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(view);
    }
    return out;
  }

  async updateAssessment(id: string, patch: AssessmentPatch, ctx: { actor: string }): Promise<Assessment> {
    const { actor, next } = parseAssessmentPatch(patch, ctx);
    return this.enqueue((tx) => {
      const { row, index } = this.liveAssessment(tx.data, id);
      if (next.title !== undefined) this.checkTitleFree(tx.data, row.orgId, next.title, id);
      const change = updatedAssessment(row, next, actor, () => tx.now());
      if (!change) return this.assessmentView(row, tx);
      tx.replace('assessments', index, change.updated);
      tx.audit(change.audit, change.at);
      return this.assessmentView(change.updated, tx);
    });
  }

  async deleteAssessment(id: string, ctx: { actor: string }): Promise<Assessment> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => {
      const { row, index } = this.liveAssessment(tx.data, id);
      const at = tx.now();
      const { deleted, audit } = deletedAssessment(row, actor, at);
      tx.replace('assessments', index, deleted);
      tx.audit(audit, at);
      return this.assessmentView(deleted, tx);
    });
  }

  // ── versions ──

  async addVersion(assessmentId: string, doc: JsonObject, opts: AddVersionOptions): Promise<Version> {
    const input = parseVersionInput(doc, opts);
    const info = await this.enqueue((tx): VersionInfo => {
      const { row: a, index } = this.liveAssessment(tx.data, assessmentId);
      const latest = tx.latestVersion(assessmentId) ?? null;
      if (input.ifMatch !== undefined && !etagMatches(input.ifMatch, latest?.etag ?? null))
        throw preconditionFailed(input.ifMatch, latest);
      const at = tx.now();
      const { version, initial, audit } = newVersion(
        input,
        { assessmentId, orgId: a.orgId },
        latest,
        { version: newId(), transition: newId() },
        at,
      );
      tx.putBlob(input.docHash, input.bytes);
      tx.insert('versions', version);
      tx.insert('transitions', initial);
      tx.replace('assessments', index, Object.assign({}, a, { updatedAt: at }));
      tx.audit(audit, at);
      return Object.assign({}, version, { status: initial.to });
    });
    return Object.assign({}, info, { doc: input.normalised });
  }

  async getVersion(versionId: string): Promise<Version | null> {
    const rec = findById(this.data.versions, versionId)?.row;
    if (!rec) return null;
    const doc = await this.readBlob<JsonObject>(rec.docHash, `第 ${rec.number} 版 (${rec.id}) の文書`);
    return Object.assign(this.versionInfo(rec), { doc });
  }

  async getVersionInfo(versionId: string): Promise<VersionInfo | null> {
    const rec = findById(this.data.versions, versionId)?.row;
    return rec ? this.versionInfo(rec) : null;
  }

  async listVersions(assessmentId: string): Promise<VersionInfo[]> {
    return this.data.versions.filter((v) => v.assessmentId === assessmentId).map((v) => this.versionInfo(v));
  }

  async latestVersion(assessmentId: string): Promise<Version | null> {
    const latest = this.derived.latest.get(assessmentId);
    return latest ? this.getVersion(latest.id) : null;
  }

  // ── review status ──

  async transitionStatus(versionId: string, input: TransitionInput): Promise<StatusTransition> {
    const parsed = parseTransitionInput(input);
    return this.enqueue((tx) => {
      const v = this.writableVersion(tx.data, versionId);
      const { transition, audits, at } = newTransition(parsed, v, tx.status(versionId), newId(), () =>
        tx.now(),
      );
      tx.insert('transitions', transition);
      // The transition and every entry recording it are one operation of one commit: all or none.
      for (const a of audits) tx.audit(a, at);
      return copy(transition);
    });
  }

  async listStatusHistory(versionId: string): Promise<StatusTransition[]> {
    return (this.derived.transitionsOf.get(versionId) ?? []).map(copy);
  }

  // ── comments ──

  async addComment(
    versionId: string,
    input: { pointer: string; body: string; author: string },
  ): Promise<Comment> {
    const pointer = requirePointer(input?.pointer);
    const body = requireText(input.body, 'コメント', 20_000);
    const author = requireText(input.author, '作成者', 200);
    return this.enqueue((tx) => {
      const v = this.writableVersion(tx.data, versionId);
      const at = tx.now();
      const { comment, audit } = newComment(at, newId(), { body, author }, { version: v, pointer });
      tx.insert('comments', comment);
      tx.audit(audit, at);
      return copy(comment);
    });
  }

  async replyComment(commentId: string, input: { body: string; author: string }): Promise<Comment> {
    const body = requireText(input?.body, 'コメント', 20_000);
    const author = requireText(input.author, '作成者', 200);
    return this.enqueue((tx) => {
      const parent = tx.comment(commentId);
      if (!parent) throw new NotFoundError(`コメント ${commentId} はありません`);
      const root = parent.parentId === null ? parent : tx.comment(parent.parentId)!;
      this.writableVersion(tx.data, root.versionId);
      const at = tx.now();
      const { comment, audit } = newComment(at, newId(), { body, author }, { root });
      tx.insert('comments', comment);
      tx.audit(audit, at);
      return copy(comment);
    });
  }

  async resolveComment(commentId: string, input: { actor: string; resolved?: boolean }): Promise<Comment> {
    const actor = requireText(input?.actor, '操作者', 200);
    const resolved = input.resolved ?? true;
    return this.enqueue((tx) => {
      const c = tx.comment(commentId);
      if (!c) throw new NotFoundError(`コメント ${commentId} はありません`);
      if (c.parentId !== null) {
        throw new InvalidInputError(
          `返信ではなく、スレッドの最初のコメント (${c.parentId}) を解決してください`,
        );
      }
      this.writableVersion(tx.data, c.versionId);
      if (c.resolved === resolved) return copy(c); // idempotent: nothing to write
      const at = tx.now();
      const { comment, audit } = resolvedComment(c, resolved, actor, at);
      tx.replaceComment(comment);
      tx.audit(audit, at);
      return copy(comment);
    });
  }

  async getComment(id: string): Promise<Comment | null> {
    const row = findById(this.data.comments, id)?.row;
    return row ? copy(row) : null;
  }

  async listComments(versionId: string, filter: { pointer?: string } = {}): Promise<Comment[]> {
    return this.data.comments
      .filter(
        (c) => c.versionId === versionId && (filter.pointer === undefined || c.pointer === filter.pointer),
      )
      .map(copy);
  }

  // ── check runs ──

  async addCheckRun(
    versionId: string,
    input: { diagnostics: Diagnostic[]; actor: string; meta?: JsonObject | null },
  ): Promise<CheckRun> {
    const parsed = parseCheckRunInput(input);
    const info = await this.enqueue((tx) => {
      const v = this.writableVersion(tx.data, versionId);
      const at = tx.now();
      const { checkRun, audit } = newCheckRun(parsed, v, newId(), at);
      tx.putBlob(parsed.hash, parsed.bytes);
      tx.insert('checkRuns', checkRun);
      tx.audit(audit, at);
      return clone(checkRun);
    });
    return Object.assign(info, { diagnostics: parsed.diagnostics });
  }

  async getCheckRun(id: string): Promise<CheckRun | null> {
    const rec = this.data.checkRuns.get(id);
    if (!rec) return null;
    const diagnostics = await this.readBlob<Diagnostic[]>(rec.diagnosticsHash, `検査結果 ${rec.id} の診断`);
    return Object.assign(rec, { diagnostics });
  }

  async listCheckRuns(versionId: string): Promise<CheckRunInfo[]> {
    const runs = this.data.checkRuns;
    return (this.derived.checkRunsOf.get(versionId) ?? []).map((id) => runs.get(id)!);
  }

  async latestCheckRun(versionId: string): Promise<CheckRun | null> {
    const runs = this.derived.checkRunsOf.get(versionId);
    const id = runs?.[runs.length - 1];
    return id ? this.getCheckRun(id) : null;
  }

  // ── 変更箇所 judgements ──

  async setChangeJudgement(versionId: string, input: ChangeJudgementInput): Promise<ChangeJudgement> {
    const parsed = parseJudgementInput(input);
    return this.enqueue((tx) => {
      const v = this.writableVersion(tx.data, versionId);
      const old = tx.judgement(versionId, parsed.key);
      const next = nextJudgement(parsed, v, old, newId, () => tx.now());
      if (!next) return copy(old!); // idempotent: re-saving an unchanged form writes nothing
      if (old) tx.replaceJudgement(next.judgement);
      else tx.insert('judgements', next.judgement);
      tx.audit(next.audit, next.at);
      return copy(next.judgement);
    });
  }

  async listChangeJudgements(versionId: string): Promise<ChangeJudgement[]> {
    const byKey = this.derived.judgementsOf.get(versionId);
    if (!byKey) return [];
    // Code-unit order, not locale order: the same bytes on every machine.
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(copy);
  }

  // ── 見直し records ──

  async addReviewRecord(assessmentId: string, input: ReviewRecordInput): Promise<ReviewRecord> {
    const parsed = parseReviewInput(input);
    return this.enqueue((tx) => {
      const { row: a } = this.liveAssessment(tx.data, assessmentId);
      const at = tx.now();
      const { review, audit } = newReview(parsed, a, newId(), at);
      tx.insert('reviews', review);
      tx.audit(audit, at);
      return copy(review);
    });
  }

  async listReviewRecords(assessmentId: string): Promise<ReviewRecord[]> {
    const list = this.derived.reviewsOf.get(assessmentId) ?? [];
    // Stable sort: records of the same day stay in the order they were recorded.
    return list
      .map(copy)
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  // ── users and tokens ──

  private insertUser(
    tx: Tx,
    u: { name: string; role: Role; orgId: string | null },
    actor: string,
    at: string,
  ): User {
    if (u.orgId !== null && !findById(tx.data.organisations, u.orgId))
      throw new NotFoundError(`組織 ${u.orgId} はありません`);
    const { user, audit } = newUser(u, newId(), actor, at);
    tx.insert('users', user);
    tx.audit(audit, at);
    return user;
  }

  async createUser(
    input: { name: string; role: Role; orgId: string | null },
    ctx: { actor: string },
  ): Promise<User> {
    const u = validateNewUser(input);
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => copy(this.insertUser(tx, u, actor, tx.now())));
  }

  async getUser(id: string): Promise<User | null> {
    const row = findById(this.data.users, id)?.row;
    return row ? copy(row) : null;
  }

  async listUsers(filter: { orgId?: string } = {}): Promise<User[]> {
    return this.data.users.filter((u) => filter.orgId === undefined || u.orgId === filter.orgId).map(copy);
  }

  async disableUser(id: string, ctx: { actor: string }): Promise<User> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => {
      const found = findById(tx.data.users, id);
      if (!found) throw new NotFoundError(`利用者 ${id} はありません`);
      if (found.row.disabledAt !== null) return copy(found.row);
      const at = tx.now();
      const { user, audit } = disabledUser(found.row, actor, at);
      tx.replace('users', found.index, user);
      tx.audit(audit, at);
      return copy(user);
    });
  }

  async createToken(input: CreateTokenInput, ctx: { actor: string }): Promise<CreatedToken> {
    const parsed = parseTokenInput(input, ctx);
    const { actor, userId } = parsed;
    return this.enqueue((tx) => {
      const at = tx.now();
      let user: User;
      if (parsed.newUser) {
        user = this.insertUser(tx, parsed.newUser, actor, at);
      } else {
        const found = findById(tx.data.users, userId!)?.row;
        if (!found) throw new NotFoundError(`利用者 ${userId} はありません`);
        if (found.disabledAt !== null) throw new ConflictError(`利用者 ${found.name} は無効化されています`);
        user = found;
      }
      let id = newTokenId();
      while (findById(tx.data.tokens, id)) id = newTokenId();
      const { token, hash } = generateToken(id);
      const { info, audit } = newToken(parsed, user, id, at);
      tx.insert('tokens', Object.assign({}, info, { hash }));
      tx.audit(audit, at);
      return { token, info, user: copy(user) };
    });
  }

  async listTokens(filter: { userId?: string } = {}): Promise<TokenInfo[]> {
    return this.data.tokens
      .filter((t) => filter.userId === undefined || t.userId === filter.userId)
      .map(({ hash: _hash, ...info }) => info);
  }

  async revokeToken(tokenId: string, ctx: { actor: string }): Promise<TokenInfo> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => {
      const found = findById(tx.data.tokens, tokenId);
      if (!found) throw new NotFoundError(`トークン ${tokenId} はありません`);
      let rec = found.row;
      if (rec.revokedAt === null) {
        const at = tx.now();
        const orgId = findById(tx.data.users, rec.userId)?.row.orgId ?? null;
        const revoked = revokedToken(rec, orgId, actor, at);
        rec = revoked.token;
        tx.replace('tokens', found.index, rec);
        tx.audit(revoked.audit, at);
      }
      const { hash: _hash, ...info } = rec;
      return info;
    });
  }

  async authenticate(token: string): Promise<Principal | null> {
    if (typeof token !== 'string' || token.length > 200) return null;
    const data = this.data;
    const id = parseTokenId(token);
    const rec = id === null ? undefined : findById(data.tokens, id)?.row;
    // Always one constant-time comparison, whether or not the id exists.
    if (!tokenMatches(token, rec?.hash) || !rec) return null;
    if (rec.revokedAt !== null) return null;
    if (rec.expiresAt !== null && Date.parse(rec.expiresAt) <= this.clock().getTime()) return null;
    const user = findById(data.users, rec.userId)?.row;
    if (!user || user.disabledAt !== null) return null;
    return { userId: user.id, name: user.name, role: user.role, orgId: user.orgId, tokenId: rec.id };
  }

  // ── web sessions ──

  private checkOpen(): void {
    if (this.closed) throw new InternalError(`ストア ${this.location} は既に閉じられています`);
  }

  async createSession(input: { id: string; token: string; csrf: string }, at?: number): Promise<SessionData> {
    this.checkOpen();
    const rec = newSessionRecord(input, at ?? this.clock().getTime());
    this.sessions.set(rec.idHash, rec);
    return sessionDataOf(input.id, rec)!;
  }

  async getSession(id: string): Promise<SessionData | null> {
    this.checkOpen();
    if (typeof id !== 'string') return null;
    return sessionDataOf(id, this.sessions.get(hashSessionId(id)));
  }

  async touchSession(id: string, at?: number): Promise<void> {
    this.checkOpen();
    const rec = typeof id === 'string' ? this.sessions.get(hashSessionId(id)) : undefined;
    if (rec) rec.lastSeen = at ?? this.clock().getTime();
  }

  async deleteSession(id: string): Promise<void> {
    this.checkOpen();
    if (typeof id === 'string') this.sessions.delete(hashSessionId(id));
  }

  async pruneSessions(filter: { lastSeenBefore?: number; createdBefore?: number }): Promise<number> {
    this.checkOpen();
    let n = 0;
    for (const [k, r] of this.sessions) {
      if (
        (filter.lastSeenBefore !== undefined && r.lastSeen < filter.lastSeenBefore) ||
        (filter.createdBefore !== undefined && r.createdAt < filter.createdBefore)
      ) {
        this.sessions.delete(k);
        n++;
      }
    }
    return n;
  }

  // ── audit ──

  async appendAudit(input: AuditInput): Promise<AuditEntry> {
    const entry = parseAuditInput(input);
    return this.enqueue((tx) => clone(tx.audit(entry, tx.now())));
  }

  async listAudit(
    filter: { orgId?: string; target?: string; actor?: string; afterSeq?: number; limit?: number } = {},
  ): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    const limit = filter.limit ?? Infinity;
    const audit = this.data.audit;
    // seq n is at index n-1 in an intact log; start there instead of scanning from the beginning.
    const start =
      filter.afterSeq && audit.at(filter.afterSeq - 1)?.seq === filter.afterSeq ? filter.afterSeq : 0;
    // The rows are JSON text (row-log.ts): with a filter, only rows whose text holds the wanted member are
    // parsed (the member as JSON.stringify wrote it); each is then checked on its parsed value.
    const member = (['target', 'actor', 'orgId'] as const).find((k) => typeof filter[k] === 'string');
    const positions = member
      ? audit.positionsContaining(`${JSON.stringify(member)}:${JSON.stringify(filter[member])}`, start)
      : indices(start, audit.length);
    for (const i of positions) {
      if (out.length >= limit) break;
      const e = audit.at(i)!;
      if (filter.afterSeq !== undefined && e.seq <= filter.afterSeq) continue;
      if (filter.orgId !== undefined && e.orgId !== filter.orgId) continue;
      if (filter.target !== undefined && e.target !== filter.target) continue;
      if (filter.actor !== undefined && e.actor !== filter.actor) continue;
      out.push(e);
    }
    return out;
  }

  async auditHead(): Promise<AuditHead> {
    const last = this.data.audit.last();
    return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH };
  }

  /** The chain, then the records against the entries that committed them (audit-records.ts). */
  async verifyAudit(opts: { anchor?: AuditHead } = {}): Promise<AuditVerification> {
    const data = this.data;
    const audit = data.audit.toArray();
    return verifyAuditedRecords(verifyAuditChain(audit, opts.anchor), Object.assign({}, data, { audit }));
  }
}
