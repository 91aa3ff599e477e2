// Real Chromium, real PDFs, checked with poppler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPdfRenderer, setPdfDates, type PdfRenderer } from '../../src/pdf/index.ts';
import { japaneseDocument, THREE_PAGE_BODY } from './fixtures/html.ts';
import { pdfFonts, pdfInfo, pdfOutline, pdfText } from './pdf-tools.ts';

const TITLE = '防府市 住民基本台帳に関する事務 重点項目評価書';
let renderer: PdfRenderer;
let threePages: Uint8Array;

beforeAll(async () => {
  renderer = createPdfRenderer({ maxPages: 2 });
  threePages = await renderer.renderPdf(japaneseDocument({ title: TITLE, body: THREE_PAGE_BODY }), {
    title: TITLE,
  });
});

afterAll(async () => {
  await renderer?.close();
});

describe('renderPdf', () => {
  it('produces an A4 PDF whose Japanese text can be extracted', () => {
    expect(Buffer.from(threePages.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const info = pdfInfo(threePages);
    expect(info['Page size']).toMatch(/595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(info.Pages).toBe('3');
    const text = pdfText(threePages);
    expect(text).toContain('住民基本台帳に関する事務');
    expect(text).toContain('令和4年7月7日');
    expect(text).toContain('①②③');
    expect(text).toContain('重要な変更');
  });

  it('prints the title in the header and "page / pages" in the footer of every page', () => {
    const pages = pdfText(threePages)
      .split('\f')
      .filter((p) => p.trim());
    expect(pages).toHaveLength(3);
    pages.forEach((page, i) => {
      expect(page).toContain(TITLE);
      expect(page).toContain(`${i + 1} / 3`);
    });
  });

  it('embeds the BIZ UD fonts (regular and real bold) and no Type 3 font for ordinary text', () => {
    const fonts = pdfFonts(threePages);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.type, f.name).toBe('CID TrueType');
    }
    const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toContain('BIZUDGothic-Regular');
    expect(names).toContain('BIZUDGothic-Bold');
  });

  it('falls back to Noto CJK for characters BIZ UD lacks (𠮷), still searchable', async () => {
    const pdf = await renderer.renderPdf(japaneseDocument({ title: 'x', body: '<p>𠮷野家の𠮷と吉</p>' }), {
      title: 'x',
    });
    expect(pdfText(pdf)).toContain('𠮷野家の𠮷と吉');
    const fonts = pdfFonts(pdf);
    expect(fonts.every((f) => f.embedded)).toBe(true);
    expect(fonts.some((f) => f.name.includes('BIZUDGothic'))).toBe(true);
  });

  it('takes the PDF Title from <title>, or from opts.title when the HTML has none', async () => {
    expect(pdfInfo(threePages).Title).toBe(TITLE);
    const untitled = await renderer.renderPdf(japaneseDocument({ body: '<p>本文</p>' }), {
      title: '評価書 <案> & 別紙',
    });
    expect(pdfInfo(untitled).Title).toBe('評価書 <案> & 別紙');
  });

  it('marks the document language (lang="ja" → /Lang (ja))', () => {
    expect(Buffer.from(threePages).toString('latin1')).toContain('/Lang (ja)');
  });

  it('builds bookmarks from the h1–h6 headings', () => {
    expect(pdfOutline(threePages)).toEqual([
      { title: 'Ⅰ 基本情報', children: [{ title: '1. 特定個人情報ファイル名', children: [] }] },
      {
        title: 'Ⅱ 特定個人情報ファイルの概要',
        children: [{ title: '2. 基本情報', children: [{ title: '①ファイルの種類', children: [] }] }],
      },
      { title: 'Ⅲ リスク対策', children: [] },
    ]);
    expect(pdfInfo(threePages).Tagged).toBe('yes');
  });

  it('can leave out bookmarks and tagging', async () => {
    const pdf = await renderer.renderPdf(japaneseDocument({ title: 'x', body: THREE_PAGE_BODY }), {
      title: 'x',
      outline: false,
      tagged: false,
    });
    expect(pdfOutline(pdf)).toEqual([]);
    expect(pdfInfo(pdf).Tagged).toBe('no');
  });

  it('escapes the title in the header (it is text, never markup)', async () => {
    const title = '<span class="pageNumber"></span><b>太字</b> & "引用" \'x\'';
    const pdf = await renderer.renderPdf(japaneseDocument({ title: 't', body: '<p>本文</p>' }), { title });
    expect(pdfText(pdf)).toContain(title);
  });

  it('shows headerText and the 公表用 mark in the header', async () => {
    const html = japaneseDocument({ title: 't', body: '<p>本文</p>' });
    const pub = pdfText(
      await renderer.renderPdf(html, { title: TITLE, public: true, headerText: '評価書番号 31' }),
    );
    expect(pub).toContain('評価書番号 31');
    expect(pub).toContain('公表用');
    const full = pdfText(await renderer.renderPdf(html, { title: TITLE, public: false }));
    expect(full).not.toMatch(/公表/);
  });

  it('runs no JavaScript from the document', async () => {
    const html = japaneseDocument({
      title: 't',
      body: '<p id="p">静的な本文</p><script>document.getElementById("p").textContent = "スクリプト実行";</script>',
    });
    const text = pdfText(await renderer.renderPdf(html, { title: 't' }));
    expect(text).toContain('静的な本文');
    expect(text).not.toContain('スクリプト実行');
  });

  it('keeps the document when it tries to navigate away (meta refresh) or to frame a blocked page', async () => {
    for (const target of ['about:blank', 'http://127.0.0.1:9/elsewhere', 'data:text/html,別の文書']) {
      const html = japaneseDocument({
        title: 't',
        extraHead: `<meta http-equiv="refresh" content="0; url=${target}">`,
        body: '<p>元の文書</p><iframe src="http://127.0.0.1:9/frame"></iframe>',
      });
      const text = pdfText(await renderer.renderPdf(html, { title: 't' }));
      expect(text, target).toContain('元の文書');
      expect(text, target).not.toMatch(/別の文書|127\.0\.0\.1|ERR_/);
    }
  });

  it('gives the same bytes for the same HTML when the creation date is fixed; otherwise only the dates differ', async () => {
    const html = japaneseDocument({ title: TITLE, body: THREE_PAGE_BODY });
    const date = new Date('2022-07-07T09:00:00Z');
    const a = await renderer.renderPdf(html, { title: TITLE, creationDate: date });
    const b = await renderer.renderPdf(html, { title: TITLE, creationDate: date });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(pdfInfo(a).CreationDate).toMatch(/2022/);
    // The unfixed render differs from the fixed one in the two dates only.
    expect(Buffer.from(setPdfDates(threePages, date)).equals(Buffer.from(a))).toBe(true);
  });

  it('does not carry anything from one document into the next on a reused page', async () => {
    const first = await renderer.renderPdf(japaneseDocument({ title: '一つ目', body: '<p>文書A</p>' }), {
      title: '一',
    });
    const second = await renderer.renderPdf(japaneseDocument({ body: '<p>文書B</p>' }), { title: '二つ目' });
    expect(pdfText(first)).toContain('文書A');
    expect(pdfText(second)).toContain('文書B');
    expect(pdfText(second)).not.toContain('文書A');
    expect(pdfInfo(second).Title).toBe('二つ目');
  });
});
