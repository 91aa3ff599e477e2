// Where the lowdb store's commits go: blob files first, then one journal append (one fdatasync) per group
// commit, and a checkpoint of the index between batches.
//
// Why a journal: lowdb rewrites its whole file on every write. With the audit log and the check runs in
// the index, a CI check run rewrote every check run and audit entry ever recorded (7 MB after 7,000 runs).
// Now a commit appends its own records and a commit line, then fdatasyncs once: its cost depends on the
// batch, not on the history. The journal is the commit point for everything, so a change and its audit
// entry still commit together (one write, one fsync). The index is rewritten only as a checkpoint (every
// CHECKPOINT_AFTER small-table records, and at close), atomically (durable-file.ts).
//
// A document is fsynced before the journal line that references it, so no record points at a missing
// document; a crash in between leaves only an unreferenced file.
import { basename } from 'node:path';
import type { Low } from 'lowdb';
import { processAuditKey } from '../audit-key.ts';
import type { Clock } from '../clock.ts';
import type { Persistence } from '../engine/persistence.ts';
import { isJournalTable, JOURNAL_TABLES, type StoreState } from '../engine/tables.ts';
import { changeJson, type Tx } from '../engine/tx.ts';
import type { FileBlobs } from './blobs.ts';
import { writeFileDurable } from './durable-file.ts';
import { CHECKPOINT_AFTER, indexFileOf, journalHeadOf, type IndexFile } from './index-file.ts';
import {
  JOURNAL_FORMAT,
  JOURNAL_FORMAT_VERSION,
  journalCommitLine,
  journalHeaderLine,
  journalRecordLine,
  JournalWriter,
} from './journal.ts';

export class FilePersistence implements Persistence {
  /** Blobs on disk (blobHashesIn at open, then each one this session wrote). */
  private readonly knownBlobs: Set<string>;
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
    knownBlobs: Iterable<string>,
    /** A format-1 index whose records move to the journal on the first write. */
    private migrate1: boolean,
    private readonly clock: Clock,
    /** The journal commit the index on disk records (its head): close() writes the index if behind. */
    private indexedCommit: number,
  ) {
    this.sinceCheckpoint = sinceCheckpoint;
    this.knownBlobs = new Set(knownBlobs);
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
      text += journalRecordLine(c.table, c.row, changeJson(c));
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
    // A clean shutdown after writing leaves an index that is current (a short replay on the next open, and
    // a head that covers every acknowledged commit, so a journal cut afterwards is refused).
    if (this.wrote && this.lastCommit > this.indexedCommit) await this.checkpoint(state);
    await this.writer?.close().catch(() => undefined);
    this.writer = null;
  }

  /** Best effort: a failed checkpoint leaves the previous index, and the journal still has everything. */
  private async checkpoint(state: StoreState): Promise<void> {
    if (this.migrate1 || this.writer === null) return;
    try {
      const head = journalHeadOf(state, this.lastCommit, this.writer.bytes, processAuditKey());
      this.low.data = indexFileOf(state, this.lastCommit, basename(this.journalPath), head);
      await this.low.write();
      this.sinceCheckpoint = 0;
      this.indexedCommit = this.lastCommit;
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
    const head = journalHeadOf(committed, 1, bytes.length, processAuditKey());
    this.low.data = indexFileOf(committed, 1, basename(this.journalPath), head);
    await this.low.write();
    await this.writer?.close().catch(() => undefined);
    this.writer = await JournalWriter.open(this.journalPath, bytes.length, bytes.length);
    this.lastCommit = 1;
    this.indexedCommit = 1;
    this.sinceCheckpoint = 0;
    this.migrate1 = false;
  }
}
