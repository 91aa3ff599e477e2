// bench/portfolio: a city's portfolio end to end — 30 評価書 generated from the samples (全項目-heavy, ≥ 1,200
// pages) validated, checked against their snapshots and rendered to PDF by runPortfolio (what
// `pia portfolio` does), against the sum of the bare baselines for the same work, in the same run
// (DESIGN §4):
//
//   - Ajv validate of the parsed documents (bare Ajv 2020 + ajv-formats, the same schema files; compiled
//     before timing, as ours has compiled its own before timing: both sides run warm);
//   - reading, JSON.parse and Ajv validation of the snapshot files;
//   - bare Chromium (puppeteer with its default flags, a new page per document, bench/lib/bare-renderer.ts)
//     rendering the very HTML ours renders, at the same concurrency (2), browser start included as ours
//     includes its own, PDFs written to disk.
//
// The baseline parses no YAML (the documents are handed to it parsed), finds no positions, writes no
// summary: everything ours does beyond that is charged to ours. Goal: ours ≤ 1.3× the baseline and ≤ 30 s.
// Each side runs `--rounds` times (default 2), interleaved ours/baseline, then baseline/ours; wall time
// and CPU time (this process + the browser's process group) are reported, medians and spread.
//
// Run: npx tsx bench/portfolio.ts [--rounds N]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { validateLoaded } from '../src/engine.ts';
import { loadText } from '../src/load/index.ts';
import { runPortfolio, formatPortfolioHtml, formatPortfolioMarkdown } from '../src/portfolio/index.ts';
import { bannerDiagnostics, documentTitle, renderAssessmentHtml } from '../src/render/index.ts';
import { findForm } from '../src/schema/index.ts';
import type { JsonObject } from '../src/types.ts';
import { createBareRenderer } from './lib/bare-renderer.ts';
import { median, runBatch } from './lib/measure.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const AS_OF = '2026-12-04';

// 21 × 全項目 住基 (43 pages) + 8 × 全項目 鹿児島市 (36) + 1 × 重点項目 防府市 (24) = 30 documents, 1,215 pages.
const MIX: [string, number][] = [
  ['kakuu-city-juki', 21],
  ['kagoshima-covid-vaccination', 8],
  ['hofu-covid-vaccination', 1],
];

function countPages(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type\s*\/Page(?![a-z])/g) ?? []
  ).length;
}

// ---- the portfolio on disk ------------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'pia-bench-portfolio-'));
const inputs = join(dir, 'assessments');
interface Doc {
  name: string;
  yaml: string;
  snapshotFile: string;
}
const docs: Doc[] = [];
for (const [sample, n] of MIX) {
  const yaml = readFileSync(join(ROOT, 'assessments', sample, 'assessment.yaml'), 'utf8');
  const live = parse(readFileSync(join(ROOT, 'assessments', sample, 'live.yaml'), 'utf8'));
  for (let i = 1; i <= n; i++) {
    const name = `${sample}-${String(i).padStart(2, '0')}`;
    mkdirSync(join(inputs, name), { recursive: true });
    writeFileSync(join(inputs, name, 'assessment.yaml'), yaml);
    // Snapshots come as JSON exports (the issue's baseline: JSON.parse + Ajv).
    const snapshotFile = join(inputs, name, 'live.json');
    writeFileSync(snapshotFile, JSON.stringify(live, null, 2));
    docs.push({ name, yaml, snapshotFile });
  }
}

// What the baseline is handed: the parsed documents and the HTML ours renders (banner included).
const parsed = docs.map((d) => parse(d.yaml) as JsonObject);
const htmlList = docs.map((d) => {
  const loaded = loadText(d.yaml, { source: d.name });
  const banner = bannerDiagnostics(validateLoaded(loaded).diagnostics);
  return renderAssessmentHtml(loaded.data as JsonObject, { diagnostics: banner });
});
const formKeys = parsed.map((doc) => {
  const f = findForm(doc);
  if (!f) throw new Error('unknown form');
  return f.key;
});

// The bare validators, compiled before timing: ours has compiled its schemas too (validateLoaded above),
// so both sides run warm and compile nothing in the timed region.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv, ['date']);
ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'defs.schema.json'), 'utf8')));
const validators = new Map<string, ValidateFunction>();
for (const key of new Set(formKeys))
  validators.set(
    key,
    ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', `${key}.schema.json`), 'utf8'))),
  );
const validateSnapshot = ajv.compile(
  JSON.parse(readFileSync(join(ROOT, 'schemas', 'live-snapshot.schema.json'), 'utf8')),
);

// ---- the two sides ----------------------------------------------------------------------------------------
interface Run {
  wall: number;
  cpu: number;
  pages?: number;
}

function ownCpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function ours(round: number): Promise<Run> {
  const out = join(dir, `ours-${round}`);
  const c0 = ownCpu();
  const t0 = performance.now();
  const result = await runPortfolio({
    paths: [inputs],
    cwd: dir,
    outDir: out,
    asOf: AS_OF,
  });
  writeFileSync(join(out, 'index.html'), formatPortfolioHtml(result));
  writeFileSync(join(out, 'index.md'), formatPortfolioMarkdown(result));
  const wall = performance.now() - t0;
  const browserCpu = childrenCpuMs() - childrenBefore;
  childrenBefore = childrenCpuMs();
  const bad = result.documents.filter((d) => d.status === 'エラー');
  if (bad.length)
    throw new Error(`portfolio errors: ${bad.map((d) => `${d.name}: ${d.errors[0]}`).join('; ')}`);
  let pages = 0;
  for (const d of result.documents) pages += countPages(readFileSync(join(out, d.pdf as string)));
  rmSync(out, { recursive: true, force: true });
  return { wall, cpu: ownCpu() - c0 + browserCpu, pages };
}

/**
 * CPU of reaped children of this process (the browser and its helpers, once closed), from /proc/self/stat
 * cutime + cstime: both sides close their browser inside the timed region, so its whole CPU lands here.
 */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / 100;
}
let childrenBefore = childrenCpuMs();

async function baseline(round: number): Promise<Run> {
  const out = join(dir, `bare-${round}`);
  mkdirSync(out, { recursive: true });
  const c0 = ownCpu();
  const t0 = performance.now();
  // Ajv validate of the parsed documents.
  for (let i = 0; i < parsed.length; i++) (validators.get(formKeys[i]) as ValidateFunction)(parsed[i]);
  // Reading, JSON.parse and Ajv of the snapshots.
  for (const d of docs) validateSnapshot(JSON.parse(readFileSync(d.snapshotFile, 'utf8')));
  // Bare Chromium, the same HTML, the same concurrency; browser start and close included.
  const bare = await createBareRenderer({ title: documentTitle(parsed[0]) });
  let k = 0;
  try {
    await runBatch(
      htmlList,
      async (html) => {
        const pdf = await bare.render(html);
        writeFileSync(join(out, `${k++}.pdf`), pdf);
      },
      2,
    );
  } finally {
    await bare.close();
  }
  const wall = performance.now() - t0;
  const browserCpu = childrenCpuMs() - childrenBefore;
  childrenBefore = childrenCpuMs();
  rmSync(out, { recursive: true, force: true });
  return { wall, cpu: ownCpu() - c0 + browserCpu };
}

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 2;
const runs: { ours: Run[]; bare: Run[] } = { ours: [], bare: [] };
try {
  console.log(
    `pia portfolio benchmark: ${docs.length} documents (${MIX.map(([s, n]) => `${n}× ${s}`).join(', ')}), ${rounds} rounds interleaved`,
  );
  for (let r = 0; r < rounds; r++) {
    const order: ('ours' | 'bare')[] = r % 2 ? ['bare', 'ours'] : ['ours', 'bare'];
    for (const side of order) {
      const run = side === 'ours' ? await ours(r) : await baseline(r);
      runs[side].push(run);
      console.log(
        `  round ${r + 1} ${side.padEnd(4)} ${(run.wall / 1000).toFixed(1).padStart(6)} s wall, ${(run.cpu / 1000).toFixed(1).padStart(6)} s CPU${run.pages ? `, ${run.pages} pages` : ''}`,
      );
    }
  }
  const m = (side: 'ours' | 'bare', k: 'wall' | 'cpu') => median(runs[side].map((x) => x[k]));
  const spread = (side: 'ours' | 'bare', k: 'wall' | 'cpu') => {
    const xs = runs[side].map((x) => x[k] / 1000);
    return `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} s`;
  };
  const ratios = runs.ours.map((o, i) => (o.wall / runs.bare[i].wall).toFixed(2)).join(', ');
  console.log(
    [
      `pages: ${runs.ours[0]?.pages ?? '?'} (goal ≥ 1,200)`,
      `ours (runPortfolio: validate, check, render, dates, summary)   median ${(m('ours', 'wall') / 1000).toFixed(1)} s wall (${spread('ours', 'wall')}), ${(m('ours', 'cpu') / 1000).toFixed(1)} s CPU (${spread('ours', 'cpu')})`,
      `baseline (bare Ajv + JSON.parse/Ajv + bare Chromium, conc. 2)  median ${(m('bare', 'wall') / 1000).toFixed(1)} s wall (${spread('bare', 'wall')}), ${(m('bare', 'cpu') / 1000).toFixed(1)} s CPU (${spread('bare', 'cpu')})`,
      `ratio ours / baseline: wall ${(m('ours', 'wall') / m('bare', 'wall')).toFixed(2)}× (per round: ${ratios}), CPU ${(m('ours', 'cpu') / m('bare', 'cpu')).toFixed(2)}×   (goal ≤ 1.3×, ours ≤ 30 s)`,
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
