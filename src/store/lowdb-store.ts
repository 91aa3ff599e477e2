// The Store on lowdb: one JSON index file plus content-addressed document files, one process per store.
//
// Layout for PIA_DB=/data/pia.json:
//   /data/pia.json          the index: organisations, assessments, version metadata, status history,
//                           comments, check-run summaries, users, token hashes, the audit log
//   /data/pia.json.blobs/   <sha256>.json: version documents and check-run diagnostics, immutable
//   /data/pia.json.lock     the advisory lock (file-lock.ts)
//
// Why documents live outside the index: lowdb rewrites its whole file on every write. With documents
// inline, every comment would rewrite every version ever saved (50 versions of a 300 KB 評価書 is 15 MB
// per comment). Versions are immutable, so each document is written once, named by its SHA-256 (which
// also verifies it on every read and deduplicates identical saves). A document is fsynced before the index
// that references it, so the index never points at a missing document; a crash in between leaves only an
// unreferenced file. The audit log stays in the index so a change and its audit entry commit together.
//
// Writes: every mutating method is a synchronous operation on a copy-on-write draft, queued. The queue
// applies all waiting operations to one draft (group commit), writes blobs then the index durably once,
// and only then publishes the draft as the state readers see and resolves the callers. Readers therefore
// never see an unacknowledged write, and a failed operation (412, 404…) is rolled back without touching
// the others in its batch.
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Low, Memory } from 'lowdb';
import { InputError, InternalError } from '../errors.ts';
import { parsePointer } from '../pointer.ts';
import { FORM_NAMES, type Diagnostic, type FormId, type Json, type JsonObject } from '../types.ts';
import { makeAuditEntry, sha256Hex, verifyAuditChain, GENESIS_HASH } from './audit-chain.ts';
import {
  DurableJsonFile,
  ensureDir,
  fsyncDir,
  removeStaleTempFiles,
  writeFileDurable,
} from './durable-file.ts';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  StoreCorruptError,
  StoreLockedError,
  StoreWriteError,
} from './errors.ts';
import { acquireFileLock, type FileLock } from './file-lock.ts';
import { generateToken, newTokenId, parseTokenId, tokenMatches } from './tokens.ts';
import {
  INITIAL_REVIEW_STATUS,
  REVIEW_STATUSES,
  ROLES,
  type AddVersionOptions,
  type Assessment,
  type AssessmentInput,
  type AssessmentPatch,
  type AuditEntry,
  type AuditHead,
  type AuditInput,
  type AuditVerification,
  type CheckRun,
  type CheckRunInfo,
  type CheckSummary,
  type Comment,
  type CreatedToken,
  type CreateTokenInput,
  type Organisation,
  type Principal,
  type ReviewStatus,
  type Role,
  type StatusTransition,
  type Store,
  type TokenInfo,
  type TransitionInput,
  type User,
  type Version,
  type VersionInfo,
} from './types.ts';

// ───────────────────────────── file format ─────────────────────────────

const FORMAT = 'pia-store';
const FORMAT_VERSION = 1;

type AssessmentRecord = Omit<Assessment, 'latestVersionId' | 'latestEtag' | 'status' | 'versionCount'>;
/** Status is not stored on the version: versions are never rewritten; it is the last transition's `to`. */
type VersionRecord = Omit<VersionInfo, 'status'>;
type CheckRunRecord = CheckRunInfo;
interface TokenRecord extends TokenInfo {
  hash: string;
}

interface Tables {
  organisations: Organisation[];
  assessments: AssessmentRecord[];
  versions: VersionRecord[];
  transitions: StatusTransition[];
  comments: Comment[];
  checkRuns: CheckRunRecord[];
  users: User[];
  tokens: TokenRecord[];
  audit: AuditEntry[];
}
type TableName = keyof Tables;
const TABLES: readonly TableName[] = [
  'organisations',
  'assessments',
  'versions',
  'transitions',
  'comments',
  'checkRuns',
  'users',
  'tokens',
  'audit',
];

export interface StoreFile extends Tables {
  format: typeof FORMAT;
  formatVersion: number;
  createdAt: string;
}

function emptyStoreFile(at: string): StoreFile {
  return {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: at,
    organisations: [],
    assessments: [],
    versions: [],
    transitions: [],
    comments: [],
    checkRuns: [],
    users: [],
    tokens: [],
    audit: [],
  };
}

/** Refuses anything that is not our file, so pointing PIA_DB at the wrong JSON never overwrites it. */
function checkStoreFile(raw: unknown, path: string): StoreFile {
  const obj = raw as Partial<StoreFile> | null;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || obj.format !== FORMAT) {
    throw new StoreCorruptError(
      `${path} は PIA のストアのファイルではありません (format が "${FORMAT}" ではありません)。` +
        '他のデータを上書きしないよう、開くのを中止しました。PIA_DB の設定を確認してください。',
      path,
    );
  }
  if (typeof obj.formatVersion !== 'number' || obj.formatVersion > FORMAT_VERSION) {
    throw new StoreCorruptError(
      `${path} のストア形式 ${String(obj.formatVersion)} はこのバージョンでは読めません (対応: ${FORMAT_VERSION})。` +
        'pia を更新してください。',
      path,
    );
  }
  const out = { ...obj } as StoreFile;
  for (const t of TABLES) {
    const v = obj[t];
    if (v === undefined) (out as unknown as Record<string, unknown[]>)[t] = [];
    else if (!Array.isArray(v)) {
      throw new StoreCorruptError(
        `${path} の "${t}" が配列ではありません。ファイルは変更していません。`,
        path,
      );
    }
  }
  return out;
}

// ───────────────────────────── lookups ─────────────────────────────

// id → position, built incrementally per array. Committed arrays only grow or are replaced by copies, so
// the index is extended, never rebuilt, between commits; a rollback (pop) drops it.
const positions = new WeakMap<readonly { id: string }[], { n: number; map: Map<string, number> }>();

function findById<T extends { id: string }>(
  arr: readonly T[],
  id: string,
): { row: T; index: number } | undefined {
  if (typeof id !== 'string') return undefined;
  let e = positions.get(arr);
  if (!e || e.n > arr.length) {
    e = { n: 0, map: new Map() };
    positions.set(arr, e);
  }
  for (; e.n < arr.length; e.n++) e.map.set(arr[e.n].id, e.n);
  const i = e.map.get(id);
  if (i === undefined || i >= arr.length || arr[i].id !== id) return undefined;
  return { row: arr[i], index: i };
}

function lastWhere<T>(arr: readonly T[], pred: (x: T) => boolean): T | undefined {
  for (let i = arr.length - 1; i >= 0; i--) if (pred(arr[i])) return arr[i];
  return undefined;
}

function currentStatus(data: Tables, versionId: string): ReviewStatus {
  return lastWhere(data.transitions, (t) => t.versionId === versionId)?.to ?? INITIAL_REVIEW_STATUS;
}

interface Derived {
  latest: Map<string, VersionRecord>;
  count: Map<string, number>;
  status: Map<string, ReviewStatus>;
}
// Each commit publishes a new StoreFile object, so this cache is invalidated exactly when data changes.
const derivedCache = new WeakMap<StoreFile, Derived>();

function derive(data: StoreFile): Derived {
  let d = derivedCache.get(data);
  if (d) return d;
  d = { latest: new Map(), count: new Map(), status: new Map() };
  for (const v of data.versions) {
    d.latest.set(v.assessmentId, v);
    d.count.set(v.assessmentId, (d.count.get(v.assessmentId) ?? 0) + 1);
  }
  for (const t of data.transitions) d.status.set(t.versionId, t.to);
  derivedCache.set(data, d);
  return d;
}

// ───────────────────────────── validation ─────────────────────────────

function requireText(value: unknown, what: string, max = 1000): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(`${what}を指定してください`);
  if (value.length > max) throw new InvalidInputError(`${what}が長すぎます (${max} 文字まで)`);
  return value;
}

function optionalText(value: unknown, what: string, max = 1000): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidInputError(`${what}は文字列で指定してください`);
  if (value.length > max) throw new InvalidInputError(`${what}が長すぎます (${max} 文字まで)`);
  return value;
}

function requireStatus(value: unknown, what = '状態'): ReviewStatus {
  if (!REVIEW_STATUSES.includes(value as ReviewStatus)) {
    throw new InvalidInputError(`${what}「${String(value)}」は不正です (${REVIEW_STATUSES.join(' / ')})`);
  }
  return value as ReviewStatus;
}

function requireRole(value: unknown): Role {
  if (!ROLES.includes(value as Role))
    throw new InvalidInputError(`ロール「${String(value)}」は不正です (${ROLES.join(' / ')})`);
  return value as Role;
}

function optionalForm(value: unknown): FormId | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !Object.hasOwn(FORM_NAMES, value)) {
    throw new InvalidInputError(
      `様式「${String(value)}」は不正です (${Object.keys(FORM_NAMES).join(' / ')})`,
    );
  }
  return value as FormId;
}

function optionalDate(value: unknown, what: string): string | null {
  if (value === undefined || value === null) return null;
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new InvalidInputError(`${what}「${String(value)}」は日時として読めません`);
  return new Date(t).toISOString();
}

function requirePointer(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidInputError('項目の JSON Pointer を指定してください');
  try {
    parsePointer(value);
  } catch (e) {
    throw new InvalidInputError((e as Error).message);
  }
  if (/~(?![01])/.test(value))
    throw new InvalidInputError(`JSON Pointer の ~ は ~0 か ~1 である必要があります: ${value}`);
  return value;
}

function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Serialises a caller's value exactly as it will be stored; rejects what JSON cannot hold. */
function toJsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new InvalidInputError(`${what}を JSON に変換できません (${(e as Error).message})`);
  }
  if (text === undefined) throw new InvalidInputError(`${what}を JSON に変換できません`);
  return text;
}

/**
 * RFC 9110 If-Match with strong comparison: `*` matches any existing version; a list matches if one entity
 * tag equals the current one. Weak tags (W/"…") never match. A bare value without quotes is accepted too,
 * for command lines where quoting is awkward.
 */
export function etagMatches(ifMatch: string, current: string | null): boolean {
  const value = ifMatch.trim();
  if (value === '*') return current !== null;
  if (current === null) return false;
  return value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '' && !t.startsWith('W/'))
    .some((t) => t === current || `"${t}"` === current);
}

function summarise(diagnostics: Diagnostic[]): CheckSummary {
  const s: CheckSummary = { error: 0, warning: 0, info: 0, waived: 0, total: diagnostics.length };
  diagnostics.forEach((d, i) => {
    if (d === null || typeof d !== 'object' || !['error', 'warning', 'info'].includes(d.severity)) {
      throw new InvalidInputError(`診断結果の ${i + 1} 件目の severity が不正です`);
    }
    if (d.waived) s.waived++;
    else s[d.severity]++;
  });
  return s;
}

const clone = <T>(v: T): T => structuredClone(v);

// ───────────────────────────── transactions ─────────────────────────────

/** A copy-on-write draft of the store with an undo log, so one failed operation leaves its batch intact. */
class Tx {
  readonly data: StoreFile;
  readonly blobs = new Map<string, Buffer>();
  private readonly copied = new Set<TableName>();
  private readonly undo: (() => void)[] = [];

  constructor(
    base: StoreFile,
    private readonly clock: () => Date,
  ) {
    this.data = { ...base };
  }

  now(): string {
    return this.clock().toISOString();
  }

  get changed(): boolean {
    return this.undo.length > 0;
  }

  private writable<K extends TableName>(t: K): Tables[K] {
    if (!this.copied.has(t)) {
      const tables: Tables = this.data;
      tables[t] = [...tables[t]] as Tables[K];
      this.copied.add(t);
    }
    return this.data[t];
  }

  insert<K extends TableName>(t: K, row: Tables[K][number]): void {
    const arr = this.writable(t) as unknown[];
    arr.push(row);
    this.undo.push(() => {
      arr.pop();
      positions.delete(arr as { id: string }[]);
    });
  }

  replace<K extends TableName>(t: K, index: number, row: Tables[K][number]): void {
    const arr = this.writable(t) as unknown[];
    const old = arr[index];
    arr[index] = row;
    this.undo.push(() => {
      arr[index] = old;
    });
  }

  putBlob(hash: string, bytes: Buffer): void {
    if (this.blobs.has(hash)) return;
    this.blobs.set(hash, bytes);
    this.undo.push(() => this.blobs.delete(hash));
  }

  audit(input: AuditInput, at: string): AuditEntry {
    const entry = makeAuditEntry(input, this.data.audit[this.data.audit.length - 1], at);
    this.insert('audit', entry);
    return entry;
  }

  mark(): number {
    return this.undo.length;
  }

  rollback(mark: number): void {
    while (this.undo.length > mark) this.undo.pop()!();
  }
}

interface Pending {
  op: (tx: Tx) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

// ───────────────────────────── blob backends ─────────────────────────────

interface BlobBackend {
  /** Resolves once every blob is durable. */
  put(blobs: ReadonlyMap<string, Buffer>): Promise<void>;
  get(hash: string): Promise<Buffer | null>;
}

class FileBlobs implements BlobBackend {
  constructor(readonly dir: string) {}
  async put(blobs: ReadonlyMap<string, Buffer>): Promise<void> {
    // In parallel: the fsyncs of one group commit overlap; one directory fsync covers all the renames.
    await Promise.all(
      [...blobs].map(([hash, text]) =>
        writeFileDurable(join(this.dir, `${hash}.json`), text, { syncDir: false }),
      ),
    );
    await fsyncDir(this.dir);
  }
  async get(hash: string): Promise<Buffer | null> {
    try {
      return await readFile(join(this.dir, `${hash}.json`));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
}

class MemoryBlobs implements BlobBackend {
  private readonly map = new Map<string, Buffer>();
  async put(blobs: ReadonlyMap<string, Buffer>): Promise<void> {
    for (const [h, t] of blobs) this.map.set(h, t);
  }
  async get(hash: string): Promise<Buffer | null> {
    return this.map.get(hash) ?? null;
  }
}

// ───────────────────────────── the store ─────────────────────────────

export interface StoreOptions {
  /** Clock for timestamps (tests). */
  now?: () => Date;
}

export class LowdbStore implements Store {
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  private readonly knownBlobs = new Set<string>();
  private readonly clock: () => Date;

  constructor(
    private readonly low: Low<StoreFile>,
    private readonly blobs: BlobBackend,
    readonly location: string,
    private readonly onClose: () => void,
    options: StoreOptions = {},
  ) {
    this.clock = options.now ?? (() => new Date());
    for (const v of low.data.versions) this.knownBlobs.add(v.docHash);
    for (const c of low.data.checkRuns) this.knownBlobs.add(c.diagnosticsHash);
  }

  /** The acknowledged state. Never mutated: each commit replaces it. */
  private get data(): StoreFile {
    return this.low.data;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.flushing;
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
      const tx = new Tx(this.data, this.clock);
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
          await this.persist(tx);
        } catch (e) {
          writeError = new StoreWriteError(
            `ストア ${this.location} への書き込みに失敗しました (${(e as Error).message})。この操作は保存されていません。`,
            { cause: e },
          );
        }
      }
      batch.forEach((item, i) => {
        const r = results[i];
        if (!r.ok) item.reject(r.error);
        else if (writeError) item.reject(writeError);
        else item.resolve(r.value);
      });
    }
  }

  private async persist(tx: Tx): Promise<void> {
    const fresh = new Map([...tx.blobs].filter(([h]) => !this.knownBlobs.has(h)));
    // Documents first: the index must never reference a document that is not on disk.
    if (fresh.size > 0) await this.blobs.put(fresh);
    await this.low.adapter.write(tx.data);
    this.low.data = tx.data;
    for (const h of fresh.keys()) this.knownBlobs.add(h);
  }

  private async readBlob<T>(hash: string, what: string): Promise<T> {
    const bytes = await this.blobs.get(hash);
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

  /** `data` is either the committed state (cached derivations) or a draft inside an operation (scanned). */
  private assessmentView(rec: AssessmentRecord, data: StoreFile, draft = false): Assessment {
    let latest: VersionRecord | undefined;
    let status: ReviewStatus | null = null;
    let count = 0;
    if (draft) {
      for (const v of data.versions) {
        if (v.assessmentId === rec.id) {
          latest = v;
          count++;
        }
      }
      if (latest) status = currentStatus(data, latest.id);
    } else {
      const d = derive(data);
      latest = d.latest.get(rec.id);
      count = d.count.get(rec.id) ?? 0;
      if (latest) status = d.status.get(latest.id) ?? INITIAL_REVIEW_STATUS;
    }
    return {
      ...clone(rec),
      latestVersionId: latest?.id ?? null,
      latestEtag: latest?.etag ?? null,
      status,
      versionCount: count,
    };
  }

  private versionInfo(rec: VersionRecord, data: StoreFile): VersionInfo {
    return { ...clone(rec), status: derive(data).status.get(rec.id) ?? INITIAL_REVIEW_STATUS };
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
      const org: Organisation = { id: randomUUID(), name, code, createdAt: at };
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
      return clone(org);
    });
  }

  async getOrganisation(id: string): Promise<Organisation | null> {
    const row = findById(this.data.organisations, id)?.row;
    return row ? clone(row) : null;
  }

  async listOrganisations(): Promise<Organisation[]> {
    return clone(this.data.organisations);
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
        id: randomUUID(),
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
      return this.assessmentView(rec, tx.data, true);
    });
  }

  async getAssessment(id: string, opts: { includeDeleted?: boolean } = {}): Promise<Assessment | null> {
    const row = findById(this.data.assessments, id)?.row;
    if (!row || (row.deletedAt !== null && !opts.includeDeleted)) return null;
    return this.assessmentView(row, this.data);
  }

  async listAssessments(filter: { orgId?: string; includeDeleted?: boolean } = {}): Promise<Assessment[]> {
    const data = this.data;
    return data.assessments
      .filter(
        (a) =>
          (filter.orgId === undefined || a.orgId === filter.orgId) &&
          (filter.includeDeleted || a.deletedAt === null),
      )
      .map((a) => this.assessmentView(a, data));
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
      if (keys.length === 0) return this.assessmentView(row, tx.data, true);
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
      return this.assessmentView(updated, tx.data, true);
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
      return this.assessmentView(deleted, tx.data, true);
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
      const latest = lastWhere(tx.data.versions, (v) => v.assessmentId === assessmentId);
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
        id: randomUUID(),
        assessmentId,
        orgId: a.orgId,
        number,
        etag: `"${number}-${docHash.slice(0, 20)}"`,
        author,
        createdAt: at,
        message,
        docHash,
        size,
      };
      tx.putBlob(docHash, bytes);
      tx.insert('versions', rec);
      tx.insert('transitions', {
        id: randomUUID(),
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
    const data = this.data;
    const rec = findById(data.versions, versionId)?.row;
    if (!rec) return null;
    const doc = await this.readBlob<JsonObject>(rec.docHash, `第 ${rec.number} 版 (${rec.id}) の文書`);
    return { ...this.versionInfo(rec, data), doc };
  }

  async listVersions(assessmentId: string): Promise<VersionInfo[]> {
    const data = this.data;
    return data.versions.filter((v) => v.assessmentId === assessmentId).map((v) => this.versionInfo(v, data));
  }

  async latestVersion(assessmentId: string): Promise<Version | null> {
    const latest = derive(this.data).latest.get(assessmentId);
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
      const from = currentStatus(tx.data, versionId);
      if (expectedFrom !== undefined && from !== expectedFrom) {
        throw new ConflictError(
          `第 ${v.number} 版の状態は既に「${from}」です (期待した状態: 「${expectedFrom}」)`,
        );
      }
      if (from === to) throw new ConflictError(`第 ${v.number} 版は既に「${to}」です`);
      const at = tx.now();
      const t: StatusTransition = {
        id: randomUUID(),
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
      return clone(t);
    });
  }

  async listStatusHistory(versionId: string): Promise<StatusTransition[]> {
    return clone(this.data.transitions.filter((t) => t.versionId === versionId));
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
        id: randomUUID(),
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
      return clone(c);
    });
  }

  async replyComment(commentId: string, input: { body: string; author: string }): Promise<Comment> {
    const body = requireText(input?.body, 'コメント', 20_000);
    const author = requireText(input.author, '作成者', 200);
    return this.enqueue((tx) => {
      const parent = findById(tx.data.comments, commentId)?.row;
      if (!parent) throw new NotFoundError(`コメント ${commentId} はありません`);
      const root = parent.parentId === null ? parent : findById(tx.data.comments, parent.parentId)!.row;
      this.writableVersion(tx.data, root.versionId);
      const at = tx.now();
      const c: Comment = {
        ...root,
        id: randomUUID(),
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
      return clone(c);
    });
  }

  async resolveComment(commentId: string, input: { actor: string; resolved?: boolean }): Promise<Comment> {
    const actor = requireText(input?.actor, '操作者', 200);
    const resolved = input.resolved ?? true;
    return this.enqueue((tx) => {
      const found = findById(tx.data.comments, commentId);
      if (!found) throw new NotFoundError(`コメント ${commentId} はありません`);
      const c = found.row;
      if (c.parentId !== null) {
        throw new InvalidInputError(
          `返信ではなく、スレッドの最初のコメント (${c.parentId}) を解決してください`,
        );
      }
      this.writableVersion(tx.data, c.versionId);
      if (c.resolved === resolved) return clone(c); // idempotent: nothing to write
      const at = tx.now();
      const next: Comment = {
        ...c,
        resolved,
        resolvedAt: resolved ? at : null,
        resolvedBy: resolved ? actor : null,
      };
      tx.replace('comments', found.index, next);
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
      return clone(next);
    });
  }

  async getComment(id: string): Promise<Comment | null> {
    const row = findById(this.data.comments, id)?.row;
    return row ? clone(row) : null;
  }

  async listComments(versionId: string, filter: { pointer?: string } = {}): Promise<Comment[]> {
    return clone(
      this.data.comments.filter(
        (c) => c.versionId === versionId && (filter.pointer === undefined || c.pointer === filter.pointer),
      ),
    );
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
        id: randomUUID(),
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
    return clone(this.data.checkRuns.filter((c) => c.versionId === versionId));
  }

  async latestCheckRun(versionId: string): Promise<CheckRun | null> {
    const rec = lastWhere(this.data.checkRuns, (c) => c.versionId === versionId);
    return rec ? this.getCheckRun(rec.id) : null;
  }

  // ── users and tokens ──

  private validateNewUser(input: { name: unknown; role: unknown; orgId: unknown }) {
    const name = requireText(input?.name, '利用者名', 200);
    const role = requireRole(input.role);
    const orgId =
      input.orgId === null || input.orgId === undefined ? null : requireText(input.orgId, '組織', 200);
    if (orgId === null && role !== 'admin')
      throw new InvalidInputError(`ロール ${role} の利用者には組織が必要です`);
    return { name, role, orgId };
  }

  private insertUser(
    tx: Tx,
    u: { name: string; role: Role; orgId: string | null },
    actor: string,
    at: string,
  ): User {
    if (u.orgId !== null && !findById(tx.data.organisations, u.orgId))
      throw new NotFoundError(`組織 ${u.orgId} はありません`);
    const user: User = { id: randomUUID(), ...u, createdAt: at, disabledAt: null };
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
    const u = this.validateNewUser(input);
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => clone(this.insertUser(tx, u, actor, tx.now())));
  }

  async getUser(id: string): Promise<User | null> {
    const row = findById(this.data.users, id)?.row;
    return row ? clone(row) : null;
  }

  async listUsers(filter: { orgId?: string } = {}): Promise<User[]> {
    return clone(this.data.users.filter((u) => filter.orgId === undefined || u.orgId === filter.orgId));
  }

  async disableUser(id: string, ctx: { actor: string }): Promise<User> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    return this.enqueue((tx) => {
      const found = findById(tx.data.users, id);
      if (!found) throw new NotFoundError(`利用者 ${id} はありません`);
      if (found.row.disabledAt !== null) return clone(found.row);
      const at = tx.now();
      const next = { ...found.row, disabledAt: at };
      tx.replace('users', found.index, next);
      tx.audit(
        { actor, action: 'user.disable', target: `user:${id}`, orgId: next.orgId, after: { disabledAt: at } },
        at,
      );
      return clone(next);
    });
  }

  async createToken(input: CreateTokenInput, ctx: { actor: string }): Promise<CreatedToken> {
    const actor = requireText(ctx?.actor, '操作者', 200);
    if (!isPlainObject(input)) throw new InvalidInputError('トークンの作成内容を指定してください');
    const label = optionalText(input.label, 'トークン名', 200) ?? '';
    const expiresAt = optionalDate(input.expiresAt, '有効期限');
    const newUser = 'userId' in input ? null : this.validateNewUser(input);
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
      return { token, info, user: clone(user) };
    });
  }

  async listTokens(filter: { userId?: string } = {}): Promise<TokenInfo[]> {
    return this.data.tokens
      .filter((t) => filter.userId === undefined || t.userId === filter.userId)
      .map(({ hash: _hash, ...info }) => clone(info));
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
      return clone(info);
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

  // ── audit ──

  async appendAudit(input: AuditInput): Promise<AuditEntry> {
    const entry: AuditInput = {
      actor: requireText(input?.actor, '操作者', 200),
      action: requireText(input.action, '操作', 200),
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

  /**
   * The chain, then every version against its `version.add` entry: the entry commits to the document's
   * SHA-256, so the chain also protects the documents (a replaced document fails its hash on read; a
   * version record rewritten to match a replaced document fails here). `brokenAt: 0` means a version
   * that has no audit entry at all.
   */
  async verifyAudit(opts: { anchor?: AuditHead } = {}): Promise<AuditVerification> {
    const data = this.data;
    const chain = verifyAuditChain(data.audit, opts.anchor);
    if (!chain.ok) return chain;
    const adds = new Map<string, AuditEntry>();
    for (const e of data.audit) if (e.action === 'version.add') adds.set(e.target, e);
    for (const v of data.versions) {
      const e = adds.get(`version:${v.id}`);
      const after = (e?.after ?? {}) as Partial<VersionRecord>;
      if (
        !e ||
        after.docHash !== v.docHash ||
        after.etag !== v.etag ||
        after.number !== v.number ||
        after.assessmentId !== v.assessmentId
      ) {
        return {
          ok: false,
          count: chain.count,
          brokenAt: e?.seq ?? 0,
          reason: e
            ? `第 ${v.number} 版 (${v.id}) の記録が監査ログ ${e.seq} 件目の内容と一致しません (版の記録が改変されています)`
            : `第 ${v.number} 版 (${v.id}) に対応する監査ログがありません (版の記録が追加・改変されています)`,
        };
      }
    }
    return chain;
  }
}

// ───────────────────────────── factories ─────────────────────────────

/** `PIA_DB`, or `.pia-data/pia.json` under the working directory. */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.PIA_DB || join('.pia-data', 'pia.json'));
}

// Paths open in this process. A second open of the same file would be a second writer with its own
// memory: refuse it, and let the composition root share the one Store.
const openPaths = new Set<string>();
const heldLocks = new Set<FileLock>();
let exitHookInstalled = false;

function trackLock(lock: FileLock): void {
  heldLocks.add(lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A process that exits without close() should not leave a lock that names a live pid (its own) to
    // any tool that checks before this pid dies. Killed processes leave a stale lock; open() takes it over.
    process.on('exit', () => {
      for (const l of heldLocks) l.release();
    });
  }
}

/**
 * Opens (creating if missing) the store at `path`. Throws StoreLockedError if another process, or this
 * one, has it open; StoreCorruptError if the file is not a readable PIA store (the file is not touched).
 */
export async function openStore(
  path: string = defaultStorePath(),
  options: StoreOptions = {},
): Promise<Store> {
  const abs = resolve(path);
  try {
    await ensureDir(dirname(abs));
  } catch (e) {
    throw new InputError(
      `ストアのディレクトリ ${dirname(abs)} を作成できません (${(e as Error).message})`,
      abs,
    );
  }
  const file = join(realpathSync(dirname(abs)), basename(abs));
  if (openPaths.has(file)) {
    throw new StoreLockedError(
      `ストア ${file} はこのプロセスで既に開かれています。1 つのプロセスで開けるのは 1 回だけです (開いたストアを共有してください)。`,
      file,
    );
  }
  openPaths.add(file);
  let lock: FileLock | undefined;
  try {
    lock = acquireFileLock(file);
    // Holding the lock, no one else writes here: any temp file is a crashed writer's leftover.
    await removeStaleTempFiles(dirname(file), basename(file));
    const adapter = new DurableJsonFile<StoreFile>(file);
    const at = (options.now ?? (() => new Date()))().toISOString();
    const low = new Low<StoreFile>(adapter, emptyStoreFile(at));
    // Read and check before creating anything next to a file that may not be ours.
    const raw = await adapter.read();
    if (raw !== null) low.data = checkStoreFile(raw, file);
    const blobDir = `${file}.blobs`;
    await ensureDir(blobDir);
    await removeStaleTempFiles(blobDir);
    if (raw === null) await adapter.write(low.data);
    const held = lock;
    trackLock(held);
    return new LowdbStore(
      low,
      new FileBlobs(blobDir),
      file,
      () => {
        held.release();
        heldLocks.delete(held);
        openPaths.delete(file);
      },
      options,
    );
  } catch (e) {
    lock?.release();
    openPaths.delete(file);
    if (e instanceof InputError) throw e;
    // Permissions, read-only or full disk at startup: the caller prints this and exits.
    throw new InputError(`ストア ${file} を開けません (${(e as Error).message})`, file);
  }
}

/** A store that lives only in memory (tests of other modules, demos). Same semantics, no durability. */
export function createMemoryStore(options: StoreOptions = {}): Store {
  const at = (options.now ?? (() => new Date()))().toISOString();
  const low = new Low<StoreFile>(new Memory<StoreFile>(), emptyStoreFile(at));
  return new LowdbStore(low, new MemoryBlobs(), ':memory:', () => undefined, options);
}
