// bench/render: the product's render path (document → HTML → PDF through src/render + src/pdf) against bare
// puppeteer (page.setContent + page.pdf of the same HTML, a plain browser, a new page per document), in the
// same run. (1) warm median of the 全項目 seed (鹿児島市), also as pages per second; (2) a batch of 20
// documents (the 5 samples × 4) at concurrency 2. Run: npx tsx bench/render.ts [--quick]
// (--quick: fewer runs, for a busy machine; the ratio is still measured in one run).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createPdfRenderer } from '../src/pdf/index.ts';
import { documentTitle, renderAssessmentHtml } from '../src/render/index.ts';
import type { JsonObject } from '../src/types.ts';

/** Page objects in a PDF (Chromium writes each page as an uncompressed /Type /Page dictionary). */
function countPages(pdf: Uint8Array): number {
  return (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}
import { compareRenderers, createBareRenderer, formatComparison } from './render-baseline.ts';

const SAMPLES = [
  'assessments/kagoshima-covid-vaccination/assessment.yaml',
  'assessments/hofu-covid-vaccination/assessment.yaml',
  'assessments/kakuu-city-juki/assessment.yaml',
  'assessments/kakuu-city-kaigo/assessment.yaml',
  'assessments/kakuu-city-jidouteate/assessment.yaml',
];

const docs = SAMPLES.map((f) => parse(readFileSync(f, 'utf8')) as JsonObject);
const batchDocs = Array.from({ length: 20 }, (_, i) => docs[i % docs.length]);
// The baseline gets exactly the HTML ours produces; ours rebuilds it from the document every time.
const htmlOf = new Map<string, JsonObject>();
const htmlList = batchDocs.map((d, i) => {
  const html = renderAssessmentHtml(d).replace('</title>', `<!-- ${i} --></title>`);
  htmlOf.set(html, d);
  return html;
});
const print = { title: documentTitle(docs[0]) };

const t0 = performance.now();
for (let i = 0; i < 50; i++) renderAssessmentHtml(docs[0]);
const htmlMs = (performance.now() - t0) / 50;

const quick = process.argv.includes('--quick');
const ours = createPdfRenderer({ maxPages: 2 });
const bare = await createBareRenderer(print);
try {
  const results = await compareRenderers(
    htmlList,
    {
      ours: {
        render: (html: string) => ours.renderPdf(renderAssessmentHtml(htmlOf.get(html)!), { title: documentTitle(htmlOf.get(html)!) }),
        browserPgid: () => ours.stats().browserPid,
      },
      bare: { render: (html: string) => bare.render(html), browserPgid: bare.pid },
    },
    quick ? { runs: 5, repeats: 1, concurrency: 2 } : { runs: 9, repeats: 3, concurrency: 2 },
  );
  // Pages per second of the 全項目 seed: both print the same HTML, so the same number of pages.
  const seedPdf = await ours.renderPdf(renderAssessmentHtml(docs[0]), print);
  const pages = countPages(seedPdf);
  const pps = (ms: number) => (pages / (ms / 1000)).toFixed(2);
  const o = results.ours.warm;
  const b = results.bare.warm;
  console.log(
    `全項目 seed: ${pages} pages; pages/s ours ${pps(o.medianMs)} (fastest ${pps(o.minMs)}), bare ${pps(b.medianMs)} (fastest ${pps(b.minMs)}); ` +
      `bare pages/s ÷ ours pages/s = ${(o.medianMs / b.medianMs).toFixed(2)}× median, ${(o.minMs / b.minMs).toFixed(2)}× fastest (goal ≤ 1.15×)`,
  );
  console.log(`全項目 seed HTML: ${(htmlList[0].length / 1024).toFixed(0)} KB, Handlebars render ${htmlMs.toFixed(1)} ms (included in "ours")`);
  console.log(formatComparison(results, 'ours', 'bare'));
} finally {
  await Promise.allSettled([ours.close(), bare.close()]);
}
