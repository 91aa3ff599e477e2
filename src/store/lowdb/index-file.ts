// The index file of the lowdb store (`pia.json`): a checkpoint of the small tables as of a journal commit,
// and the checks that refuse files that are not ours (so pointing PIA_DB at the wrong JSON never
// overwrites it) or an index and a journal that do not belong together.
//
// Format 1 (everything in the index, no journal) still opens: it is read as is, and its ever-growing
// records move to a new journal on the first write (FilePersistence.migrate), after which the index is
// format 2 so an older pia refuses it instead of silently ignoring the journal.
import { basename } from 'node:path';
import { canonicalJson, GENESIS_HASH, verifyAuditChain } from '../audit-chain.ts';
import { auditMac, macEquals, type AuditKey } from '../audit-key.ts';
import { StoreCorruptError } from '../errors.ts';
import {
  emptyState,
  INDEX_TABLES,
  isLogTable,
  putRow,
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

/**
 * What the journal held when the index was written: a LOWER BOUND of what was acknowledged. The index is
 * written after the journal (at checkpoints and at close), so a crash leaves a journal longer than this —
 * fine — while a journal shorter than this, or without this audit entry, lost acknowledged records (cut,
 * or restored from an older copy) and the store refuses to open. With an audit key it carries a MAC, so
 * lowering it to match a cut journal needs the key (replaying an older index file still works: only a
 * signed checkpoint kept elsewhere catches that).
 */
export interface JournalHead {
  commit: number;
  /** Committed bytes of the journal (header included) up to and including commit `commit`. */
  bytes: number;
  auditSeq: number;
  auditHash: string;
  mac?: string;
}

export function headMac(key: AuditKey, h: JournalHead): string {
  const { commit, bytes, auditSeq, auditHash } = h;
  return auditMac(key, 'store-head', canonicalJson({ commit, bytes, auditSeq, auditHash }));
}

export function journalHeadOf(
  state: StoreState,
  commit: number,
  bytes: number,
  key: AuditKey | null,
): JournalHead {
  const last = state.audit.last();
  const head: JournalHead = {
    commit,
    bytes,
    auditSeq: last?.seq ?? 0,
    auditHash: last?.hash ?? GENESIS_HASH,
  };
  if (key) head.mac = headMac(key, head);
  return head;
}

/** The index file, format 2: a checkpoint of the small tables as of journal commit `checkpoint`. */
export interface IndexFile extends Pick<Tables, IndexTable> {
  format: typeof FORMAT;
  formatVersion: number;
  createdAt: string;
  checkpoint: number;
  /** File name of the journal, next to the index (for people reading the file). */
  journal: string;
  /** Absent only in indexes written by an older pia (added on the next open). */
  head?: JournalHead;
}

export function indexFileOf(
  state: StoreState,
  checkpoint: number,
  journalName: string,
  head?: JournalHead,
): IndexFile {
  return {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    createdAt: state.createdAt,
    checkpoint,
    journal: journalName,
    ...(head ? { head } : {}),
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
  head: JournalHead | null;
}

/**
 * The journal lost records that were acknowledged (it is shorter than the index says it was). The store
 * refuses to open; `pia audit verify` reports it (exit 1). Files are never touched.
 */
export class StoreTruncatedError extends StoreCorruptError {
  override name = 'StoreTruncatedError';
}

export function truncatedError(file: string, journalPath: string, detail: string): StoreTruncatedError {
  return new StoreTruncatedError(
    `ストア ${file} を開けません: ジャーナル ${journalPath} から、確定して応答済みの記録が失われています (${detail})。` +
      'ジャーナルが切り詰められたか、古いコピーで置き換えられています。気づかずに記録を続けないよう、起動を中止しました (ファイルは変更していません)。\n' +
      `復旧: 停止したまま、バックアップのジャーナルを戻し (例: cp <バックアップ>/${basename(journalPath)} ${journalPath})、` +
      `pia audit verify --db ${file} で終了コード 0 を確かめてから起動してください。`,
    file,
  );
}

function parseHead(raw: unknown, path: string): JournalHead | null {
  if (raw === undefined) return null;
  const h = raw as Partial<JournalHead> | null;
  const int = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (
    h === null ||
    typeof h !== 'object' ||
    !int(h.commit) ||
    !int(h.bytes) ||
    !int(h.auditSeq) ||
    typeof h.auditHash !== 'string' ||
    (h.mac !== undefined && typeof h.mac !== 'string')
  ) {
    throw new StoreCorruptError(`${path} の head が不正です。ファイルは変更していません。`, path);
  }
  return h as JournalHead;
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
    if (isLogTable(t)) for (const row of v) putRow(state, t, row);
    else (state as unknown as Record<string, unknown[]>)[t] = v;
  }
  let checkpoint = 0;
  if (formatVersion === 2) {
    if (typeof obj.checkpoint !== 'number' || !Number.isSafeInteger(obj.checkpoint) || obj.checkpoint < 0) {
      throw new StoreCorruptError(`${path} の checkpoint が不正です。ファイルは変更していません。`, path);
    }
    checkpoint = obj.checkpoint;
  }
  const head = formatVersion === 2 ? parseHead(obj.head, path) : null;
  return { state, formatVersion, checkpoint, head };
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
  const mustHave = Math.max(index.checkpoint, index.head?.commit ?? 0);
  if (journal.lastCommit < mustHave) {
    throw truncatedError(
      file,
      journalPath,
      `ジャーナルには第 ${journal.lastCommit} 回の書き込みまでしかありませんが、索引には第 ${mustHave} 回まで確定したと記録されています`,
    );
  }
  // Not compared with head.bytes: an edit that shortens a record (caught by the audit chain, with a better
  // message) would read as a cut. A cut always removes a commit line (the count above) or an audit entry
  // (checkHead); the byte count stays in the head for people reading the file.
  return 'open';
}

/**
 * After the journal is replayed: the audit entry the index's head names must be there, unchanged, and
 * with an audit key the head's MAC must hold (a head lowered to match a cut journal fails here).
 */
export function checkHead(
  file: string,
  journalPath: string,
  index: LoadedIndex,
  state: StoreState,
  key: AuditKey | null,
): void {
  const head = index.head;
  const corrupt = (why: string) =>
    new StoreCorruptError(`ストア ${file} を開けません: ${why}。ファイルは変更していません。`, file);
  if (!head) {
    // Every index this pia writes has a head; only an older pia's has none, and it never wrote MACs.
    if (key && state.audit.toArray().some((e) => e.mac !== undefined)) {
      throw corrupt(
        '監査ログには MAC がありますが、索引に確定位置 (head) の記録がありません (索引が改変されています)',
      );
    }
    return;
  }
  const e = head.auditSeq > 0 ? state.audit.at(head.auditSeq - 1) : undefined;
  if (head.auditSeq > 0 && (e?.seq !== head.auditSeq || e.hash !== head.auditHash)) {
    // The acknowledged head is not there. If the chain is otherwise intact, the log was cut or replaced by
    // an older copy: refuse. If it is broken anyway, open: verifyAudit names the edited entry, which says
    // more than "shorter" would (and `pia audit verify` fails either way).
    if (verifyAuditChain(state.audit.toArray(), undefined, null).ok) {
      throw truncatedError(
        file,
        journalPath,
        e
          ? `監査ログの第 ${head.auditSeq} 件のハッシュが索引に記録された値と一致しません (ログが古いコピーで置き換えられています)`
          : `監査ログは ${state.audit.length} 件しかありませんが、索引には第 ${head.auditSeq} 件まで確定したと記録されています`,
      );
    }
  }
  if (key) {
    const entryMacd = e?.mac !== undefined;
    if (head.mac !== undefined ? !macEquals(head.mac, headMac(key, head)) : entryMacd) {
      throw corrupt(
        `索引の確定位置 (head) の MAC が監査ログの鍵 (${key.path}) と一致しません (索引が改変されたか、別の鍵です)`,
      );
    }
  }
}
