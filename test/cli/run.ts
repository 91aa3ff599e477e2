// Helpers for CLI tests: in-process runCli with string sinks, and a real spawned process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(
  argv: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? {},
  });
  return { code, stdout, stderr };
}

/** `node --import tsx src/cli/bin.ts …` from the project root (never a stale build). */
export function runSpawned(
  argv: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}src/cli/bin.ts`, ...argv], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, PIA_DEBUG: '', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** No stack frames, no raw exception names: what a user sees is our wording only. */
export function expectNoStackTrace(r: RunResult): void {
  const all = r.stdout + r.stderr;
  if (/\n\s+at \S/.test(all) || /\bError:/.test(all) || /node:internal/.test(all)) {
    throw new Error(`stack trace or raw error in output:\n${all}`);
  }
}
