// Print options and header/footer templates (pure; the rendered result is checked in render.test.ts).
import { describe, expect, it } from 'vitest';
import {
  buildFooterTemplate,
  buildHeaderTemplate,
  buildPdfOptions,
  PDF_MARGINS,
  setPdfDates,
} from '../../src/pdf/index.ts';

describe('header and footer templates', () => {
  it('carry inline styles with an explicit size and a Japanese font (no stylesheet reaches them)', () => {
    for (const t of [buildHeaderTemplate({ title: '評価書' }), buildFooterTemplate()]) {
      expect(t).toMatch(/style="[^"]*font-size:\s*\d/);
      expect(t).toMatch(/style="[^"]*font-family:[^"]*BIZ UDGothic/);
      expect(t).not.toMatch(/<style|<link|<script|src=/i);
    }
    expect(buildFooterTemplate()).toContain(
      '<span class="pageNumber"></span> / <span class="totalPages"></span>',
    );
  });

  it('escape the title and header text, so neither can inject markup or Chromium placeholders', () => {
    const t = buildHeaderTemplate({ title: '<span class="url"></span>&"\'', headerText: '<b>x</b>' });
    expect(t).toContain('&#60;span class=&#34;url&#34;&#62;&#60;/span&#62;&#38;&#34;&#39;');
    expect(t).toContain('&#60;b&#62;x&#60;/b&#62;');
    expect(t).not.toContain('<span class="url">');
  });

  it('mark the edition only when asked', () => {
    expect(buildHeaderTemplate({ title: 't', public: true })).toContain('公表用');
    expect(buildHeaderTemplate({ title: 't', public: false })).not.toMatch(/公表/);
    expect(buildHeaderTemplate({ title: 't' })).not.toMatch(/公表/);
  });
});

describe('buildPdfOptions', () => {
  it('prints A4 with backgrounds, header/footer, margins and bookmarks by default', () => {
    const o = buildPdfOptions({ title: 't' });
    expect(o).toMatchObject({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      margin: PDF_MARGINS,
      outline: true,
      tagged: true,
    });
  });

  it('needs tagging for the outline', () => {
    expect(buildPdfOptions({ title: 't', outline: true, tagged: false }).tagged).toBe(true);
    expect(buildPdfOptions({ title: 't', outline: false, tagged: false })).toMatchObject({
      outline: false,
      tagged: false,
    });
  });
});

describe('setPdfDates', () => {
  const pdf = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
  const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

  it('rewrites both dates in place, keeping the length', () => {
    const src =
      "1 0 obj\n<</CreationDate (D:20261122223156+00'00')\n/ModDate (D:20261122223157+00'00')>>\nendobj";
    const out = setPdfDates(pdf(src), new Date('2022-07-07T09:08:07Z'));
    expect(out.length).toBe(src.length);
    expect(text(out)).toBe(
      "1 0 obj\n<</CreationDate (D:20220707090807+00'00')\n/ModDate (D:20220707090807+00'00')>>\nendobj",
    );
  });

  it('leaves dates of another shape alone (offsets would move)', () => {
    const src = '<</CreationDate (D:20261122223156Z)>>';
    expect(text(setPdfDates(pdf(src), new Date('2022-07-07T00:00:00Z')))).toBe(src);
  });
});
