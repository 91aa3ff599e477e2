// Crash test: `pia serve --db` as a child process, 50 concurrent clients writing versions, `kill -9` in the
// middle, restart on the same file: every version the server acknowledged (2xx) is there with its content,
// and the store file parses. Then SIGTERM ends the restarted server cleanly (exit 0).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSample } from './helpers.ts';

const CLIENTS = 50;
const ASSESSMENTS = 5;
/** Acknowledged writes before the kill: enough that many requests are in flight at that moment. */
const KILL_AFTER_ACKS = 250;

interface Served {
  child: ChildProcess;
  url: string;
  adminToken?: string;
  exited: Promise<number | null>;
}

function serve(db: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/bin.ts', 'serve', '--port', '0', '--db', db, '--no-pdf'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    child.stderr?.on('data', (d) => (err += String(d)));
    child.stdout?.on('data', (d) => {
      out += String(d);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      // The banner is written in one piece; wait for its last line.
      if (url && /ストア:/.test(out)) {
        clearTimeout(timer);
        const adminToken = /管理者トークン[^:]*: (pia_\S+)/.exec(out)?.[1];
        resolve({ child, url, exited, ...(adminToken ? { adminToken } : {}) });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}${err}`)));
  });
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('crash safety of pia serve', () => {
  it('keeps every acknowledged version and check run through kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pia-crash-'));
    dirs.push(dir);
    const db = join(dir, 'pia.json');
    const first = await serve(db);
    children.push(first.child);
    expect(first.adminToken).toMatch(/^pia_/);
    const token = first.adminToken as string;
    const api = (
      url: string,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      fetch(url + path.replace(/^\//, ''), {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const org = await (
      await api(first.url, 'POST', '/api/organisations', { name: '架空市長', code: 'kakuu-city' })
    ).json();
    const assessments: string[] = [];
    for (let i = 0; i < ASSESSMENTS; i++) {
      const a = await (
        await api(first.url, 'POST', '/api/assessments', { title: `事務 ${i}`, orgId: org.id })
      ).json();
      assessments.push(a.id);
    }
    const doc = readSample('kakuu-city-kaigo');
    // A first version each, so that every client can append with If-Match: * (append whatever is latest).
    for (const id of assessments)
      expect((await api(first.url, 'POST', `/api/assessments/${id}/versions`, doc)).status).toBe(201);

    const acked: { assessmentId: string; id: string; docHash: string; marker: string }[] = [];
    // Every fifth client is a CI job posting live snapshots: check runs live only in the journal.
    const snapshot = readSample('kakuu-city-kaigo', 'live.yaml');
    const ackedRuns: { assessmentId: string; id: string }[] = [];
    let stop = false;
    let failures = 0;
    let lastFailure = '';
    let killed: Promise<void> | undefined;
    const client = async (k: number) => {
      for (let n = 0; !stop; n++) {
        const assessmentId = assessments[(k + n) % ASSESSMENTS];
        const marker = `client ${k} write ${n}`;
        try {
          if (k % 5 === 4) {
            const res = await api(
              first.url,
              'POST',
              `/api/assessments/${assessmentId}/versions/latest/check`,
              snapshot,
            );
            if (res.status === 200) {
              await res.arrayBuffer();
              ackedRuns.push({ assessmentId, id: res.headers.get('x-pia-check-run') as string });
            } else {
              lastFailure = `${res.status} ${await res.text()}`;
              failures++;
            }
            continue;
          }
          const res = await api(
            first.url,
            'POST',
            `/api/assessments/${assessmentId}/versions`,
            { ...doc, cover: { ...(doc.cover as object), specialNotes: marker } },
            { 'if-match': '*' },
          );
          if (res.status === 201) {
            const v = await res.json();
            acked.push({ assessmentId, id: v.id, docHash: v.docHash, marker });
            if (acked.length >= KILL_AFTER_ACKS && !killed) {
              // Mid-stream: the other 49 clients have requests in flight right now.
              first.child.kill('SIGKILL');
              killed = first.exited.then(() => undefined);
            }
          } else {
            lastFailure = `${res.status} ${await res.text()}`;
            failures++;
          }
        } catch {
          // The connection died with the server: not acknowledged, so nothing is promised.
          if (killed) return;
          failures++;
        }
      }
    };
    const runs = Array.from({ length: CLIENTS }, (_, k) => client(k));
    const deadline = setTimeout(() => {
      stop = true;
    }, 60_000);
    await Promise.race([Promise.all(runs), new Promise((r) => setTimeout(r, 60_000))]);
    stop = true;
    clearTimeout(deadline);
    await Promise.all(runs);
    expect(
      killed,
      `the server was killed mid-stream (acks ${acked.length}, failures ${failures}: ${lastFailure.slice(0, 300)})`,
    ).toBeDefined();
    await killed;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(failures).toBe(0);
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    // The file is whole JSON (never half-written).
    expect(() => JSON.parse(readFileSync(db, 'utf8'))).not.toThrow();

    const second = await serve(db);
    children.push(second.child);
    expect(second.adminToken).toBeUndefined();
    for (const a of acked) {
      const res = await api(second.url, 'GET', `/api/assessments/${a.assessmentId}/versions/${a.id}`);
      expect(res.status, `acknowledged version ${a.id} (${a.marker}) is missing`).toBe(200);
      const v = await res.json();
      expect(v.docHash).toBe(a.docHash);
      expect(v.doc.cover.specialNotes).toBe(a.marker);
    }
    // Version numbers have no gaps (nothing half-committed); every acknowledged check run is recorded.
    const runIds = new Set<string>();
    for (const id of assessments) {
      const list = await (await api(second.url, 'GET', `/api/assessments/${id}/versions`)).json();
      expect(list.versions.map((v: { number: number }) => v.number)).toEqual(
        list.versions.map((_: unknown, i: number) => i + 1),
      );
      for (const v of list.versions as { id: string }[]) {
        const checks = await (
          await api(second.url, 'GET', `/api/assessments/${id}/versions/${v.id}/checks`)
        ).json();
        for (const c of checks.checks as { id: string }[]) runIds.add(c.id);
      }
    }
    expect(ackedRuns.length).toBeGreaterThan(0);
    for (const r of ackedRuns)
      expect(runIds.has(r.id), `acknowledged check run ${r.id} is missing`).toBe(true);
    const audit = await (await api(second.url, 'GET', '/api/audit/verify')).json();
    expect(audit.ok).toBe(true);

    // A clean shutdown on SIGTERM.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 180_000);
});
