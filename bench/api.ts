// API throughput. Run: `npx tsx bench/api.ts` (about a minute; starts Chromium for the PDF part).
//
// 1. POST /api/assessments/:id/versions/latest/check with a realistic live snapshot (the 住民基本台帳
//    sample's live.yaml as JSON, ~30 KB) at 50 concurrent keep-alive connections, against a bare express
//    route that only parses the same body with express.json() — both measured in this run, each server in
//    its own child process (so the load generator here does not share their event loop), same client.
//    The real app runs twice: on the in-memory store (the cost of the app and the engine) and on a file
//    store (every check run recorded durably, as in production). Goal: ≥ 0.5 of the bare route's
//    throughput, p99 < 50 ms.
// 2. 20 concurrent PDF requests to the real app with its page pool (2 pages): all must succeed (queued),
//    with the pool's peak pages and the peak memory of this process tree (Node + Chromium) reported.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import express from 'express';
import { createApiEngine, createApp } from '../src/api/index.ts';
import { loadText } from '../src/load/index.ts';
import { ASSESSMENTS_DIR } from '../src/paths.ts';
import { createPdfRenderer } from '../src/pdf/index.ts';
import { createMemoryStore, openStore, type Store } from '../src/store/index.ts';

const SAMPLE = 'kakuu-city-juki';
const CONNECTIONS = 50;
const WARMUP_REQUESTS = 1_000;
const REQUESTS = 6_000;
const MAX_SECONDS = 30;
const PDF_REQUESTS = 20;

const readYaml = (file: string) => {
  const loaded = loadText(readFileSync(join(ASSESSMENTS_DIR, SAMPLE, file), 'utf8'), { source: file });
  if (!loaded.data) throw new Error(`${file} does not load`);
  return loaded.data;
};

// ───────────── servers (child processes) ─────────────

/** The real app with one assessment; prints `PORT <n> <path> <token>`. */
async function serveReal(kind: 'memory' | 'file'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pia-bench-api-'));
  const file = join(dir, 'pia.json');
  const store = kind === 'memory' ? createMemoryStore() : await openStore(file);
  const actor = { actor: 'bench' };
  const org = await store.createOrganisation({ name: '架空市長', code: 'kakuu-city' }, actor);
  const a = await store.createAssessment({ orgId: org.id, title: '住民基本台帳に関する事務' }, actor);
  await store.addVersion(a.id, readYaml('assessment.yaml'), { author: 'bench' });
  const { token } = await store.createToken({ name: 'CI', role: 'ci', orgId: org.id }, actor);
  const app = createApp({
    store,
    engine: createApiEngine(),
    logger: { error: (m) => process.stderr.write(m + '\n') },
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(
      `PORT ${(server.address() as AddressInfo).port} /api/assessments/${a.id}/versions/latest/check ${token}\n`,
    );
  });
  process.on('SIGTERM', () => {
    server.close();
    void store.close().then(() => {
      if (kind === 'file') process.stdout.write(`INDEX ${statSync(file).size}\n`);
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

/** A bare express route that only parses the body (the same limit as the real app). */
function serveBare(): void {
  const app = express();
  app.post('/parse', express.json({ limit: '10mb' }), (req, res) => {
    res.json({ keys: Object.keys(req.body as object).length });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`PORT ${(server.address() as AddressInfo).port} /parse -\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

interface Child {
  child: ChildProcess;
  port: number;
  path: string;
  token: string;
  /** Everything the child printed (the file store's index size at the end). */
  output: () => string;
}

type Kind = 'bare' | 'memory' | 'file';

function startChild(kind: Kind): Promise<Child> {
  // tsx directly (not npx): a signal must reach the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api.ts', '--serve', kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += String(d);
      const m = /PORT (\d+) (\S+) (\S+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]), path: m[2], token: m[3], output: () => out });
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code})`)));
  });
}

// ───────────── load generator ─────────────

interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  statuses: Record<number, number>;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** `count` POSTs over `connections` keep-alive connections, bounded by `maxSeconds`. */
async function load(
  port: number,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
  count: number,
  maxSeconds: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let issued = 0;
  const deadline = performance.now() + maxSeconds * 1000;
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(body.length) },
        },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (issued < count && performance.now() < deadline) {
        issued++;
        await one();
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    errors,
    statuses,
  };
}

const fmt = (r: LoadResult) =>
  `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(6)} ms  ` +
  `(${r.requests} requests in ${r.seconds.toFixed(1)} s, status ${JSON.stringify(r.statuses)}, errors ${r.errors})`;

// ───────────── memory of this process tree ─────────────

/** RSS (MB) of this process and all its descendants (Chromium's processes included). */
function treeRssMb(): number {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' });
  const rows = out
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const [pid, ppid, kb] of rows) {
    rss.set(pid, kb);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let total = 0;
  const stack = [process.pid];
  while (stack.length) {
    const pid = stack.pop() as number;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total / 1024;
}

async function benchPdf(): Promise<void> {
  const store: Store = createMemoryStore();
  const actor = { actor: 'bench' };
  const org = await store.createOrganisation({ name: '架空市長', code: 'kakuu-city' }, actor);
  const a = await store.createAssessment({ orgId: org.id, title: '住民基本台帳に関する事務' }, actor);
  await store.addVersion(a.id, readYaml('assessment.yaml'), { author: 'bench' });
  const { token } = await store.createToken({ name: '点検', role: 'reviewer', orgId: org.id }, actor);
  const pdf = createPdfRenderer({ maxPages: 2, maxQueue: 64 });
  const app = createApp({ store, engine: createApiEngine(), pdf });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/assessments/${a.id}/versions/latest/pdf`;
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      ok: bytes.subarray(0, 5).toString('latin1') === '%PDF-',
      ms: performance.now() - t0,
      size: bytes.length,
    };
  };
  const baseline = treeRssMb();
  const first = await get(); // starts the browser
  let peak = treeRssMb();
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeRssMb());
  }, 200);
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: PDF_REQUESTS }, get));
  const wall = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, treeRssMb());
  const ok = results.filter((r) => r.status === 200 && r.ok).length;
  const ms = results.map((r) => r.ms).sort((x, y) => x - y);
  const stats = pdf.stats();
  console.log(
    `\nPDF: ${PDF_REQUESTS} concurrent GET …/pdf of the 全項目 sample (${(first.size / 1024).toFixed(0)} KB each), pool of 2 pages`,
  );
  console.log(
    `  succeeded: ${ok}/${PDF_REQUESTS}  (first, cold with browser start: ${(first.ms / 1000).toFixed(2)} s)`,
  );
  console.log(
    `  wall ${wall.toFixed(1)} s → ${(PDF_REQUESTS / wall).toFixed(2)} PDF/s; latency p50 ${(ms[ms.length >> 1] / 1000).toFixed(1)} s, max ${(ms[ms.length - 1] / 1000).toFixed(1)} s (queued)`,
  );
  console.log(
    `  pool: peak ${stats.peakOpenPages} open pages, ${stats.launches} browser launch(es); memory of Node + Chromium: ${baseline.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB`,
  );
  server.close();
  await pdf.close();
  await store.close();
  if (ok !== PDF_REQUESTS) process.exitCode = 1;
}

async function main(): Promise<void> {
  const snapshot = Buffer.from(JSON.stringify(readYaml('live.yaml')));
  console.log(
    `POST …/check with ${SAMPLE}/live.yaml as JSON (${(snapshot.length / 1024).toFixed(1)} KB), ${CONNECTIONS} connections, ${REQUESTS} requests (≤ ${MAX_SECONDS} s) after ${WARMUP_REQUESTS} warm-up`,
  );
  const results: Partial<Record<Kind, LoadResult>> = {};
  let indexBytes = 0;
  for (const kind of ['bare', 'memory', 'file'] as const) {
    const c = await startChild(kind);
    const headers = {
      'content-type': 'application/json',
      ...(c.token !== '-' ? { authorization: `Bearer ${c.token}` } : {}),
    };
    try {
      await load(c.port, c.path, snapshot, headers, WARMUP_REQUESTS, MAX_SECONDS);
      results[kind] = await load(c.port, c.path, snapshot, headers, REQUESTS, MAX_SECONDS);
    } finally {
      c.child.kill('SIGTERM');
      await new Promise((r) => c.child.once('exit', r));
      indexBytes = Number(/INDEX (\d+)/.exec(c.output())?.[1] ?? indexBytes);
    }
  }
  const bare = results.bare as LoadResult;
  console.log(`  bare express.json() route:             ${fmt(bare)}`);
  for (const kind of ['memory', 'file'] as const) {
    const r = results[kind] as LoadResult;
    const ratio = r.rps / bare.rps;
    console.log(
      `  POST …/check, ${kind === 'memory' ? 'in-memory store' : 'file store     '}:         ${fmt(r)}`,
    );
    console.log(
      `    ratio to bare ${ratio.toFixed(2)} (goal ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'}); p99 ${r.p99.toFixed(1)} ms (goal < 50 ms: ${r.p99 < 50 ? 'met' : 'NOT met'})`,
    );
    if (r.errors || Object.keys(r.statuses).some((s) => s !== '200')) {
      console.log('    the run had errors or non-200 answers');
      process.exitCode = 1;
    }
  }
  console.log(
    `  (file store: every check is recorded durably; its index file was ${(indexBytes / 1024 / 1024).toFixed(1)} MB at the end and is rewritten on every commit)`,
  );
  await benchPdf();
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex >= 0) {
  const kind = process.argv[serveIndex + 1];
  if (kind === 'memory' || kind === 'file') await serveReal(kind);
  else serveBare();
} else {
  await main();
}
