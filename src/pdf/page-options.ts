// Print settings: A4, running header (評価書名) and footer (page / pages). Pure; shared with the benchmark
// so that the bare-puppeteer baseline prints with exactly the same options.
import type { PDFOptions } from 'puppeteer-core';

export interface PrintOptions {
  /** 評価書名: the running header on every page; also the PDF Title when the HTML has no <title>. */
  title: string;
  /** Extra text at the right of the header (e.g. 評価書番号 or 「素案」). */
  headerText?: string;
  /**
   * The 公表用 edition (non-public items already replaced by 「非公表」 in the HTML): marked 「公表用」 in
   * the header. false/omitted: no mark. (A full-edition mark such as 「非公表情報を含む」 would be wrong for
   * documents without non-public items; callers that know better can put it in headerText.)
   */
  public?: boolean;
  /**
   * Bookmarks from h1–h6 (Chromium's document outline). Needs a tagged PDF, which is about 20 % slower
   * and several times larger. Default true.
   */
  outline?: boolean;
  /** Tagged (accessible) PDF. Default true; forced on by `outline`. */
  tagged?: boolean;
}

/** Page margins. The top and bottom leave room for the header and footer (about 8 pt text each). */
export const PDF_MARGINS = { top: '18mm', right: '15mm', bottom: '16mm', left: '15mm' } as const;

// Chromium renders header/footer templates in a separate document without the page's stylesheet and
// with a tiny default font size: every style must be inline, with an explicit size and Japanese font.
const FONT = `font-family:'BIZ UDGothic','BIZ UDMincho','Noto Sans CJK JP',sans-serif;font-size:8pt;color:#333;`;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function editionMark(isPublic: boolean | undefined): string | undefined {
  return isPublic === true ? '公表用' : undefined;
}

export function buildHeaderTemplate(opts: Pick<PrintOptions, 'title' | 'headerText' | 'public'>): string {
  const right = [opts.headerText, editionMark(opts.public)].filter((s): s is string => !!s?.trim());
  return (
    `<div lang="ja" style="${FONT}width:100%;box-sizing:border-box;padding:0 ${PDF_MARGINS.right} 0 ${PDF_MARGINS.left};` +
    'display:flex;justify-content:space-between;align-items:baseline;gap:4mm;">' +
    `<span style="overflow:hidden;white-space:nowrap;text-overflow:ellipsis;">${escapeHtml(opts.title)}</span>` +
    `<span style="white-space:nowrap;">${right.map(escapeHtml).join('　')}</span></div>`
  );
}

export function buildFooterTemplate(): string {
  // pageNumber/totalPages are filled in by Chromium itself; they work with JavaScript disabled.
  return (
    `<div lang="ja" style="${FONT}width:100%;text-align:center;">` +
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
  );
}

/** The options passed to `page.pdf()`. */
export function buildPdfOptions(opts: PrintOptions, timeoutMs?: number): PDFOptions {
  const outline = opts.outline ?? true;
  return {
    format: 'A4',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: buildHeaderTemplate(opts),
    footerTemplate: buildFooterTemplate(),
    margin: { ...PDF_MARGINS },
    outline,
    tagged: outline || (opts.tagged ?? true),
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
  };
}
