// The PDF as the form prints it (issue 16): `pia render` of each seed encoding, read back with pdftotext,
// against the seed's own text (../shared/seeds) — the label sequence, the ※ marks, the cover order, the
// 項目一覧 — and, for every sample, nothing of JSON and nothing that is not on the form.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createPdfRenderer, type PdfRenderer } from '../../src/pdf/index.ts';
import { buildDocumentView, documentTitle, renderAssessmentHtml, schemasForDocument } from '../../src/render/index.ts';
import type { JsonObject } from '../../src/types.ts';
import { dropRunningHeads } from './page-text.ts';
import { matchInOrder, seedLabelMarks, seedLabels, squash } from './seed-labels.ts';
import { SEEDS_DIR } from '../helpers/seeds.ts';

const run = promisify(execFile);
const SEEDS = SEEDS_DIR;

interface SeedCase {
  file: string;
  seed: string;
  /** Labels the seed text carries, computed by seedLabels() (pinned so a change of the rule shows). */
  labels: number;
  /** Labels allowed to be missed: the seed's own OCR damage, listed in the encoding's README. */
  allowedMisses: string[];
  /** ※ printed on labels in the seed (seedLabelMarks), pinned. */
  seedMarks: number;
  /**
   * ※ the form prints on items the seed lost (pages missing from the source PDF) but the encoding and
   * so our render carry, each with where the form prints it.
   */
  lostMarks: string[];
}

const CASES: SeedCase[] = [
  {
    file: 'assessments/kagoshima-covid-vaccination/assessment.yaml',
    seed: '000_6f886305d7562347.txt',
    labels: 295,
    allowedMisses: ['リスク3: 入手した特定個人情報ที่ไม่正確であるリスク', 'リスク4: 入手の際に特定個人情報漏えい・紛失するリスク'],
    seedMarks: 22,
    lostMarks: [
      'Ⅰ1 ②事務の内容 ※ (Ⅰ1 missing from the seed)',
      'Ⅱ4 委託の有無 ※ (Ⅱ4 header missing)',
      '委託事項1 対象となる本人の範囲 ※ (委託事項1 missing)',
      '委託事項1 ⑦再委託の有無 ※ (委託事項1 missing)',
      '委託事項2 対象となる本人の範囲 ※ (委託事項2 ①–④ missing)',
    ],
  },
  {
    file: 'assessments/hofu-covid-vaccination/assessment.yaml',
    seed: '001_b933322c4e90ebb5.txt',
    labels: 160,
    allowedMisses: [],
    seedMarks: 11,
    lostMarks: ['Ⅱ6 保管場所 ※ (Ⅱ6 missing from the seed; ※ per its 変更箇所 row)'],
  },
];

const ALL_SAMPLES = [
  ...CASES.map((c) => c.file),
  'assessments/kakuu-city-juki/assessment.yaml',
  'assessments/kakuu-city-kaigo/assessment.yaml',
  'assessments/kakuu-city-jidouteate/assessment.yaml',
];

const load = (file: string) => parse(readFileSync(file, 'utf8')) as JsonObject;

function pdfRaw(path: string): string {
  return dropRunningHeads(execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', path, '-'], { maxBuffer: 64 << 20 }).toString());
}
function pdfRawBytes(pdf: Uint8Array): string {
  return dropRunningHeads(execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: Buffer.from(pdf), maxBuffer: 64 << 20 }).toString());
}
function pdfLayoutBytes(pdf: Uint8Array): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { input: Buffer.from(pdf), maxBuffer: 64 << 20 }).toString();
}

/** ※ in the document's printed text values (content such as 「(※1)…」, not the form's marks). */
function contentMarks(doc: JsonObject): number {
  const skip = /^\/(\$schema|form|formVersion|status|organization|nonPublic)(\/|$)|\/controls(\/|$)|\/attestation(\/|$)|\/system$/;
  let n = 0;
  const walk = (v: unknown, p: string) => {
    if (skip.test(p)) return;
    if (typeof v === 'string') n += v.split('※').length - 1;
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}/${i}`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${p}/${k}`);
  };
  walk(doc, '');
  return n;
}

/** The PDF text from the form's title on: a draft's findings page comes before it. */
function formText(text: string, doc: JsonObject): string {
  const title = String(schemasForDocument(doc).schema.title);
  const at = text.indexOf(title);
  expect(at, 'form title printed').toBeGreaterThanOrEqual(0);
  return text.slice(at);
}

describe.each(CASES)('pia render of $file against $seed', (c) => {
  const doc = load(c.file);
  const seedText = readFileSync(join(SEEDS, c.seed), 'utf8');
  let dir: string;
  let text: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pia-fidelity-'));
    const out = join(dir, 'out.pdf');
    await run(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', 'render', c.file, '-o', out], { cwd: process.cwd() });
    text = pdfRaw(out);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the seed\'s labels in the seed\'s order', () => {
    const labels = seedLabels(seedText);
    expect(labels.length).toBe(c.labels);
    const r = matchInOrder(labels, formText(text, doc));
    expect(r.missing).toEqual(c.allowedMisses);
    expect(r.matched).toBeGreaterThanOrEqual(c.labels - 5);
  });

  it('prints ※ exactly where the form prints it', () => {
    expect(seedLabelMarks(seedText)).toBe(c.seedMarks);
    const printed = formText(text, doc).split('※').length - 1;
    expect(printed).toBe(c.seedMarks + c.lostMarks.length + contentMarks(doc));
  });

  it('prints the cover in the form\'s order', () => {
    const cover = schemasForDocument(doc).schema.properties.cover.properties as Record<string, { title: string }>;
    const order = Object.values(cover).map((p) => p.title);
    expect(order.indexOf('個人のプライバシー等の権利利益の保護の宣言')).toBeGreaterThan(order.indexOf('評価書名'));
    const r = matchInOrder(order, formText(text, doc));
    expect(r.missing).toEqual([]);
  });

  it('lists the same 項目一覧 as the seed', () => {
    const lines = seedText.split('\n').map((l) => l.trim());
    const start = lines.indexOf('項目一覧');
    const seedToc = lines.slice(start + 1, lines.indexOf('', start + 2)).filter(Boolean);
    const view = buildDocumentView(doc, schemasForDocument(doc));
    expect(view.toc.map(squash)).toEqual(seedToc.map(squash));
  });
});

describe('every sample', () => {
  let renderer: PdfRenderer;
  beforeAll(() => {
    renderer = createPdfRenderer({ maxPages: 2 });
  });
  afterAll(async () => {
    await renderer.close();
  });

  it.each(ALL_SAMPLES)('%s: no JSON in the PDF text, nothing that is not on the form', async (file) => {
    const doc = load(file);
    const pdf = await renderer.renderPdf(renderAssessmentHtml(doc), { title: documentTitle(doc) });
    const text = pdfRawBytes(pdf);
    expect(text.match(/[{}"]/g) ?? []).toEqual([]);
    const view = buildDocumentView(doc, schemasForDocument(doc));
    const labels = view.sections.flatMap((s) => s.tables.flatMap((t) => t.rows.map((r) => r.label)));
    // Names of the data model, not labels of the form.
    for (const internal of ['図', '見出し', '記録項目', '備考', '委託件数', '提供件数', '移転件数']) expect(labels).not.toContain(internal);
    // No empty 元資料の欠落 page: the annex exists only with gaps to list.
    const gaps = Array.isArray(doc.sourceGaps) ? doc.sourceGaps.length : 0;
    expect(Boolean(view.sourceGaps)).toBe(gaps > 0);
    if (!gaps) expect(text).not.toContain('元資料の欠落');
    // ③他のシステムとの接続 in the form's two columns: two checkboxes on one printed line.
    if (JSON.stringify(doc).includes('"connections"')) {
      expect(pdfLayoutBytes(pdf)).toMatch(/\[[ ○]\] 情報提供ネットワークシステム\s+\[[ ○]\] 庁内連携システム/);
    }
  }, 60_000);

  it('prints Ⅳ 3. その他のリスク対策 once, with its text below', () => {
    const doc = load(CASES[0].file);
    const view = buildDocumentView(doc, schemasForDocument(doc));
    const iv = view.sections.find((s) => s.title.startsWith('Ⅳ'))!;
    const t = iv.tables.find((x) => x.caption === '3. その他のリスク対策')!;
    expect(t.rows.map((r) => [r.layout, r.label])).toEqual([['block', '']]);
  });

  it('prints each 委託事項 with its 14 labels and 委託の有無 with its ( )件 in the same row', () => {
    const doc = load(CASES[0].file);
    const view = buildDocumentView(doc, schemasForDocument(doc));
    const ii4 = view.sections.flatMap((s) => s.tables).find((t) => t.caption === '4. 特定個人情報ファイルの取扱いの委託' && t.rows[0]?.label === '委託の有無')!;
    const presence = ii4.rows[0];
    expect(presence.significant).toBe(true);
    expect(presence.value.kind === 'choice' && presence.value.count).toBe('(\u3000)件');
    const headings = ii4.rows.filter((r) => r.layout === 'heading').map((r) => r.label);
    expect(headings).toEqual(['委託事項1', '委託事項2', '委託事項3', '委託事項4', '委託事項5']);
    const third = ii4.rows.slice(ii4.rows.findIndex((r) => r.label === '委託事項3') + 1, ii4.rows.findIndex((r) => r.label === '委託事項4'));
    const printed = third.flatMap((r) => (r.groupSpan ? [r.group!, r.label] : [r.label])).filter(Boolean);
    expect(printed).toEqual([
      '①委託内容',
      '②取扱いを委託する特定個人情報ファイルの範囲',
      '対象となる本人の数',
      '対象となる本人の範囲',
      'その妥当性',
      '③委託先における取扱者数',
      '④委託先への特定個人情報ファイルの提供方法',
      '⑤委託先名の確認方法',
      '⑥委託先名',
      '再委託',
      '⑦再委託の有無',
      '⑧再委託の許諾方法',
      '⑨再委託事項',
    ]);
    // The 14th label is the heading's: 「委託事項3」 with the entry's name beside it.
    const h = ii4.rows.find((r) => r.label === '委託事項3')!;
    expect(h.value).toEqual({ kind: 'text', text: '住民台帳システム保守業務委託' });
    expect(third.filter((r) => r.significant).map((r) => r.label)).toEqual(['対象となる本人の範囲', '⑦再委託の有無']);
  });

  it('does not mark the items of a group whose title carries ※ (「5. 個人番号の利用 ※」 → 法令上の根拠)', () => {
    for (const c of CASES) {
      const doc = load(c.file);
      const view = buildDocumentView(doc, schemasForDocument(doc));
      for (const s of view.sections) {
        const sectionMarked = s.note?.includes('※');
        for (const t of s.tables) {
          if (sectionMarked || t.captionNote?.includes('※')) expect(t.rows.filter((r) => r.significant || r.groupMark), `${s.title} ${t.caption}`).toEqual([]);
        }
      }
    }
  });
});

describe('the findings page', () => {
  const diagnostics = [{ code: 'completeness/missing', severity: 'warning' as const, message: '未記載です', path: '/x' }];
  it('is printed before the cover of a draft (素案・案) and not for 提出・公表, unless forced', () => {
    const draft = load(CASES[0].file);
    const published = load(CASES[1].file);
    expect(draft.status).toBe('素案');
    expect(published.status).toBe('公表');
    expect(renderAssessmentHtml(draft, { diagnostics })).toContain('class="banner"');
    expect(renderAssessmentHtml(published, { diagnostics })).not.toContain('class="banner"');
    expect(renderAssessmentHtml(published, { diagnostics, findingsPage: true })).toContain('class="banner"');
    expect(renderAssessmentHtml(draft, { diagnostics, findingsPage: false })).not.toContain('class="banner"');
  });
});
