// Cookie sessions for the pages. The browser holds only a random session id (HttpOnly, SameSite=Strict);
// the bearer token it was opened with stays in server memory and is re-checked against the store on every
// request, so revoking the token or disabling the user ends the session at once. Sessions live in memory:
// restarting the server signs everyone out, which is acceptable for a tool used from an office.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'pia_session';
export const LOGIN_CSRF_COOKIE = 'pia_login_csrf';

export interface Session {
  id: string;
  token: string;
  /** Synchronizer token for every form post of this session. */
  csrf: string;
  createdAt: number;
  lastSeen: number;
}

export interface SessionOptions {
  /** Idle time after which a session ends (default 8 h). */
  idleMs?: number;
  /** Longest a session lives (default 24 h). */
  maxAgeMs?: number;
  /** Sessions kept at most; the least recently used is dropped beyond it (default 10,000). */
  maxSessions?: number;
  now?: () => number;
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Constant-time string comparison (CSRF tokens). */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxAgeMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(opts: SessionOptions = {}) {
    this.idleMs = opts.idleMs ?? 8 * 3600_000;
    this.maxAgeMs = opts.maxAgeMs ?? 24 * 3600_000;
    this.max = opts.maxSessions ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  create(token: string): Session {
    const t = this.now();
    const s: Session = { id: randomToken(), token, csrf: randomToken(), createdAt: t, lastSeen: t };
    this.sessions.set(s.id, s);
    while (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value as string);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeen > this.idleMs || t - s.createdAt > this.maxAgeMs) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = t;
    // Most recently used last, so the eviction above drops the idlest.
    this.sessions.delete(id);
    this.sessions.set(id, s);
    return s;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }
}

/** Cookies of the request (a tiny parser: names and values are our own base64url strings). */
export function readCookies(req: Request): Record<string, string> {
  // No prototype: a cookie named __proto__ or constructor is just a name here.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const header = req.headers.cookie;
  if (!header) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    const value = part.slice(i + 1).trim();
    if (name && !(name in out)) out[name] = value;
  }
  return out;
}

/** HttpOnly, SameSite=Strict, Path=/; Secure when the request came over TLS. */
export function setCookie(
  req: Request,
  res: Response,
  name: string,
  value: string,
  maxAgeSeconds?: number,
): void {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (req.secure) parts.push('Secure');
  res.append('Set-Cookie', parts.join('; '));
}

export function clearCookie(req: Request, res: Response, name: string): void {
  setCookie(req, res, name, '', 0);
}
