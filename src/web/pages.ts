// The server-rendered pages for officers and 第三者点検 reviewers. Usable without JavaScript: every action is
// a plain form post (CSRF-protected) followed by a redirect, every view a GET. They call the same service
// as the API, so permissions, organisation scope and procedure rules are the API's.
import { describeControlChar, findControlChar } from '../load/limits.ts';
import express, { type Request, type Response, type Router } from 'express';
import { readBody } from '../api/body.ts';
import type { ApiEngine } from '../api/engine-port.ts';
import { forbidden, HttpError, notFound } from '../api/http-error.ts';
import { can, ROLE_NAMES } from '../api/permissions.ts';
import { allowInlineStyles } from '../api/security-headers.ts';
import { collectPdf, pdfJobOf, requestPdf, sendPdf, sendPendingPage } from '../api/pdf-jobs.ts';
import { LATEST, type PiaService } from '../api/service.ts';
import { parsePointer, buildPointer } from '../pointer.ts';
import type { DocumentView, RowView } from '../render/index.ts';
import type { Comment, Principal, VersionInfo } from '../store/index.ts';
import type { Diagnostic } from '../types.ts';
import {
  clearCookie,
  LOGIN_CSRF_COOKIE,
  randomToken,
  readCookies,
  sameSecret,
  SESSION_COOKIE,
  SessionStore,
  setCookie,
  type Session,
  type SessionOptions,
} from './sessions.ts';
import { renderPage, stylesheets } from './views.ts';
import { registerCalendarPages, renderProcedurePanel } from './calendar-pages.ts';
import { judgementRows, registerEditorPages } from './editor/pages.ts';
import { EXCEPTIONS } from '../diff/index.ts';
import { formatWareki } from '../wareki.ts';

export interface WebOptions {
  service: PiaService;
  engine: ApiEngine;
  authenticate: (token: string) => Promise<Principal | null>;
  sessions?: SessionStore | SessionOptions;
}

const FORM_LIMIT = 64 * 1024;
const SEVERITY_NAMES: Record<string, string> = { error: 'エラー', warning: '警告', info: '情報' };
const STATUS_KEYS: Record<string, string> = {
  下書き: 'draft',
  意見聴取: 'comment',
  第三者点検: 'review',
  提出: 'submitted',
  公表: 'published',
};
const FLASH: Record<string, { kind: string; message: string }> = {
  comment: { kind: 'ok', message: 'コメントを投稿しました。' },
  reply: { kind: 'ok', message: '返信しました。' },
  resolved: { kind: 'ok', message: 'スレッドを解決済みにしました。' },
  reopened: { kind: 'ok', message: 'スレッドを再開しました。' },
  status: { kind: 'ok', message: '手続の状態を変更しました。' },
  review: { kind: 'ok', message: '見直しを記録しました。' },
};

interface WebLocals {
  session: Session;
  principal: Principal;
}

/** JST, minutes: 2025-01-02 13:45 */
export function formatDateTime(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return new Date(t + 9 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** JST in 和暦, minutes: 令和7年1月2日 13:45 (the PDF prints dates in 和暦; the pages do too). */
export function formatDateTimeWareki(iso: string): string {
  const t = formatDateTime(iso);
  const w = formatWareki(t.slice(0, 10));
  return w ? `${w} ${t.slice(11)}` : t;
}

const HISTORY_FLASH: Record<string, { kind: string; message: string }> = {
  judged: {
    kind: 'ok',
    message: '判断を記録しました。変更箇所の表と PDF の (別添) 変更箇所 に反映しています。',
  },
  annotations: { kind: 'ok', message: '注釈ファイルの判断を記録しました。' },
};

/** A same-site path to return to after login; anything else goes to the list. */
function safeNext(v: unknown): string {
  return typeof v === 'string' && /^\/(?!\/)[^\s\\]*$/.test(v) && !v.startsWith('/login')
    ? v
    : '/assessments';
}

function sendHtml(res: Response, status: number, html: string): void {
  res.status(status).type('text/html; charset=utf-8').send(html);
}

async function readForm(req: Request): Promise<URLSearchParams> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    throw new HttpError(415, 'unsupported-media-type', 'フォームの送信形式が不正です。');
  const body = await readBody(req, FORM_LIMIT);
  const form = new URLSearchParams(body.toString('utf8'));
  // The same refusal as the API and the loader: control characters are invisible in every view.
  for (const [name, value] of form) {
    const c = findControlChar(value);
    if (c !== undefined) {
      throw new HttpError(
        400,
        'bad-request',
        `入力 (${name}) に制御文字 (${describeControlChar(c)}) が含まれています。制御文字 (タブ・改行以外) は使えません。`,
      );
    }
  }
  return form;
}

/** Cross-site posts are refused twice: SameSite=Strict cookies, and this check of Origin when present. */
function checkOrigin(req: Request): void {
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') {
    if (origin === 'null') throw forbidden('別のサイトからの送信は受け付けません。');
    return;
  }
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw forbidden('別のサイトからの送信は受け付けません。');
  }
  if (host !== req.headers.host) throw forbidden('別のサイトからの送信は受け付けません。');
}

/** The error page (the API's error handler calls this for non-API URLs). */
export function renderErrorPage(req: Request, res: Response, status: number, message: string): void {
  // Not signed in: go to the login page instead of showing an error.
  if (status === 401 && req.method === 'GET') {
    res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  const locals = res.locals as Partial<WebLocals>;
  const heading =
    status === 404
      ? 'ページが見つかりません'
      : status === 403
        ? '権限がありません'
        : status === 401
          ? 'ログインが必要です'
          : 'エラー';
  sendHtml(
    res,
    status,
    renderPage('error', {
      title: heading,
      heading,
      message,
      ...(locals.principal
        ? {
            user: { name: locals.principal.name, roleName: ROLE_NAMES[locals.principal.role] },
            csrf: locals.session?.csrf,
          }
        : {}),
    }),
  );
}

interface Thread extends Comment {
  replies: Comment[];
  label?: string;
}

/** A page route as listed in /openapi.json (tag 画面): the pages are routes of the app too. */
export interface WebPageSpec {
  method: 'get' | 'post';
  path: string;
  summary: string;
  /** Needs a session cookie (and, for posts, the form's CSRF value). */
  session: boolean;
}

export type WebRouter = Router & { pages: WebPageSpec[] };

export function createWebRouter(opts: WebOptions): WebRouter {
  const { service, engine } = opts;
  const sessions = opts.sessions instanceof SessionStore ? opts.sessions : new SessionStore(opts.sessions);
  const pages: WebPageSpec[] = [];
  const expressRouter = express.Router();
  type Handler = (req: Request, res: Response) => void | Promise<void>;
  const page = (
    method: 'get' | 'post',
    path: string,
    summary: string,
    session: boolean,
    handler: Handler,
  ) => {
    pages.push({ method, path, summary, session });
    expressRouter[method](path, handler);
  };
  const router = {
    get: (path: string, summary: string, handler: Handler, session = true) =>
      page('get', path, summary, session, handler),
    post: (path: string, summary: string, handler: Handler, session = true) =>
      page('post', path, summary, session, handler),
  };

  router.get(
    '/static/web.css',
    '画面のスタイルシート',
    (_req, res) => {
      res.type('text/css; charset=utf-8').send(stylesheets().web);
    },
    false,
  );
  router.get(
    '/static/document.css',
    '印刷用のスタイルシート',
    (_req, res) => {
      res.type('text/css; charset=utf-8').send(stylesheets().document);
    },
    false,
  );

  // ───────────── login / logout ─────────────

  const showLogin = (req: Request, res: Response, status: number, error?: string) => {
    // Login CSRF: the form carries a value that must match a cookie only this site could set.
    const loginCsrf = randomToken();
    setCookie(req, res, LOGIN_CSRF_COOKIE, loginCsrf, 3600);
    sendHtml(
      res,
      status,
      renderPage('login', {
        title: 'ログイン',
        loginCsrf,
        next: safeNext(req.query.next ?? req.body?.next),
        ...(error ? { error } : {}),
      }),
    );
  };

  router.get('/login', 'ログイン画面 (トークンを入力)', (req, res) => showLogin(req, res, 200), false);

  router.post(
    '/login',
    'ログイン (トークン → セッション Cookie)',
    async (req, res) => {
      checkOrigin(req);
      const form = await readForm(req);
      if (!sameSecret(form.get('_csrf') ?? undefined, readCookies(req)[LOGIN_CSRF_COOKIE])) {
        showLogin(req, res, 403, 'フォームの有効期限が切れました。もう一度ログインしてください。');
        return;
      }
      const token = (form.get('token') ?? '').trim();
      const principal = token && token.length <= 512 ? await opts.authenticate(token) : null;
      if (!principal) {
        showLogin(
          req,
          res,
          401,
          'トークンが正しくないか、無効になっています (カレンダー専用のトークンでは画面を使えません)。',
        );
        return;
      }
      if (!can(principal.role, 'assessment.read')) {
        showLogin(req, res, 403, 'このトークン (CI 用) では画面を使えません。');
        return;
      }
      const session = await sessions.open(token);
      setCookie(req, res, SESSION_COOKIE, session.id);
      clearCookie(req, res, LOGIN_CSRF_COOKIE);
      res.redirect(303, safeNext(form.get('next')));
    },
    false,
  );

  // Everything below needs a session.
  const requireSession = async (req: Request, res: Response): Promise<WebLocals> => {
    const session = await sessions.find(readCookies(req)[SESSION_COOKIE]);
    const principal = session ? await opts.authenticate(session.token) : null;
    if (!session || !principal) {
      if (session) await sessions.end(session.id);
      throw new HttpError(
        401,
        'unauthorized',
        'ログインが必要です (セッションが切れたか、トークンが無効になりました)。',
      );
    }
    const locals = res.locals as WebLocals;
    locals.session = session;
    locals.principal = principal;
    return locals;
  };

  /** A form post: session, same origin, and the session's CSRF token. */
  const requirePost = async (req: Request, res: Response): Promise<WebLocals & { form: URLSearchParams }> => {
    checkOrigin(req);
    const locals = await requireSession(req, res);
    const form = await readForm(req);
    if (!sameSecret(form.get('_csrf') ?? undefined, locals.session.csrf)) {
      throw forbidden('フォームの確認用の値が一致しません。ページを開き直してからやり直してください。');
    }
    return { ...locals, form };
  };

  // Rule titles (Japanese) by code: one table, the engine's rule descriptions (SARIF uses the same).
  let ruleTitles: Record<string, { ja: string }> | undefined;
  const ruleTitleOf = (code: string): string => (ruleTitles ??= engine.describeRules())[code]?.ja ?? '';

  const base = (l: WebLocals, title: string, extra: Record<string, unknown> = {}) => ({
    title,
    user: { name: l.principal.name, roleName: ROLE_NAMES[l.principal.role] },
    csrf: l.session.csrf,
    ...extra,
  });

  router.post('/logout', 'ログアウト', async (req, res) => {
    const { session } = await requirePost(req, res);
    await sessions.end(session.id);
    clearCookie(req, res, SESSION_COOKIE);
    res.redirect(303, '/login');
  });

  router.get(
    '/',
    'トップ (一覧またはログインへ転送)',
    async (req, res) => {
      const session = await sessions.find(readCookies(req)[SESSION_COOKIE]);
      res.redirect(303, session ? '/assessments' : '/login');
    },
    false,
  );

  // ───────────── names of actors ─────────────

  const actorNames = async (actors: Iterable<string>): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    for (const a of new Set(actors)) {
      if (a.startsWith('user:')) {
        const u = await service.store.getUser(a.slice(5));
        out.set(a, u ? u.name : a);
      } else if (a.startsWith('cli:')) out.set(a, `${a.slice(4)} (コマンド)`);
      else out.set(a, a === 'system' ? 'システム' : a);
    }
    return out;
  };

  // The editor (create, edit, downloads, 変更箇所 judgements): before the document route, so that
  // /assessments/new is not taken for an assessment id.
  registerEditorPages({
    service,
    engine,
    ...router,
    requireSession,
    checkOrigin,
    base,
    actorNames,
    formatDateTime: formatDateTimeWareki,
  });

  // ───────────── list ─────────────

  router.get('/assessments', '評価書の一覧 (状態・検証・最新の照合結果)', async (req, res) => {
    const l = await requireSession(req, res);
    const p = l.principal;
    const list = await service.listAssessments(p);
    const orgs = new Map((await service.listOrganisations(p)).map((o) => [o.id, o.name]));
    const rows = [];
    for (const a of list) {
      const latest = a.latestVersionId ? await service.loadVersion(a.id, a.latestVersionId) : null;
      const validation = latest ? service.validateStored(a, latest).summary : null;
      const run = await service.latestCheckRun(p, a);
      rows.push({
        id: a.id,
        title: a.title,
        number: a.number,
        orgName: orgs.get(a.orgId) ?? '',
        formName: latest ? (engine.findForm(latest.doc)?.form ?? '様式不明') : '',
        version: latest ? { number: latest.number, createdAt: formatDateTime(latest.createdAt) } : null,
        status: a.status,
        statusKey: a.status ? STATUS_KEYS[a.status] : '',
        validation: validation ? { ...validation, clean: validation.error + validation.warning === 0 } : null,
        drift: run
          ? {
              ...run.summary,
              clean: run.summary.error + run.summary.warning === 0,
              at: formatDateTime(run.createdAt),
            }
          : null,
      });
    }
    rows.sort((x, y) => x.orgName.localeCompare(y.orgName, 'ja') || x.title.localeCompare(y.title, 'ja'));
    sendHtml(
      res,
      200,
      renderPage(
        'assessments',
        base(l, '評価書の一覧', { rows, canCreate: can(p.role, 'assessment.create') }),
      ),
    );
  });

  // ───────────── document ─────────────

  router.get(
    '/assessments/:assessmentId',
    '評価書 (印刷どおりの表示、項目ごとの所見とコメント、手続)',
    async (req, res) => {
      const l = await requireSession(req, res);
      const p = l.principal;
      const assessmentId = req.params.assessmentId as string;
      const versionParam =
        typeof req.query.version === 'string' && req.query.version ? req.query.version : LATEST;
      const assessment = await service.getAssessment(p, assessmentId);
      if (!assessment.latestVersionId) {
        sendHtml(
          res,
          200,
          renderPage(
            'error',
            base(l, assessment.title, {
              heading: assessment.title,
              message: 'この評価書にはまだ版が登録されていません。',
            }),
          ),
        );
        return;
      }
      const { version } = await service.getVersion(p, assessmentId, versionParam);
      const versions = await service.listVersions(p, assessmentId);
      const validation = service.validateStored(assessment, version);
      const run = can(p.role, 'check.read') ? await service.store.latestCheckRun(version.id) : null;
      const comments = await service.listComments(p, assessmentId, version.id);
      const status = await service.status(p, assessmentId, version.id);
      const names = await actorNames([
        version.author,
        ...comments.map((c) => c.author),
        ...status.history.map((h) => h.actor),
        ...versions.map((v) => v.author),
      ]);

      let view: DocumentView | undefined;
      let viewError: string | undefined;
      try {
        view = engine.documentView?.(version.doc, { public: false });
      } catch (e) {
        viewError = (e as Error).message;
      }

      // Dates on this page are in 和暦 as the printed form and the history page show them.
      // Threads (root + replies), each shown beside the nearest row at or above its pointer.
      const threads = new Map<string, Thread>();
      for (const c of comments) {
        const shown = {
          ...c,
          author: names.get(c.author) ?? c.author,
          createdAt: formatDateTimeWareki(c.createdAt),
        };
        if (c.parentId === null) threads.set(c.id, { ...shown, replies: [] });
        else threads.get(c.parentId)?.replies.push(shown);
      }
      const findings: Diagnostic[] = [...validation.diagnostics, ...(run?.diagnostics ?? [])].filter(
        (d) => !d.waived,
      );

      const rowsByPointer = new Map<
        string,
        RowView & { findings: unknown[]; threads: Thread[]; hasNotes?: boolean }
      >();
      const items: { pointer: string; label: string; selected: boolean }[] = [];
      const selectedItem = typeof req.query.item === 'string' ? req.query.item : undefined;
      const sections = (view?.sections ?? []).map((s) => ({
        ...s,
        tables: s.tables.map((t) => ({
          ...t,
          rows: t.rows.map((r) => {
            const row = { ...r, findings: [] as unknown[], threads: [] as Thread[] };
            rowsByPointer.set(r.pointer, row);
            items.push({
              pointer: r.pointer,
              label: [s.title, r.group, r.label].filter(Boolean).join(' › '),
              selected: r.pointer === selectedItem,
            });
            return row;
          }),
        })),
      }));
      const nearestRow = (pointer: string) => {
        let tokens: string[];
        try {
          tokens = parsePointer(pointer);
        } catch {
          return undefined;
        }
        for (let n = tokens.length; n > 0; n--) {
          const row = rowsByPointer.get(buildPointer(tokens.slice(0, n)));
          if (row) return row;
        }
        // A finding about a whole group (「6. 特定個人情報の保管・消去」 missing) sits beside the group's first row.
        if (pointer === '') return undefined;
        for (const [p, row] of rowsByPointer) if (p.startsWith(pointer + '/')) return row;
        return undefined;
      };
      const general = { findings: [] as unknown[], threads: [] as Thread[] };
      for (const d of findings) {
        const shown = { ...d, severityName: SEVERITY_NAMES[d.severity], ruleTitle: ruleTitleOf(d.code) };
        const row = nearestRow(d.path);
        if (row) {
          row.findings.push(shown);
          row.hasNotes = true;
        } else general.findings.push(shown);
      }
      for (const t of threads.values()) {
        const row = nearestRow(t.pointer);
        if (row) {
          row.threads.push(t);
          row.hasNotes = true;
        } else general.threads.push({ ...t, label: t.pointer === '' ? '評価書全体' : t.pointer });
      }

      const canComment = can(p.role, 'comment.write');
      const procedurePanel = await renderProcedurePanel({
        service,
        principal: p,
        assessment,
        version,
        status,
        csrf: l.session.csrf,
        actorNames,
      });
      sendHtml(
        res,
        200,
        renderPage(
          'document',
          base(l, assessment.title, {
            documentCss: true,
            procedurePanel,
            flash:
              typeof req.query.done === 'string' && Object.hasOwn(FLASH, req.query.done)
                ? FLASH[req.query.done]
                : undefined,
            assessment,
            version: {
              ...version,
              doc: undefined,
              createdAt: formatDateTimeWareki(version.createdAt),
              author: names.get(version.author) ?? version.author,
            },
            isLatest: version.id === assessment.latestVersionId,
            statusKey: STATUS_KEYS[version.status],
            versions: versions
              .slice()
              .reverse()
              .map((v) => ({
                id: v.id,
                number: v.number,
                status: v.status,
                createdAt: formatDateTimeWareki(v.createdAt),
                selected: v.id === version.id,
              })),
            formName: validation.form?.form,
            validation: {
              ...validation.summary,
              clean: validation.summary.error + validation.summary.warning === 0,
            },
            drift: run
              ? {
                  ...run.summary,
                  clean: run.summary.error + run.summary.warning === 0,
                  at: formatDateTimeWareki(run.createdAt),
                }
              : null,
            transitions: status.transitions,
            history: status.history.map((h) => ({
              ...h,
              at: formatDateTimeWareki(h.at),
              actor: names.get(h.actor) ?? h.actor,
            })),
            general,
            items,
            can: { comment: canComment, render: can(p.role, 'render'), edit: can(p.role, 'version.create') },
            view: view ? { ...view, sections } : { cover: { rows: [] }, sections: [] },
            changeRowTitles: Object.values(engine.changeRowTitles()),
            ...(viewError
              ? { flash: { kind: 'error', message: `印刷用の表示を作れません: ${viewError}` } }
              : {}),
          }),
        ),
      );
    },
  );

  router.get('/assessments/:assessmentId/versions/:versionId/print', '印刷用 HTML', async (req, res) => {
    const l = await requireSession(req, res);
    const { html } = await service.renderHtml(
      l.principal,
      req.params.assessmentId as string,
      req.params.versionId as string,
      { public: req.query.edition === 'public' },
    );
    allowInlineStyles(res);
    sendHtml(res, 200, html);
  });

  router.get(
    '/assessments/:assessmentId/versions/:versionId/document.pdf',
    'PDF のダウンロード',
    async (req, res) => {
      const l = await requireSession(req, res);
      const assessmentId = req.params.assessmentId as string;
      const versionId = req.params.versionId as string;
      // The same queued path as the API: the PDF if it is done within the bound, else a 「作成中」 page that
      // reloads itself with ?job= (a status URL of the page) until it is; 503 when the queue is full.
      const job = typeof req.query.job === 'string' ? req.query.job : undefined;
      const outcome = job
        ? await collectPdf(
            service,
            (await pdfJobOf(service, l.principal, assessmentId, versionId, job)).id,
            res,
            service.pdfWaitMs,
          )
        : await requestPdf(service, l.principal, req, res, {
            assessmentId,
            versionId,
            public: req.query.edition === 'public',
            waitMs: service.pdfWaitMs,
          });
      if (outcome.kind === 'pdf') sendPdf(res, outcome.pdf, outcome.filename);
      else if (outcome.kind === 'pending') {
        const st = outcome.status;
        const url = `/assessments/${encodeURIComponent(st.assessmentId)}/versions/${encodeURIComponent(st.versionId)}/document.pdf?job=${st.id}`;
        sendPendingPage(res, st, url);
      }
    },
  );

  // ───────────── history ─────────────

  router.get('/assessments/:assessmentId/history', '版の履歴と 2 つの版の変更箇所', async (req, res) => {
    const l = await requireSession(req, res);
    const p = l.principal;
    const assessmentId = req.params.assessmentId as string;
    const assessment = await service.getAssessment(p, assessmentId);
    const versions = await service.listVersions(p, assessmentId);
    const names = await actorNames(versions.map((v) => v.author));
    const shown = versions
      .slice()
      .reverse()
      .map((v) => ({
        ...v,
        createdAt: formatDateTimeWareki(v.createdAt),
        author: names.get(v.author) ?? v.author,
      }));
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    const byId = new Map(versions.map((v) => [v.id, v]));
    const to: VersionInfo | undefined = byId.get(q('to') ?? '') ?? versions[versions.length - 1];
    const from: VersionInfo | undefined = byId.get(q('from') ?? '') ?? versions[versions.length - 2];
    let diff: Record<string, unknown> | undefined;
    let diffError: string | undefined;
    if (from && to && can(p.role, 'diff')) {
      try {
        const { result } = await service.changeLog(p, assessmentId, from.id, to.id);
        // Judgements belong to a version's 変更箇所 against the version just before it.
        const consecutive = (await service.predecessorOf(to))?.id === from.id;
        const judgeable = consecutive && can(p.role, 'judgement.write');
        const judged = consecutive
          ? judgementRows(result, await service.listJudgements(p, assessmentId, to.id))
          : [];
        diff = {
          from,
          to,
          consecutive,
          judgeable,
          rows: result.rows.map((r, i) => ({
            ...r,
            date: formatWareki(r.date) || r.date,
            kindKey: r.kind === '重要な変更' ? 'significant' : r.kind === '例外' ? 'exception' : 'other',
            ...(judged[i] ?? {}),
          })),
          consequences: result.summary.consequences,
          findings: result.findings.map((d) => ({
            ...d,
            severityName: SEVERITY_NAMES[d.severity],
            ruleTitle: ruleTitleOf(d.code),
          })),
        };
      } catch (e) {
        if (!(e instanceof HttpError) && !(e instanceof Error && e.name === 'InputError')) throw e;
        diffError = e.message;
      }
    }
    sendHtml(
      res,
      200,
      renderPage(
        'history',
        base(l, `${assessment.title} の履歴`, {
          documentCss: true,
          assessment,
          versions: shown,
          compare: versions.length >= 2,
          fromOptions: shown.map((v) => ({ id: v.id, number: v.number, selected: v.id === from?.id })),
          toOptions: shown.map((v) => ({ id: v.id, number: v.number, selected: v.id === to?.id })),
          diff,
          diffError,
          flash:
            typeof req.query.done === 'string' && Object.hasOwn(HISTORY_FLASH, req.query.done)
              ? HISTORY_FLASH[req.query.done]
              : undefined,
          exceptions: [...EXCEPTIONS],
          changeRowTitles: Object.values(engine.changeRowTitles()),
        }),
      ),
    );
  });

  // ───────────── form posts ─────────────

  const backToDocument = (
    res: Response,
    assessmentId: string,
    versionId: string | null,
    done: string,
    anchor = '',
  ) => {
    const v =
      versionId && /^[A-Za-z0-9-]{1,100}$/.test(versionId) ? `version=${encodeURIComponent(versionId)}&` : '';
    res.redirect(303, `/assessments/${encodeURIComponent(assessmentId)}?${v}done=${done}${anchor}`);
  };

  router.post(
    '/assessments/:assessmentId/versions/:versionId/comments',
    'コメントの投稿',
    async (req, res) => {
      const { principal, form } = await requirePost(req, res);
      const assessmentId = req.params.assessmentId as string;
      const body = (form.get('body') ?? '').trim();
      if (!body) throw new HttpError(400, 'bad-request', 'コメントが空です。');
      if (body.length > 10_000)
        throw new HttpError(400, 'bad-request', 'コメントが長すぎます (上限 10,000 文字)。');
      const c = await service.addComment(principal, assessmentId, req.params.versionId as string, {
        pointer: form.get('pointer') ?? '',
        body,
      });
      backToDocument(res, assessmentId, c.versionId, 'comment', `#c-${c.id}`);
    },
  );

  router.post('/assessments/:assessmentId/comments/:commentId/replies', '返信の投稿', async (req, res) => {
    const { principal, form } = await requirePost(req, res);
    const assessmentId = req.params.assessmentId as string;
    const body = (form.get('body') ?? '').trim();
    if (!body) throw new HttpError(400, 'bad-request', '返信が空です。');
    if (body.length > 10_000)
      throw new HttpError(400, 'bad-request', '返信が長すぎます (上限 10,000 文字)。');
    const c = await service.replyComment(principal, assessmentId, req.params.commentId as string, body);
    backToDocument(res, assessmentId, c.versionId, 'reply', `#c-${c.parentId ?? c.id}`);
  });

  router.post(
    '/assessments/:assessmentId/comments/:commentId/resolution',
    'スレッドの解決・再開',
    async (req, res) => {
      const { principal, form } = await requirePost(req, res);
      const assessmentId = req.params.assessmentId as string;
      const resolved = form.get('resolved') !== '0';
      const c = await service.resolveComment(
        principal,
        assessmentId,
        req.params.commentId as string,
        resolved,
      );
      backToDocument(res, assessmentId, c.versionId, resolved ? 'resolved' : 'reopened', `#c-${c.id}`);
    },
  );

  router.post(
    '/assessments/:assessmentId/versions/:versionId/status',
    '手続の状態の変更',
    async (req, res) => {
      const { principal, form } = await requirePost(req, res);
      const assessmentId = req.params.assessmentId as string;
      const versionId = req.params.versionId as string;
      const note = (form.get('note') ?? '').trim();
      const t = await service.transition(principal, assessmentId, versionId, {
        to: form.get('to') ?? '',
        ...(note ? { note } : {}),
        ...(form.get('expectedFrom') ? { expectedFrom: form.get('expectedFrom') as string } : {}),
      });
      backToDocument(res, assessmentId, t.versionId, 'status');
    },
  );

  registerCalendarPages({ router, service, requireSession, requirePost, base, actorNames });

  return Object.assign(expressRouter, { pages });
}

export { notFound };
