// The audit log's hash chain, as pure functions so any Store implementation (and an offline verifier)
// computes exactly the same hashes.
import { createHash } from 'node:crypto';
import type { Json } from '../types.ts';
import type { AuditEntry, AuditHead, AuditInput, AuditVerification } from './types.ts';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted (UTF-16 code unit order, as RFC 8785) and no whitespace: the same value
 * always gives the same bytes, whatever order the keys were written or re-read in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return '[' + value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'> | AuditEntry): string {
  const { hash: _hash, ...rest } = entry as AuditEntry;
  return sha256Hex(canonicalJson(rest));
}

/** Values are round-tripped through JSON first: the hash must cover what the file will hold after a re-read. */
function toJson(value: Json | undefined): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}

export function makeAuditEntry(input: AuditInput, prev: AuditEntry | undefined, at: string): AuditEntry {
  const body: Omit<AuditEntry, 'hash'> = {
    seq: (prev?.seq ?? 0) + 1,
    at,
    actor: input.actor,
    action: input.action,
    target: input.target,
    orgId: input.orgId ?? null,
    before: toJson(input.before),
    after: toJson(input.after),
    prevHash: prev?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: hashAuditEntry(body) };
}

/**
 * The first broken link, if any. `brokenAt` is the 1-based position in the log. An edited entry fails its
 * own hash; a deleted, inserted or moved entry breaks `seq` and the `prevHash` link of its successor.
 * Removing entries from the end leaves a valid (shorter) chain: only an `anchor` recorded elsewhere catches
 * that, as it does a chain rewritten from scratch by someone who can edit the file.
 */
export function verifyAuditChain(entries: readonly unknown[], anchor?: AuditHead): AuditVerification {
  const count = entries.length;
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const pos = i + 1;
    const e = entries[i] as Partial<AuditEntry> | null;
    if (
      e === null ||
      typeof e !== 'object' ||
      typeof e.hash !== 'string' ||
      typeof e.prevHash !== 'string' ||
      typeof e.seq !== 'number'
    ) {
      return { ok: false, count, brokenAt: pos, reason: `監査ログの ${pos} 件目の形式が不正です` };
    }
    if (e.seq !== pos) {
      return {
        ok: false,
        count,
        brokenAt: pos,
        reason: `監査ログの ${pos} 件目の連番が ${e.seq} です (期待値 ${pos})。エントリが削除・挿入・並べ替えされています`,
      };
    }
    if (e.prevHash !== prevHash) {
      return {
        ok: false,
        count,
        brokenAt: pos,
        reason: `監査ログの ${pos} 件目が直前のエントリのハッシュと連結していません (削除・挿入・並べ替え)`,
      };
    }
    if (hashAuditEntry(e as AuditEntry) !== e.hash) {
      return {
        ok: false,
        count,
        brokenAt: pos,
        reason: `監査ログの ${pos} 件目の内容が改変されています (ハッシュ不一致)`,
      };
    }
    prevHash = e.hash;
  }
  if (anchor && anchor.seq > 0) {
    const at = entries[anchor.seq - 1] as AuditEntry | undefined;
    if (!at) {
      return {
        ok: false,
        count,
        brokenAt: count + 1,
        reason: `監査ログは ${count} 件しかありませんが、記録済みの先頭は ${anchor.seq} 件目です (末尾が削除されています)`,
      };
    }
    if (at.hash !== anchor.hash) {
      return {
        ok: false,
        count,
        brokenAt: anchor.seq,
        reason: `監査ログの ${anchor.seq} 件目のハッシュが記録済みの値と一致しません (ログが書き換えられています)`,
      };
    }
  }
  const last = entries[count - 1] as AuditEntry | undefined;
  return { ok: true, count, head: { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH } };
}
