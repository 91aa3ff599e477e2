// `pia serve` as users start it: no --db → the bundled samples in memory, the URL and a first admin token
// printed; a PDF starts Chromium; SIGINT closes the HTTP server, the browser and the store (exit 0, no
// Chromium left behind).
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';

/** Pids of every descendant of `root`. */
function descendants(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop() as number;
    for (const [pid, ppid] of rows) {
      if (ppid === p) {
        out.push(pid);
        stack.push(pid);
      }
    }
  }
  return out;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('pia serve', () => {
  it('starts with the samples, prints URL and token, serves a PDF and shuts down cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let out = '';
    let err = '';
    child.stderr?.on('data', (d) => (err += String(d)));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no banner: ${out} ${err}`)), 30_000);
      child.stdout?.on('data', (d) => {
        out += String(d);
        if (/管理者トークン/.test(out) && /画面:/.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1] as string;
    const token = /(pia_\S+)/.exec(out)?.[1] as string;
    expect(url).toBeTruthy();
    expect(out).toContain('サンプル: 評価書 5 件、組織 3 件');
    const auth = { authorization: `Bearer ${token}` };

    const list = await (await fetch(`${url}api/assessments`, { headers: auth })).json();
    expect(list.assessments).toHaveLength(5);
    const hofu = list.assessments.find((a: { versionCount: number }) => a.versionCount === 2);
    expect(hofu).toBeDefined();
    const checks = await (
      await fetch(`${url}api/assessments/${hofu.id}/versions/latest/checks`, { headers: auth })
    ).json();
    expect(checks.checks.length).toBe(1);

    // wait=60: a cold Chromium on a busy machine may take longer than the default wait (10 s → 202).
    const pdf = await fetch(`${url}api/assessments/${hofu.id}/versions/latest/pdf?edition=public&wait=60`, {
      headers: auth,
    });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    const browserPids = descendants(child.pid as number);
    expect(browserPids.length).toBeGreaterThan(0);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toContain('SIGINT');
    expect(err).not.toMatch(/\n\s+at /);
    // Give the OS a moment to reap the browser's processes, then none may be left.
    for (let i = 0; i < 50 && browserPids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(browserPids.filter(alive)).toEqual([]);
  }, 120_000);

  it('refuses a busy port and a bad --port with exit 2 and a Japanese message', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'serve', '--port', 'abc']);
    let err = '';
    bad.stderr.on('data', (d) => (err += String(d)));
    expect(await new Promise((r) => bad.once('exit', r))).toBe(2);
    expect(err).toContain('--port');

    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    const busy = spawn(process.execPath, [
      '--import',
      'tsx',
      'src/cli/bin.ts',
      'serve',
      '--port',
      String(port),
      '--no-pdf',
    ]);
    let busyErr = '';
    busy.stderr.on('data', (d) => (busyErr += String(d)));
    const code = await new Promise((r) => busy.once('exit', r));
    blocker.close();
    expect(code).toBe(2);
    expect(busyErr).toContain('既に使われています');
    expect(busyErr).not.toMatch(/\n\s+at /);
  });
});
