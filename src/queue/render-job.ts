// One job on the pooled renderer, the same in the server process and in `pia worker`.
import { BrowserNotFoundError, PdfRenderError, type PdfRenderer } from '../pdf/index.ts';
import type { RenderJobInput } from './types.ts';

/** What a worker needs of a job: the HTML and how to print it (ids and file name stay with the status). */
export type RenderPayload = Pick<RenderJobInput, 'html' | 'title' | 'headerText' | 'creationDate' | 'public'>;

export function renderPayload(renderer: PdfRenderer, job: RenderPayload): Promise<Uint8Array> {
  return renderer.renderPdf(job.html, {
    title: job.title,
    public: job.public,
    ...(job.headerText ? { headerText: job.headerText } : {}),
    creationDate: new Date(job.creationDate),
  });
}

/** A failure as the job's status shows it: the PDF module's Japanese message, or a plain one (never a stack). */
export function describeRenderError(e: unknown): { code: string; message: string } {
  if (e instanceof PdfRenderError) return { code: e.code, message: e.message };
  if (e instanceof BrowserNotFoundError) {
    return {
      code: 'browser-not-found',
      message: 'PDF 出力に使うブラウザ (Chromium) が見つかりません。管理者に連絡してください。',
    };
  }
  return { code: 'failed', message: 'PDF の作成に失敗しました。時間をおいてもう一度お試しください。' };
}
