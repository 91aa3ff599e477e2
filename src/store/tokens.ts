// API tokens: `pia_<id>_<secret>`. The id (64 random bits, hex) is public and selects the record in O(1);
// the secret is 256 random bits. The store keeps only `sha256:<hex>` of the whole token.
//
// Why SHA-256 and not scrypt/bcrypt: slow hashes exist to make guessing low-entropy passwords expensive.
// A 256-bit random secret cannot be guessed at any hash speed (2^255 tries on average), so a slow hash
// adds no security; it would only cost ~50 ms of CPU on every API request and hand an attacker a cheap
// denial of service. The comparison is constant-time so response timing reveals nothing about the hash.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN_RE = /^pia_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const SCHEME = 'sha256:';

export function newTokenId(): string {
  return randomBytes(8).toString('hex');
}

export function generateToken(id: string): { token: string; hash: string } {
  const token = `pia_${id}_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return SCHEME + createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The public id in a well-formed token, or null. */
export function parseTokenId(token: string): string | null {
  return TOKEN_RE.exec(token)?.[1] ?? null;
}

const DUMMY = Buffer.alloc(32);

/** Constant-time comparison of `token` against a stored `sha256:<hex>`; `stored` undefined still costs the same. */
export function tokenMatches(token: string, stored: string | undefined): boolean {
  const presented = createHash('sha256').update(token, 'utf8').digest();
  const ok = stored !== undefined && stored.startsWith(SCHEME) && stored.length === SCHEME.length + 64;
  const expected = ok ? Buffer.from(stored.slice(SCHEME.length), 'hex') : DUMMY;
  return timingSafeEqual(presented, expected) && ok;
}
