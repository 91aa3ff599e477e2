// Store write latency. Run: `node --import tsx bench/store.ts` (temp dir under the OS temp directory).
// Medians of repeated runs in this process. Each durable operation is compared with lowdb's stock JSONFile
// (steno: fixed temp name + rename, no fsync) writing the same data the naive way — one JSON file holding
// everything, rewritten on every change — measured in the same run. fsync is measured on its own so its
// share is visible. The point of the journal: a commit's cost must not grow with the history (check runs,
// audit entries, comments), while the naive file's grows with every record.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JSONFile } from 'lowdb/node';
import { openStore, type Store } from '../src/store/index.ts';
import type { Diagnostic, JsonObject } from '../src/types.ts';

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

/** What a CI check typically reports: a few findings (the same each run, so the file is written once). */
const findings: Diagnostic[] = Array.from({ length: 5 }, (_, i) => ({
  code: 'check/users-out-of-band',
  severity: 'warning',
  message: `取扱者数が評価書の区分を超えています (${i})`,
  path: `/files/${i}/handlers`,
  source: '住民基本台帳に関する事務 第1版',
  consequence: '重要な変更',
}));

const fmt = (x: number) => `${x.toFixed(2)} ms`.padStart(10);
const dir = mkdtempSync(join(tmpdir(), 'pia-bench-'));
const rows: string[] = [];
const row = (name: string, t: number, base?: number) =>
  rows.push(
    `${name.padEnd(66)}${fmt(t)}${base ? `   ${(t / base).toFixed(2)}× naive lowdb (${fmt(base).trim()})` : ''}`,
  );

async function addRuns(store: Store, versionId: string, n: number): Promise<void> {
  // 50 at a time, as 50 CI jobs would: group commits.
  for (let done = 0; done < n; done += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - done) }, () =>
        store.addCheckRun(versionId, { diagnostics: findings, actor: 'user:ci', meta: { job: done } }),
      ),
    );
  }
}

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

  const path = join(dir, 'store', 'pia.json');
  const store = await openStore(path);
  const org = await store.createOrganisation({ name: '鹿児島市' }, { actor: 'bench' });
  const asm = await store.createAssessment(
    { orgId: org.id, title: '予防接種に関する事務' },
    { actor: 'bench' },
  );
  const v = await store.addVersion(asm.id, makeDoc(10_000, 1), { author: 'bench' });
  const plain = new JSONFile<JsonObject>(join(dir, 'plain.json'));

  // 1. One check run as the history grows. The naive file holds every check run and audit entry so far.
  const history: JsonObject[] = [];
  let recorded = 0;
  for (const target of [0, 1_000, 10_000]) {
    await addRuns(store, v.id, target - recorded);
    recorded = target;
    while (history.length < 2 * target)
      history.push(JSON.parse(JSON.stringify({ ...findings[0], n: history.length })));
    const tRun = await time(RUNS, () => store.addCheckRun(v.id, { diagnostics: findings, actor: 'user:ci' }));
    recorded += RUNS;
    const tNaive = await time(9, () => plain.write({ records: history }));
    row(`addCheckRun after ${target.toLocaleString('en')} check runs (durable: 1 fdatasync)`, tRun, tNaive);
  }
  const indexBytes = statSync(path).size;
  const journalBytes = statSync(`${path}.journal.jsonl`).size;

  // 2. A comment with 450 comments stored.
  const body = 'この記載は実態と異なるため修正が必要です。'.repeat(10);
  await Promise.all(
    Array.from({ length: 450 }, () => store.addComment(v.id, { pointer: '/items/0', body, author: 'bench' })),
  );
  const comments = JSON.parse(JSON.stringify(await store.listComments(v.id))) as JsonObject[];
  const tComment = await time(RUNS, () =>
    store.addComment(v.id, { pointer: '/items/1', body: 'x', author: 'bench' }),
  );
  row(
    'addComment with 450 comments stored (durable)',
    tComment,
    await time(9, () => plain.write({ comments })),
  );

  // 3. A new version holding a 1 MB document. Naive lowdb would keep it inline: index + document.
  const docs = Array.from({ length: RUNS }, (_, i) => makeDoc(1 << 20, 100 + i));
  const baseInline = await time(RUNS, (i) => plain.write({ comments, doc: docs[i] }));
  const tVersion = await time(RUNS, (i) => store.addVersion(asm.id, docs[i], { author: 'bench' }));
  row('addVersion, 1 MB document (durable: blob + journal)', tVersion, baseInline);
  row(
    'latestVersion, 1 MB document (read, SHA-256 check, parse)',
    await time(RUNS, () => store.latestVersion(asm.id)),
  );

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
  rows.push(
    `${'100 × addVersion (20 KB), concurrent (group commit): total'.padEnd(66)}${fmt(tPar)}   ${(tPar / tSeq).toFixed(2)}× one after another`,
  );
  await store.close();

  // 5. What the journal costs instead: reading it back on open.
  const t0 = performance.now();
  const again = await openStore(path);
  const tOpen = performance.now() - t0;
  const runs = (await again.listCheckRuns(v.id)).length;
  await again.close();
  const lines = readFileSync(`${path}.journal.jsonl`, 'utf8').split('\n').length - 1;
  row(
    `openStore: replay of a ${(statSync(`${path}.journal.jsonl`).size / 1e6).toFixed(1)} MB journal (${lines.toLocaleString('en')} lines)`,
    tOpen,
  );
  for (const r of rows) console.log(r);
  console.log(
    `(after ${runs.toLocaleString('en')} check runs the index was ${(indexBytes / 1024).toFixed(1)} KB and the journal ${(journalBytes / 1e6).toFixed(1)} MB)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
