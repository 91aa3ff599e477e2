// Errors of the PDF module. A missing browser is something the user fixes (install Chromium or set the
// path), so it is an InputError (exit 2). Everything that goes wrong once a browser exists is an
// environment failure, i.e. an InternalError, but with a Japanese message fit to show as is: drivers print
// `message` and never the stack. The original error stays in `cause` for logs.
import { InputError, InternalError } from '../errors.ts';

export class BrowserNotFoundError extends InputError {
  override name = 'BrowserNotFoundError';
  constructor(
    message: string,
    /** Paths that were tried, in order. */
    readonly candidates: readonly string[],
  ) {
    super(message);
  }
}

export type PdfErrorCode =
  /** Chromium exists but did not start (missing libraries, broken install, bad path). */
  | 'launch-failed'
  /** The browser or the page's renderer process died during the render. */
  | 'crashed'
  /** The render did not finish within `timeoutMs`. */
  | 'timeout'
  /** The renderer was closed (shutdown) before or during the render. */
  | 'closed'
  /** Too many renders are already waiting (`maxQueue`). Retry later (HTTP 503). */
  | 'busy'
  /** Chromium refused the document or the print settings. */
  | 'failed';

export class PdfRenderError extends InternalError {
  override name = 'PdfRenderError';
  constructor(
    readonly code: PdfErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
