// Web sessions as every backend stores them. The browser holds a random session id; the store keeps only
// SHA-256 of it (a leaked table or backup names no usable session) and the bearer token and CSRF value
// sealed with a key derived from the id (AES-256-GCM, HKDF-SHA-256). So any server process that is handed
// the cookie can open the session (several servers on one database), while the database alone can open
// none. Sessions are not audited: a login is authenticated by a token whose use the API audits already.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { InvalidInputError } from './errors.ts';

/** What a session holds, as the web layer reads it back. Times are milliseconds since the epoch. */
export interface SessionData {
  token: string;
  csrf: string;
  createdAt: number;
  lastSeen: number;
}

/** A stored session: only the id's hash, and the secrets sealed under the id. */
export interface SessionRecord {
  idHash: string;
  sealed: string;
  createdAt: number;
  lastSeen: number;
}

const INFO = Buffer.from('pia-session-v1');

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

function keyOf(id: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(id, 'utf8'), Buffer.alloc(0), INFO, 32));
}

export function checkSessionId(id: unknown): string {
  if (typeof id !== 'string' || id.length < 16 || id.length > 200)
    throw new InvalidInputError('セッション ID が不正です');
  return id;
}

/** Seals `{token, csrf}` under the session id: iv.ciphertext.tag, base64url. */
export function sealSession(id: string, secrets: { token: string; csrf: string }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(id), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

/** The secrets, or null when the record was not sealed under this id (or was altered). */
export function openSession(id: string, sealed: string): { token: string; csrf: string } | null {
  try {
    const [iv, body, tag] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', keyOf(id), iv);
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    const v = JSON.parse(text) as { token?: unknown; csrf?: unknown };
    return typeof v.token === 'string' && typeof v.csrf === 'string'
      ? { token: v.token, csrf: v.csrf }
      : null;
  } catch {
    return null;
  }
}

/** Builds the record for a new session (validates the input). */
export function newSessionRecord(
  input: { id: string; token: string; csrf: string },
  at: number,
): SessionRecord {
  const id = checkSessionId(input?.id);
  if (typeof input.token !== 'string' || input.token === '' || input.token.length > 512)
    throw new InvalidInputError('セッションのトークンが不正です');
  if (typeof input.csrf !== 'string' || input.csrf === '' || input.csrf.length > 200)
    throw new InvalidInputError('セッションの確認用の値が不正です');
  return {
    idHash: hashSessionId(id),
    sealed: sealSession(id, { token: input.token, csrf: input.csrf }),
    createdAt: at,
    lastSeen: at,
  };
}

/** The session behind `id` in `rec`, or null if it cannot be opened with this id. */
export function sessionDataOf(id: string, rec: SessionRecord | undefined | null): SessionData | null {
  if (!rec) return null;
  const secrets = openSession(id, rec.sealed);
  return secrets ? Object.assign({}, secrets, { createdAt: rec.createdAt, lastSeen: rec.lastSeen }) : null;
}
