// The audit log's hash chain, as pure functions so any Store implementation (and an offline verifier)
// computes exactly the same hashes.
//
// With an audit key (audit-key.ts) every new entry also carries `mac` = HMAC(key, hash); verifying with the
// key then rejects an entry whose MAC is wrong, a MAC-less entry after a MAC'd one, and a log whose last
// entry has no MAC — so a chain edited and recomputed by someone without the key no longer passes. `mac`
// is outside `hash` (entries written without a key hash exactly as before).
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Json } from '../types.ts';
import { auditMac, macEquals, processAuditKey, publicKeyFingerprint, type AuditKey } from './audit-key.ts';
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

export function hashAuditEntry(entry: Omit<AuditEntry, 'hash' | 'mac'> | AuditEntry): string {
  const { hash: _hash, mac: _mac, ...rest } = entry as AuditEntry;
  return sha256Hex(canonicalJson(rest));
}

/** The MAC an entry with this hash carries under `key`. */
export function entryMac(key: AuditKey, hash: string): string {
  return auditMac(key, 'audit-entry', hash);
}

/**
 * What the file will hold after a re-read: the hash must cover exactly that. Plain JSON (plain objects,
 * arrays, strings, finite numbers, booleans, null) is copied with its strings shared; anything else (undefined,
 * NaN, -0, toJSON, class instances, holes, `__proto__` keys, deep nesting) goes through JSON.stringify and
 * JSON.parse, which is what the copy stands for. The log keeps every entry in memory, and the round trip
 * made a second copy of each id and hash an entry repeats (measured: 2 of its ~9 strings).
 */
function toJson(value: Json | undefined): Json {
  if (value === undefined) return null;
  const copy = copyPlainJson(value, 0);
  return copy !== NOT_PLAIN ? copy : (JSON.parse(JSON.stringify(value)) as Json);
}

const NOT_PLAIN: unique symbol = Symbol('not plain JSON');
/** Deeper than this, toJson takes the round trip (which also reports a cycle as JSON.stringify does). */
const MAX_COPY_DEPTH = 64;

function copyPlainJson(v: unknown, depth: number): Json | typeof NOT_PLAIN {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : NOT_PLAIN;
  if (typeof v !== 'object' || depth >= MAX_COPY_DEPTH) return NOT_PLAIN;
  if (Array.isArray(v)) {
    const out: Json[] = [];
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) return NOT_PLAIN;
      const c = copyPlainJson(v[i], depth + 1);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      out.push(c);
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in v) return NOT_PLAIN;
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(v)) {
    if (k === '__proto__') return NOT_PLAIN;
    const c = copyPlainJson((v as Record<string, unknown>)[k], depth + 1);
    if (c === NOT_PLAIN) return NOT_PLAIN;
    out[k] = c;
  }
  return out;
}

/** `key` defaults to the process's audit key (PIA_AUDIT_KEY_FILE): every backend MACs without knowing. */
export function makeAuditEntry(
  input: AuditInput,
  prev: AuditEntry | undefined,
  at: string,
  key: AuditKey | null = processAuditKey(),
): AuditEntry {
  // `hash` is in the literal (hashAuditEntry leaves it out), so that an entry keeps all its fields in the
  // object itself; added afterwards it went to a separate property array. Never `{ ...body, hash }`: that
  // gave every entry its own hidden class (V8 11, see eslint.config.js), and the log keeps every entry.
  const entry: AuditEntry = {
    seq: (prev?.seq ?? 0) + 1,
    at,
    actor: input.actor,
    action: input.action,
    target: input.target,
    orgId: input.orgId ?? null,
    before: toJson(input.before),
    after: toJson(input.after),
    prevHash: prev?.hash ?? GENESIS_HASH,
    hash: '',
  };
  entry.hash = hashAuditEntry(entry);
  if (key) entry.mac = entryMac(key, entry.hash);
  return entry;
}

/**
 * The first broken link, if any. `brokenAt` is the 1-based position in the log. An edited entry fails its
 * own hash; a deleted, inserted or moved entry breaks `seq` and the `prevHash` link of its successor.
 * Removing entries from the end leaves a valid (shorter) chain: only an `anchor` recorded elsewhere catches
 * that, as it does a chain rewritten from scratch by someone who can edit the file.
 *
 * With `key` (default: the process's audit key), MACs are checked: a wrong MAC, a MAC-less entry after a
 * MAC'd one (appended without the key), or a last entry without a MAC (the log was re-chained without MACs,
 * or something was appended) break the chain. Entries before the first MAC'd one were written before the
 * key existed: the first MAC covers them through the chain, from the moment it was written.
 */
export function verifyAuditChain(
  entries: readonly unknown[],
  anchor?: AuditHead,
  key: AuditKey | null = processAuditKey(),
): AuditVerification {
  const count = entries.length;
  let prevHash = GENESIS_HASH;
  let macSeen = false;
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
    if (key) {
      if (e.mac !== undefined) {
        if (!macEquals(e.mac, entryMac(key, e.hash))) {
          return {
            ok: false,
            count,
            brokenAt: pos,
            reason: `監査ログの ${pos} 件目の MAC が鍵と一致しません (鍵を持たない者が記録を書き換えたか、別の鍵です)`,
          };
        }
        macSeen = true;
      } else if (macSeen) {
        return {
          ok: false,
          count,
          brokenAt: pos,
          reason: `監査ログの ${pos} 件目に MAC がありません (鍵なしで追加・書き換えられた記録です)`,
        };
      }
    }
    prevHash = e.hash;
  }
  if (key && count > 0 && !macSeen) {
    return {
      ok: false,
      count,
      brokenAt: count,
      reason:
        `監査ログのどの記録にも鍵 (${key.path}) の MAC がありません。ログが鍵なしで作り直されたか、` +
        'この鍵を設定したサーバーがまだ 1 件も記録していません',
    };
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

// ── signed checkpoints (kept by the auditor, outside the data) ──

export const CHECKPOINT_FORMAT = 'pia-audit-checkpoint';

export interface AuditCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: 1;
  /** Where the log was (a file path or a redacted URL), for people. Not checked. */
  store: string;
  seq: number;
  hash: string;
  createdAt: string;
  /** SPKI PEM of the Ed25519 key that signed. */
  publicKey: string;
  /** base64 Ed25519 signature over the canonical JSON of every other field. */
  signature: string;
}

/** Signs the head `head` of the log at `store`. Needs the key file's private key. */
export function signCheckpoint(key: AuditKey, head: AuditHead, store: string, now: Date): AuditCheckpoint {
  if (!key.privateKey) throw new Error(`鍵ファイル ${key.path} に署名の鍵がありません`);
  const body: Omit<AuditCheckpoint, 'signature'> = {
    format: CHECKPOINT_FORMAT,
    formatVersion: 1,
    store,
    seq: head.seq,
    hash: head.hash,
    createdAt: now.toISOString(),
    publicKey: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  const signature = sign(null, Buffer.from(canonicalJson(body)), key.privateKey).toString('base64');
  return Object.assign(body, { signature });
}

export type CheckpointCheck =
  { ok: true; head: AuditHead; fingerprint: string; createdAt: string } | { ok: false; reason: string };

/**
 * Checks a checkpoint's form and signature. With `key`, the signer must be that key; without one, the
 * caller shows the fingerprint so a person can compare it with the one recorded when the key was made.
 */
export function checkCheckpoint(raw: unknown, key: AuditKey | null): CheckpointCheck {
  const cp = raw as Partial<AuditCheckpoint> | null;
  if (
    cp === null ||
    typeof cp !== 'object' ||
    cp.format !== CHECKPOINT_FORMAT ||
    cp.formatVersion !== 1 ||
    typeof cp.seq !== 'number' ||
    !Number.isSafeInteger(cp.seq) ||
    cp.seq < 0 ||
    typeof cp.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(cp.hash) ||
    typeof cp.publicKey !== 'string' ||
    typeof cp.signature !== 'string' ||
    typeof cp.createdAt !== 'string'
  ) {
    return {
      ok: false,
      reason: 'チェックポイントの形式が正しくありません (pia audit checkpoint で作ったファイルですか)',
    };
  }
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(cp.publicKey);
  } catch {
    return { ok: false, reason: 'チェックポイントの公開鍵を読めません' };
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    return { ok: false, reason: 'チェックポイントの公開鍵が Ed25519 ではありません' };
  }
  const fingerprint = publicKeyFingerprint(publicKey);
  if (key && fingerprint !== key.fingerprint) {
    return {
      ok: false,
      reason: `チェックポイントは別の鍵 (指紋 ${fingerprint}) で署名されています (この鍵の指紋は ${key.fingerprint})`,
    };
  }
  const { signature, ...body } = cp as AuditCheckpoint;
  let valid = false;
  try {
    valid = verify(null, Buffer.from(canonicalJson(body)), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid)
    return { ok: false, reason: 'チェックポイントの署名が正しくありません (ファイルが改変されています)' };
  return { ok: true, head: { seq: cp.seq, hash: cp.hash }, fingerprint, createdAt: cp.createdAt };
}
