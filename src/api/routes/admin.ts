// Who is calling, organisations, tokens and the audit log.
import { ROLES } from '../../store/index.ts';
import { readJsonObject, stringField, inputDiagnostic } from '../body.ts';
import { parseTokenExpiry } from '../../load/user-dates.ts';
import { badRequest } from '../http-error.ts';
import { jsonOf, query, ref, sendJson, type RouteSpec } from '../route-spec.ts';

function intQuery(v: string | undefined, key: string, max?: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v))
    throw badRequest(`${key} は 0 以上の整数です。`, [inputDiagnostic(`${key} の値が不正です`, 'request')]);
  const n = Number(v);
  return max !== undefined ? Math.min(n, max) : n;
}

export const adminRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/health',
    operationId: 'health',
    tag: 'サーバー',
    summary: '稼働確認 (認証不要。データは返さない)',
    action: null,
    responses: {
      '200': {
        description: '稼働中',
        content: jsonOf({ type: 'object', properties: { ok: { const: true } } }),
      },
    },
    handle({ res }) {
      sendJson(res, 200, { ok: true });
    },
  },
  {
    method: 'get',
    path: '/api/me',
    operationId: 'getMe',
    tag: 'サーバー',
    summary: 'このトークンの利用者・役割・組織',
    action: 'me.read',
    responses: { '200': { description: '利用者', content: jsonOf(ref('Principal')) } },
    handle({ res, principal }) {
      sendJson(res, 200, principal);
    },
  },
  {
    method: 'get',
    path: '/api/organisations',
    operationId: 'listOrganisations',
    tag: '組織',
    summary: '組織の一覧 (admin は全組織、それ以外は自組織のみ)',
    action: 'organisation.read',
    responses: {
      '200': {
        description: '組織',
        content: jsonOf({
          type: 'object',
          properties: { organisations: { type: 'array', items: ref('Organisation') } },
        }),
      },
    },
    async handle({ res, principal, service }) {
      sendJson(res, 200, { organisations: await service.listOrganisations(principal) });
    },
  },
  {
    method: 'post',
    path: '/api/organisations',
    operationId: 'createOrganisation',
    tag: '組織',
    summary: '組織を作る (admin)',
    action: 'organisation.create',
    requestBody: {
      description: '組織',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string' },
          code: { type: ['string', 'null'], description: '評価書の organization.id (例 hofu-city)' },
        },
      }),
    },
    responses: { '201': { description: '作成した組織', content: jsonOf(ref('Organisation')) } },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      const org = await service.createOrganisation(principal, {
        name: stringField(body, 'name', { required: true, max: 200 }) as string,
        code: stringField(body, 'code', { max: 100 }) ?? null,
      });
      sendJson(res, 201, org);
    },
  },
  {
    method: 'post',
    path: '/api/tokens',
    operationId: 'createToken',
    tag: '組織',
    summary: '利用者とトークンを作る (admin)。トークンはこの応答でだけ表示される',
    action: 'token.create',
    requestBody: {
      description: '利用者',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['name', 'role'],
        properties: {
          name: { type: 'string' },
          role: { enum: [...ROLES] },
          orgId: { type: ['string', 'null'], description: 'admin 以外は必須' },
          label: { type: 'string' },
          expiresAt: { type: ['string', 'null'], format: 'date-time' },
        },
      }),
    },
    responses: { '201': { description: '作成したトークン', content: jsonOf(ref('CreatedToken')) } },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      const role = stringField(body, 'role', { required: true }) as string;
      const orgId = stringField(body, 'orgId') ?? null;
      // admin is server-wide: an orgId with it is a contradiction (which one would win?), refused.
      if (role === 'admin' && orgId !== null) {
        throw badRequest('admin のトークンは全組織が対象のため orgId は指定できません。', [
          inputDiagnostic('admin には orgId を指定できません', 'request', '/orgId'),
        ]);
      }
      const expiresRaw = stringField(body, 'expiresAt');
      let expiresAt: string | null = null;
      if (expiresRaw !== undefined) {
        const r = parseTokenExpiry(expiresRaw, service.now(), 'expiresAt');
        if ('message' in r)
          throw badRequest(r.message, [inputDiagnostic(r.message, 'request', '/expiresAt')]);
        expiresAt = r.iso;
      }
      const created = await service.createToken(principal, {
        name: stringField(body, 'name', { required: true, max: 200 }) as string,
        role,
        orgId,
        ...(Object.hasOwn(body, 'label') ? { label: stringField(body, 'label', { max: 200 }) } : {}),
        expiresAt,
      });
      sendJson(res, 201, created);
    },
  },
  {
    method: 'get',
    path: '/api/audit',
    operationId: 'listAudit',
    tag: '監査ログ',
    summary: '監査ログ (古い順。admin は全体、officer は自組織の記録)',
    action: 'audit.read',
    parameters: [
      {
        name: 'afterSeq',
        in: 'query',
        description: 'この番号より後の記録',
        schema: { type: 'integer', minimum: 0 },
      },
      {
        name: 'limit',
        in: 'query',
        description: '件数 (上限 1000、既定 200)',
        schema: { type: 'integer', minimum: 1, maximum: 1000 },
      },
      { name: 'target', in: 'query', description: '対象 (例 version:…)', schema: { type: 'string' } },
    ],
    responses: {
      '200': {
        description: '記録',
        content: jsonOf({
          type: 'object',
          properties: { entries: { type: 'array', items: ref('AuditEntry') } },
        }),
      },
    },
    async handle({ req, res, principal, service }) {
      const afterSeq = intQuery(query(req, 'afterSeq'), 'afterSeq');
      const limit = intQuery(query(req, 'limit'), 'limit', 1000) ?? 200;
      const target = query(req, 'target');
      const entries = await service.listAudit(principal, {
        limit,
        ...(afterSeq !== undefined ? { afterSeq } : {}),
        ...(target ? { target } : {}),
      });
      sendJson(res, 200, { entries });
    },
  },
  {
    method: 'get',
    path: '/api/audit/verify',
    operationId: 'verifyAudit',
    tag: '監査ログ',
    summary: '監査ログのハッシュ連鎖を検証する (admin)',
    action: 'audit.verify',
    responses: {
      '200': {
        description: '検証結果 (ok: false なら brokenAt に壊れた記録の番号)',
        content: jsonOf(ref('AuditVerification')),
      },
    },
    async handle({ res, principal, service }) {
      sendJson(res, 200, await service.verifyAudit(principal));
    },
  },
];
