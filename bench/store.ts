// Store write latency. Run: `npx tsx bench/store.ts` (temp dir under the OS temp directory).
// Medians of repeated runs in this process. Each durable operation is compared with lowdb's stock
// JSONFile (steno: fixed temp name + rename, no fsync) writing the same data the naive way, measured in
// the same run. fsync is measured on its own so its share is visible.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JSONFile } from 'lowdb/node';
import { openStore } from '../src/store/index.ts';
import type { JsonObject } from '../src/types.ts';

const RUNS = 31;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/** About `bytes` bytes of JSON shaped like a 評価書: many short Japanese strings. */
function makeDoc(bytes: number, seed: number): JsonObject {
  const items: JsonObject[] = [];
  for (let i = 0, size = 0; size < bytes; i++, size += 110) {
    items.push({
      label: `項目${i}`,
      value: `特定個人情報の入手元は住民基本台帳システムである (${seed}-${i})`,
    });
  }
  return { seed, items };
}

const fmt = (x: number) => `${x.toFixed(2)} ms`.padStart(10);
const dir = mkdtempSync(join(tmpdir(), 'pia-bench-'));
const rows: string[] = [];
const row = (name: string, t: number, base?: number) =>
  rows.push(
    `${name.padEnd(62)}${fmt(t)}${base ? `   ${(t / base).toFixed(2)}× baseline (${fmt(base).trim()})` : ''}`,
  );

try {
  // fsync alone: 1 MB freshly written, then fsync(file); rename; fsync(dir).
  const fileSync: number[] = [];
  const dirSync: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const fh = await open(join(dir, 'probe.tmp'), 'w');
    await fh.writeFile(Buffer.alloc(1 << 20, 97 + (i % 20)));
    let t0 = performance.now();
    await fh.sync();
    fileSync.push(performance.now() - t0);
    await fh.close();
    const d = await open(dir, 'r');
    t0 = performance.now();
    await d.sync();
    dirSync.push(performance.now() - t0);
    await d.close();
  }
  console.log(
    `fsync of a fresh 1 MB file: ${fmt(median(fileSync)).trim()}; fsync of its directory: ${fmt(median(dirSync)).trim()}`,
  );

  const store = await openStore(join(dir, 'store', 'pia.json'));
  const org = await store.createOrganisation({ name: '鹿児島市' }, { actor: 'bench' });
  const asm = await store.createAssessment(
    { orgId: org.id, title: '予防接種に関する事務' },
    { actor: 'bench' },
  );
  const v = await store.addVersion(asm.id, makeDoc(10_000, 1), { author: 'bench' });
  const body = 'この記載は実態と異なるため修正が必要です。'.repeat(10);
  await Promise.all(
    Array.from({ length: 450 }, () => store.addComment(v.id, { pointer: '/items/0', body, author: 'bench' })),
  );
  const indexPath = join(dir, 'store', 'pia.json');
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as JsonObject;
  const mb = (statSync(indexPath).size / 1e6).toFixed(2);

  // 1. A small change (a comment) to a store whose index file is ~1 MB.
  const plain = new JSONFile<JsonObject>(join(dir, 'plain.json'));
  const baseIndex = await time(RUNS, () => plain.write(index));
  const tComment = await time(RUNS, () =>
    store.addComment(v.id, { pointer: '/items/1', body: 'x', author: 'bench' }),
  );
  row(`addComment, ${mb} MB index (durable: 2 fsync)`, tComment, baseIndex);

  // 2. A new version holding a 1 MB document. Naive lowdb would keep it inline: index + document.
  const docs = Array.from({ length: RUNS }, (_, i) => makeDoc(1 << 20, 100 + i));
  const baseInline = await time(RUNS, (i) => plain.write({ ...index, doc: docs[i] }));
  const tVersion = await time(RUNS, (i) => store.addVersion(asm.id, docs[i], { author: 'bench' }));
  row('addVersion, 1 MB document (durable: blob + index, 4 fsync)', tVersion, baseInline);
  row(
    'latestVersion, 1 MB document (read, SHA-256 check, parse)',
    await time(RUNS, () => store.latestVersion(asm.id)),
  );

  // 3. What keeping documents out of the index buys once history accumulates: 50 versions × 300 KB.
  const history = Array.from({ length: 50 }, (_, i) => makeDoc(300_000, 1000 + i));
  await Promise.all(history.map((d) => store.addVersion(asm.id, d, { author: 'bench' })));
  const baseHistory = await time(9, () => plain.write({ ...index, docs: history }));
  const tCommentHistory = await time(RUNS, () =>
    store.addComment(v.id, { pointer: '/items/2', body: 'y', author: 'bench' }),
  );
  row('addComment with 50 × 300 KB versions stored (durable)', tCommentHistory, baseHistory);

  // 4. 100 writers at once share group commits.
  const small = Array.from({ length: 300 }, (_, i) => makeDoc(20_000, 5000 + i));
  let k = 0;
  const tSeq = await time(3, async () => {
    for (let i = 0; i < 100; i++) await store.addVersion(asm.id, small[k++ % 300], { author: 'bench' });
  });
  const tPar = await time(3, () =>
    Promise.all(
      Array.from({ length: 100 }, () => store.addVersion(asm.id, small[k++ % 300], { author: 'bench' })),
    ),
  );
  row('100 × addVersion (20 KB), one after another: total', tSeq);
  row('100 × addVersion (20 KB), concurrent (group commit): total', tPar, tSeq);
  await store.close();
  writeFileSync(join(dir, 'done'), '');
  for (const r of rows) console.log(r);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
