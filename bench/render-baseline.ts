// PDF rendering cost of src/pdf against bare puppeteer, measured in the same run.
//
//   npx tsx bench/render-baseline.ts [--pages 30] [--docs 20] [--runs 9] [--repeats 5] [--concurrency 2]
//
// Prints the warm latency (one document at a time, browser already running) and the batch throughput
// (N documents, `concurrency` at a time) of:
//   ours               createPdfRenderer (sealed network, interception, JS off, pooled reusable pages)
//   bare               plain puppeteer, new page per document (the baseline)
//   bare-reused-page   plain puppeteer reusing one page per slot (for reference)
// and the ratios ours / bare. The harness (measureRender, compareRenderers, formatComparison) is
// re-exported for bench/render.ts, which measures the real templates.
import { loadavg, cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createPdfRenderer } from '../src/pdf/index.ts';
import { createBareRenderer } from './lib/bare-renderer.ts';
import { compareRenderers, formatComparison } from './lib/measure.ts';
import { generateSampleHtml } from './lib/sample-html.ts';

export {
  compareRenderers,
  processGroupCpuMs,
  formatComparison,
  measureRender,
  median,
  runBatch,
  type BatchResult,
  type MeasureOptions,
  type RenderFn,
  type RenderMeasurement,
  type RendererUnderTest,
  type WarmResult,
} from './lib/measure.ts';
export { createBareRenderer, type BareRenderer } from './lib/bare-renderer.ts';
export { generateSampleHtml } from './lib/sample-html.ts';

export interface BaselineOptions {
  pages?: number;
  docs?: number;
  runs?: number;
  repeats?: number;
  concurrency?: number;
  /** Documents to measure; default: `docs` generated documents of `pages` pages. */
  htmlList?: string[];
  title?: string;
}

/** Measures ours vs bare on the given (or generated) documents and returns the printable report. */
export async function runRenderBaseline(o: BaselineOptions = {}): Promise<string> {
  const { pages = 30, docs = 20, runs = 9, repeats = 5, concurrency = 2 } = o;
  const title = o.title ?? '〇〇市 予防接種に関する事務 全項目評価書';
  const htmlList =
    o.htmlList ?? Array.from({ length: docs }, (_, i) => generateSampleHtml(pages, `${title}（${i + 1}）`));
  const print = { title };

  const loadBefore = loadavg()[0];
  const ours = createPdfRenderer({ maxPages: concurrency });
  const bare = await createBareRenderer(print);
  try {
    const results = await compareRenderers(
      htmlList,
      {
        ours: { render: (html) => ours.renderPdf(html, print), browserPgid: () => ours.stats().browserPid },
        bare: { render: (html) => bare.render(html), browserPgid: bare.pid },
        'bare-reused-page': { render: (html) => bare.renderReusingPage(html), browserPgid: bare.pid },
      },
      { runs, repeats, concurrency },
    );
    const sizeKb = Math.round(htmlList.reduce((n, h) => n + h.length, 0) / htmlList.length / 1024);
    const pagesOut = (await ours.renderPdf(htmlList[0], print)).byteLength;
    return [
      `documents: ${htmlList.length} × ~${sizeKb} KB HTML (${pages}-page sample unless given), PDF ${Math.round(pagesOut / 1024)} KB; ` +
        `warm: ${runs} runs; batch: ${repeats} repeats at concurrency ${concurrency}`,
      `load average (1 min) before / after: ${loadBefore.toFixed(2)} / ${loadavg()[0].toFixed(2)} on ${cpus().length} cores ` +
        '(other processes share the machine: compare within this run only)',
      '',
      formatComparison(results, 'ours', 'bare'),
    ].join('\n');
  } finally {
    await Promise.allSettled([ours.close(), bare.close()]);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string' },
      docs: { type: 'string' },
      runs: { type: 'string' },
      repeats: { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  console.log(
    await runRenderBaseline({
      pages: num(values.pages),
      docs: num(values.docs),
      runs: num(values.runs),
      repeats: num(values.repeats),
      concurrency: num(values.concurrency),
    }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
