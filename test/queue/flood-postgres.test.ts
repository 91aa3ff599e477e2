// Flood on the scale-out setup: a `pia serve --db postgres://…` process with in-process rendering off and
// a `pia worker` process, both on a throwaway PostgreSQL. Every request is answered; health and JSON reads
// keep being answered while PDFs queue; past the bound 503 + Retry-After; the accepted PDFs are rendered by
// the worker (the server process starts no browser) and their text has the document's title.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import type { JsonObject } from '../../src/types.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { flood, follow, pdfText, ROOT, spawnWorker, summarise, type WorkerProcess } from './helpers.ts';

let cluster: PostgresCluster;
let worker: WorkerProcess | undefined;
let serve: ChildProcess | undefined;
let serveOut = '';
let base: string;
let token: string;
let assessmentId: string;
const title = '架空市 介護保険に関する事務';

function childrenOf(pid: number): string[] {
  try {
    return execFileSync('ps', ['-o', 'comm=', '--ppid', String(pid)])
      .toString()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

beforeAll(async () => {
  cluster = await startPostgres();
  // Data through the PostgreSQL store itself (the server reads it from the database).
  const store = await openStore(cluster.url, { migrate: true });
  try {
    const doc = parse(
      readFileSync(join(ROOT, 'assessments/kakuu-city-kaigo/assessment.yaml'), 'utf8'),
    ) as JsonObject;
    const org = await store.createOrganisation({ name: '架空市長', code: null }, { actor: 'system' });
    token = (await store.createToken({ name: 'admin', role: 'admin', orgId: null }, { actor: 'system' }))
      .token;
    const a = await store.createAssessment(
      { orgId: org.id, title: '介護保険', form: null, number: null },
      { actor: 'system' },
    );
    await store.addVersion(a.id, doc, { author: 'system' });
    assessmentId = a.id;
  } finally {
    await store.close();
  }
  serve = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/bin.ts',
      'serve',
      '--db',
      cluster.url,
      '--port',
      '0',
      '--pdf-queue',
      '3',
      '--pdf-wait',
      '2',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PIA_DB: '' } },
  );
  serve.stdout?.on('data', (d: Buffer) => (serveOut += d.toString()));
  serve.stderr?.on('data', (d: Buffer) => (serveOut += d.toString()));
  for (let i = 0; i < 600 && !/で待ち受けています/.test(serveOut); i++) {
    if (serve.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(serveOut);
  if (!m) throw new Error(`pia serve did not start:\n${serveOut}`);
  base = m[1];
  worker = await spawnWorker(cluster.url, 1);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve!.once('exit', r));
    serve.kill('SIGTERM');
    const t = setTimeout(() => serve!.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(t);
  }
  await cluster?.stop();
}, 120_000);

describe('PDF flood, PostgreSQL store + pia worker in another process', () => {
  it('bounded, answered, and rendered by the worker process', async () => {
    expect(serveOut).toMatch(/PDF: PostgreSQL の待ち行列 \(pia worker/);
    const f = flood(
      base,
      token,
      `/api/assessments/${assessmentId}/versions/latest/pdf`,
      `/api/assessments/${assessmentId}`,
      12,
    );
    const answers = await f.pdf;
    for (const a of answers) expect([200, 202, 503]).toContain(a.status);
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(a.body.toString()).error).toMatchObject({
        code: 'pdf-busy',
        message: expect.stringMatching(/混み合っています/),
      });
    }
    const accepted = answers.filter((a) => a.status !== 503);
    const pdfs: Buffer[] = [];
    for (const a of accepted) {
      const final = a.status === 202 ? await follow(base, token, a.headers.get('location')!) : a;
      expect(final.status, final.body.toString().slice(0, 300)).toBe(200);
      pdfs.push(final.body);
    }
    const result = await f.finish();
    console.log(summarise('postgres flood (12 PDF requests, 1 worker × 1 page, 3 waiting)', result));
    for (const a of result.reads) expect(a.status).toBe(200);
    expect(pdfText(pdfs[0]).replace(/\s+/g, '')).toContain(title.replace(/\s+/g, ''));
    // The server process never started a browser; the worker did, and rendered every accepted PDF.
    expect(childrenOf(serve!.pid!).filter((c) => /chrom/i.test(c))).toEqual([]);
    expect(childrenOf(worker!.child.pid!).some((c) => /chrom/i.test(c))).toBe(true);
    expect(await worker!.stop()).toBe(0);
    expect(worker!.stdout()).toContain(`作成 ${accepted.length} 件`);
    worker = undefined;
  }, 240_000);
});
