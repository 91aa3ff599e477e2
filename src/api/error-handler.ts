// The one error handler of the app. Every error a request can meet ends here and leaves as a Japanese
// message: JSON `{ error: { status, code, message, … }, diagnostics? }` for the API, an HTML page for the
// web pages. No stack trace ever reaches a client; unexpected errors are logged with a reference number
// that the 500 body repeats, so an operator can find the log line.
import { randomBytes } from 'node:crypto';
import type { ErrorRequestHandler, Request, Response } from 'express';
import { InputError, UsageError } from '../errors.ts';
import { BrowserNotFoundError, PdfRenderError } from '../pdf/index.ts';
import { PreconditionFailedError, StoreLockedError, httpStatusOf } from '../store/index.ts';
import type { Diagnostic } from '../types.ts';
import { inputDiagnostic } from './body.ts';
import { HttpError } from './http-error.ts';

export interface ErrorBody {
  error: { status: number; code: string; message: string; reference?: string; [k: string]: unknown };
  diagnostics?: Diagnostic[];
}

export interface Logger {
  error(message: string, err?: unknown): void;
}

export const stderrLogger: Logger = {
  error(message, err) {
    const detail = err instanceof Error ? (err.stack ?? err.message) : err === undefined ? '' : String(err);
    process.stderr.write(`${new Date().toISOString()} ${message}${detail ? `\n${detail}` : ''}\n`);
  },
};

interface Mapped {
  status: number;
  code: string;
  message: string;
  diagnostics?: Diagnostic[];
  headers?: Record<string, string>;
  details?: Record<string, unknown>;
  /** Log it (unexpected). */
  log?: boolean;
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  428: 'precondition-required',
  500: 'internal',
  501: 'not-implemented',
  503: 'unavailable',
};

export function mapError(err: unknown): Mapped {
  if (err instanceof HttpError) {
    return { status: err.status, code: err.code, message: err.message, ...err.extra };
  }
  if (err instanceof PreconditionFailedError) {
    return {
      status: 412,
      code: 'precondition-failed',
      message: `${err.message} 最新の版を取得し、変更を反映してからやり直してください。`,
      details: { currentEtag: err.currentEtag },
      ...(err.currentEtag ? { headers: { ETag: err.currentEtag } } : {}),
    };
  }
  const storeStatus = httpStatusOf(err);
  if (storeStatus !== undefined) {
    const e = err as Error;
    if (storeStatus >= 500) {
      const message =
        err instanceof StoreLockedError
          ? 'データの保存先が他のプロセスに使われています。しばらくしてからやり直してください。'
          : 'データを保存または読み込みできませんでした。管理者に連絡してください。';
      return { status: storeStatus, code: STATUS_CODES[storeStatus] ?? 'internal', message, log: true };
    }
    return {
      status: storeStatus,
      code: STATUS_CODES[storeStatus] ?? 'error',
      message: e.message,
      ...(storeStatus === 400 ? { diagnostics: [inputDiagnostic(e.message, 'request')] } : {}),
    };
  }
  if (err instanceof BrowserNotFoundError) {
    return {
      status: 503,
      code: 'pdf-unavailable',
      message: 'PDF 出力に使うブラウザ (Chromium) がサーバーに見つかりません。管理者に連絡してください。',
      log: true,
    };
  }
  if (err instanceof PdfRenderError) {
    if (err.code === 'busy') {
      return {
        status: 503,
        code: 'pdf-busy',
        message: err.message || 'PDF 出力が混み合っています。しばらくしてからやり直してください。',
        headers: { 'Retry-After': '5' },
      };
    }
    return { status: 503, code: `pdf-${err.code}`, message: err.message, log: true };
  }
  if (err instanceof UsageError || err instanceof InputError) {
    const source = err instanceof InputError ? (err.source ?? 'request') : 'request';
    return {
      status: 400,
      code: 'bad-request',
      message: err.message,
      diagnostics: [inputDiagnostic(err.message, source)],
    };
  }
  // Errors from express itself and its router (malformed URI → 400, etc.) carry a status; their messages are
  // English and may echo input, so they are replaced by our own words.
  const status =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      code: STATUS_CODES[status] ?? 'bad-request',
      message:
        status === 413
          ? 'リクエストの本文が大きすぎます。'
          : 'リクエストが不正です (URL または本文を確認してください)。',
    };
  }
  return { status: 500, code: 'internal', message: 'サーバー内部でエラーが発生しました。', log: true };
}

/** True when the client should get JSON (the API, or anything that is not a page). */
export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/api' || req.path === '/openapi.json';
}

export interface ErrorHandlerOptions {
  logger: Logger;
  /** The web pages' error page; without it everything is JSON. */
  renderPage?: (req: Request, res: Response, status: number, message: string) => void;
}

export function sendError(req: Request, res: Response, err: unknown, opts: ErrorHandlerOptions): void {
  const m = mapError(err);
  let reference: string | undefined;
  if (m.log) {
    reference = randomBytes(4).toString('hex');
    opts.logger.error(`[${reference}] ${req.method} ${req.originalUrl.split('?')[0]} → ${m.status}`, err);
  }
  if (res.headersSent) {
    // Too late for a body: cut the connection so the client sees an incomplete response, not a valid one.
    res.destroy();
    return;
  }
  for (const [k, v] of Object.entries(m.headers ?? {})) res.setHeader(k, v);
  const message = reference ? `${m.message} (参照番号: ${reference})` : m.message;
  if (opts.renderPage && !wantsJson(req)) {
    opts.renderPage(req, res, m.status, message);
    return;
  }
  const body: ErrorBody = {
    error: {
      status: m.status,
      code: m.code,
      message,
      ...(reference ? { reference } : {}),
      ...(m.details ?? {}),
    },
    ...(m.diagnostics ? { diagnostics: m.diagnostics } : {}),
  };
  res.status(m.status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

export function createErrorHandler(opts: ErrorHandlerOptions): ErrorRequestHandler {
  return (err, req, res, _next) => sendError(req, res, err, opts);
}
