// Every endpoint × every role over real HTTP: the allowed roles get their success status, every other role
// 403, no token 401; tokens of another organisation get 404 for anything of organisation A (or 403 when
// their role may not call the endpoint at all, which is decided before any lookup).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, PERMISSIONS } from '../../src/api/index.ts';
import type { Role } from '../../src/store/index.ts';
import {
  readSample,
  readSampleText,
  ROLES_UNDER_TEST,
  STACK_TRACE,
  startFixture,
  type Fixture,
} from './helpers.ts';
import { SEED_001 } from '../helpers/seeds.ts';

interface Req {
  method: string;
  path: string;
  json?: unknown;
  body?: string;
  type?: string;
  headers?: Record<string, string>;
}

interface Case {
  /** Roles that succeed, and with which status. */
  allowed: Partial<Record<Role, number>>;
  /** Builds the request; may create fresh data so that mutating calls do not disturb each other. */
  build(fx: Fixture, org: 'A' | 'B'): Promise<Req>;
  /** Why the allowed set differs from PERMISSIONS, if it does. */
  note?: string;
}

const ok = (status: number, ...roles: Role[]): Partial<Record<Role, number>> =>
  Object.fromEntries(roles.map((r) => [r, status]));
const READERS = ['admin', 'officer', 'reviewer'] as const;

let seq = 0;
async function existing(fx: Fixture, org: 'A' | 'B' = 'A', versions = 1) {
  return fx.newAssessment({ org, versions });
}

const CASES: Record<string, Case> = {
  getOpenApi: {
    allowed: ok(200, ...ROLES_UNDER_TEST),
    build: async () => ({ method: 'GET', path: '/openapi.json' }),
  },
  health: {
    allowed: ok(200, ...ROLES_UNDER_TEST),
    build: async () => ({ method: 'GET', path: '/api/health' }),
  },
  getMe: { allowed: ok(200, ...ROLES_UNDER_TEST), build: async () => ({ method: 'GET', path: '/api/me' }) },
  listOrganisations: {
    allowed: ok(200, ...READERS),
    build: async () => ({ method: 'GET', path: '/api/organisations' }),
  },
  createOrganisation: {
    allowed: ok(201, 'admin'),
    build: async () => ({
      method: 'POST',
      path: '/api/organisations',
      json: { name: `組織${++seq}`, code: `org-${seq}` },
    }),
  },
  createToken: {
    allowed: ok(201, 'admin'),
    build: async (fx) => ({
      method: 'POST',
      path: '/api/tokens',
      json: { name: '新しい担当者', role: 'officer', orgId: fx.orgA.id },
    }),
  },
  listAssessments: {
    allowed: ok(200, ...READERS),
    build: async () => ({ method: 'GET', path: '/api/assessments' }),
  },
  createAssessment: {
    allowed: ok(201, 'admin', 'officer'),
    build: async (fx) => ({
      method: 'POST',
      path: '/api/assessments',
      json: { title: `新しい事務 ${++seq}`, orgId: fx.orgA.id },
    }),
  },
  getAssessment: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}`,
    }),
  },
  updateAssessment: {
    allowed: ok(200, 'admin', 'officer'),
    build: async (fx, org) => ({
      method: 'PATCH',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}`,
      json: { number: '99' },
    }),
  },
  deleteAssessment: {
    allowed: ok(200, 'admin', 'officer'),
    build: async (fx, org) => ({
      method: 'DELETE',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}`,
    }),
  },
  listVersions: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions`,
    }),
  },
  addVersion: {
    allowed: ok(201, 'admin', 'officer'),
    build: async (fx, org) => {
      const { assessment } = await existing(fx, org);
      return {
        method: 'POST',
        path: `/api/assessments/${assessment.id}/versions?message=${encodeURIComponent('テスト')}`,
        body: readSampleText(org === 'B' ? 'hofu-covid-vaccination' : 'kakuu-city-kaigo', 'assessment.yaml'),
        type: 'application/yaml',
        headers: { 'if-match': assessment.latestEtag as string },
      };
    },
  },
  getVersion: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => {
      const { assessment, versions } = await existing(fx, org);
      return { method: 'GET', path: `/api/assessments/${assessment.id}/versions/${versions[0].id}` };
    },
  },
  validateVersion: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/validation`,
    }),
  },
  validateDocument: {
    allowed: ok(200, ...READERS),
    build: async () => ({ method: 'POST', path: '/api/validate', json: readSample('kakuu-city-kaigo') }),
  },
  decideThreshold: {
    allowed: ok(200, ...READERS),
    build: async () => ({ method: 'POST', path: '/api/threshold', json: { persons: 150000, handlers: 320 } }),
  },
  diffVersions: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => {
      const { assessment, versions } = await existing(fx, org, 2);
      return {
        method: 'GET',
        path: `/api/assessments/${assessment.id}/diff?from=${versions[0].id}&to=${versions[1].id}`,
      };
    },
  },
  renderHtml: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/html?edition=public`,
    }),
  },
  renderPdf: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/pdf`,
    }),
  },
  getPdfJob: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => {
      // A job's status URL (202 Location, or the 200's Content-Location when the stub renderer was quicker).
      const id = (await existing(fx, org)).assessment.id;
      const res = await fx.call('GET', `/api/assessments/${id}/versions/latest/pdf?wait=0`, { token: fx.tokens.admin });
      const url = res.headers.get('location') ?? res.headers.get('content-location');
      return { method: 'GET', path: `${url ?? `/api/assessments/${id}/versions/x/pdf/jobs/none`}?wait=10` };
    },
  },
  checkSnapshot: {
    allowed: ok(200, 'admin', 'officer', 'ci'),
    build: async (fx, org) => ({
      method: 'POST',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/check`,
      body: readSampleText(org === 'B' ? 'hofu-covid-vaccination' : 'kakuu-city-kaigo', 'live.yaml'),
      type: 'application/yaml',
    }),
  },
  listCheckRuns: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/checks`,
    }),
  },
  listComments: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/comments`,
    }),
  },
  addComment: {
    allowed: ok(201, ...READERS),
    build: async (fx, org) => ({
      method: 'POST',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/comments`,
      json: { pointer: '/cover/name', body: '名称を確認してください。' },
    }),
  },
  replyComment: {
    allowed: ok(201, ...READERS),
    build: async (fx, org) => {
      const { assessment, versions } = await existing(fx, org);
      const c = await fx.store.addComment(versions[0].id, {
        pointer: '/cover/name',
        body: '確認',
        author: 'system',
      });
      return {
        method: 'POST',
        path: `/api/assessments/${assessment.id}/comments/${c.id}/replies`,
        json: { body: '確認しました。' },
      };
    },
  },
  resolveComment: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => {
      const { assessment, versions } = await existing(fx, org);
      const c = await fx.store.addComment(versions[0].id, {
        pointer: '/cover/name',
        body: '確認',
        author: 'system',
      });
      return {
        method: 'PATCH',
        path: `/api/assessments/${assessment.id}/comments/${c.id}`,
        json: { resolved: true },
      };
    },
  },
  getStatus: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/status`,
    }),
  },
  transitionStatus: {
    // 下書き → 意見聴取 is the officer's step: a reviewer has the permission to record 点検 results, but the
    // procedure refuses this transition for the role (403), see procedure.test.ts.
    allowed: ok(201, 'admin', 'officer'),
    note: 'reviewer: permission status.transition, but the procedure allows it only the 点検 result',
    build: async (fx, org) => ({
      method: 'POST',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/status`,
      json: { to: '意見聴取' },
    }),
  },
  listAudit: {
    allowed: ok(200, 'admin', 'officer'),
    build: async () => ({ method: 'GET', path: '/api/audit?limit=5' }),
  },
  verifyAudit: {
    allowed: ok(200, 'admin'),
    build: async () => ({ method: 'GET', path: '/api/audit/verify' }),
  },
  importPublished: {
    // A 評価書 given as extracted text; the importer answers 200 with the document and its report.
    allowed: ok(200, 'admin', 'officer'),
    build: async () => ({
      method: 'POST',
      path: '/api/import',
      body: readFileSync(SEED_001, 'utf8'),
      type: 'text/plain',
    }),
  },
  listJudgements: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/judgements`,
    }),
  },
  setJudgement: {
    allowed: ok(201, 'admin', 'officer'),
    build: async (fx, org) => ({
      method: 'POST',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/judgements`,
      json: { key: '/cover/name', reason: '名称の変更' },
    }),
  },
  importJudgements: {
    allowed: ok(200, 'admin', 'officer'),
    build: async (fx, org) => ({
      method: 'PUT',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/versions/latest/judgements`,
      body: 'changes:\n  /cover/name:\n    reason: 名称の変更\n',
      type: 'application/yaml',
    }),
  },
  // Calendar (src/api/routes/calendar.ts)
  listObligations: {
    allowed: ok(200, ...READERS),
    build: async () => ({ method: 'GET', path: '/api/calendar?asOf=2026-12-01' }),
  },
  getAssessmentCalendar: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/calendar?asOf=2026-12-01`,
    }),
  },
  listReviewRecords: {
    allowed: ok(200, ...READERS),
    build: async (fx, org) => ({
      method: 'GET',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/reviews`,
    }),
  },
  recordReview: {
    allowed: ok(201, 'admin', 'officer'),
    build: async (fx, org) => ({
      method: 'POST',
      path: `/api/assessments/${(await existing(fx, org)).assessment.id}/reviews`,
      json: { date: '2025-01-10', result: '変更なし' },
    }),
  },
  getCalendarFeed: {
    allowed: ok(200, ...READERS),
    note: 'authenticated in the handler (calendar clients send the token in the query); a CI token may not read assessments (403)',
    build: async (fx) => ({ method: 'GET', path: `/api/organisations/${fx.orgA.id}/calendar.ics` }),
  },
};

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  // Whatever happened above, nothing resembling a stack trace left the server.
  for (const b of fx.bodies) expect(b).not.toMatch(STACK_TRACE);
  expect(fx.logged).toEqual([]);
  await fx.close();
});

describe('the permission matrix covers every route', () => {
  it('has a case for every route of the app', () => {
    expect(Object.keys(CASES).sort()).toEqual(API_ROUTES.map((r) => r.operationId).sort());
  });
  it('expects exactly the roles of the permission table (or says why not)', () => {
    for (const r of API_ROUTES) {
      const expected = r.action === null ? [...ROLES_UNDER_TEST] : [...PERMISSIONS[r.action]];
      const c = CASES[r.operationId];
      if (c.note) continue;
      expect(Object.keys(c.allowed).sort(), r.operationId).toEqual(expected.sort());
    }
  });
});

describe.each(API_ROUTES.map((r) => [r.operationId, r] as const))('%s', (operationId, route) => {
  const c = CASES[operationId];
  it.each(ROLES_UNDER_TEST.map((role) => [role] as const))('as %s', async (role) => {
    const req = await c.build(fx, 'A');
    const res = await fx.call(req.method, req.path, { ...req, token: fx.tokens[role] });
    const expected = c.allowed[role] ?? 403;
    expect(res.status, `${req.method} ${req.path}: ${res.text.slice(0, 300)}`).toBe(expected);
    if (expected === 403) {
      expect(res.json.error.code).toBe('forbidden');
      expect(res.json.error.message).toMatch(/権限|できません/);
    }
  });

  if (route.action !== null) {
    it('without a token: 401 with WWW-Authenticate', async () => {
      const req = await c.build(fx, 'A');
      const res = await fx.call(req.method, req.path, { ...req, token: null });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.json.error.message).toMatch(/認証|トークン/);
    });
    it('with an unknown token: 401', async () => {
      const req = await c.build(fx, 'A');
      const res = await fx.call(req.method, req.path, {
        ...req,
        token: 'pia_0000000000000000_notavalidtokenatall',
      });
      expect(res.status).toBe(401);
    });
  }

  if (route.path.includes(':assessmentId')) {
    it.each([['officerB'], ['reviewerB'], ['ciB']] as const)(
      'as %s of another organisation: 404 (or 403 by role)',
      async (who) => {
        const req = await c.build(fx, 'A');
        const res = await fx.call(req.method, req.path, { ...req, token: fx.tokens[who] });
        const role = who.replace(/B$/, '') as Role;
        const permitted = route.action !== null && PERMISSIONS[route.action].includes(role);
        expect(res.status, res.text.slice(0, 200)).toBe(permitted ? 404 : 403);
        expect(res.text).not.toContain('テスト事務');
        // The same request works for the owner organisation's own role.
        const own = await c.build(fx, 'B');
        const mine = await fx.call(own.method, own.path, { ...own, token: fx.tokens[who] });
        expect(mine.status).toBe(c.allowed[role] ?? 403);
      },
    );
  }
});

describe('cross-organisation lists and creation', () => {
  it('lists only the own organisation', async () => {
    await existing(fx, 'A');
    const b = await existing(fx, 'B');
    for (const who of ['officerB', 'reviewerB'] as const) {
      const res = await fx.call('GET', '/api/assessments', { token: fx.tokens[who] });
      expect(res.status).toBe(200);
      expect(res.json.assessments.length).toBeGreaterThan(0);
      for (const a of res.json.assessments) expect(a.orgId).toBe(fx.orgB.id);
      expect(res.json.assessments.map((a: { id: string }) => a.id)).toContain(b.assessment.id);
      const filtered = await fx.call('GET', `/api/assessments?orgId=${fx.orgA.id}`, {
        token: fx.tokens[who],
      });
      expect(filtered.json.assessments).toEqual([]);
      const orgs = await fx.call('GET', '/api/organisations', { token: fx.tokens[who] });
      expect(orgs.json.organisations.map((o: { id: string }) => o.id)).toEqual([fx.orgB.id]);
    }
    const all = await fx.call('GET', '/api/assessments', { token: fx.tokens.admin });
    expect(new Set(all.json.assessments.map((a: { orgId: string }) => a.orgId))).toEqual(
      new Set([fx.orgA.id, fx.orgB.id]),
    );
  });
  it('refuses to create in another organisation (404, as if it did not exist)', async () => {
    const res = await fx.call('POST', '/api/assessments', {
      token: fx.tokens.officerB,
      json: { title: '他組織への作成', orgId: fx.orgA.id },
    });
    expect(res.status).toBe(404);
    const list = await fx.store.listAssessments({ orgId: fx.orgA.id });
    expect(list.map((a) => a.title)).not.toContain('他組織への作成');
  });
  it('does not let a comment id of another organisation be used through an own assessment', async () => {
    const a = await existing(fx, 'A');
    const b = await existing(fx, 'B');
    const c = await fx.store.addComment(a.versions[0].id, {
      pointer: '/cover/name',
      body: 'A の内部コメント',
      author: 'system',
    });
    const res = await fx.call('POST', `/api/assessments/${b.assessment.id}/comments/${c.id}/replies`, {
      token: fx.tokens.officerB,
      json: { body: 'x' },
    });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('A の内部コメント');
  });
  it('refuses a document of another organisation filed under this one', async () => {
    const a = await existing(fx, 'A');
    const res = await fx.call('POST', `/api/assessments/${a.assessment.id}/versions`, {
      token: fx.tokens.officer,
      json: readSample('hofu-covid-vaccination'),
      headers: { 'if-match': a.assessment.latestEtag as string },
    });
    expect(res.status).toBe(400);
    expect(res.json.diagnostics[0]).toMatchObject({
      code: 'api/organization-mismatch',
      path: '/organization/id',
    });
  });
});
