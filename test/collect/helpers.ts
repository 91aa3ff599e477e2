// Shared by the collect tests: run the CLI as a user would (a child process of the sources via tsx, so no
// stale build is involved).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'test', 'collect', 'fixtures');
export const JUKI = 'assessments/kakuu-city-juki/assessment.yaml';
export const AS_OF = '2026-12-01T09:00:00+09:00';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function runPia(
  args: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', ...args],
      {
        cwd: opts.cwd ?? ROOT,
        env: { ...process.env, ...opts.env },
        maxBuffer: 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export function noStackTrace(text: string): void {
  if (/\n\s+at .+:\d+:\d+/.test(text) || text.includes('内部エラー'))
    throw new Error(`stack trace or internal error:\n${text}`);
}
