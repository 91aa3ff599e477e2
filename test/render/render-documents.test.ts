// Real documents through the real renderer and Chromium; checked by extracting the PDF's text and fonts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createPdfRenderer, type PdfRenderer } from '../../src/pdf/index.ts';
import { buildDocumentView, documentTitle, renderAssessmentHtml, schemasForDocument } from '../../src/render/index.ts';
import { formatWareki } from '../../src/wareki.ts';
import type { JsonObject } from '../../src/types.ts';
import { pdfFonts, pdfInfo, pdfOutline } from '../pdf/pdf-tools.ts';
import { dropRunningHeads } from './page-text.ts';

const SAMPLES = [
  'assessments/kagoshima-covid-vaccination/assessment.yaml',
  'assessments/hofu-covid-vaccination/assessment.yaml',
  'assessments/kakuu-city-juki/assessment.yaml',
  'assessments/kakuu-city-kaigo/assessment.yaml',
  'assessments/kakuu-city-jidouteate/assessment.yaml',
];

/** Text in reading (content-stream) order, whitespace removed: cells wrap at arbitrary points. */
function pdfRawText(pdf: Uint8Array): string {
  const raw = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: Buffer.from(pdf), maxBuffer: 64 << 20 }).toString();
  return squash(dropRunningHeads(raw));
}
const squash = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

/** Every string of the document as the form prints it (dates in 和暦), with its pointer. */
function printedValues(doc: JsonObject): { pointer: string; text: string }[] {
  const out: { pointer: string; text: string }[] = [];
  const skip = /^\/(\$schema|form|formVersion|status|organization|nonPublic)(\/|$)|\/controls(\/|$)|\/attestation(\/|$)|\/system$/;
  const walk = (v: unknown, p: string) => {
    if (skip.test(p)) return;
    if (typeof v === 'string') {
      if (!v.trim()) return;
      out.push({ pointer: p, text: /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatWareki(v) : v });
    } else if (typeof v === 'number') out.push({ pointer: p, text: String(v) });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}/${i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${p}/${k}`);
  };
  walk(doc, '');
  return out;
}

let renderer: PdfRenderer;
beforeAll(() => {
  renderer = createPdfRenderer({ maxPages: 2 });
});
afterAll(async () => {
  await renderer.close();
});

describe.each(SAMPLES)('%s', (file) => {
  const doc = parse(readFileSync(file, 'utf8')) as JsonObject;
  let pdf: Uint8Array;
  let text: string;
  beforeAll(async () => {
    pdf = await renderer.renderPdf(renderAssessmentHtml(doc), { title: documentTitle(doc) });
    text = pdfRawText(pdf);
  });

  it('prints every non-empty value of the document', () => {
    const missing = printedValues(doc).filter((v) => !text.includes(squash(v.text)));
    expect(missing).toEqual([]);
  });

  it('prints every item label of the form, from the schema', () => {
    const view = buildDocumentView(doc, schemasForDocument(doc));
    const labels = new Set<string>();
    for (const s of view.sections) {
      labels.add(s.title);
      for (const t of s.tables) {
        if (t.caption) labels.add(t.caption);
        for (const r of t.rows) {
          labels.add(r.label);
          if (r.group) for (const g of r.group.split('\n')) labels.add(g);
        }
      }
    }
    for (const r of [...view.cover.head, ...view.cover.fields]) labels.add(r.label);
    const missing = [...labels].filter((l) => l && !text.includes(squash(l)));
    expect(missing).toEqual([]);
    expect(labels.size).toBeGreaterThan(30);
  });

  it('prints each 選択肢 list in official order after the chosen value', () => {
    const view = buildDocumentView(doc, schemasForDocument(doc));
    let checked = 0;
    for (const s of view.sections)
      for (const t of s.tables)
        for (const r of t.rows) {
          if (r.value.kind !== 'choice' || !r.value.value) continue;
          const seq = [`[${r.value.value}]`, '<選択肢>', ...r.value.options.map((o) => `${o.n})${o.label}`)].map(squash);
          let at = text.indexOf(squash(r.label));
          for (const part of seq) {
            const next = text.indexOf(part, at);
            expect(next, `${r.pointer}: ${part}`).toBeGreaterThanOrEqual(0);
            at = next + part.length;
          }
          checked++;
        }
    expect(checked).toBeGreaterThan(3);
  });

  it('embeds TrueType Japanese fonts, no Type 3 for ordinary text', () => {
    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f.embedded, f.name).toBe(true);
    expect(fonts.filter((f) => /BIZUD/.test(f.name)).length).toBeGreaterThan(0);
    expect(fonts.filter((f) => /Type 3/.test(f.type))).toEqual([]);
  });

  it('has the 評価書名 as title, A4 pages and one bookmark per section', () => {
    const info = pdfInfo(pdf);
    expect(info.Title).toBe(documentTitle(doc));
    expect(info['Page size']).toMatch(/595\.\d+ x 841\.\d+/);
    const outline = pdfOutline(pdf).map((o) => o.title);
    const view = buildDocumentView(doc, schemasForDocument(doc));
    for (const s of view.sections) expect(outline.some((t) => t.startsWith(s.title)), s.title).toBe(true);
  });
});

describe('和暦 and the 変更箇所 table', () => {
  it('prints 公表日 and every change row date in 和暦 (防府市: 令和4年7月7日)', async () => {
    const doc = parse(readFileSync(SAMPLES[1], 'utf8')) as JsonObject;
    const text = pdfRawText(await renderer.renderPdf(renderAssessmentHtml(doc), { title: 't' }));
    expect(text).toContain(squash('公表日令和4年7月7日'));
    expect(text).toContain(squash('変更日 項目 変更前の記載 変更後の記載 提出時期 提出時期に係る説明'));
    expect(text.split('令和4年7月7日').length - 1).toBeGreaterThanOrEqual(13);
    expect(text).not.toContain('2022-07-07');
  });
});

describe('公表用 (public) edition', () => {
  it('prints 非公表 instead of items listed in nonPublic, and the full text internally', async () => {
    const doc = parse(readFileSync(SAMPLES[2], 'utf8')) as JsonObject;
    const secret = 'サーバ室は庁舎地下2階B-07室にあり入室には静脈認証を要する';
    const d = structuredClone(doc) as any;
    d.files[0].storage.location = secret;
    d.nonPublic = [{ path: '/files/0/storage/location', reason: 'セキュリティ上のリスクがあるため' }];
    const pub = pdfRawText(await renderer.renderPdf(renderAssessmentHtml(d, { public: true }), { title: 't', public: true }));
    const internal = pdfRawText(await renderer.renderPdf(renderAssessmentHtml(d), { title: 't', public: false }));
    expect(pub).not.toContain(squash(secret));
    expect(pub).toContain(squash('非公表(セキュリティ上のリスクがあるため)'));
    expect(pub).toContain('公表用');
    expect(internal).toContain(squash(secret));
  });
});

describe('hostile document text', () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('prints HTML, Handlebars and CSS literally and reaches nothing', async () => {
    const doc = parse(readFileSync(SAMPLES[4], 'utf8')) as any;
    const hostile = [
      `<script>fetch('http://127.0.0.1:${port}/s')</script>`,
      `<img src="http://127.0.0.1:${port}/i.png">`,
      `<link rel="prefetch" href="http://127.0.0.1:${port}/p">`,
      `<link rel=stylesheet href=//localhost:${port}/c.css>`,
      `{{constructor.constructor 'return process'}} {{{cover.name}}} {{> cover}}`,
      `</td></tr></table><style>body{display:none;background:url(http://127.0.0.1:${port}/b)}</style>`,
      `<iframe src="file:///etc/passwd"></iframe>`,
    ];
    doc.cover.name = hostile[0];
    doc.cover.declaration = hostile.join('\n');
    doc.related.jimu.summary = hostile[4];
    doc.related.fileNames = [hostile[5], hostile[1]];
    const html = renderAssessmentHtml(doc);
    expect(html).not.toMatch(/<script>fetch/);
    expect(html).not.toMatch(/<img src="http/);
    const text = pdfRawText(await renderer.renderPdf(html, { title: doc.cover.name }));
    for (const h of hostile) expect(text, h).toContain(squash(h));
    await new Promise((r) => setTimeout(r, 300));
    expect(connections).toBe(0);
  });
});
