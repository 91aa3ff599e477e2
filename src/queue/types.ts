// The render queue contract. A PDF is work of seconds on a shared, memory-hungry browser, so a request
// never renders it itself: it enqueues a job and waits for it up to a bound. Two implementations: one in
// the server's own process (embedded store) and one on PostgreSQL with pg-boss, rendered by `pia worker`.
//
// The job carries the printed HTML, not just the version id: the API makes it (permission, organisation
// scope, 公表用 edition, validation banner, recorded 変更箇所 judgements — all decided at request time, and
// Handlebars takes under a millisecond), so a worker needs no store and prints exactly what the requester
// was allowed to see. The ids and the edition are kept with the job for its status and its status URL.

export interface RenderJobInput {
  assessmentId: string;
  /** The resolved version id (never `latest`). */
  versionId: string;
  /** The organisation of the assessment (the status route checks the caller may see it). */
  orgId: string;
  /** 公表用 edition. */
  public: boolean;
  /** The complete printed HTML document. */
  html: string;
  /** The PDF's Title. */
  title: string;
  /** Running header (評価書番号), if any. */
  headerText?: string;
  /** ISO time written as the PDF's dates (the version's creation: same version, same bytes). */
  creationDate: string;
  /** Download file name. */
  filename: string;
}

export type RenderJobState = 'queued' | 'rendering' | 'done' | 'failed' | 'cancelled';

export interface RenderJobStatus {
  id: string;
  state: RenderJobState;
  assessmentId: string;
  versionId: string;
  orgId: string;
  public: boolean;
  filename: string;
  /** ISO time of the enqueue. */
  createdAt: string;
  /** ISO time after which the job and its PDF are forgotten. */
  expiresAt: string;
  /** Set when state is `failed`: a Japanese message fit to show as is. */
  error?: { code: string; message: string };
}

export interface RenderResult {
  pdf: Uint8Array;
  filename: string;
}

export interface RenderQueue {
  /** `in-process` (embedded store) or `postgres` (pg-boss; rendered by `pia worker`). */
  readonly kind: 'in-process' | 'postgres';
  /**
   * Throws QueueFullError if a job would be refused now. Cheap: the API asks before it builds the HTML
   * (tens of milliseconds of CPU), so a refused request costs the server next to nothing.
   */
  checkRoom(): Promise<void>;
  /**
   * Adds a job; its id. Throws QueueFullError when the bound of waiting jobs is reached. Given a function,
   * the place is taken first and the job built after (so a burst cannot all pass the check, then all build).
   */
  enqueue(input: RenderJobInput | (() => Promise<RenderJobInput>)): Promise<string>;
  /** The job's status, or null when there is no such job (never was, or expired). */
  status(id: string): Promise<RenderJobStatus | null>;
  /** The PDF of a finished job, or null (not done, failed, expired). */
  result(id: string): Promise<RenderResult | null>;
  /**
   * Waits until the job is finished (done, failed, cancelled) or `ms` have passed, or `signal` aborts;
   * then its status (null when unknown).
   */
  waitFor(id: string, ms: number, signal?: AbortSignal): Promise<RenderJobStatus | null>;
  /** Cancels a job nobody will collect: a waiting job is never rendered; a running one's PDF is dropped. */
  cancel(id: string): Promise<void>;
  /** Stops taking jobs and releases what the queue holds (not the PDF renderer it was given). Idempotent. */
  close(): Promise<void>;
}

/** The bound of waiting jobs is reached: answer 503 with Retry-After instead of piling up. */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
  constructor(
    /** A guess of when a place frees up, in whole seconds (≥ 1). */
    readonly retryAfterSeconds: number,
    readonly waiting: number,
  ) {
    super(
      `PDF の作成依頼が混み合っています (待ち ${waiting} 件)。${retryAfterSeconds} 秒ほど待ってからもう一度お試しください。`,
    );
  }
}

export const isFinished = (s: RenderJobStatus | null): boolean =>
  s === null || s.state === 'done' || s.state === 'failed' || s.state === 'cancelled';

/** Retry-After from the work ahead: jobs ahead per renderer slot × the mean render time, 1–300 s. */
export function retryAfterFor(ahead: number, concurrency: number, meanRenderMs: number): number {
  const s = Math.ceil(((ahead / Math.max(1, concurrency)) * meanRenderMs) / 1000);
  return Math.min(300, Math.max(1, s));
}
