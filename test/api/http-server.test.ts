// createHttpServer (what `pia serve` listens with): requests and responses are born on the app's own
// prototypes, so express never changes them (api/http-server.ts says why), and the app behaves as on
// app.listen: express's request and response methods, its 404, errors, and the real app's routes.
import type { AddressInfo } from 'node:net';
import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiEngine, createApp, createHttpServer } from '../../src/api/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';

const servers: Server[] = [];
/** Per request, before express saw it: was it on the app's prototypes already? */
const born: boolean[] = [];

async function serve(app: express.Express): Promise<string> {
  const server = createHttpServer(app);
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    born.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  born.length = 0;
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('createHttpServer', () => {
  it('hands express requests and responses already on the app’s prototypes, with express’s methods', async () => {
    const app = express();
    const seen: unknown[] = [];
    app.post('/echo', express.json(), (req, res) => {
      seen.push({
        reqProto: Object.getPrototypeOf(req) === app.request,
        resProto: Object.getPrototypeOf(res) === app.response,
        nodeClasses: req instanceof IncomingMessage && res instanceof ServerResponse,
        app: req.app === app && res.app === app,
      });
      res
        .status(201)
        .set('X-Echo', req.get('x-in') ?? '')
        .json({ q: req.query.q, body: req.body as unknown });
    });
    app.get('/fail', () => {
      throw new Error('boom');
    });
    const base = await serve(app);
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${base}/echo?q=${i}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-in': `v${i}` },
        body: JSON.stringify({ n: i, name: '住民基本台帳' }),
      });
      expect(r.status).toBe(201);
      expect(r.headers.get('x-echo')).toBe(`v${i}`);
      expect(await r.json()).toEqual({ q: String(i), body: { n: i, name: '住民基本台帳' } });
    }
    expect(seen).toEqual(
      Array.from({ length: 3 }, () => ({ reqProto: true, resProto: true, nodeClasses: true, app: true })),
    );
    // Born so (express's own Object.setPrototypeOf then changes nothing); http.createServer(app) fails this.
    expect(born).toEqual([true, true, true]);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    expect((await fetch(`${base}/fail`)).status).toBe(500);
  });

  it('a second server of the same app serves as well, its requests born on the app’s new prototypes', async () => {
    const app = express();
    app.get('/who', (req, res) => {
      res.json({ ctor: (req.constructor as { name: string }).name, app: req.app === app });
    });
    const first = await serve(app);
    const second = await serve(app);
    for (const base of [first, second]) {
      const r = await fetch(`${base}/who`);
      expect(r.status).toBe(200);
      expect(await r.json()).toEqual({ ctor: 'AppRequest', app: true });
    }
    // The first server's request came before the second server took over the app's prototypes.
    expect(born).toEqual([false, true]);
  });

  it('serves the real app as app.listen does (its JSON errors, its OpenAPI document)', async () => {
    const app = createApp({ store: createMemoryStore(), engine: createApiEngine() });
    const base = await serve(app);
    const openapi = await fetch(`${base}/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    const missing = await fetch(`${base}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain(
      '/openapi.json',
    );
    const unauth = await fetch(`${base}/api/assessments`);
    expect(unauth.status).toBe(401);
  });
});
