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
import type { Diagnostic, Json, JsonObject } from '../../types.ts';
import { GENESIS_HASH, sha256Hex, verifyAuditChain } from '../audit-chain.ts';
import { verifyAuditedRecords } from '../audit-records.ts';
import { clockOf, newId, type Clock, type StoreOptions } from '../clock.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  StoreCorruptError,
  StoreWriteError,
} from '../errors.ts';
import { etagMatches, makeEtag } from '../etag.ts';
import { newSessionRecord, sessionDataOf, hashSessionId, type SessionRecord } from '../sessions.ts';
import { generateToken, newTokenId, parseTokenId, tokenMatches } from '../tokens.ts';
import {
  AUDIT_ACTIONS,
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
  type Store,
  type TokenInfo,
  type TransitionInput,
  type User,
  type Version,
  type VersionInfo,
} from '../types.ts';
import {
  isPlainObject,
  optionalCalendarDate,
  optionalDate,
  optionalException,
  optionalForm,
  optionalNonBlankText,
  optionalText,
  optionalTiming,
  requireCalendarDate,
  requirePointer,
  requireReviewResult,
  requireStatus,
  requireText,
  summarise,
  toJsonText,
  validateNewUser,
} from '../validate.ts';
import { Derived } from './derived.ts';
import type { Persistence } from './persistence.ts';
import {
  findById,
  isJournalTable,
  putRow,
  type AssessmentRecord,
  type CheckRunRecord,
  type StoreState,
  type Tables,
  type TokenRecord,
  type VersionRecord,
} from './tables.ts';
import { Tx } from './tx.ts';

interface Pending {
  op: (tx: Tx) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const clone = <T>(v: T): T => structuredClone(v);
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
      if (isJournalTable(c.table)) putRow(data, c.table, c.row);
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
    return {
      ...rec,
      latestVersionId: latest?.id ?? null,
      latestEtag: latest?.etag ?? null,
      status,
      versionCount: count,
    };
  }

  private versionInfo(rec: VersionRecord): VersionInfo {
    return { ...rec, status: this.derived.status.get(rec.id) ?? INITIAL_REVIEW_STATUS };
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
    const name = requireText(input?.name, '組織名', 200);
    const code = optionalText(input?.code, '団体コード', 50);
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => {
      const at = tx.now();
      const org: Organisation = { id: newId(), name, code, createdAt: at };
      tx.insert('organisations', org);
      tx.audit(
        {
          actor,
          action: 'organisation.create',
          target: `organisation:${org.id}`,
          orgId: org.id,
          after: { name, code },
        },
        at,
      );
      return copy(org);
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
    const orgId = requireText(input?.orgId, '組織', 200);
    const title = requireText(input?.title, '事務名', 300);
    const form = optionalForm(input?.form);
    const number = optionalText(input?.number, '評価書番号', 50);
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => {
      if (!findById(tx.data.organisations, orgId)) throw new NotFoundError(`組織 ${orgId} はありません`);
      this.checkTitleFree(tx.data, orgId, title);
      const at = tx.now();
      const rec: AssessmentRecord = {
        id: newId(),
        orgId,
        title,
        form,
        number,
        createdAt: at,
        createdBy: actor,
        updatedAt: at,
        deletedAt: null,
      };
      tx.insert('assessments', rec);
      tx.audit(
        {
          actor,
          action: 'assessment.create',
          target: `assessment:${rec.id}`,
          orgId,
          after: { title, form, number },
        },
        at,
      );
      return this.assessmentView(rec, tx);
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
    const actor = requireText(ctx?.actor, '操作者', 200);
    const next: AssessmentPatch = {};
    if (patch?.title !== undefined) next.title = requireText(patch.title, '事務名', 300);
    if (patch?.form !== undefined) next.form = optionalForm(patch.form);
    if (patch?.number !== undefined) next.number = optionalText(patch.number, '評価書番号', 50);
    return this.enqueue((tx) => {
      const { row, index } = this.liveAssessment(tx.data, id);
      if (next.title !== undefined) this.checkTitleFree(tx.data, row.orgId, next.title, id);
      const keys = (Object.keys(next) as (keyof AssessmentPatch)[]).filter((k) => next[k] !== row[k]);
      if (keys.length === 0) return this.assessmentView(row, tx);
      const at = tx.now();
      const before: JsonObject = {};
      const after: JsonObject = {};
      for (const k of keys) {
        before[k] = row[k];
        after[k] = next[k] ?? null;
      }
      const updated = { ...row, ...next, updatedAt: at };
      tx.replace('assessments', index, updated);
      tx.audit(
        { actor, action: 'assessment.update', target: `assessment:${id}`, orgId: row.orgId, before, after },
        at,
      );
      return this.assessmentView(updated, tx);
    });
  }

  async deleteAssessment(id: string, ctx: { actor: string }): Promise<Assessment> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => {
      const { row, index } = this.liveAssessment(tx.data, id);
      const at = tx.now();
      const deleted = { ...row, deletedAt: at, updatedAt: at };
      tx.replace('assessments', index, deleted);
      tx.audit(
        {
          actor,
          action: 'assessment.delete',
          target: `assessment:${id}`,
          orgId: row.orgId,
          before: { title: row.title },
        },
        at,
      );
      return this.assessmentView(deleted, tx);
    });
  }

  // ── versions ──

  async addVersion(assessmentId: string, doc: JsonObject, opts: AddVersionOptions): Promise<Version> {
    const author = requireText(opts?.author, '作成者', 200);
    if (!isPlainObject(doc))
      throw new InvalidInputError('評価書の文書は JSON オブジェクトである必要があります');
    const message = optionalText(opts.message, '変更メモ', 2000);
    const initial =
      opts.status === undefined ? INITIAL_REVIEW_STATUS : requireStatus(opts.status, '初期状態');
    if (opts.ifMatch !== undefined && typeof opts.ifMatch !== 'string')
      throw new InvalidInputError('If-Match は文字列です');
    // Serialise and hash outside the queue: for a large document this is the expensive part.
    const text = toJsonText(doc, '評価書の文書');
    const normalised = JSON.parse(text) as JsonObject;
    // Encode once: the same bytes are hashed and written.
    const bytes = Buffer.from(text, 'utf8');
    const docHash = sha256Hex(bytes);
    const size = bytes.length;
    const info = await this.enqueue((tx): VersionInfo => {
      const { row: a, index } = this.liveAssessment(tx.data, assessmentId);
      const latest = tx.latestVersion(assessmentId);
      if (opts.ifMatch !== undefined && !etagMatches(opts.ifMatch, latest?.etag ?? null)) {
        throw new PreconditionFailedError(
          latest
            ? `評価書は他の人が更新しました (最新は第 ${latest.number} 版 ${latest.etag}、指定は ${opts.ifMatch})。最新版を取得して変更をやり直してください。`
            : `評価書にはまだ版がありません (指定された If-Match: ${opts.ifMatch})`,
          latest?.etag ?? null,
        );
      }
      const at = tx.now();
      const number = (latest?.number ?? 0) + 1;
      const rec: VersionRecord = {
        id: newId(),
        assessmentId,
        orgId: a.orgId,
        number,
        etag: makeEtag(number, docHash),
        author,
        createdAt: at,
        message,
        docHash,
        size,
      };
      tx.putBlob(docHash, bytes);
      tx.insert('versions', rec);
      tx.insert('transitions', {
        id: newId(),
        versionId: rec.id,
        assessmentId,
        orgId: a.orgId,
        from: null,
        to: initial,
        actor: author,
        at,
        note: null,
      });
      tx.replace('assessments', index, { ...a, updatedAt: at });
      tx.audit(
        {
          actor: author,
          action: 'version.add',
          target: `version:${rec.id}`,
          orgId: a.orgId,
          before: latest ? { versionId: latest.id, etag: latest.etag } : null,
          after: { assessmentId, number, etag: rec.etag, docHash, size, status: initial, message },
        },
        at,
      );
      return { ...rec, status: initial };
    });
    return { ...info, doc: normalised };
  }

  async getVersion(versionId: string): Promise<Version | null> {
    const rec = findById(this.data.versions, versionId)?.row;
    if (!rec) return null;
    const doc = await this.readBlob<JsonObject>(rec.docHash, `第 ${rec.number} 版 (${rec.id}) の文書`);
    return { ...this.versionInfo(rec), doc };
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
    const to = requireStatus(input?.to);
    const expectedFrom =
      input.expectedFrom === undefined ? undefined : requireStatus(input.expectedFrom, '期待する状態');
    const actor = requireText(input.actor, '操作者', 200);
    const note = optionalText(input.note, 'メモ', 2000);
    return this.enqueue((tx) => {
      const v = this.writableVersion(tx.data, versionId);
      const from = tx.status(versionId);
      if (expectedFrom !== undefined && from !== expectedFrom) {
        throw new ConflictError(
          `第 ${v.number} 版の状態は既に「${from}」です (期待した状態: 「${expectedFrom}」)`,
        );
      }
      if (from === to) throw new ConflictError(`第 ${v.number} 版は既に「${to}」です`);
      const at = tx.now();
      const t: StatusTransition = {
        id: newId(),
        versionId,
        assessmentId: v.assessmentId,
        orgId: v.orgId,
        from,
        to,
        actor,
        at,
        note,
      };
      tx.insert('transitions', t);
      tx.audit(
        {
          actor,
          action: 'status.transition',
          target: `version:${versionId}`,
          orgId: v.orgId,
          before: { status: from },
          after: { status: to, note },
        },
        at,
      );
      return copy(t);
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
      const c: Comment = {
        id: newId(),
        versionId,
        assessmentId: v.assessmentId,
        orgId: v.orgId,
        pointer,
        parentId: null,
        body,
        author,
        createdAt: at,
        resolved: false,
        resolvedAt: null,
        resolvedBy: null,
      };
      tx.insert('comments', c);
      tx.audit(
        {
          actor: author,
          action: 'comment.add',
          target: `comment:${c.id}`,
          orgId: v.orgId,
          after: { versionId, pointer, body },
        },
        at,
      );
      return copy(c);
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
      const c: Comment = {
        ...root,
        id: newId(),
        parentId: root.id,
        body,
        author,
        createdAt: at,
        resolved: false,
        resolvedAt: null,
        resolvedBy: null,
      };
      tx.insert('comments', c);
      tx.audit(
        {
          actor: author,
          action: 'comment.reply',
          target: `comment:${c.id}`,
          orgId: root.orgId,
          after: { parentId: root.id, body },
        },
        at,
      );
      return copy(c);
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
      const next: Comment = {
        ...c,
        resolved,
        resolvedAt: resolved ? at : null,
        resolvedBy: resolved ? actor : null,
      };
      tx.replaceComment(next);
      tx.audit(
        {
          actor,
          action: resolved ? 'comment.resolve' : 'comment.reopen',
          target: `comment:${c.id}`,
          orgId: c.orgId,
          before: { resolved: c.resolved },
          after: { resolved },
        },
        at,
      );
      return copy(next);
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
    const actor = requireText(input?.actor, '操作者', 200);
    if (!Array.isArray(input.diagnostics)) throw new InvalidInputError('診断結果は配列である必要があります');
    const summary = summarise(input.diagnostics);
    if (input.meta !== undefined && input.meta !== null && !isPlainObject(input.meta)) {
      throw new InvalidInputError('meta は JSON オブジェクトである必要があります');
    }
    const meta = input.meta ? (JSON.parse(toJsonText(input.meta, 'meta')) as JsonObject) : null;
    const text = toJsonText(input.diagnostics, '診断結果');
    const diagnostics = JSON.parse(text) as Diagnostic[];
    const bytes = Buffer.from(text, 'utf8');
    const hash = sha256Hex(bytes);
    const info = await this.enqueue((tx) => {
      const v = this.writableVersion(tx.data, versionId);
      const at = tx.now();
      const rec: CheckRunRecord = {
        id: newId(),
        versionId,
        assessmentId: v.assessmentId,
        orgId: v.orgId,
        actor,
        createdAt: at,
        summary,
        meta,
        diagnosticsHash: hash,
      };
      tx.putBlob(hash, bytes);
      tx.insert('checkRuns', rec);
      tx.audit(
        {
          actor,
          action: 'checkrun.add',
          target: `checkrun:${rec.id}`,
          orgId: v.orgId,
          after: { versionId, summary: { ...summary }, diagnosticsHash: hash },
        },
        at,
      );
      return clone(rec);
    });
    return { ...info, diagnostics };
  }

  async getCheckRun(id: string): Promise<CheckRun | null> {
    const rec = findById(this.data.checkRuns, id)?.row;
    if (!rec) return null;
    const diagnostics = await this.readBlob<Diagnostic[]>(rec.diagnosticsHash, `検査結果 ${rec.id} の診断`);
    return { ...clone(rec), diagnostics };
  }

  async listCheckRuns(versionId: string): Promise<CheckRunInfo[]> {
    return clone(this.derived.checkRunsOf.get(versionId) ?? []);
  }

  async latestCheckRun(versionId: string): Promise<CheckRun | null> {
    const runs = this.derived.checkRunsOf.get(versionId);
    const rec = runs?.[runs.length - 1];
    return rec ? this.getCheckRun(rec.id) : null;
  }

  // ── 変更箇所 judgements ──

  async setChangeJudgement(versionId: string, input: ChangeJudgementInput): Promise<ChangeJudgement> {
    const key = requireText(input?.key, '変更箇所のキー (JSON Pointer または項目)', 2000);
    // Blank form fields mean "no judgement on this point", as an absent key in an annotations file.
    const exception = optionalException(input.exception);
    const timing = optionalTiming(input.timing);
    const reason = optionalNonBlankText(input.reason, '理由', 2000);
    const date = optionalCalendarDate(input.date, '変更日');
    const actor = requireText(input.actor, '操作者', 200);
    return this.enqueue((tx) => {
      const v = this.writableVersion(tx.data, versionId);
      const old = tx.judgement(versionId, key);
      if (
        old &&
        old.exception === exception &&
        old.timing === timing &&
        old.reason === reason &&
        old.date === date
      ) {
        return copy(old); // idempotent: re-saving an unchanged form writes nothing
      }
      const at = tx.now();
      // The same id across replacements: it names the judgement on (version, key), not one value of it.
      const j: ChangeJudgement = {
        id: old?.id ?? newId(),
        versionId,
        assessmentId: v.assessmentId,
        orgId: v.orgId,
        key,
        exception,
        timing,
        reason,
        date,
        actor,
        at,
      };
      if (old) tx.replaceJudgement(j);
      else tx.insert('judgements', j);
      tx.audit(
        {
          actor,
          action: 'judgement.set',
          target: `judgement:${j.id}`,
          orgId: v.orgId,
          before: old
            ? { exception: old.exception, timing: old.timing, reason: old.reason, date: old.date }
            : null,
          after: { versionId, key, exception, timing, reason, date },
        },
        at,
      );
      return copy(j);
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
    const date = requireCalendarDate(input?.date, '見直しの実施日');
    const result = requireReviewResult(input.result);
    const note = optionalText(input.note, 'メモ', 2000);
    const actor = requireText(input.actor, '操作者', 200);
    return this.enqueue((tx) => {
      const { row: a } = this.liveAssessment(tx.data, assessmentId);
      const at = tx.now();
      const r: ReviewRecord = {
        id: newId(),
        assessmentId,
        orgId: a.orgId,
        date,
        result,
        note,
        actor,
        at,
      };
      tx.insert('reviews', r);
      tx.audit(
        {
          actor,
          action: 'review.record',
          target: `review:${r.id}`,
          orgId: a.orgId,
          after: { assessmentId, date, result, note },
        },
        at,
      );
      return copy(r);
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
    const user: User = { id: newId(), ...u, createdAt: at, disabledAt: null };
    tx.insert('users', user);
    tx.audit(
      {
        actor,
        action: 'user.create',
        target: `user:${user.id}`,
        orgId: u.orgId,
        after: { name: u.name, role: u.role, orgId: u.orgId },
      },
      at,
    );
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
      const next = { ...found.row, disabledAt: at };
      tx.replace('users', found.index, next);
      tx.audit(
        { actor, action: 'user.disable', target: `user:${id}`, orgId: next.orgId, after: { disabledAt: at } },
        at,
      );
      return copy(next);
    });
  }

  async createToken(input: CreateTokenInput, ctx: { actor: string }): Promise<CreatedToken> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    if (!isPlainObject(input)) throw new InvalidInputError('トークンの作成内容を指定してください');
    const label = optionalText(input.label, 'トークン名', 200) ?? '';
    const expiresAt = optionalDate(input.expiresAt, '有効期限');
    const newUser = 'userId' in input ? null : validateNewUser(input);
    const userId = 'userId' in input ? requireText(input.userId, '利用者', 200) : null;
    return this.enqueue((tx) => {
      const at = tx.now();
      let user: User;
      if (newUser) {
        user = this.insertUser(tx, newUser, actor, at);
      } else {
        const found = findById(tx.data.users, userId!)?.row;
        if (!found) throw new NotFoundError(`利用者 ${userId} はありません`);
        if (found.disabledAt !== null) throw new ConflictError(`利用者 ${found.name} は無効化されています`);
        user = found;
      }
      let id = newTokenId();
      while (findById(tx.data.tokens, id)) id = newTokenId();
      const { token, hash } = generateToken(id);
      const rec: TokenRecord = {
        id,
        userId: user.id,
        label,
        createdAt: at,
        createdBy: actor,
        expiresAt,
        revokedAt: null,
        hash,
      };
      tx.insert('tokens', rec);
      tx.audit(
        {
          actor,
          action: 'token.create',
          target: `token:${id}`,
          orgId: user.orgId,
          after: { userId: user.id, role: user.role, label, expiresAt },
        },
        at,
      );
      const { hash: _hash, ...info } = rec;
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
        rec = { ...rec, revokedAt: at };
        tx.replace('tokens', found.index, rec);
        const orgId = findById(tx.data.users, rec.userId)?.row.orgId ?? null;
        tx.audit(
          { actor, action: 'token.revoke', target: `token:${tokenId}`, orgId, after: { revokedAt: at } },
          at,
        );
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
    const action = requireText(input?.action, '操作', 200);
    // The store's own actions are recorded by the store, with the change they describe; verifyAudit matches
    // records against them, so a caller may not add one without the change.
    if ((AUDIT_ACTIONS as readonly string[]).includes(action)) {
      throw new InvalidInputError(`操作「${action}」はストアが記録する操作です。別の名前を使ってください`);
    }
    const entry: AuditInput = {
      actor: requireText(input.actor, '操作者', 200),
      action,
      target: requireText(input.target, '対象', 500),
      orgId: optionalText(input.orgId, '組織', 200),
      before: input.before === undefined ? null : (JSON.parse(toJsonText(input.before, 'before')) as Json),
      after: input.after === undefined ? null : (JSON.parse(toJsonText(input.after, 'after')) as Json),
    };
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
      filter.afterSeq && audit[filter.afterSeq - 1]?.seq === filter.afterSeq ? filter.afterSeq : 0;
    for (let i = start; i < audit.length && out.length < limit; i++) {
      const e = audit[i];
      if (filter.afterSeq !== undefined && e.seq <= filter.afterSeq) continue;
      if (filter.orgId !== undefined && e.orgId !== filter.orgId) continue;
      if (filter.target !== undefined && e.target !== filter.target) continue;
      if (filter.actor !== undefined && e.actor !== filter.actor) continue;
      out.push(clone(e));
    }
    return out;
  }

  async auditHead(): Promise<AuditHead> {
    const last = this.data.audit[this.data.audit.length - 1];
    return { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH };
  }

  /** The chain, then the records against the entries that committed them (audit-records.ts). */
  async verifyAudit(opts: { anchor?: AuditHead } = {}): Promise<AuditVerification> {
    const data = this.data;
    return verifyAuditedRecords(verifyAuditChain(data.audit, opts.anchor), data);
  }
}
