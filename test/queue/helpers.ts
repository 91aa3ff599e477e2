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
