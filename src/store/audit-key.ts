// The audit key: what turns the audit log from "consistent" into "written by us".
//
// A SHA-256 chain proves only that the entries agree with each other: anyone who can write the data files
// can edit an entry and recompute every hash after it. So the chain is anchored with a secret kept OUTSIDE
// the data directory (a mounted secret, another volume, the auditor's machine):
//   - an HMAC-SHA256 key: every entry written while the key is configured carries `mac` = HMAC(key, hash).
//     Because `hash` covers `prevHash`, one valid MAC authenticates the entry and everything before it;
//   - an Ed25519 key pair: `pia audit checkpoint` signs the chain's head (seq, hash) into a small file the
//     auditor keeps; `pia audit verify --checkpoint F` checks the signature and that the log still contains
//     that exact head (catching a log cut short or rebuilt from scratch, which MACs alone cannot).
//
// The key file is JSON, mode 0600, created once by `pia audit init-key -o <file>`. The process finds it
// through PIA_AUDIT_KEY_FILE (or a driver calls setProcessAuditKey, e.g. `pia audit verify --audit-key F`).
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { InputError } from '../errors.ts';

export const AUDIT_KEY_FORMAT = 'pia-audit-key';
export const AUDIT_KEY_ENV = 'PIA_AUDIT_KEY_FILE';

export interface AuditKey {
  /** The file it was read from (for messages). */
  path: string;
  macKey: Buffer;
  privateKey: KeyObject | null;
  publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 of the public key (SPKI DER): what a person compares. */
  fingerprint: string;
}

interface AuditKeyFile {
  format: typeof AUDIT_KEY_FORMAT;
  formatVersion: 1;
  createdAt: string;
  /** base64 of 32 random bytes. */
  mac: string;
  /** PKCS#8 PEM of the Ed25519 private key. */
  signingKey: string;
  /** SPKI PEM of the Ed25519 public key (also embedded in every checkpoint). */
  publicKey: string;
}

export function publicKeyFingerprint(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** The contents of a new key file (the caller writes it with mode 0600, never over an existing file). */
export function newAuditKeyFile(now: Date = new Date()): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const file: AuditKeyFile = {
    format: AUDIT_KEY_FORMAT,
    formatVersion: 1,
    createdAt: now.toISOString(),
    mac: randomBytes(32).toString('base64'),
    signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
  return JSON.stringify(file, null, 2) + '\n';
}

/** Parses a key file's text; InputError (exit 2, no stack trace) when it is not one. */
export function parseAuditKey(text: string, path: string): AuditKey {
  const bad = (why: string) =>
    new InputError(
      `監査ログの鍵ファイル ${path} を使えません (${why})。pia audit init-key で作成した鍵ファイルを指定してください。`,
      path,
    );
  let obj: Partial<AuditKeyFile>;
  try {
    obj = JSON.parse(text) as Partial<AuditKeyFile>;
  } catch {
    throw bad('JSON として読めません');
  }
  if (obj === null || typeof obj !== 'object' || obj.format !== AUDIT_KEY_FORMAT) throw bad('形式が違います');
  if (obj.formatVersion !== 1) throw bad(`形式 ${String(obj.formatVersion)} には対応していません`);
  const macKey = typeof obj.mac === 'string' ? Buffer.from(obj.mac, 'base64') : Buffer.alloc(0);
  if (macKey.length < 32) throw bad('MAC の鍵が 32 バイト未満です');
  let privateKey: KeyObject | null = null;
  let publicKey: KeyObject;
  try {
    if (typeof obj.signingKey === 'string') privateKey = createPrivateKey(obj.signingKey);
    publicKey =
      typeof obj.publicKey === 'string' ? createPublicKey(obj.publicKey) : createPublicKey(privateKey!);
  } catch {
    throw bad('署名の鍵を読めません');
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') throw bad('署名の鍵が Ed25519 ではありません');
  return { path, macKey, privateKey, publicKey, fingerprint: publicKeyFingerprint(publicKey) };
}

export function readAuditKey(path: string): AuditKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `監査ログの鍵ファイル ${path} を読めません (${code === 'ENOENT' ? 'ファイルがありません' : (code ?? (e as Error).message)})`,
      path,
    );
  }
  return parseAuditKey(text, path);
}

/**
 * The key must not live in the data directory: whoever can rewrite the data could then re-MAC it too.
 * Returns a message when `keyPath` is inside `dataDir` (or equal to it), else null.
 */
export function keyInsideDataDir(keyPath: string, dataDir: string): string | null {
  const rel = relative(resolve(dataDir), resolve(keyPath));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    return `監査ログの鍵ファイル ${keyPath} がデータのディレクトリ ${dataDir} の中にあります。データを書き換えられる人が鍵も使えてしまうため、データの外 (別のボリューム・シークレット) に置いてください。`;
  }
  return null;
}

// ── the process's key ──

let processKey: AuditKey | null | undefined;

/**
 * The key this process writes and verifies with: the one set by setProcessAuditKey, else the file named by
 * PIA_AUDIT_KEY_FILE (read once), else null (no MACs are written, and MACs found are not checked).
 */
export function processAuditKey(env: NodeJS.ProcessEnv = process.env): AuditKey | null {
  if (processKey === undefined) {
    const path = env[AUDIT_KEY_ENV];
    processKey = path ? readAuditKey(path) : null;
  }
  return processKey;
}

/** `undefined` forgets the choice, so the next call reads PIA_AUDIT_KEY_FILE again (tests). */
export function setProcessAuditKey(key: AuditKey | null | undefined): void {
  processKey = key;
}

// ── MACs ──

/** HMAC-SHA256 (hex) of `data` under the key, with a label so a MAC of one kind never passes as another. */
export function auditMac(key: AuditKey, label: string, data: string): string {
  return createHmac('sha256', key.macKey).update(`pia:${label}:v1\n`).update(data).digest('hex');
}

/** Constant-time comparison of two hex MACs. */
export function macEquals(a: unknown, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
