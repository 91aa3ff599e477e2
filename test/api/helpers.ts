// A real app on 127.0.0.1:0 with two organisations, a token per role in each, and the bundled samples as
// documents. Requests go over real HTTP (fetch); every response body is kept so a test can assert that no
// stack trace ever left the server.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp, createApiEngine, type AppOptions } from '../../src/api/index.ts';
import type { ApiEngine } from '../../src/api/engine-port.ts';
import { loadText } from '../../src/load/index.ts';
import { ASSESSMENTS_DIR } from '../../src/paths.ts';
import type { PdfRenderer } from '../../src/pdf/index.ts';
import {
  createMemoryStore,
  type Assessment,
  type Organisation,
  type ReviewStatus,
  type Role,
  type Store,
  type Version,
} from '../../src/store/index.ts';
import type { JsonObject } from '../../src/types.ts';

export const ROLES_UNDER_TEST: readonly Role[] = ['admin', 'officer', 'reviewer', 'ci'];

export function readSample(name: string, file = 'assessment.yaml'): JsonObject {
  const loaded = loadText(readFileSync(join(ASSESSMENTS_DIR, name, file), 'utf8'), { source: file });
  if (!loaded.data) throw new Error(`sample ${name}/${file} does not load`);
  return loaded.data;
}
export function readSampleText(name: string, file: string): string {
  return readFileSync(join(ASSESSMENTS_DIR, name, file), 'utf8');
}

/** A PDF renderer that does not start a browser (the permission matrix); real PDFs are tested separately. */
export function stubPdf(): PdfRenderer {
  let rendered = 0;
  return {
    async renderPdf(html: string) {
      rendered++;
      return new TextEncoder().encode(`%PDF-1.7\n% stub for ${html.length} bytes of HTML\n%%EOF\n`);
    },
    async close() {},
    stats: () => ({ launches: 0, openPages: 0, peakOpenPages: 0, queued: 0, rendered }),
    getBrowser: () => Promise.reject(new Error('stub')),
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface Fixture {
  url: string;
  store: Store;
  engine: ApiEngine;
  orgA: Organisation;
  orgB: Organisation;
  /** admin (no organisation), and officer/reviewer/ci of A; officerB/reviewerB/ciB of B. */
  tokens: Record<Role | 'officerB' | 'reviewerB' | 'ciB', string>;
  /** Every response body seen so far. */
  bodies: string[];
  /** What the server logged (unexpected errors, with stacks); a test run should leave it empty. */
  logged: string[];
  call(
    method: string,
    path: string,
    opts?: {
      token?: string | null;
      json?: unknown;
      body?: string | Buffer;
      type?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Reply>;
  /** An assessment of org A (kakuu-city) or B (hofu-city) with `versions` versions of `doc`. */
  newAssessment(opts?: {
    org?: 'A' | 'B';
    doc?: JsonObject;
    versions?: number;
    status?: ReviewStatus;
  }): Promise<{ assessment: Assessment; versions: Version[] }>;
  close(): Promise<void>;
}

let titleSeq = 0;

export async function startFixture(options: Partial<AppOptions> = {}): Promise<Fixture> {
  const store = options.store ?? createMemoryStore();
  const engine = options.engine ?? createApiEngine();
  const logged: string[] = [];
  const logger = {
    error: (m: string, e?: unknown) => logged.push(`${m} ${e instanceof Error ? e.stack : String(e)}`),
  };
  const app = createApp({ store, engine, pdf: stubPdf(), logger, ...options });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const actor = { actor: 'system' };
  const orgA = await store.createOrganisation({ name: '架空市長', code: 'kakuu-city' }, actor);
  const orgB = await store.createOrganisation({ name: '防府市長', code: 'hofu-city' }, actor);
  const token = async (role: Role, orgId: string | null) =>
    (await store.createToken({ name: `${role}-${orgId ?? 'all'}`, role, orgId }, actor)).token;
  const tokens = {
    admin: await token('admin', null),
    officer: await token('officer', orgA.id),
    reviewer: await token('reviewer', orgA.id),
    ci: await token('ci', orgA.id),
    officerB: await token('officer', orgB.id),
    reviewerB: await token('reviewer', orgB.id),
    ciB: await token('ci', orgB.id),
  };
  const bodies: string[] = [];
  const fx: Fixture = {
    url,
    store,
    engine,
    orgA,
    orgB,
    tokens,
    bodies,
    logged,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | Buffer | undefined = o.body;
      if (o.json !== undefined) {
        body = JSON.stringify(o.json);
        headers['content-type'] ??= 'application/json';
      } else if (o.type) headers['content-type'] = o.type;
      const res = await fetch(url + path, {
        method,
        headers,
        body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
        redirect: 'manual',
      });
      const buf = Buffer.from(await res.arrayBuffer());
      const text = buf.toString('utf8');
      bodies.push(text);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async newAssessment(o = {}) {
      const org = o.org === 'B' ? orgB : orgA;
      const doc = o.doc ?? readSample(o.org === 'B' ? 'hofu-covid-vaccination' : 'kakuu-city-kaigo');
      const assessment = await store.createAssessment(
        { orgId: org.id, title: `テスト事務 ${++titleSeq}`, form: null },
        actor,
      );
      const versions: Version[] = [];
      for (let i = 0; i < (o.versions ?? 1); i++) {
        const d =
          i === 0
            ? doc
            : { ...doc, cover: { ...(doc.cover as JsonObject), specialNotes: `第${i + 1}版の特記事項` } };
        versions.push(
          await store.addVersion(assessment.id, d, {
            author: 'system',
            ...(i === 0 ? {} : { ifMatch: '*' }),
            ...(o.status ? { status: o.status } : {}),
          }),
        );
      }
      return { assessment: (await store.getAssessment(assessment.id)) as Assessment, versions };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
  return fx;
}

/** Stack frames, file paths of the server or error class dumps: none may appear in a response. */
export const STACK_TRACE =
  /(\n\s+at [^\n]+:\d+:\d+)|(\bat (async )?[\w.<>]+ \()|node_modules|\/src\/[\w/-]+\.ts|(TypeError|ReferenceError|SyntaxError): /;
