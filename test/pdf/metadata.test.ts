// /Creator and /Producer name this product (package.json), not Chromium's user agent; the rewrite keeps
// the file's cross-reference table valid.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPdfRenderer, productName, setPdfDates, setPdfProducer, type PdfRenderer } from '../../src/pdf/index.ts';
import { japaneseDocument, THREE_PAGE_BODY } from './fixtures/html.ts';
import { pdfInfo, pdfOutline, pdfText } from './pdf-tools.ts';

/** Every in-use entry of the (single) xref table points at `N 0 obj`; startxref points at `xref`. */
function xrefProblems(pdf: Uint8Array): string[] {
  const s = Buffer.from(pdf).toString('latin1');
  const at = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(s)?.[1] ?? -1);
  if (s.slice(at, at + 4) !== 'xref') return [`startxref ${at} does not point at xref`];
  const head = /^xref\r?\n0 (\d+)\r?\n/.exec(s.slice(at))!;
  const base = at + head[0].length;
  const bad: string[] = [];
  for (let n = 0; n < Number(head[1]); n++) {
    const e = s.slice(base + n * 20, base + n * 20 + 20);
    if (e[17] !== 'n') continue;
    const off = Number(e.slice(0, 10));
    if (!s.startsWith(`${n} 0 obj`, off)) bad.push(`object ${n} at ${off}`);
  }
  return bad;
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string };
let renderer: PdfRenderer;
let pdf: Uint8Array;

beforeAll(async () => {
  renderer = createPdfRenderer({ maxPages: 1 });
  pdf = await renderer.renderPdf(japaneseDocument({ title: '防府市 (テスト) 評価書', body: THREE_PAGE_BODY }), { title: 't' });
});
afterAll(async () => {
  await renderer?.close();
});

describe('PDF document information', () => {
  it('names the product and version as Creator and Producer', () => {
    expect(productName()).toBe(`${pkg.name} ${pkg.version}`);
    const info = pdfInfo(pdf);
    expect(info.Creator).toBe(productName());
    expect(info.Producer).toBe(productName());
    expect(info.Title).toBe('防府市 (テスト) 評価書');
    expect(Buffer.from(pdf).toString('latin1')).not.toMatch(/HeadlessChrome|Mozilla\//);
  });

  it('keeps every object reachable: xref offsets, text, outline and fixed dates still work', () => {
    expect(xrefProblems(pdf)).toEqual([]);
    expect(pdfText(pdf)).toContain('住民基本台帳に関する事務');
    expect(pdfOutline(pdf).length).toBeGreaterThan(0);
    const dated = setPdfDates(pdf, new Date('2022-07-07T00:00:00Z'));
    expect(pdfInfo(dated).CreationDate).toMatch(/2022/);
    expect(xrefProblems(dated)).toEqual([]);
  });

  it('escapes names with parentheses, and leaves a PDF it does not understand unchanged', () => {
    const renamed = setPdfProducer(pdf, 'pia (試験) 9.9');
    expect(pdfInfo(renamed).Creator).toBe('pia (試験) 9.9');
    expect(xrefProblems(renamed)).toEqual([]);
    const odd = new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', 'latin1'));
    expect(setPdfProducer(odd, 'x')).toBe(odd);
  });
});
