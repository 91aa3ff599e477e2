// Cookie sessions for the pages. The browser holds only a random session id (HttpOnly, SameSite=Strict);
// the bearer token it was opened with is re-checked against the store on every request, so revoking the
// token or disabling the user ends the session at once.
//
// Where sessions live: without a `store`, in this process's memory (restarting signs everyone out). With a
// `store` (what `pia serve` passes), in the Store (store/sessions.ts: only the hash of the id; the token and
// CSRF value sealed under the id), so that any of several server processes on one PostgreSQL database can
// open a session another one created: open, find and end all go through the store, so a login taken by
// one process is honoured, and a logout ended, on every other.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Store } from '../store/index.ts';

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
  /** Keep sessions in the store (shared by every server process on it) instead of this process only. */
  store?: Pick<Store, 'createSession' | 'getSession' | 'touchSession' | 'deleteSession' | 'pruneSessions'>;
  /** Activity is written to the store at most this often per session (default 60 s). */
  touchEveryMs?: number;
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
  private readonly store: SessionOptions['store'];
  private readonly touchEveryMs: number;
  private lastPrune = 0;

  constructor(opts: SessionOptions = {}) {
    this.idleMs = opts.idleMs ?? 8 * 3600_000;
    this.maxAgeMs = opts.maxAgeMs ?? 24 * 3600_000;
    this.max = opts.maxSessions ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.store = opts.store;
    this.touchEveryMs = opts.touchEveryMs ?? 60_000;
  }

  private remember(s: Session): void {
    // Most recently used last, so the eviction below drops the idlest.
    this.sessions.delete(s.id);
    this.sessions.set(s.id, s);
    while (this.sessions.size > this.max) this.sessions.delete(this.sessions.keys().next().value as string);
  }

  private expired(s: { createdAt: number; lastSeen: number }, t: number): boolean {
    return t - s.lastSeen > this.idleMs || t - s.createdAt > this.maxAgeMs;
  }

  /** In the background: a failed write only costs a sign-in on another process. */
  private background(p: Promise<unknown> | undefined): void {
    p?.catch(() => undefined);
  }

  /** This process's copy (no store): expired sessions end here. */
  private findLocal(id: string): Session | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const t = this.now();
    if (this.expired(s, t)) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = t;
    this.remember(s);
    return s;
  }

  /** A new session, acknowledged by the store (so the next request may reach any server process). */
  async open(token: string): Promise<Session> {
    const t = this.now();
    const s: Session = { id: randomToken(), token, csrf: randomToken(), createdAt: t, lastSeen: t };
    if (this.store) {
      await this.store.createSession({ id: s.id, token, csrf: s.csrf }, t);
      this.prune(t);
    }
    this.remember(s);
    return s;
  }

  /** The live session for a cookie value, wherever it was opened; records activity (throttled). */
  async find(id: string | undefined): Promise<Session | undefined> {
    if (!id || id.length > 200) return undefined;
    if (!this.store) return this.findLocal(id);
    const stored = await this.store.getSession(id);
    const t = this.now();
    if (!stored) {
      // Ended here or on another process (logout, expiry, prune).
      this.sessions.delete(id);
      return undefined;
    }
    if (this.expired(stored, t)) {
      await this.end(id);
      return undefined;
    }
    const s: Session = {
      id,
      token: stored.token,
      csrf: stored.csrf,
      createdAt: stored.createdAt,
      lastSeen: t,
    };
    if (t - stored.lastSeen >= this.touchEveryMs) this.background(this.store.touchSession(id, t));
    else s.lastSeen = stored.lastSeen;
    this.remember(s);
    return s;
  }

  /** Ends a session on every process. */
  async end(id: string): Promise<void> {
    this.sessions.delete(id);
    await this.store?.deleteSession(id);
  }

  /** At most every few minutes, on a login: sessions nobody will come back for are removed. */
  private prune(t: number): void {
    if (!this.store || t - this.lastPrune < 5 * 60_000) return;
    this.lastPrune = t;
    this.background(
      this.store.pruneSessions({ lastSeenBefore: t - this.idleMs, createdBefore: t - this.maxAgeMs }),
    );
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
