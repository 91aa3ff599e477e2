// loadTextOffThread: the loader for servers. Parsing YAML costs about a second per megabyte of CPU on the
// thread that does it; on the server's main thread that is a second in which /api/health and every other
// request wait. Texts above OFF_THREAD_MIN_CHARS are parsed in a small pool of worker threads, each parse
// with a time limit (the thread is terminated when it runs over) and a heap limit (a parse that would
// exhaust memory kills its worker, not the server). Either ends as a `load/timeout` / `load/resource-limit`
// finding, never as an exception.
import { Worker } from 'node:worker_threads';
import type { Lang } from '../schema/lang.ts';
import type { Diagnostic } from '../types.ts';
import { fromRawParse, parseText, type ParsedText, type RawParse } from './parse.ts';
import type { ParseReply, ParseRequest } from './parse-worker.ts';
import { LOAD_MESSAGES } from './messages.ts';

/** Smaller texts parse in well under 100 ms and are not worth a round trip to a worker. */
export const OFF_THREAD_MIN_CHARS = 16 * 1024;
/** Default time limit of one parse in a worker. */
export const DEFAULT_PARSE_TIMEOUT_MS = 3_000;
/** Workers parsing at once (the machine's cores are shared with the main thread and the PDF renderer). */
const MAX_ACTIVE = 2;
/** Parses waiting for a worker; beyond this, LoadBusyError (the API answers 503). */
const MAX_WAITING = 16;
/** Heap of one worker: a 10 MB file expands to a few hundred MB of objects at most. */
const WORKER_HEAP_MB = 768;

/** Too many parses waiting already. */
export class LoadBusyError extends Error {
  override name = 'LoadBusyError';
}

export interface OffThreadOptions {
  source?: string;
  lang?: Lang;
  /** Time limit of the parse (default DEFAULT_PARSE_TIMEOUT_MS). */
  timeoutMs?: number;
}

const idle: Worker[] = [];
const waiting: (() => void)[] = [];
let active = 0;
/** Workers started ahead of need that have not loaded yet (prewarmParseWorkers). */
let warming = 0;
/** Parses waiting for a warming worker (it is handed over as soon as it has loaded; undefined if it failed). */
const handoff: ((w: Worker | undefined) => void)[] = [];

/**
 * An idle worker, else one that is loading already (waiting at most until `deadline`; undefined when it
 * passes, and the worker then stays for the next parse), else a new one.
 */
async function takeWorker(deadline: number): Promise<Worker | undefined> {
  const w = idle.pop();
  if (w) return w;
  if (warming > handoff.length) {
    let timer: NodeJS.Timeout | undefined;
    const warm = await new Promise<Worker | undefined | 'late'>((resolve) => {
      const waiter = (x: Worker | undefined) => {
        clearTimeout(timer);
        resolve(x);
      };
      handoff.push(waiter);
      timer = setTimeout(
        () => {
          handoff.splice(handoff.indexOf(waiter), 1);
          resolve('late');
        },
        Math.max(0, deadline - Date.now()),
      );
    });
    if (warm === 'late') return undefined;
    if (warm) return warm;
  }
  return spawnWorker();
}
/** Set when a worker could not start at all (then every parse runs on the calling thread). */
let workersUnavailable = false;

function spawnWorker(): Worker {
  const options = {
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    stdout: false,
    stderr: false,
  };
  let w: Worker;
  if (import.meta.url.endsWith('.ts')) {
    // Run from the sources (tsx, vitest): the loader registered with --import does not reach worker
    // threads on Node 20, so the worker registers tsx itself before importing the .ts entry.
    const entry = new URL('./parse-worker.ts', import.meta.url).href;
    const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    w = new Worker(code, { ...options, eval: true });
  } else {
    w = new Worker(new URL('./parse-worker.js', import.meta.url), options);
  }
  w.unref();
  return w;
}

async function acquire(): Promise<void> {
  if (active < MAX_ACTIVE) {
    active++;
    return;
  }
  if (waiting.length >= MAX_WAITING) throw new LoadBusyError('parse queue full');
  await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
}

function release(): void {
  active--;
  waiting.shift()?.();
}

type Outcome =
  | { kind: 'done'; raw: RawParse }
  | { kind: 'timeout' }
  /** The deadline passed before a new worker had loaded the parser. */
  | { kind: 'timeout-unstarted' }
  | { kind: 'crashed'; started: boolean };

function runInWorker(worker: Worker, req: ParseRequest, deadline: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let started = proven.has(worker);
    const finish = (o: Outcome) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.unref();
      resolve(o);
    };
    // The limit is on the whole answer (waiting for a worker, its start-up, the parse): on a busy machine
    // a request is refused in time rather than answered late.
    const onMessage = (reply: ParseReply) => {
      if ('ready' in reply) {
        started = true;
        proven.add(worker);
      } else if (reply.ok) finish({ kind: 'done', raw: reply.raw });
      else finish({ kind: 'crashed', started: true });
    };
    const onError = () => finish({ kind: 'crashed', started });
    const onExit = () => finish({ kind: 'crashed', started });
    worker.ref();
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    // Declared last; finish() only runs from events and this timer, after it is set.
    const timer = setTimeout(
      () => finish(started ? { kind: 'timeout' } : { kind: 'timeout-unstarted' }),
      Math.max(0, deadline - Date.now()),
    );
    worker.postMessage(req);
  });
}
/** Workers whose module loaded (a failure after that is the input's doing, not the platform's). */
const proven = new WeakSet<Worker>();

function limitFinding(
  code: 'load/timeout' | 'load/resource-limit',
  opts: OffThreadOptions,
  timeoutMs: number,
): ParsedText {
  const lang = opts.lang ?? 'ja';
  const message =
    code === 'load/timeout' ? LOAD_MESSAGES.timeout(timeoutMs, lang) : LOAD_MESSAGES.resourceLimit(lang);
  const d: Diagnostic = {
    code,
    severity: 'error',
    message,
    path: '',
    ...(opts.source !== undefined ? { source: opts.source } : {}),
  };
  return { data: undefined, diagnostics: [d], locate: () => undefined };
}

/**
 * parseText, off the calling thread for texts above OFF_THREAD_MIN_CHARS, bounded in time and memory.
 * Throws LoadBusyError only when too many parses are already waiting.
 */
export async function parseTextOffThread(text: string, opts: OffThreadOptions = {}): Promise<ParsedText> {
  const parseOpts = {
    ...(opts.source !== undefined ? { source: opts.source } : {}),
    ...(opts.lang !== undefined ? { lang: opts.lang } : {}),
  };
  if (text.length < OFF_THREAD_MIN_CHARS || workersUnavailable) return parseText(text, parseOpts);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  await acquire();
  let worker: Worker | undefined;
  try {
    worker = await takeWorker(deadline);
    if (!worker) return limitFinding('load/timeout', opts, timeoutMs);
    const outcome = await runInWorker(worker, { text, opts: parseOpts }, deadline);
    if (outcome.kind === 'done') {
      idle.push(worker);
      worker = undefined;
      return fromRawParse(outcome.raw);
    }
    if (outcome.kind === 'timeout' || outcome.kind === 'timeout-unstarted')
      return limitFinding('load/timeout', opts, timeoutMs);
    if (!outcome.started) {
      // The worker never ran (no loader for its file, a platform without threads): parse here, as the CLI
      // does, rather than refuse every document.
      workersUnavailable = true;
      return parseText(text, parseOpts);
    }
    return limitFinding('load/resource-limit', opts, timeoutMs);
  } finally {
    // A worker that timed out or crashed may be mid-parse or dead: never reuse it, and start its
    // replacement now, so that the next request does not wait for a worker to load the parser.
    if (worker) {
      void worker.terminate();
      release();
      prewarmParseWorkers();
    } else release();
  }
}

/**
 * Starts a worker ahead of the first large body (a server calls this when it starts): loading the parser
 * takes a moment that the first request should not wait for. Never throws; a worker that fails to start
 * here is simply not kept.
 */
export function prewarmParseWorkers(): void {
  if (workersUnavailable || idle.length + warming >= MAX_ACTIVE) return;
  let w: Worker;
  try {
    w = spawnWorker();
  } catch {
    return;
  }
  warming++;
  const done = (ok: boolean) => {
    warming--;
    w.off('message', onMessage);
    w.off('error', onFail);
    w.off('exit', onFail);
    const waiter = handoff.shift();
    if (waiter) {
      waiter(ok ? w : undefined);
      if (!ok) void w.terminate();
    } else if (ok && idle.length < MAX_ACTIVE) idle.push(w);
    else void w.terminate();
  };
  const onMessage = (reply: ParseReply) => {
    if ('ready' in reply) {
      proven.add(w);
      done(true);
    }
  };
  const onFail = () => done(false);
  w.on('message', onMessage);
  w.on('error', onFail);
  w.on('exit', onFail);
}

/** Stops the idle workers (tests; a server that closes). Workers are unref'd and never keep a process alive. */
export async function closeParseWorkers(): Promise<void> {
  const all = idle.splice(0);
  await Promise.all(all.map((w) => w.terminate()));
}
