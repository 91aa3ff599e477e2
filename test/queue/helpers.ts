// Shared pieces of the queue tests: a `pia worker` process, PDF text, small HTML jobs.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { RenderJobInput } from '../../src/queue/index.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export function pdfText(pdf: Uint8Array): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], {
    input: Buffer.from(pdf),
    maxBuffer: 64 << 20,
  }).toString();
}

export interface WorkerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, and waits for the exit (SIGKILL after 40 s). The exit code. */
  stop(): Promise<number | null>;
}

/** `pia worker` as a separate process (tsx from source: never a stale build). Resolves once it waits for jobs. */
export async function spawnWorker(url: string, concurrency = 1): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/bin.ts', 'worker', '--db', url, '--concurrency', String(concurrency)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PIA_DB: '' } },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  await new Promise<void>((res, rej) => {
    const t = setInterval(() => {
      if (out.includes('待っています')) {
        clearInterval(t);
        res();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(t);
      rej(new Error(`pia worker exited (${code}) before it was ready:\n${out}\n${err}`));
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

let seq = 0;
/** A small job: its own HTML with the title in the body (what pdftotext must find). */
export function htmlJob(title: string, over: Partial<RenderJobInput> = {}): RenderJobInput {
  seq++;
  return {
    assessmentId: `a${seq}`,
    versionId: `v${seq}`,
    orgId: 'org',
    public: false,
    html: `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>テスト ${seq}</p></body></html>`,
    title,
    creationDate: '2025-01-02T03:04:05.000Z',
    filename: `${title}.pdf`,
    ...over,
  };
}

export interface Answer {
  status: number;
  ms: number;
  headers: Headers;
  body: Buffer;
}

async function timedGet(url: string, token: string): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, ms: performance.now() - t0, headers: res.headers, body };
}

export interface FloodResult {
  pdf: Answer[];
  reads: Answer[];
}

export interface Flood {
  /** The PDF answers, once every PDF request has one. */
  pdf: Promise<Answer[]>;
  /** Stops the other requests (after the queued PDFs were collected); everything answered. */
  finish(): Promise<FloodResult>;
}

/**
 * `count` PDF requests at once, and meanwhile, one after another, `/api/health` and a JSON read until
 * finish() (call it once the queued PDFs are collected, so the reads overlap the rendering). Every request
 * must get an answer: the test timeout is the only bound.
 */
export function flood(base: string, token: string, pdfPath: string, readPath: string, count: number): Flood {
  const pdf = Promise.all(
    Array.from({ length: count }, (_, i) =>
      timedGet(`${base}${pdfPath}${i % 2 ? '?edition=public' : ''}`, token),
    ),
  );
  let stop = false;
  const reads: Answer[] = [];
  const reader = (async () => {
    while (!stop) {
      reads.push(await timedGet(`${base}/api/health`, token));
      reads.push(await timedGet(`${base}${readPath}`, token));
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    pdf,
    async finish() {
      stop = true;
      await reader;
      return { pdf: await pdf, reads };
    },
  };
}

/** Follows a 202's status URL (long-polling with ?wait=) until it is no longer 202. */
export async function follow(base: string, token: string, location: string): Promise<Answer> {
  for (;;) {
    const a = await timedGet(`${base}${location}?wait=20`, token);
    if (a.status !== 202) return a;
  }
}

export function summarise(label: string, r: FloodResult): string {
  const by = (xs: Answer[]) =>
    Object.entries(
      xs.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {}),
    )
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
  const max = (xs: Answer[]) => Math.round(Math.max(0, ...xs.map((a) => a.ms)));
  const med = (xs: Answer[]) => {
    const s = xs.map((a) => a.ms).sort((a, b) => a - b);
    return Math.round(s[Math.floor(s.length / 2)] ?? 0);
  };
  return `${label}: PDF ${by(r.pdf)} (max ${max(r.pdf)} ms); other requests ${r.reads.length}: ${by(r.reads)} (median ${med(r.reads)} ms, max ${max(r.reads)} ms)`;
}
