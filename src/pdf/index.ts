// Public surface of the PDF module: HTML string in, PDF bytes out. The only module that starts a browser.
export {
  createPdfRenderer,
  renderPdfOnce,
  setPdfDates,
  type PdfRenderer,
  type PdfRendererOptions,
  type PdfRendererStats,
  type RenderPdfOptions,
} from './renderer.ts';
export { findBrowserExecutable, BROWSER_CANDIDATES, CHROMIUM_ARGS, type FindBrowserDeps } from './browser.ts';
export { productName, setPdfProducer } from './metadata.ts';
export { BrowserNotFoundError, PdfRenderError, type PdfErrorCode } from './errors.ts';
export {
  buildPdfOptions,
  buildHeaderTemplate,
  buildFooterTemplate,
  PDF_MARGINS,
  type PrintOptions,
} from './page-options.ts';
