// The baseline: puppeteer as anyone would use it first. A browser with puppeteer's default flags (plus
// --no-sandbox, without which Chromium does not start as root), and per document newPage → setContent →
// pdf → close, with exactly the print options our renderer uses. No interception, JavaScript on.
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { buildPdfOptions, findBrowserExecutable, type PrintOptions } from '../../src/pdf/index.ts';

export interface BareRenderer {
  /** New page per document (the usual way). */
  render(html: string): Promise<Uint8Array>;
  /** One page kept open and reused (what our renderer does, minus its safeguards). */
  renderReusingPage(html: string): Promise<Uint8Array>;
  close(): Promise<void>;
  /** The browser's process id (= its process group). */
  pid(): number | undefined;
}

export async function createBareRenderer(print: PrintOptions): Promise<BareRenderer> {
  const browser: Browser = await puppeteer.launch({
    executablePath: findBrowserExecutable(),
    headless: true,
    args: ['--no-sandbox'],
  });
  const options = buildPdfOptions(print);
  const spare: Page[] = [];
  return {
    async render(html) {
      const page = await browser.newPage();
      try {
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf(options);
      } finally {
        await page.close();
      }
    },
    async renderReusingPage(html) {
      const page = spare.pop() ?? (await browser.newPage());
      try {
        await page.setContent(html, { waitUntil: 'load' });
        return await page.pdf(options);
      } finally {
        spare.push(page);
      }
    },
    async close() {
      await browser.close();
    },
    pid: () => browser.process()?.pid,
  };
}
