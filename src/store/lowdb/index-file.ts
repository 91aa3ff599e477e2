// The index file of the lowdb store (`pia.json`): a checkpoint of the small tables as of a journal commit,
// and the checks that refuse files that are not ours (so pointing PIA_DB at the wrong JSON never
// overwrites it) or an index and a journal that do not belong together.
//
// Format 1 (everything in the index, no journal) still opens: it is read as is, and its ever-growing
// records move to a new journal on the first write (FilePersistence.migrate), after which the index is
// format 2 so an older pia refuses it instead of silently ignoring the journal.
import { StoreCorruptError } from '../errors.ts';
import {
  emptyState,
  INDEX_TABLES,
  TABLES,
  type IndexTable,
  type StoreState,
  type Tables,
} from '../engine/tables.ts';
import type { JournalContents } from './journal.ts';

export const FORMAT = 'pia-store';
/** 1: everything in the index. 2: the index is a checkpoint of the small tables; the rest is in the journal. */
export const FORMAT_VERSION = 2;
/** Small-table records in the journal after which the index is rewritten (a checkpoint). */
export const CHECKPOINT_AFTER = 1000;

/** The index file, format 2: a checkpoint of the small tables as of journal commit `checkpoint`. */
export interface IndexFile extends Pick<Tables, IndexTable> {
  format: typeof FORMAT;
  formatVersion: number;
  createdAt: string;
  checkpoint: number;
  /** File name of the journal, next to the index (for people reading the file). */
  journal: string;
}

export function indexFileOf(state: StoreState, checkpoint: number, journalName: string): IndexFile {
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

export interface LoadedIndex {
  state: StoreState;
  formatVersion: 1 | 2;
  checkpoint: number;
}

/** Refuses anything that is not our file, so pointing PIA_DB at the wrong JSON never overwrites it. */
export function checkIndexFile(raw: unknown, path: string): LoadedIndex {
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

/** Whether the index and the journal belong together; what opening them means. */
export function checkPair(
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
