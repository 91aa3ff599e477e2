// The errors a route throws on purpose. The one error handler (error-handler.ts) turns them into the JSON
// body `{ error: { status, code, message }, diagnostics? }`; messages are Japanese and meant for users.
import type { Diagnostic } from '../types.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    /** Stable machine code, e.g. `not-found`, `forbidden`, `precondition-failed`. */
    readonly code: string,
    message: string,
    readonly extra: {
      /** Findings about the request's input (bad YAML, invalid transition…), Diagnostic-shaped. */
      diagnostics?: Diagnostic[];
      headers?: Record<string, string>;
      /** More machine-readable fields for the body (e.g. `currentEtag`). */
      details?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, diagnostics?: Diagnostic[]) =>
  new HttpError(400, 'bad-request', message, diagnostics ? { diagnostics } : {});

export const unauthorized = (
  message = '認証が必要です。Authorization: Bearer <トークン> を指定してください。',
) => new HttpError(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': 'Bearer realm="pia"' } });

export const forbidden = (message = 'この操作を行う権限がありません。') =>
  new HttpError(403, 'forbidden', message);

export const notFound = (what = '指定されたリソース') =>
  new HttpError(404, 'not-found', `${what}が見つかりません。`);

export const conflict = (message: string, diagnostics?: Diagnostic[]) =>
  new HttpError(409, 'conflict', message, diagnostics ? { diagnostics } : {});

export const payloadTooLarge = (limit: number) =>
  new HttpError(413, 'payload-too-large', `リクエストの本文が大きすぎます (上限 ${formatBytes(limit)})。`, {
    headers: { Connection: 'close' },
  });

export const unsupportedMediaType = (accepted: string[]) =>
  new HttpError(
    415,
    'unsupported-media-type',
    `Content-Type は ${accepted.join(' / ')} のいずれかを指定してください。`,
  );

export const notAcceptable = (offered: string[]) =>
  new HttpError(406, 'not-acceptable', `この形式では返せません。対応している形式: ${offered.join(' / ')}`);

export const notImplemented = (message: string) => new HttpError(501, 'not-implemented', message);

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} バイト`;
}
