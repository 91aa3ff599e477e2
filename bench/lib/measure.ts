// Timing harness for HTML → PDF renderers. Numbers are only compared within one run (ratios against a
// baseline measured in the same process), never against fixed thresholds.
import { performance } from 'node:perf_hooks';

export type RenderFn = (html: string) => Promise<unknown>;

export interface WarmResult {
  /** One sequential render each, after the warm-up renders. */
  samplesMs: number[];
  medianMs: number;
  /** The fastest sample: on a busy machine closer to the renderer's own cost than the median. */
  minMs: number;
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

async function timeOne(fn: RenderFn, html: string): Promise<number> {
  const t0 = performance.now();
  await fn(html);
  return performance.now() - t0;
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

function batchResult(runsMs: number[], documents: number, concurrency: number): BatchResult {
  const medianMs = median(runsMs);
  return {
    runsMs,
    medianMs,
    minMs: Math.min(...runsMs),
    documents,
    concurrency,
    docsPerSecond: documents / (medianMs / 1000),
  };
}

/**
 * Warm latency (sequential renders of htmlList[0]) and batch throughput (all of htmlList at the given
 * concurrency) of one renderer.
 */
export async function measureRender(
  htmlList: readonly string[],
  renderFn: RenderFn,
  opts: MeasureOptions = {},
): Promise<RenderMeasurement> {
  const results = await compareRenderers(htmlList, { only: renderFn }, opts);
  return results.only;
}

/**
 * measureRender for several renderers at once, interleaved (A B A B …) so that drift of the machine
 * (thermal, other processes) hits all of them alike. Returns one measurement per name.
 */
export async function compareRenderers<K extends string>(
  htmlList: readonly string[],
  renderers: Record<K, RenderFn>,
  opts: MeasureOptions = {},
): Promise<Record<K, RenderMeasurement>> {
  if (htmlList.length === 0) throw new Error('compareRenderers: no documents');
  const { warmup = 2, runs = 9, concurrency = 2, repeats = 3 } = opts;
  const names = Object.keys(renderers) as K[];
  const warm = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  const batch = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;

  for (let i = 0; i < warmup; i++) for (const n of names) await renderers[n](htmlList[0]);
  for (let i = 0; i < runs; i++) {
    // Alternate the order too, so that neither always runs right after the other.
    const order = i % 2 ? [...names].reverse() : names;
    for (const n of order) warm[n].push(await timeOne(renderers[n], htmlList[0]));
  }
  for (let i = 0; i < repeats; i++) {
    const order = i % 2 ? [...names].reverse() : names;
    for (const n of order) batch[n].push(await runBatch(htmlList, renderers[n], concurrency));
  }

  return Object.fromEntries(
    names.map((n) => [
      n,
      {
        warm: { samplesMs: warm[n], medianMs: median(warm[n]), minMs: Math.min(...warm[n]) },
        batch: batchResult(batch[n], htmlList.length, concurrency),
      },
    ]),
  ) as Record<K, RenderMeasurement>;
}

/** A small text table: one line per renderer, plus ratios of `subject` against `baseline`. */
export function formatComparison(
  results: Record<string, RenderMeasurement>,
  subject: string,
  baseline: string,
): string {
  const lines: string[] = [];
  const width = Math.max(...Object.keys(results).map((k) => k.length), 8);
  const ms = (v: number, w: number) => `${v.toFixed(0).padStart(w)} ms`;
  lines.push(`${'renderer'.padEnd(width)}  warm median (min)     batch median (min)      throughput`);
  for (const [name, r] of Object.entries(results)) {
    lines.push(
      `${name.padEnd(width)}  ${ms(r.warm.medianMs, 6)} (${ms(r.warm.minMs, 5)})  ${ms(r.batch.medianMs, 7)} (${ms(r.batch.minMs, 6)})  ` +
        `${r.batch.docsPerSecond.toFixed(2).padStart(6)} docs/s  (${r.batch.documents} docs, ${r.batch.concurrency} at a time)`,
    );
  }
  const s = results[subject];
  const b = results[baseline];
  if (s && b) {
    const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
    lines.push('');
    lines.push(
      `warm:  ${subject} / ${baseline} = ${(s.warm.medianMs / b.warm.medianMs).toFixed(2)}× (medians; ` +
        `${(s.warm.minMs / b.warm.minMs).toFixed(2)}× on the fastest runs)`,
    );
    lines.push(
      `batch: ${subject} throughput / ${baseline} throughput = ${pct(s.batch.docsPerSecond / b.batch.docsPerSecond)} (medians; ` +
        `${pct(b.batch.minMs / s.batch.minMs)} on the fastest runs)`,
    );
  }
  return lines.join('\n');
}
