// PDF downloads as queued work (API and web pages alike): the request enqueues a render job and waits for
// it up to a bound. Done in time → the PDF itself (200); not yet → 202 and a status URL; queue full → 503
// with Retry-After. A request whose client goes away before anything was handed out cancels its job, so
// nothing is rendered for nobody.
import type { Request, Response } from 'express';
import { QueueFullError, type RenderJobInput, type RenderJobStatus } from '../queue/index.ts';
import type { Principal } from '../store/index.ts';
import { canSeeOrg } from './permissions.ts';
import { HttpError } from './http-error.ts';
import type { PiaService } from './service.ts';

/** Default bound of the wait inside the PDF request (the API's `?wait=` may shorten it). */
export const DEFAULT_PDF_WAIT_MS = 10_000;
/** Longest wait a client may ask for with `?wait=` (seconds). */
export const MAX_WAIT_SECONDS = 60;
/** What a 202 suggests as Retry-After (seconds). */
const POLL_SECONDS = 2;

export type PdfOutcome =
  | { kind: 'pdf'; pdf: Uint8Array; filename: string; status: RenderJobStatus }
  | { kind: 'pending'; status: RenderJobStatus }
  /** The client went away while waiting; nothing is to be sent. */
  | { kind: 'gone' };

function queueOf(service: PiaService) {
  const q = service.queue;
  if (!q) throw new HttpError(503, 'pdf-unavailable', 'このサーバーでは PDF 出力が有効になっていません。');
  return q;
}

/** `?wait=` in seconds (0–60), or the server's bound. */
export function waitMsOf(req: Request, fallbackMs: number): number {
  const raw = req.query.wait;
  if (raw === undefined) return fallbackMs;
  const s = Array.isArray(raw) ? raw[0] : raw;
  if (typeof s !== 'string' || !/^\d{1,3}$/.test(s) || Number(s) > MAX_WAIT_SECONDS) {
    throw new HttpError(400, 'bad-request', `wait は 0〜${MAX_WAIT_SECONDS} の秒数で指定してください。`);
  }
  return Number(s) * 1000;
}

/** The job for a version, made with the requester's permission (the HTML is what they may see). */
async function buildJob(
  service: PiaService,
  p: Principal,
  assessmentId: string,
  versionId: string,
  opts: { public: boolean },
): Promise<RenderJobInput> {
  const { html, title, version, assessment } = await service.renderHtml(p, assessmentId, versionId, opts);
  return {
    assessmentId: assessment.id,
    versionId: version.id,
    orgId: assessment.orgId,
    public: opts.public,
    html,
    title,
    ...(assessment.number ? { headerText: `評価書番号 ${assessment.number}` } : {}),
    // Same version, same bytes: the dates come from the version, not the clock.
    creationDate: version.createdAt,
    filename: `${assessment.title}-v${version.number}${opts.public ? '-公表用' : ''}.pdf`,
  };
}

/**
 * Enqueues the PDF of a version and waits up to `waitMs` for it. If the client closes the connection
 * before an answer was given, the job is cancelled (a waiting job is never rendered).
 */
export async function requestPdf(
  service: PiaService,
  p: Principal,
  req: Request,
  res: Response,
  input: { assessmentId: string; versionId: string; public: boolean; waitMs: number },
): Promise<PdfOutcome> {
  const queue = queueOf(service);
  let id: string;
  try {
    // Permission and existence first (a 403/404 never depends on the queue), then a place in the queue,
    // then the HTML (tens of ms of CPU): a refused request costs next to nothing.
    await service.getVersion(p, input.assessmentId, input.versionId, 'render');
    id = await queue.enqueue(() =>
      buildJob(service, p, input.assessmentId, input.versionId, { public: input.public }),
    );
  } catch (e) {
    if (e instanceof QueueFullError) {
      throw new HttpError(503, 'pdf-busy', e.message, {
        headers: { 'Retry-After': String(e.retryAfterSeconds) },
        details: { retryAfter: e.retryAfterSeconds },
      });
    }
    throw e;
  }
  return collect(service, id, res, input.waitMs, true);
}

/** The status URL's job, if this principal may see it and it belongs to this version; 404 otherwise. */
export async function pdfJobOf(
  service: PiaService,
  p: Principal,
  assessmentId: string,
  versionId: string,
  jobId: string,
): Promise<RenderJobStatus> {
  const queue = queueOf(service);
  // The assessment first: another organisation's token learns nothing about job ids.
  await service.getAssessment(p, assessmentId, 'render');
  const st = await queue.status(jobId);
  if (!st || st.assessmentId !== assessmentId || st.versionId !== versionId || !canSeeOrg(p, st.orgId)) {
    throw jobNotFound();
  }
  return st;
}

/** Waits for an existing job up to `waitMs` (a status poll); never cancels it (its URL was handed out). */
export function collectPdf(
  service: PiaService,
  id: string,
  res: Response,
  waitMs: number,
): Promise<PdfOutcome> {
  return collect(service, id, res, waitMs, false);
}

async function collect(
  service: PiaService,
  id: string,
  res: Response,
  waitMs: number,
  cancelIfGone: boolean,
): Promise<PdfOutcome> {
  const queue = queueOf(service);
  const gone = new AbortController();
  const onClose = () => {
    if (res.writableFinished) return;
    gone.abort();
    if (cancelIfGone) void queue.cancel(id).catch(() => undefined);
  };
  res.once('close', onClose);
  try {
    const st = await queue.waitFor(id, waitMs, gone.signal);
    if (gone.signal.aborted) return { kind: 'gone' };
    if (!st) throw jobNotFound();
    if (st.state === 'done') {
      const r = await queue.result(id);
      if (!r) throw jobNotFound();
      return { kind: 'pdf', pdf: r.pdf, filename: r.filename, status: st };
    }
    if (st.state === 'failed') {
      throw new HttpError(
        503,
        `pdf-${st.error?.code ?? 'failed'}`,
        `PDF を作成できませんでした。${st.error?.message ?? ''}`.trim(),
      );
    }
    if (st.state === 'cancelled') {
      throw new HttpError(
        410,
        'pdf-cancelled',
        'この PDF の作成依頼は取り消されました (依頼した画面が閉じられたため)。もう一度 PDF を依頼してください。',
      );
    }
    return { kind: 'pending', status: st };
  } finally {
    // From here on an answer is being sent: a 202 hands the job to its status URL.
    res.off('close', onClose);
  }
}

function jobNotFound(): HttpError {
  return new HttpError(
    404,
    'pdf-job-not-found',
    'PDF の作成依頼が見つかりません。保存期間を過ぎたか、依頼がありません。もう一度 PDF を依頼してください。',
  );
}

export function statusUrlOf(st: RenderJobStatus): string {
  return `/api/assessments/${encodeURIComponent(st.assessmentId)}/versions/${encodeURIComponent(st.versionId)}/pdf/jobs/${st.id}`;
}

/** The JSON of a pending job (202 body). */
export function jobJson(st: RenderJobStatus): Record<string, unknown> {
  return {
    job: {
      id: st.id,
      state: st.state,
      edition: st.public ? 'public' : 'internal',
      filename: st.filename,
      createdAt: st.createdAt,
      expiresAt: st.expiresAt,
    },
    statusUrl: statusUrlOf(st),
    message: st.state === 'rendering' ? 'PDF を作成しています。' : 'PDF の作成を待っています。',
  };
}

/** The PDF; Content-Location names its status URL, where the same PDF stays until the job expires. */
export function sendPdf(res: Response, pdf: Uint8Array, filename: string, st?: RenderJobStatus): void {
  if (st) res.setHeader('Content-Location', statusUrlOf(st));
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="document.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  );
  res
    .status(200)
    .type('application/pdf')
    .send(Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength));
}

/** API: 202 with Location (the status URL), Retry-After and the job as JSON. */
export function sendPending(res: Response, st: RenderJobStatus): void {
  res.setHeader('Location', statusUrlOf(st));
  res.setHeader('Retry-After', String(POLL_SECONDS));
  res
    .status(202)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(jobJson(st)));
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Web: the 「作成中」 page, reloading itself (no JavaScript) until the PDF is there. */
export function sendPendingPage(res: Response, st: RenderJobStatus, url: string): void {
  const u = escapeHtml(url);
  const name = escapeHtml(st.filename);
  const html = `<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${POLL_SECONDS + 1};url=${u}">
<title>PDF を作成中 — 特定個人情報保護評価書</title>
<link rel="stylesheet" href="/static/web.css">
</head>
<body class="web">
<header class="site"><a class="brand" href="/assessments">特定個人情報保護評価書</a></header>
<main class="site-main">
<h1 class="page-title">PDF を作成中です</h1>
<p role="status">「${name}」を作成しています (${st.state === 'rendering' ? '作成中' : '順番待ち'})。できあがるとダウンロードが始まります。</p>
<p>始まらないときは <a href="${u}">こちらを開いてください</a>。作成した PDF はしばらくの間だけ保存されます。</p>
<p><a href="/assessments/${encodeURIComponent(st.assessmentId)}">評価書に戻る</a></p>
</main>
</body>
</html>
`;
  res.setHeader('Retry-After', String(POLL_SECONDS));
  res.status(202).type('text/html; charset=utf-8').send(html);
}
