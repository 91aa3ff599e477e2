// createApp({ store, engine, pdf? }): the express app of `pia serve` — the JSON API under /api, its
// OpenAPI document at /openapi.json, and the server-rendered pages. One router per resource, built from
// the route declarations; one error handler at the end.
import express, { type Express, type Request, type Response, type Router } from 'express';
import type { PdfRenderer } from '../pdf/index.ts';
import { createInProcessQueue, type RenderQueue } from '../queue/index.ts';
import type { Principal, Store } from '../store/index.ts';
import { createWebRouter, renderErrorPage, type WebOptions } from '../web/index.ts';
import type { ApiEngine } from './engine-port.ts';
import { createErrorHandler, stderrLogger, type Logger } from './error-handler.ts';
import { HttpError, notFound, unauthorized } from './http-error.ts';
import { isFeedTokenPrincipal, refuseFeedToken } from './auth-feed-token.ts';
import { buildOpenApi } from './openapi.ts';
import { authorize } from './permissions.ts';
import { type AppLimits, type RouteSpec, sendJson } from './route-spec.ts';
import { adminRoutes } from './routes/admin.ts';
import { assessmentRoutes } from './routes/assessments.ts';
import { documentRoutes } from './routes/documents.ts';
import { reviewRoutes } from './routes/review.ts';
import { judgementRoutes } from './routes/judgements.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { importRoutes } from './routes/import.ts';
import { securityHeaders } from './security-headers.ts';
import { PiaService } from './service.ts';

export interface AppOptions {
  store: Store;
  engine: ApiEngine;
  /** PDF output (a pooled renderer); without it the PDF endpoints answer 503. */
  pdf?: PdfRenderer;
  /**
   * Where PDF downloads are rendered. Default: an in-process bounded queue on `pdf` (embedded store);
   * with PostgreSQL, the pg-boss queue that `pia worker` processes render (src/queue/postgres.ts).
   */
  renderQueue?: RenderQueue;
  /** Bounds of the default in-process queue: renders at once (default 2) and jobs waiting (default 32). */
  pdfQueue?: { concurrency?: number; maxWaiting?: number; resultTtlMs?: number };
  /** How long a PDF request waits for its job before answering 202 with a status URL (default 10 s). */
  pdfWaitMs?: number;
  /** Clock (tests of the 30-day rule). */
  now?: () => Date;
  logger?: Logger;
  /** Largest document or snapshot body in bytes (default: the loader's file limit, 10 MB). */
  documentLimit?: number;
  /** The web pages (default on). */
  web?: boolean | Omit<WebOptions, 'service' | 'engine' | 'authenticate'>;
}

/** The resources of the API, one router each. */
export const API_RESOURCES: Readonly<Record<string, readonly RouteSpec[]>> = {
  admin: adminRoutes,
  assessments: assessmentRoutes,
  documents: documentRoutes,
  review: reviewRoutes,
  judgements: judgementRoutes,
  calendar: calendarRoutes,
  import: importRoutes,
};

const openApiRoute: RouteSpec = {
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApi',
  tag: 'サーバー',
  summary: 'この API の OpenAPI 3.1 文書 (認証不要)',
  action: null,
  responses: { '200': { description: 'OpenAPI 文書', content: { 'application/json': { type: 'object' } } } },
  handle() {
    // Replaced in createApp (it needs the finished document).
  },
};

/** Every route of the API, in registration order (the OpenAPI document lists exactly these). */
export const API_ROUTES: readonly RouteSpec[] = [openApiRoute, ...Object.values(API_RESOURCES).flat()];

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{1,512})[ ]*$/i;

/** The principal of `Authorization: Bearer …`, or 401. Cookies are never read here, so the API has no CSRF surface. */
export async function authenticateBearer(store: Store, req: Request): Promise<Principal> {
  const header = req.headers.authorization;
  if (!header) throw unauthorized();
  const m = BEARER.exec(header);
  if (!m) throw unauthorized('Authorization ヘッダーは「Bearer <トークン>」の形で指定してください。');
  const p = await store.authenticate(m[1]);
  if (!p) throw unauthorized('トークンが無効です (誤り、失効、期限切れ、または利用者が無効化されています)。');
  // A calendar feed token lives in a subscription URL; it opens the feed (routes/calendar.ts) and nothing else.
  await refuseFeedToken(store, p);
  return p;
}

export function createApp(options: AppOptions): Express {
  const engine = options.engine;
  const renderQueue =
    options.renderQueue ??
    (options.pdf ? createInProcessQueue({ renderer: options.pdf, ...(options.pdfQueue ?? {}) }) : undefined);
  const service = new PiaService({
    store: options.store,
    engine,
    ...(options.pdf ? { pdf: options.pdf } : {}),
    ...(renderQueue ? { queue: renderQueue } : {}),
    ...(options.pdfWaitMs !== undefined ? { pdfWaitMs: options.pdfWaitMs } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const limits: AppLimits = { documentLimit: options.documentLimit ?? engine.limits.maxBytes };
  const logger = options.logger ?? stderrLogger;
  const webEnabled = options.web !== false;
  const web = webEnabled
    ? createWebRouter(
        Object.assign({}, typeof options.web === 'object' ? options.web : {}, {
          service,
          engine,
          // A calendar feed token opens no page either (auth-feed-token.ts): for the pages it is no token.
          authenticate: async (token: string) => {
            const p = await options.store.authenticate(token);
            return p && !(await isFeedTokenPrincipal(options.store, p)) ? p : null;
          },
        }),
      )
    : undefined;
  const openapi = JSON.stringify(buildOpenApi(API_ROUTES, { pages: web?.pages ?? [] }), null, 2);

  const app = express();
  app.disable('x-powered-by');
  // ETags are ours (one per version); express's body hashes would be computed for every response.
  app.set('etag', false);
  app.use(securityHeaders());

  const buildRouter = (routes: readonly RouteSpec[]): Router => {
    const router = express.Router();
    for (const spec of routes) {
      router[spec.method](spec.path, async (req: Request, res: Response) => {
        let principal: Principal | undefined;
        if (spec.action !== null) {
          principal = await authenticateBearer(options.store, req);
          // The role is checked before anything is looked up, so a 403 never depends on what exists.
          authorize(principal, spec.action);
        }
        await spec.handle({ req, res, principal: principal as Principal, service, engine, options: limits });
      });
    }
    return router;
  };

  const openApiRouter = express.Router();
  openApiRouter.get(openApiRoute.path, (_req, res) => {
    res.status(200).type('application/json; charset=utf-8').send(openapi);
  });
  app.use(openApiRouter);
  for (const routes of Object.values(API_RESOURCES)) app.use(buildRouter(routes));

  // Unknown API URLs: JSON 404 (never the web's HTML page).
  app.use('/api', (_req, _res, next) =>
    next(new HttpError(404, 'not-found', 'この URL の API はありません。/openapi.json を参照してください。')),
  );

  if (web) app.use(web);
  app.use((_req, _res, next) => next(notFound('ページ')));
  app.use(
    createErrorHandler({
      logger,
      ...(web ? { renderPage: renderErrorPage } : {}),
    }),
  );
  return app;
}

export { sendJson };
