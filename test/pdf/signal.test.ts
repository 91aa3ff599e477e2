// No Chromium and no profile directory outlive the process, whichever way it ends; and our hook does not
// swallow the signal (the process still dies of it) nor take over someone else's shutdown.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { isProcessAlive, liveProcessesInGroup } from './pdf-tools.ts';

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  pid: number;
  profile: string;
}

async function runChild(mode: string, signal: NodeJS.Signals): Promise<ChildResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/pdf/fixtures/signal-child.ts', mode], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, sig) => resolve({ code, signal: sig })),
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', () => reject(new Error('child exited before reporting')));
  });
  const { pid, profile } = JSON.parse(first) as { pid: number; profile: string };
  expect(isProcessAlive(pid)).toBe(true);
  expect(existsSync(profile)).toBe(true);
  child.kill(signal);
  return { ...(await exited), pid, profile };
}

describe('process hooks', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s without other handlers: browser gone, profile gone, process dies of the signal',
    async (signal) => {
      const r = await runChild('plain', signal);
      expect(r.signal).toBe(signal);
      // SIGKILL is delivered at once but a process takes a moment to be torn down.
      await expect.poll(() => liveProcessesInGroup(r.pid)).toEqual([]);
      expect(existsSync(r.profile)).toBe(false);
    },
  );

  it("SIGTERM with the application's own handler: its exit status stands, browser still cleaned up on exit", async () => {
    const r = await runChild('graceful', 'SIGTERM');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(3);
    await expect.poll(() => liveProcessesInGroup(r.pid)).toEqual([]);
    expect(existsSync(r.profile)).toBe(false);
  });
});
