// startServer: what `pia serve` runs — open the store (or an in-memory one with the bundled samples), create
// the PDF pool (the browser starts on the first PDF), listen, and close everything in order on close().
import type { Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { UsageError } from '../errors.ts';
import { createPdfRenderer, type PdfRenderer } from '../pdf/index.ts';
import type { RenderQueue } from '../queue/index.ts';
import type { RenderWorker } from '../queue/worker.ts';
import { createMemoryStore, openStore, type Store } from '../store/index.ts';
import { SessionStore } from '../web/sessions.ts';
import { createApp } from './create-app.ts';
import { createApiEngine, type ApiEngine } from './engine-port.ts';
import { createHttpServer } from './http-server.ts';
import { closeParseWorkers } from '../load/index.ts';
import { stderrLogger, type Logger } from './error-handler.ts';
import { loadSamples, type LoadedSamples } from './samples.ts';

export interface ServerOptions {
  /** 0 picks a free port. Default 8080. */
  port?: number;
  /** Default 127.0.0.1: the server is reachable from this machine only unless told otherwise. */
  host?: string;
  /**
   * Store file or database URL (postgres://…); undefined → an in-memory store with the bundled samples (a
   * demo that keeps nothing).
   */
  db?: string;
  /** PostgreSQL: apply pending schema migrations before serving (otherwise an old schema is refused). */
  migrate?: boolean;
  /** Load the bundled samples even into a file store (only if it has no assessments yet). */
  samples?: boolean;
  /** PDF output (default on). */
  pdf?: boolean;
  /** Pages Chromium renders at once (default 2); further PDF requests wait in a queue. */
  pdfPages?: number;
  /**
   * PDF jobs allowed to wait (default 32 in-process, 64 on PostgreSQL); past it a PDF request gets 503 with
   * Retry-After.
   */
  pdfMaxQueued?: number;
  /** How long a PDF request waits for its job before answering 202 with a status URL (default 10 s). */
  pdfWaitMs?: number;
  /**
   * PostgreSQL only: also render queued PDFs in this process (a worker beside the server). Default off:
   * with PostgreSQL the PDFs are rendered by `pia worker` processes and the server starts no browser.
   */
  renderInProcess?: boolean;
  engine?: ApiEngine;
  logger?: Logger;
  /**
   * Proxies whose X-Forwarded-For/-Proto are believed (express `trust proxy`), as parseTrustProxy returns
   * it. Without it the server sees the proxy's plain HTTP and never marks the session cookie Secure.
   */
  trustProxy?: string | number;
}

const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * The value of --trust-proxy / PIA_TRUST_PROXY for express: a number of hops (1–10), or a comma-separated
 * list of loopback / linklocal / uniquelocal / IP addresses / CIDR ranges. "true" (believe anyone) is
 * refused: any client could then claim to be HTTPS or any address.
 */
export function parseTrustProxy(value: string): string | number {
  const v = value.trim();
  if (/^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 10) return Number(v);
  const parts = v.split(',').map((p) => p.trim());
  const ok =
    v !== '' &&
    parts.every((p) => {
      if (PROXY_KEYWORDS.includes(p)) return true;
      const [addr, bits, extra] = p.split('/');
      if (extra !== undefined || isIP(addr) === 0) return false;
      if (bits === undefined) return true;
      const max = isIP(addr) === 4 ? 32 : 128;
      return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
    });
  if (!ok) {
    throw new UsageError(
      `--trust-proxy (PIA_TRUST_PROXY) には、プロキシの段数 (1〜10)、または loopback・IP アドレス・CIDR (例 10.0.0.0/8) をカンマ区切りで指定してください (「${value}」が指定されました)`,
    );
  }
  return parts.join(', ');
}

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  /** A first admin token when one was created at start (printed once, never stored in clear). */
  adminToken?: string;
  samples?: LoadedSamples;
  /** Stops accepting, finishes or cuts open requests, closes the browser, then the store. Idempotent. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const engine = opts.engine ?? createApiEngine();
  const store = opts.db ? await openStore(opts.db, { migrate: opts.migrate === true }) : createMemoryStore();
  let pdf: PdfRenderer | undefined;
  let renderQueue: RenderQueue | undefined;
  let renderWorker: RenderWorker | undefined;
  let server: Server | undefined;
  try {
    let samples: LoadedSamples | undefined;
    if (!opts.db || (opts.samples && (await store.listAssessments()).length === 0)) {
      samples = await loadSamples(store, engine);
    }
    let adminToken: string | undefined;
    // A new store has nobody who could sign in: make the first admin and show its token once.
    if ((await store.listUsers()).length === 0) {
      adminToken = (
        await store.createToken(
          { name: '最初の管理者', role: 'admin', orgId: null, label: 'pia serve の初回起動' },
          { actor: 'system' },
        )
      ).token;
    }
    // PDFs are queued work (src/queue): with PostgreSQL on the pg-boss queue that `pia worker` processes
    // render (no browser here unless --render-in-process); otherwise in this process, bounded.
    if (opts.pdf !== false && opts.db && /^postgres(ql)?:\/\//i.test(opts.db)) {
      const { openPostgresQueue } = await import('../queue/postgres.ts');
      renderQueue = await openPostgresQueue({
        url: opts.db,
        ...(opts.pdfMaxQueued !== undefined ? { maxQueued: opts.pdfMaxQueued } : {}),
        onError: (e) => (opts.logger ?? stderrLogger).error('PDF の待ち行列 (pg-boss) のエラー', e),
      });
      if (opts.renderInProcess) {
        const { startRenderWorker } = await import('../queue/worker.ts');
        renderWorker = await startRenderWorker({ url: opts.db, concurrency: opts.pdfPages ?? 2 });
      }
    } else if (opts.pdf !== false) {
      pdf = createPdfRenderer({ maxPages: opts.pdfPages ?? 2 });
    }
    const app = createApp({
      store,
      engine,
      ...(pdf ? { pdf } : {}),
      ...(renderQueue ? { renderQueue } : {}),
      pdfQueue: { concurrency: opts.pdfPages ?? 2, maxWaiting: opts.pdfMaxQueued ?? 32 },
      ...(opts.pdfWaitMs !== undefined ? { pdfWaitMs: opts.pdfWaitMs } : {}),
      logger: opts.logger ?? stderrLogger,
      // Sessions in the store: with PostgreSQL, a sign-in on one server process is valid on every other.
      web: { sessions: new SessionStore({ store }) },
    });
    // Behind a TLS-terminating proxy: req.secure (the session cookie's Secure flag) and req.ip come from
    // the proxy's X-Forwarded-* headers, believed only from the proxies named here.
    if (opts.trustProxy !== undefined) app.set('trust proxy', opts.trustProxy);
    server = createHttpServer(app);
    // Slow clients may not hold a connection forever; PDFs may wait in the queue, so allow minutes.
    server.requestTimeout = 5 * 60_000;
    server.headersTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    const host = opts.host ?? '127.0.0.1';
    const address = await listen(server, opts.port ?? 8080, host);
    const shownHost =
      host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    let closing: Promise<void> | undefined;
    const s = server;
    const p = pdf;
    const q = renderQueue;
    const w = renderWorker;
    return {
      url: `http://${shownHost}:${address.port}/`,
      port: address.port,
      store,
      ...(adminToken ? { adminToken } : {}),
      ...(samples ? { samples } : {}),
      close() {
        closing ??= (async () => {
          await closeParseWorkers();
          await new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeIdleConnections();
            // Requests still running after a grace period are cut; their writes either committed or not.
            setTimeout(() => s.closeAllConnections(), 3_000).unref();
          });
          await w?.close();
          await q?.close();
          await p?.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (e) {
    server?.close();
    await renderWorker?.close();
    await renderQueue?.close();
    await pdf?.close();
    await store.close();
    throw e;
  }
}
