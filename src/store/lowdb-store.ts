// The Store on lowdb: a small JSON index, an append-only journal, and content-addressed document files; one
// process per store.
//
// Layout for PIA_DB=/data/pia.json:
//   /data/pia.json                 the index: a checkpoint of the small, mutable tables (organisations,
//                                  assessments, version metadata, users, token hashes) as of commit N
//   /data/pia.json.journal.jsonl   the journal (journal.ts): every commit, one record per line — the
//                                  ever-growing records (audit log, check runs, status history, comments)
//                                  live only here; changes to the small tables are here too until the
//                                  next checkpoint folds them into the index
//   /data/pia.json.blobs/          <sha256>.json: version documents and check-run diagnostics, immutable
//   /data/pia.json.lock            the advisory lock (file-lock.ts)
//
// Why a journal: lowdb rewrites its whole file on every write. With the audit log and the check runs in
// the index, a CI check run rewrote every check run and audit entry ever recorded (7 MB after 7,000 runs).
// Now a commit appends its own records and a commit line, then fdatasyncs once: its cost depends on the
// batch, not on the history. The journal is the commit point for everything, so a change and its audit
// entry still commit together (one write, one fsync). The index is rewritten only as a checkpoint (every
// CHECKPOINT_AFTER small-table records, and at close), atomically (durable-file.ts); on open, the journal's
// small-table records after the index's checkpoint are replayed over it.
//
// Why documents live outside the index and journal: versions are immutable, so each document is written
// once, named by its SHA-256 (which also verifies it on every read and deduplicates identical saves). A
// document is fsynced before the journal line that references it, so no record points at a missing
// document; a crash in between leaves only an unreferenced file.
//
// Format 1 (everything in the index, no journal) still opens: it is read as is, and its ever-growing
// records move to a new journal on the first write (migrate()), after which the index is format 2 so an
// older pia refuses it instead of silently ignoring the journal.
//
// Writes: every mutating method is a synchronous operation on a draft (Tx), queued. The queue applies all
// waiting operations to one draft (group commit), makes blobs and the journal durable once, and only then
// publishes the draft as the state readers see and resolves the callers. Readers therefore never see an
// unacknowledged write, and a failed operation (412, 404…) is rolled back without touching the others in
// its batch. The small tables are copied on write per batch; the ever-growing ones are never copied: a
// draft collects its new rows and they are appended to the shared arrays when the batch is published.
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Low } from 'lowdb';
import { InputError, InternalError } from '../errors.ts';
import { parsePointer } from '../pointer.ts';
import { FORM_NAMES, type Diagnostic, type FormId, type Json, type JsonObject } from '../types.ts';
import { canonicalJson, GENESIS_HASH, makeAuditEntry, sha256Hex, verifyAuditChain } from './audit-chain.ts';
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
import {
  JOURNAL_FORMAT,
  JOURNAL_FORMAT_VERSION,
  journalCommitLine,
  journalHeaderLine,
  journalRecordLine,
  JournalWriter,
  readJournal,
  type JournalContents,
} from './journal.ts';
import { generateToken, newTokenId, parseTokenId, tokenMatches } from './tokens.ts';
import {
  AUDIT_ACTIONS,
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
/** 1: everything in the index. 2: the index is a checkpoint of the small tables; the rest is in the journal. */
const FORMAT_VERSION = 2;
/** Small-table records in the journal after which the index is rewritten (a checkpoint). */
const CHECKPOINT_AFTER = 1000;

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
/** Small tables whose rows change: checkpointed in the index, copied on write inside a batch. */
const INDEX_TABLES = ['organisations', 'assessments', 'versions', 'users', 'tokens'] as const;
/** Ever-growing tables: only in the journal, never copied. */
const JOURNAL_TABLES = ['transitions', 'comments', 'checkRuns', 'audit'] as const;
type IndexTable = (typeof INDEX_TABLES)[number];
type JournalTable = (typeof JOURNAL_TABLES)[number];
const TABLES: readonly TableName[] = [...INDEX_TABLES, ...JOURNAL_TABLES];
const TABLE_NAMES: ReadonlySet<string> = new Set(TABLES);
const JOURNAL_TABLE_NAMES: ReadonlySet<string> = new Set(JOURNAL_TABLES);
const isJournalTable = (t: TableName): t is JournalTable => JOURNAL_TABLE_NAMES.has(t);

/** The whole state in memory: what the index and the journal hold together. */
interface StoreState extends Tables {
  createdAt: string;
}

/** The index file, format 2: a checkpoint of the small tables as of journal commit `checkpoint`. */
interface IndexFile extends Pick<Tables, IndexTable> {
  format: typeof FORMAT;
  formatVersion: number;
  createdAt: string;
  checkpoint: number;
  /** File name of the journal, next to the index (for people reading the file). */
  journal: string;
}

function emptyState(at: string): StoreState {
  return {
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

function indexFileOf(state: StoreState, checkpoint: number, journalName: string): IndexFile {
  return {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: state.createdAt,
    checkpoint,
    journal: journalName,
    organisations: state.organisations,
    assessments: state.assessments,
    versions: state.versions,
    users: state.users,
    tokens: state.tokens,
  };
}

interface LoadedIndex {
  state: StoreState;
  formatVersion: 1 | 2;
  checkpoint: number;
}

/** Refuses anything that is not our file, so pointing PIA_DB at the wrong JSON never overwrites it. */
function checkIndexFile(raw: unknown, path: string): LoadedIndex {
  const obj = raw as Partial<IndexFile & Tables> | null;
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || obj.format !== FORMAT) {
    throw new StoreCorruptError(
      `${path} は PIA のストアのファイルではありません (format が "${FORMAT}" ではありません)。` +
        '他のデータを上書きしないよう、開くのを中止しました。PIA_DB の設定を確認してください。',
      path,
    );
  }
  if (obj.formatVersion !== 1 && obj.formatVersion !== 2) {
    throw new StoreCorruptError(
      `${path} のストア形式 ${String(obj.formatVersion)} はこのバージョンでは読めません (対応: 1, ${FORMAT_VERSION})。` +
        'pia を更新してください。',
      path,
    );
  }
  const formatVersion = obj.formatVersion;
  const state = emptyState(typeof obj.createdAt === 'string' ? obj.createdAt : new Date(0).toISOString());
  // Format 1 holds every table; format 2 only the small ones (the others are in the journal).
  const tables = formatVersion === 1 ? TABLES : INDEX_TABLES;
  for (const t of TABLES) {
    const v = obj[t];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !(tables as readonly string[]).includes(t)) {
      throw new StoreCorruptError(
        `${path} の "${t}" が${Array.isArray(v) ? 'この形式にはない表です' : '配列ではありません'}。ファイルは変更していません。`,
        path,
      );
    }
    (state as unknown as Record<string, unknown[]>)[t] = v;
  }
  let checkpoint = 0;
  if (formatVersion === 2) {
    if (typeof obj.checkpoint !== 'number' || !Number.isSafeInteger(obj.checkpoint) || obj.checkpoint < 0) {
      throw new StoreCorruptError(`${path} の checkpoint が不正です。ファイルは変更していません。`, path);
    }
    checkpoint = obj.checkpoint;
  }
  return { state, formatVersion, checkpoint };
}

// ───────────────────────────── lookups ─────────────────────────────

// id → position, built incrementally per array. Arrays only grow, have rows replaced in place, or are
// replaced by copies, so the index is extended, never rebuilt; a rollback (pop) drops it.
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

/** Insert or replace by id (the journal's records are whole rows); audit entries are only ever appended. */
function putRow(state: Tables, t: TableName, row: unknown): void {
  const arr = state[t] as unknown[];
  if (t === 'audit') {
    arr.push(row);
    return;
  }
  const found = findById(arr as { id: string }[], (row as { id: string }).id);
  if (found) arr[found.index] = row;
  else arr.push(row);
}

/**
 * What readers ask for often, kept up to date as commits are published (never from a draft), so that no
 * read scans the growing tables: the newest version and version count of each assessment, the review
 * status and history of each version, and each version's check runs.
 */
class Derived {
  readonly latest = new Map<string, VersionRecord>();
  readonly count = new Map<string, number>();
  readonly status = new Map<string, ReviewStatus>();
  readonly transitionsOf = new Map<string, StatusTransition[]>();
  readonly checkRunsOf = new Map<string, CheckRunRecord[]>();

  static of(state: Tables): Derived {
    const d = new Derived();
    for (const v of state.versions) d.added('versions', v);
    for (const t of state.transitions) d.added('transitions', t);
    for (const c of state.checkRuns) d.added('checkRuns', c);
    return d;
  }

  /** A new row was published (versions, transitions and check runs are never replaced). */
  added(t: TableName, row: unknown): void {
    if (t === 'versions') {
      const v = row as VersionRecord;
      this.latest.set(v.assessmentId, v);
      this.count.set(v.assessmentId, (this.count.get(v.assessmentId) ?? 0) + 1);
    } else if (t === 'transitions') {
      const s = row as StatusTransition;
      this.status.set(s.versionId, s.to);
      push(this.transitionsOf, s.versionId, s);
    } else if (t === 'checkRuns') {
      const c = row as CheckRunRecord;
      push(this.checkRunsOf, c.versionId, c);
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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
/** Rows whose fields are all primitives: a shallow copy is a fresh object, at a fraction of structuredClone. */
const copy = <T extends object>(v: T): T => ({ ...v });

// ───────────────────────────── transactions ─────────────────────────────

interface Change {
  table: TableName;
  row: unknown;
  /** A new row (insert) rather than a new state of an existing one (replace). */
  added: boolean;
}

/**
 * A draft of the store with an undo log, so one failed operation leaves its batch intact. The small tables
 * are copied on first write. The ever-growing tables are shared with the published state and never touched
 * here: the draft records their new rows in `changes`, and answers the few questions operations ask about
 * them (the last audit entry, a version's status, a comment by id) from an overlay over the published state.
 */
class Tx {
  readonly data: StoreState;
  readonly blobs = new Map<string, Buffer>();
  readonly changes: Change[] = [];
  private readonly copied = new Set<TableName>();
  private readonly undo: (() => void)[] = [];
  private readonly latestOverlay = new Map<string, VersionRecord>();
  private readonly countOverlay = new Map<string, number>();
  private readonly statusOverlay = new Map<string, ReviewStatus>();
  private readonly commentOverlay = new Map<string, Comment>();
  private lastAudit: AuditEntry | undefined;

  constructor(
    base: StoreState,
    private readonly derived: Derived,
    private readonly clock: () => Date,
  ) {
    this.data = { ...base };
    this.lastAudit = base.audit[base.audit.length - 1];
  }

  now(): string {
    return this.clock().toISOString();
  }

  get changed(): boolean {
    return this.undo.length > 0;
  }

  private writable<K extends IndexTable>(t: K): Tables[K] {
    if (!this.copied.has(t)) {
      const tables: Tables = this.data;
      tables[t] = [...tables[t]] as Tables[K];
      this.copied.add(t);
    }
    return this.data[t];
  }

  insert<K extends TableName>(t: K, row: Tables[K][number]): void {
    let undoArray: (() => void) | undefined;
    if (!isJournalTable(t)) {
      const arr = this.writable(t as IndexTable) as unknown[];
      arr.push(row);
      undoArray = () => {
        arr.pop();
        positions.delete(arr as { id: string }[]);
      };
    }
    this.record(t, row, true, undoArray);
  }

  /** A new state of a row of a small table, at its index in `data[t]`. */
  replace<K extends IndexTable>(t: K, index: number, row: Tables[K][number]): void {
    const arr = this.writable(t) as unknown[];
    const old = arr[index];
    arr[index] = row;
    this.record(t, row, false, () => {
      arr[index] = old;
    });
  }

  /** A new state of a comment (resolution), published in place of the old one. */
  replaceComment(row: Comment): void {
    this.record('comments', row, false);
  }

  private record(table: TableName, row: unknown, added: boolean, undoArray?: () => void): void {
    this.changes.push({ table, row, added });
    const undoOverlay = this.overlay(table, row);
    this.undo.push(() => {
      this.changes.pop();
      undoOverlay?.();
      undoArray?.();
    });
  }

  private overlay(table: TableName, row: unknown): (() => void) | undefined {
    const restore = <K, V>(map: Map<K, V>, key: K, value: V): (() => void) => {
      const had = map.has(key);
      const old = map.get(key);
      map.set(key, value);
      return () => (had ? map.set(key, old as V) : map.delete(key));
    };
    switch (table) {
      case 'versions': {
        const v = row as VersionRecord;
        const a = restore(this.latestOverlay, v.assessmentId, v);
        const b = restore(this.countOverlay, v.assessmentId, this.versionCount(v.assessmentId) + 1);
        return () => {
          b();
          a();
        };
      }
      case 'transitions': {
        const s = row as StatusTransition;
        return restore(this.statusOverlay, s.versionId, s.to);
      }
      case 'comments': {
        const c = row as Comment;
        return restore(this.commentOverlay, c.id, c);
      }
      case 'audit': {
        const prev = this.lastAudit;
        this.lastAudit = row as AuditEntry;
        return () => {
          this.lastAudit = prev;
        };
      }
      default:
        return undefined;
    }
  }

  latestVersion(assessmentId: string): VersionRecord | undefined {
    return this.latestOverlay.get(assessmentId) ?? this.derived.latest.get(assessmentId);
  }

  versionCount(assessmentId: string): number {
    return this.countOverlay.get(assessmentId) ?? this.derived.count.get(assessmentId) ?? 0;
  }

  status(versionId: string): ReviewStatus {
    return this.statusOverlay.get(versionId) ?? this.derived.status.get(versionId) ?? INITIAL_REVIEW_STATUS;
  }

  comment(id: string): Comment | undefined {
    return this.commentOverlay.get(id) ?? findById(this.data.comments, id)?.row;
  }

  putBlob(hash: string, bytes: Buffer): void {
    if (this.blobs.has(hash)) return;
    this.blobs.set(hash, bytes);
    this.undo.push(() => this.blobs.delete(hash));
  }

  audit(input: AuditInput, at: string): AuditEntry {
    const entry = makeAuditEntry(input, this.lastAudit, at);
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

// ───────────────────────────── persistence ─────────────────────────────

/** Where commits go: the file store (journal, checkpoints, blob files) or memory. */
interface Persistence {
  /** Makes the batch durable; throws if it is not (then nothing of it may be visible). */
  commit(tx: Tx, committed: StoreState): Promise<void>;
  /** Between batches, after a published commit: housekeeping (a checkpoint). Never throws. */
  idle(state: StoreState): Promise<void>;
  getBlob(hash: string): Promise<Buffer | null>;
  /** After the last commit. Never throws. */
  close(state: StoreState): Promise<void>;
}

class MemoryPersistence implements Persistence {
  private readonly blobs = new Map<string, Buffer>();
  async commit(tx: Tx): Promise<void> {
    for (const [h, t] of tx.blobs) this.blobs.set(h, t);
  }
  async idle(): Promise<void> {}
  async getBlob(hash: string): Promise<Buffer | null> {
    return this.blobs.get(hash) ?? null;
  }
  async close(): Promise<void> {}
}

class FileBlobs {
  constructor(readonly dir: string) {}
  /** Resolves once every blob is durable. */
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

class FilePersistence implements Persistence {
  private readonly knownBlobs = new Set<string>();
  /** Small-table records in the journal since the index's checkpoint. */
  private sinceCheckpoint: number;
  /** Whether this session committed anything (a read-only session leaves the index as it found it). */
  private wrote = false;

  constructor(
    private readonly low: Low<IndexFile>,
    private readonly journalPath: string,
    private writer: JournalWriter | null,
    private lastCommit: number,
    sinceCheckpoint: number,
    private readonly blobs: FileBlobs,
    state: StoreState,
    /** A format-1 index whose records move to the journal on the first write. */
    private migrate1: boolean,
    private readonly clock: () => Date,
  ) {
    this.sinceCheckpoint = sinceCheckpoint;
    for (const v of state.versions) this.knownBlobs.add(v.docHash);
    for (const c of state.checkRuns) this.knownBlobs.add(c.diagnosticsHash);
  }

  async commit(tx: Tx, committed: StoreState): Promise<void> {
    if (this.migrate1) await this.migrate(committed);
    const fresh = new Map([...tx.blobs].filter(([h]) => !this.knownBlobs.has(h)));
    // Documents first: the journal must never reference a document that is not on disk.
    if (fresh.size > 0) await this.blobs.put(fresh);
    const n = this.lastCommit + 1;
    let text = '';
    let small = 0;
    for (const c of tx.changes) {
      text += journalRecordLine(c.table, c.row);
      if (!isJournalTable(c.table)) small++;
    }
    text += journalCommitLine(n);
    await this.writer!.append(Buffer.from(text, 'utf8'));
    this.lastCommit = n;
    this.wrote = true;
    this.sinceCheckpoint += small;
    for (const h of fresh.keys()) this.knownBlobs.add(h);
  }

  async idle(state: StoreState): Promise<void> {
    if (this.sinceCheckpoint >= CHECKPOINT_AFTER) await this.checkpoint(state);
  }

  async getBlob(hash: string): Promise<Buffer | null> {
    return this.blobs.get(hash);
  }

  async close(state: StoreState): Promise<void> {
    // A clean shutdown after writing leaves an index that is current (and a short replay on the next open).
    if (this.wrote && this.sinceCheckpoint > 0) await this.checkpoint(state);
    await this.writer?.close().catch(() => undefined);
    this.writer = null;
  }

  /** Best effort: a failed checkpoint leaves the previous index, and the journal still has everything. */
  private async checkpoint(state: StoreState): Promise<void> {
    if (this.migrate1 || this.writer === null) return;
    try {
      this.low.data = indexFileOf(state, this.lastCommit, basename(this.journalPath));
      await this.low.write();
      this.sinceCheckpoint = 0;
    } catch {
      // Retried after the next CHECKPOINT_AFTER records or at close.
    }
  }

  /**
   * Format 1 → 2, on the first write, holding the lock: (1) a new journal holding the index's ever-growing
   * records as commit 1, written atomically; (2) the index rewritten as format 2 with checkpoint 1. A crash
   * after (1) leaves the format-1 index, which is still complete: the next open reads it and redoes both
   * steps (replacing the journal, which holds nothing else: see openStore).
   */
  private async migrate(committed: StoreState): Promise<void> {
    let text = journalHeaderLine({
      format: JOURNAL_FORMAT,
      formatVersion: JOURNAL_FORMAT_VERSION,
      createdAt: this.clock().toISOString(),
      migratedFrom: 1,
    });
    for (const t of JOURNAL_TABLES) for (const row of committed[t]) text += journalRecordLine(t, row);
    text += journalCommitLine(1);
    const bytes = Buffer.from(text, 'utf8');
    await writeFileDurable(this.journalPath, bytes);
    this.low.data = indexFileOf(committed, 1, basename(this.journalPath));
    await this.low.write();
    await this.writer?.close().catch(() => undefined);
    this.writer = await JournalWriter.open(this.journalPath, bytes.length, bytes.length);
    this.lastCommit = 1;
    this.sinceCheckpoint = 0;
    this.migrate1 = false;
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
  private readonly clock: () => Date;
  /** The acknowledged state. Small tables are replaced by each commit; growing ones only grow. */
  private data: StoreState;
  private readonly derived: Derived;

  constructor(
    state: StoreState,
    private readonly persistence: Persistence,
    readonly location: string,
    private readonly onClose: () => void,
    options: StoreOptions = {},
  ) {
    this.clock = options.now ?? (() => new Date());
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
      if (c.added) this.derived.added(c.table, c.row);
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
      return this.assessmentView(rec, tx);
    });
  }

  async getAssessment(id: string, opts: { includeDeleted?: boolean } = {}): Promise<Assessment | null> {
    const row = findById(this.data.assessments, id)?.row;
    if (!row || (row.deletedAt !== null && !opts.includeDeleted)) return null;
    return this.assessmentView(row);
  }

  async listAssessments(filter: { orgId?: string; includeDeleted?: boolean } = {}): Promise<Assessment[]> {
    const data = this.data;
    return data.assessments
      .filter(
        (a) =>
          (filter.orgId === undefined || a.orgId === filter.orgId) &&
          (filter.includeDeleted || a.deletedAt === null),
      )
      .map((a) => this.assessmentView(a));
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
    return clone(this.derived.checkRunsOf.get(versionId) ?? []);
  }

  async latestCheckRun(versionId: string): Promise<CheckRun | null> {
    const runs = this.derived.checkRunsOf.get(versionId);
    const rec = runs?.[runs.length - 1];
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

  /**
   * The chain, then the records against the entries that committed them. Each entry commits to what its
   * change wrote: a version's document hash, ETag and number; a check run's version, summary and diagnostics
   * hash; a status transition's from and to. So the chain also protects the records it describes: a
   * document replaced together with its version record, a check run or review status rewritten in the
   * journal, fail here even though each record still looks well-formed. `brokenAt: 0` means a record that
   * has no audit entry at all.
   */
  async verifyAudit(opts: { anchor?: AuditHead } = {}): Promise<AuditVerification> {
    const data = this.data;
    const chain = verifyAuditChain(data.audit, opts.anchor);
    if (!chain.ok) return chain;
    const broken = (e: AuditEntry | undefined, reason: string): AuditVerification => ({
      ok: false,
      count: chain.count,
      brokenAt: e?.seq ?? 0,
      reason,
    });
    const byTarget = new Map<string, AuditEntry[]>();
    for (const e of data.audit) {
      if (e.action === 'version.add' || e.action === 'checkrun.add' || e.action === 'status.transition')
        push(byTarget, `${e.action} ${e.target}`, e);
    }
    const transitionsOf = new Map<string, StatusTransition[]>();
    for (const t of data.transitions) push(transitionsOf, t.versionId, t);
    for (const v of data.versions) {
      const adds = byTarget.get(`version.add version:${v.id}`);
      const e = adds?.[adds.length - 1];
      const after = (e?.after ?? {}) as Partial<VersionRecord> & { status?: ReviewStatus };
      if (
        !e ||
        after.docHash !== v.docHash ||
        after.etag !== v.etag ||
        after.number !== v.number ||
        after.assessmentId !== v.assessmentId
      ) {
        return broken(
          e,
          e
            ? `第 ${v.number} 版 (${v.id}) の記録が監査ログ ${e.seq} 件目の内容と一致しません (版の記録が改変されています)`
            : `第 ${v.number} 版 (${v.id}) に対応する監査ログがありません (版の記録が追加・改変されています)`,
        );
      }
      // The status history: the initial status is in version.add, every later one in status.transition.
      const history = transitionsOf.get(v.id) ?? [];
      const moves = byTarget.get(`status.transition version:${v.id}`) ?? [];
      const initial = history[0];
      if (!initial || initial.from !== null || (after.status !== undefined && initial.to !== after.status)) {
        return broken(
          e,
          `第 ${v.number} 版 (${v.id}) の最初の状態が監査ログ ${e.seq} 件目と一致しません (状態の記録が改変されています)`,
        );
      }
      for (let i = 0; i < Math.max(moves.length, history.length - 1); i++) {
        const t = history[i + 1];
        const m = moves[i];
        const before = (m?.before ?? {}) as { status?: unknown };
        const to = (m?.after ?? {}) as { status?: unknown };
        if (!t || !m || before.status !== t.from || to.status !== t.to) {
          return broken(
            m,
            `第 ${v.number} 版 (${v.id}) の状態の履歴が監査ログ${m ? ` ${m.seq} 件目` : ''}と一致しません (状態の記録が追加・削除・改変されています)`,
          );
        }
      }
    }
    for (const c of data.checkRuns) {
      const adds = byTarget.get(`checkrun.add checkrun:${c.id}`);
      const e = adds?.[adds.length - 1];
      const after = (e?.after ?? {}) as { versionId?: unknown; summary?: unknown; diagnosticsHash?: unknown };
      if (
        !e ||
        after.versionId !== c.versionId ||
        after.diagnosticsHash !== c.diagnosticsHash ||
        canonicalJson(after.summary) !== canonicalJson(c.summary)
      ) {
        return broken(
          e,
          e
            ? `照合記録 ${c.id} が監査ログ ${e.seq} 件目の内容と一致しません (照合記録が改変されています)`
            : `照合記録 ${c.id} に対応する監査ログがありません (照合記録が追加・改変されています)`,
        );
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
/**
 * Opens (creating if missing) the store at `path`. Throws StoreLockedError if another process, or this
 * one, has it open; StoreCorruptError if the files are not a readable PIA store (they are not touched).
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
  let writer: JournalWriter | null = null;
  try {
    lock = acquireFileLock(file);
    // Holding the lock, no one else writes here: any temp file is a crashed writer's leftover.
    await removeStaleTempFiles(dirname(file), basename(file));
    const clock = options.now ?? (() => new Date());
    const adapter = new DurableJsonFile<IndexFile>(file);
    const journalPath = `${file}.journal.jsonl`;
    // Read and check both files before creating anything next to files that may not be ours.
    const raw = await adapter.read();
    const index = raw === null ? null : checkIndexFile(raw, file);
    const journal = await readJournal(journalPath, TABLE_NAMES);
    const opened = checkPair(file, journalPath, index, journal);

    const blobDir = `${file}.blobs`;
    await ensureDir(blobDir);
    await removeStaleTempFiles(blobDir);
    const low = new Low<IndexFile>(adapter, indexFileOf(emptyState(''), 0, basename(journalPath)));
    let state: StoreState;
    let lastCommit = 0;
    let sinceCheckpoint = 0;
    if (index === null) {
      // A new store: the journal first, so an index never exists without its journal.
      state = emptyState(clock().toISOString());
      const header = journalHeaderLine({
        format: JOURNAL_FORMAT,
        formatVersion: JOURNAL_FORMAT_VERSION,
        createdAt: state.createdAt,
      });
      await writeFileDurable(journalPath, header);
      low.data = indexFileOf(state, 0, basename(journalPath));
      await low.write();
      const size = Buffer.byteLength(header);
      writer = await JournalWriter.open(journalPath, size, size);
    } else if (index.formatVersion === 1) {
      // Read as is; migrate() moves the records to a new journal on the first write.
      state = index.state;
    } else {
      state = index.state;
      const j = journal as JournalContents;
      for (const commit of j.commits) {
        for (const { table, row } of commit.records) {
          // Small-table records up to the checkpoint are already in the index.
          if (!isJournalTable(table as TableName) && commit.n <= index.checkpoint) continue;
          if (table === 'audit' ? typeof row.seq !== 'number' : typeof row.id !== 'string') {
            throw new StoreCorruptError(
              `ストアのジャーナル ${journalPath} の「${table}」の記録に id がありません。ファイルは変更していません。`,
              journalPath,
            );
          }
          putRow(state, table as TableName, row);
          if (!isJournalTable(table as TableName)) sinceCheckpoint++;
        }
      }
      lastCommit = j.lastCommit;
      // Cuts off a torn tail (a batch that was never acknowledged) before anything is appended after it.
      writer = await JournalWriter.open(journalPath, j.committedBytes, j.size);
    }
    const persistence = new FilePersistence(
      low,
      journalPath,
      writer,
      lastCommit,
      sinceCheckpoint,
      new FileBlobs(blobDir),
      state,
      opened === 'migrate',
      clock,
    );
    const held = lock;
    trackLock(held);
    return new LowdbStore(
      state,
      persistence,
      file,
      () => {
        held.release();
        heldLocks.delete(held);
        openPaths.delete(file);
      },
      options,
    );
  } catch (e) {
    await writer?.close().catch(() => undefined);
    lock?.release();
    openPaths.delete(file);
    if (e instanceof InputError) throw e;
    // Permissions, read-only or full disk at startup: the caller prints this and exits.
    throw new InputError(`ストア ${file} を開けません (${(e as Error).message})`, file);
  }
}

/** Whether the index and the journal belong together; what opening them means. */
function checkPair(
  file: string,
  journalPath: string,
  index: LoadedIndex | null,
  journal: JournalContents | null,
): 'create' | 'migrate' | 'open' {
  const refuse = (why: string) =>
    new StoreCorruptError(`ストア ${file} を開けません: ${why}。ファイルは変更していません。`, file);
  if (index === null) {
    // The journal is written first when a store is created: one without commits is a creation cut short.
    if (journal && journal.lastCommit > 0) {
      throw refuse(`索引ファイルがありませんが、ジャーナル ${journalPath} には記録があります`);
    }
    return 'create';
  }
  if (index.formatVersion === 1) {
    // Only an interrupted migration leaves a journal next to a format-1 index; it holds nothing else.
    if (journal && (journal.header.migratedFrom !== 1 || journal.lastCommit > 1)) {
      throw refuse(`索引ファイルは旧形式ですが、ジャーナル ${journalPath} には新しい記録があります`);
    }
    return 'migrate';
  }
  if (!journal) throw refuse(`ジャーナル ${journalPath} がありません`);
  if (journal.lastCommit < index.checkpoint) {
    throw refuse(
      `ジャーナル ${journalPath} は第 ${journal.lastCommit} 回の書き込みまでしかありませんが、索引は第 ${index.checkpoint} 回までを含みます`,
    );
  }
  return 'open';
}

/** A store that lives only in memory (tests of other modules, demos). Same semantics, no durability. */
export function createMemoryStore(options: StoreOptions = {}): Store {
  const at = (options.now ?? (() => new Date()))().toISOString();
  return new LowdbStore(emptyState(at), new MemoryPersistence(), ':memory:', () => undefined, options);
}
