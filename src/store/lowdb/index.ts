// The embedded backend (the default): the shared engine over a small JSON index, an append-only journal,
// and content-addressed document files; one process per store.
//
// Layout for PIA_DB=/data/pia.json:
//   /data/pia.json                 the index (index-file.ts): a checkpoint of the small, mutable tables
//                                  (organisations, assessments, version metadata, users, token hashes) as of
//                                  commit N
//   /data/pia.json.journal.jsonl   the journal (journal.ts): every commit, one record per line — the
//                                  ever-growing records (audit log, check runs, status history, comments,
//                                  変更箇所 judgements, 見直し records) live only here; changes to the small
//                                  tables are here too until the next checkpoint folds them into the index
//   /data/pia.json.blobs/          <sha256>.json (blobs.ts): version documents and check-run diagnostics
//   /data/pia.json.lock            the advisory lock (file-lock.ts)
//
// Commits go through FilePersistence (persistence.ts); on open, the journal's small-table records after
// the index's checkpoint are replayed over it.
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Low } from 'lowdb';
import { InputError } from '../../errors.ts';
import { keyInsideDataDir, processAuditKey } from '../audit-key.ts';
import { clockOf, type StoreOptions } from '../clock.ts';
import { EngineStore } from '../engine/engine-store.ts';
import {
  emptyState,
  isJournalTable,
  putRow,
  TABLE_NAMES,
  type StoreState,
  type TableName,
} from '../engine/tables.ts';
import { StoreCorruptError, StoreLockedError } from '../errors.ts';
import type { Store } from '../types.ts';
import { blobHashesIn, FileBlobs } from './blobs.ts';
import { DurableJsonFile, ensureDir, removeStaleTempFiles, writeFileDurable } from './durable-file.ts';
import { acquireFileLock, type FileLock } from './file-lock.ts';
import {
  checkHead,
  checkIndexFile,
  checkPair,
  indexFileOf,
  journalHeadOf,
  type IndexFile,
} from './index-file.ts';
import {
  JOURNAL_FORMAT,
  JOURNAL_FORMAT_VERSION,
  journalHeaderLine,
  JournalWriter,
  readJournal,
  type JournalContents,
} from './journal.ts';
import { FilePersistence } from './persistence.ts';

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
 * one, has it open; StoreCorruptError if the files are not a readable PIA store (they are not touched).
 */
export async function openLowdbStore(path: string, options: StoreOptions = {}): Promise<Store> {
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
    const clock = clockOf(options);
    // The audit key (PIA_AUDIT_KEY_FILE): a broken or misplaced key fails here, at start-up, not on a write.
    const auditKey = processAuditKey();
    const misplaced = auditKey && keyInsideDataDir(auditKey.path, dirname(file));
    if (misplaced) throw new InputError(misplaced, auditKey.path);
    const adapter = new DurableJsonFile<IndexFile>(file);
    const journalPath = `${file}.journal.jsonl`;
    // Read and check both files before creating anything next to files that may not be ours.
    const raw = await adapter.read();
    const index = raw === null ? null : checkIndexFile(raw, file);
    const journal = await readJournal(journalPath, TABLE_NAMES);
    const opened = checkPair(file, journalPath, index, journal);

    const blobDir = `${file}.blobs`;
    await ensureDir(blobDir);
    const blobEntries = await removeStaleTempFiles(blobDir);
    const low = new Low<IndexFile>(adapter, indexFileOf(emptyState(''), 0, basename(journalPath)));
    let state: StoreState;
    let lastCommit = 0;
    let sinceCheckpoint = 0;
    let indexedCommit = 0;
    if (index === null) {
      // A new store: the journal first, so an index never exists without its journal.
      state = emptyState(clock().toISOString());
      const header = journalHeaderLine({
        format: JOURNAL_FORMAT,
        formatVersion: JOURNAL_FORMAT_VERSION,
        createdAt: state.createdAt,
      });
      await writeFileDurable(journalPath, header);
      const size = Buffer.byteLength(header);
      low.data = indexFileOf(state, 0, basename(journalPath), journalHeadOf(state, 0, size, auditKey));
      await low.write();
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
      indexedCommit = index.checkpoint;
      // Acknowledged records missing (a cut journal) are refused before anything is written.
      checkHead(file, journalPath, index, state, auditKey);
      // Cuts off a torn tail (a batch that was never acknowledged) before anything is appended after it.
      writer = await JournalWriter.open(journalPath, j.committedBytes, j.size);
      if (!index.head) {
        // An index from an older pia: record the head now (a checkpoint), so that from here on a journal
        // cut short is detected, and an index stripped of its head is recognisably not ours.
        low.data = indexFileOf(
          state,
          lastCommit,
          basename(journalPath),
          journalHeadOf(state, lastCommit, j.committedBytes, auditKey),
        );
        await low.write();
        indexedCommit = lastCommit;
        sinceCheckpoint = 0;
      }
    }
    const persistence = new FilePersistence(
      low,
      journalPath,
      writer,
      lastCommit,
      sinceCheckpoint,
      new FileBlobs(blobDir),
      blobHashesIn(blobEntries),
      opened === 'migrate',
      clock,
      indexedCommit,
    );
    const held = lock;
    trackLock(held);
    return new EngineStore(
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
