// A draft of the store (one group commit) with an undo log: every mutating operation runs synchronously
// on it, and one failed operation (412, 404…) is rolled back without touching the others in its batch.
import { nextAuditEntry } from '../record-builders.ts';
import {
  INITIAL_REVIEW_STATUS,
  type AuditEntry,
  type AuditInput,
  type ChangeJudgement,
  type Comment,
  type ReviewStatus,
  type StatusTransition,
} from '../types.ts';
import type { Clock } from '../clock.ts';
import type { Derived } from './derived.ts';
import {
  findById,
  forgetPositions,
  isJournalTable,
  type IndexTable,
  type StoreState,
  type TableName,
  type RowOf,
  type Tables,
  type VersionRecord,
} from './tables.ts';

export interface Change {
  table: TableName;
  row: unknown;
  /** A new row (insert) rather than a new state of an existing one (replace). */
  added: boolean;
  /** The row's JSON, once someone needed it (changeJson): the journal line and the RowLog share it. */
  json?: string;
}

/** The row's JSON, computed once per change. */
export function changeJson(c: Change): string {
  return (c.json ??= JSON.stringify(c.row));
}

const judgementKey = (versionId: string, key: string): string => `${versionId}\u0000${key}`;

/**
 * A draft of the store with an undo log, so one failed operation leaves its batch intact. The small tables
 * are copied on first write. The ever-growing tables are shared with the published state and never touched
 * here: the draft records their new rows in `changes`, and answers the few questions operations ask about
 * them (the last audit entry, a version's status, a comment by id) from an overlay over the published state.
 */
export class Tx {
  readonly data: StoreState;
  readonly blobs = new Map<string, Buffer>();
  readonly changes: Change[] = [];
  private readonly copied = new Set<TableName>();
  private readonly undo: (() => void)[] = [];
  private readonly latestOverlay = new Map<string, VersionRecord>();
  private readonly countOverlay = new Map<string, number>();
  private readonly statusOverlay = new Map<string, ReviewStatus>();
  private readonly commentOverlay = new Map<string, Comment>();
  private readonly judgementOverlay = new Map<string, ChangeJudgement>();
  private lastAudit: AuditEntry | undefined;

  constructor(
    base: StoreState,
    private readonly derived: Derived,
    private readonly clock: Clock,
  ) {
    this.data = { ...base };
    this.lastAudit = base.audit.last();
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

  insert<K extends TableName>(t: K, row: RowOf<K>): void {
    let undoArray: (() => void) | undefined;
    if (!isJournalTable(t)) {
      const arr = this.writable(t as IndexTable) as unknown[];
      arr.push(row);
      undoArray = () => {
        arr.pop();
        forgetPositions(arr as { id: string }[]);
      };
    }
    this.record(t, row, true, undoArray);
  }

  /** A new state of a row of a small table, at its index in `data[t]`. */
  replace<K extends IndexTable>(t: K, index: number, row: RowOf<K>): void {
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

  /** A new state of a judgement (same id, same version and key), published in place of the old one. */
  replaceJudgement(row: ChangeJudgement): void {
    this.record('judgements', row, false);
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
      case 'judgements': {
        const j = row as ChangeJudgement;
        return restore(this.judgementOverlay, judgementKey(j.versionId, j.key), j);
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

  /** The current judgement for (version, key), this batch's own changes included. */
  judgement(versionId: string, key: string): ChangeJudgement | undefined {
    return (
      this.judgementOverlay.get(judgementKey(versionId, key)) ??
      this.derived.judgementsOf.get(versionId)?.get(key)
    );
  }

  putBlob(hash: string, bytes: Buffer): void {
    if (this.blobs.has(hash)) return;
    this.blobs.set(hash, bytes);
    this.undo.push(() => this.blobs.delete(hash));
  }

  audit(input: AuditInput, at: string): AuditEntry {
    const entry = nextAuditEntry(input, this.lastAudit, at);
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
