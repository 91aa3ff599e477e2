// Timing harness for HTML → PDF renderers. Numbers are only compared within one run (ratios against a
// baseline measured in the same process), never against fixed thresholds.
//
// Wall time on a shared 2-core machine swings with whatever else runs, so besides medians the harness
// reports the fastest run and, when the renderer says where its browser runs, CPU time per document
// (browser process group + this Node process), which other load hardly affects.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export type RenderFn = (html: string) => Promise<unknown>;

export interface RendererUnderTest {
  render: RenderFn;
  /** Process-group id of the browser (puppeteer starts it as group leader); enables CPU accounting. */
  browserPgid?: () => number | undefined;
}

export interface WarmResult {
  /** One sequential render each, after the warm-up renders. */
  samplesMs: number[];
  medianMs: number;
  /** The fastest sample: on a busy machine closer to the renderer's own cost than the median. */
  minMs: number;
  /** CPU time per document (browser + Node), median over the samples; undefined without browserPgid. */
  cpuMsPerDoc?: number;
}

export interface BatchResult {
  /** Wall time of each repetition of the whole batch. */
  runsMs: number[];
  medianMs: number;
  minMs: number;
  documents: number;
  concurrency: number;
  /** documents / second at the median run. */
  docsPerSecond: number;
  /** CPU time per document (browser + Node), median over the repetitions. */
  cpuMsPerDoc?: number;
}

export interface RenderMeasurement {
  warm: WarmResult;
  batch: BatchResult;
}

export interface MeasureOptions {
  /** Renders before timing starts (browser start, first-use costs). Default 2. */
  warmup?: number;
  /** Timed sequential renders of the first document. Default 9. */
  runs?: number;
  /** Renders in flight during the batch. Default 2. */
  concurrency?: number;
  /** Repetitions of the whole batch. Default 3. */
  repeats?: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU milliseconds used so far by a process group, from /proc (user + system, plus children already
 * reaped). Renderer processes that exited and were reaped by their zygote count through its cutime.
 * Undefined where /proc is not available.
 */
export function processGroupCpuMs(pgid: number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    // utime stime cutime cstime …
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) !== pgid) continue;
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

function cpuNow(r: RendererUnderTest): number | undefined {
  const pgid = r.browserPgid?.();
  if (!pgid) return undefined;
  const browser = processGroupCpuMs(pgid);
  if (browser === undefined) return undefined;
  const own = process.cpuUsage();
  return browser + (own.user + own.system) / 1000;
}

interface Sample {
  wallMs: number;
  cpuMs: number | undefined;
}

async function sample(r: RendererUnderTest, work: () => Promise<unknown>): Promise<Sample> {
  const cpu0 = cpuNow(r);
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  const cpu1 = cpuNow(r);
  return { wallMs, cpuMs: cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0 };
}

/** Renders every document with at most `concurrency` in flight; returns the wall time. */
export async function runBatch(
  htmlList: readonly string[],
  fn: RenderFn,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < htmlList.length) {
      const html = htmlList[next++];
      await fn(html);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return performance.now() - t0;
}

function cpuPerDoc(samples: Sample[], docs: number): number | undefined {
  const cpu = samples.map((s) => s.cpuMs);
  if (cpu.some((c) => c === undefined)) return undefined;
  return median(cpu as number[]) / docs;
}

/**
 * Warm latency (sequential renders of htmlList[0]) and batch throughput (all of htmlList at the given
 * concurrency) of one renderer.
 */
export async function measureRender(
  htmlList: readonly string[],
  renderer: RenderFn | RendererUnderTest,
  opts: MeasureOptions = {},
): Promise<RenderMeasurement> {
  const results = await compareRenderers(htmlList, { only: renderer }, opts);
  return results.only;
}

/**
 * measureRender for several renderers at once, interleaved (A B A B …, order alternating) so that drift
 * of the machine hits all of them alike. Returns one measurement per name.
 */
export async function compareRenderers<K extends string>(
  htmlList: readonly string[],
  renderers: Record<K, RenderFn | RendererUnderTest>,
  opts: MeasureOptions = {},
): Promise<Record<K, RenderMeasurement>> {
  if (htmlList.length === 0) throw new Error('compareRenderers: no documents');
  const { warmup = 2, runs = 9, concurrency = 2, repeats = 3 } = opts;
  const names = Object.keys(renderers) as K[];
  const under = Object.fromEntries(
    names.map((n) => {
      const r = renderers[n];
      return [n, typeof r === 'function' ? { render: r } : r];
    }),
  ) as Record<K, RendererUnderTest>;
  const warm = Object.fromEntries(names.map((n) => [n, [] as Sample[]])) as Record<K, Sample[]>;
  const batch = Object.fromEntries(names.map((n) => [n, [] as Sample[]])) as Record<K, Sample[]>;

  for (let i = 0; i < warmup; i++) for (const n of names) await under[n].render(htmlList[0]);
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? [...names].reverse() : names;
    for (const n of order) warm[n].push(await sample(under[n], () => under[n].render(htmlList[0])));
  }
  for (let i = 0; i < repeats; i++) {
    const order = i % 2 ? [...names].reverse() : names;
    for (const n of order) {
      batch[n].push(await sample(under[n], () => runBatch(htmlList, under[n].render, concurrency)));
    }
  }

  const result = {} as Record<K, RenderMeasurement>;
  for (const n of names) {
    const warmMs = warm[n].map((s) => s.wallMs);
    const batchMs = batch[n].map((s) => s.wallMs);
    const batchMedian = median(batchMs);
    result[n] = {
      warm: {
        samplesMs: warmMs,
        medianMs: median(warmMs),
        minMs: Math.min(...warmMs),
        cpuMsPerDoc: cpuPerDoc(warm[n], 1),
      },
      batch: {
        runsMs: batchMs,
        medianMs: batchMedian,
        minMs: Math.min(...batchMs),
        documents: htmlList.length,
        concurrency,
        docsPerSecond: htmlList.length / (batchMedian / 1000),
        cpuMsPerDoc: cpuPerDoc(batch[n], htmlList.length),
      },
    };
  }
  return result;
}

/** A small text table: one line per renderer, plus ratios of `subject` against `baseline`. */
export function formatComparison(
  results: Record<string, RenderMeasurement>,
  subject: string,
  baseline: string,
): string {
  const lines: string[] = [];
  const width = Math.max(...Object.keys(results).map((k) => k.length), 8);
  const ms = (v: number | undefined, w: number) =>
    v === undefined ? '–'.padStart(w + 3) : `${v.toFixed(0).padStart(w)} ms`;
  lines.push(
    `${'renderer'.padEnd(width)}  warm: median (fastest)  cpu/doc   batch: median (fastest)  cpu/doc   throughput`,
  );
  for (const [name, r] of Object.entries(results)) {
    lines.push(
      `${name.padEnd(width)}  ${ms(r.warm.medianMs, 8)} (${ms(r.warm.minMs, 5)})  ${ms(r.warm.cpuMsPerDoc, 5)}  ` +
        `${ms(r.batch.medianMs, 9)} (${ms(r.batch.minMs, 6)})  ${ms(r.batch.cpuMsPerDoc, 5)}  ` +
        `${r.batch.docsPerSecond.toFixed(2).padStart(5)} docs/s`,
    );
  }
  const s = results[subject];
  const b = results[baseline];
  if (s && b) {
    const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
    const cpuRatio = (x?: number, y?: number) => (x && y ? `${(x / y).toFixed(2)}×` : 'n/a');
    lines.push('');
    lines.push(
      `warm:  ${subject} / ${baseline} = ${(s.warm.medianMs / b.warm.medianMs).toFixed(2)}× median, ` +
        `${(s.warm.minMs / b.warm.minMs).toFixed(2)}× fastest, ${cpuRatio(s.warm.cpuMsPerDoc, b.warm.cpuMsPerDoc)} CPU per document`,
    );
    lines.push(
      `batch: ${subject} throughput / ${baseline} throughput = ${pct(s.batch.docsPerSecond / b.batch.docsPerSecond)} median, ` +
        `${pct(b.batch.minMs / s.batch.minMs)} fastest; CPU per document ${cpuRatio(s.batch.cpuMsPerDoc, b.batch.cpuMsPerDoc)}`,
    );
  }
  return lines.join('\n');
}
