// Assessments (one per 事務) and their versions.
import { REVIEW_STATUSES, type ReviewStatus } from '../../store/index.ts';
import type { FormId } from '../../types.ts';
import {
  readJsonObject,
  readStructuredBody,
  stringField,
  inputDiagnostic,
  JSON_TYPES,
  YAML_TYPES,
} from '../body.ts';
import { badRequest } from '../http-error.ts';
import { jsonOf, param, query, ref, sendJson, type ParamSpec, type RouteSpec } from '../route-spec.ts';

const FORM_IDS: readonly FormId[] = ['kiso', 'juten', 'zenkomoku'];

export const assessmentIdParam: ParamSpec = {
  name: 'assessmentId',
  in: 'path',
  required: true,
  description: '評価書の ID',
  schema: { type: 'string' },
};
export const versionIdParam: ParamSpec = {
  name: 'versionId',
  in: 'path',
  required: true,
  description: '版の ID。`latest` で最新版',
  schema: { type: 'string' },
};

const documentContent = {
  'application/json': { type: 'object', description: '評価書 (document-model.md の形)' },
  ...Object.fromEntries(YAML_TYPES.map((t) => [t, { type: 'string', description: '評価書の YAML' }])),
};

function formField(v: unknown): FormId | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  if (typeof v === 'string' && (FORM_IDS as readonly string[]).includes(v)) return v as FormId;
  throw badRequest(`form は ${FORM_IDS.join(' / ')} のいずれかです。`, [
    inputDiagnostic('form の値が不正です', 'request', '/form'),
  ]);
}

export const assessmentRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/assessments',
    operationId: 'listAssessments',
    tag: '評価書',
    summary: '評価書の一覧 (自組織。admin は全組織、orgId で絞込み)',
    action: 'assessment.read',
    parameters: [{ name: 'orgId', in: 'query', description: '組織で絞り込む', schema: { type: 'string' } }],
    responses: {
      '200': {
        description: '一覧',
        content: jsonOf({
          type: 'object',
          properties: { assessments: { type: 'array', items: ref('Assessment') } },
        }),
      },
    },
    async handle({ req, res, principal, service }) {
      const orgId = query(req, 'orgId');
      const assessments = await service.listAssessments(principal, orgId ? { orgId } : {});
      sendJson(res, 200, { assessments });
    },
  },
  {
    method: 'post',
    path: '/api/assessments',
    operationId: 'createAssessment',
    tag: '評価書',
    summary: '評価書を作る (事務名で識別。最初の版は POST …/versions で登録)',
    action: 'assessment.create',
    requestBody: {
      description: '事務名など',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['title'],
        properties: {
          title: { type: 'string', description: '事務名 (組織内で一意)' },
          orgId: { type: 'string', description: '組織 (admin は必須。それ以外は自組織)' },
          form: { enum: [...FORM_IDS, null] },
          number: { type: ['string', 'null'], description: '評価書番号' },
        },
      }),
    },
    responses: { '201': { description: '作成した評価書', content: jsonOf(ref('Assessment')) } },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      const a = await service.createAssessment(principal, {
        title: stringField(body, 'title', { required: true, max: 200 }) as string,
        ...(body.orgId !== undefined ? { orgId: stringField(body, 'orgId') } : {}),
        form: formField(body.form),
        number: stringField(body, 'number', { max: 100 }) ?? null,
      });
      res.setHeader('Location', `/api/assessments/${a.id}`);
      sendJson(res, 201, a);
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId',
    operationId: 'getAssessment',
    tag: '評価書',
    summary: '評価書 (最新版の ID・ETag・状態を含む)',
    action: 'assessment.read',
    parameters: [assessmentIdParam],
    responses: { '200': { description: '評価書', content: jsonOf(ref('Assessment')) } },
    async handle({ req, res, principal, service }) {
      sendJson(res, 200, await service.getAssessment(principal, param(req, 'assessmentId')));
    },
  },
  {
    method: 'patch',
    path: '/api/assessments/:assessmentId',
    operationId: 'updateAssessment',
    tag: '評価書',
    summary: '事務名・様式・評価書番号を変える',
    action: 'assessment.update',
    parameters: [assessmentIdParam],
    requestBody: {
      description: '変える項目だけ',
      required: true,
      content: jsonOf({
        type: 'object',
        properties: {
          title: { type: 'string' },
          form: { enum: [...FORM_IDS, null] },
          number: { type: ['string', 'null'] },
        },
      }),
    },
    responses: { '200': { description: '更新後の評価書', content: jsonOf(ref('Assessment')) } },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      const patch: { title?: string; form?: FormId | null; number?: string | null } = {};
      if (body.title !== undefined) patch.title = stringField(body, 'title', { required: true, max: 200 });
      if (body.form !== undefined) patch.form = formField(body.form);
      if (body.number !== undefined) patch.number = stringField(body, 'number', { max: 100 }) ?? null;
      sendJson(res, 200, await service.updateAssessment(principal, param(req, 'assessmentId'), patch));
    },
  },
  {
    method: 'delete',
    path: '/api/assessments/:assessmentId',
    operationId: 'deleteAssessment',
    tag: '評価書',
    summary: '評価書を削除する (論理削除。版・コメント・監査ログは残る)',
    action: 'assessment.delete',
    parameters: [assessmentIdParam],
    responses: { '200': { description: '削除した評価書', content: jsonOf(ref('Assessment')) } },
    async handle({ req, res, principal, service }) {
      sendJson(res, 200, await service.deleteAssessment(principal, param(req, 'assessmentId')));
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions',
    operationId: 'listVersions',
    tag: '版',
    summary: '版の一覧 (古い順、文書なし)',
    action: 'version.read',
    parameters: [assessmentIdParam],
    responses: {
      '200': {
        description: '版の一覧',
        content: jsonOf({
          type: 'object',
          properties: { versions: { type: 'array', items: ref('VersionInfo') } },
        }),
      },
    },
    async handle({ req, res, principal, service }) {
      sendJson(res, 200, { versions: await service.listVersions(principal, param(req, 'assessmentId')) });
    },
  },
  {
    method: 'post',
    path: '/api/assessments/:assessmentId/versions',
    operationId: 'addVersion',
    tag: '版',
    summary: '新しい版を登録する (版は上書きされない)',
    description:
      '本文は評価書の JSON または YAML。既に版がある評価書では If-Match に最新版の ETag が必要 (なければ 428、古ければ 412 で何も保存しない)。' +
      '`If-Match: *` は最新版を確かめずに追加する。JSON/YAML として読めない本文は 400 (diagnostics に行番号)。',
    action: 'version.create',
    parameters: [
      assessmentIdParam,
      { name: 'If-Match', in: 'header', description: '最新版の ETag (または *)', schema: { type: 'string' } },
      { name: 'message', in: 'query', description: '変更の説明', schema: { type: 'string' } },
      {
        name: 'status',
        in: 'query',
        description: '最初の状態 (admin のみ。公表済み評価書の取込み用)',
        schema: { enum: [...REVIEW_STATUSES] },
      },
    ],
    requestBody: { description: '評価書', required: true, content: documentContent },
    responses: {
      '201': {
        description: '登録した版',
        content: jsonOf(ref('VersionInfo')),
        headers: { ETag: { description: 'この版の ETag', schema: { type: 'string' } } },
      },
    },
    async handle({ req, res, principal, service, engine, options }) {
      const assessmentId = param(req, 'assessmentId');
      // Role and scope first: a forbidden or foreign upload is refused before its body is read.
      await service.getAssessment(principal, assessmentId, 'version.create');
      const statusParam = query(req, 'status');
      const status = statusParam === undefined ? undefined : REVIEW_STATUSES.find((s) => s === statusParam);
      if (statusParam !== undefined && !status) {
        throw badRequest(`status は ${REVIEW_STATUSES.join(' / ')} のいずれかです。`, [
          inputDiagnostic('status の値が不正です', 'request'),
        ]);
      }
      const loaded = await readStructuredBody(req, {
        engine,
        limit: options.documentLimit,
        source: 'request',
      });
      const ifMatch = req.headers['if-match'];
      const v = await service.addVersion(principal, assessmentId, loaded, {
        ...(ifMatch !== undefined ? { ifMatch } : {}),
        ...(query(req, 'message') ? { message: query(req, 'message') } : {}),
        ...(status ? { status: status as ReviewStatus } : {}),
      });
      const { doc: _doc, ...info } = v;
      res.setHeader('ETag', v.etag);
      res.setHeader('Location', `/api/assessments/${assessmentId}/versions/${v.id}`);
      sendJson(res, 201, info);
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions/:versionId',
    operationId: 'getVersion',
    tag: '版',
    summary: '版 (文書を含む)。ETag 付き、If-None-Match で 304',
    action: 'version.read',
    parameters: [assessmentIdParam, versionIdParam],
    responses: {
      '200': {
        description: '版',
        content: jsonOf(ref('Version')),
        headers: { ETag: { description: 'この版の ETag', schema: { type: 'string' } } },
      },
      '304': { description: '変わっていない (If-None-Match が一致)' },
    },
    async handle({ req, res, principal, service }) {
      const { version } = await service.getVersion(
        principal,
        param(req, 'assessmentId'),
        param(req, 'versionId'),
      );
      res.setHeader('ETag', version.etag);
      // Revalidation is cheap and safe for an immutable version (the global no-store still forbids caching).
      if (req.headers['if-none-match']?.split(',').some((t) => t.trim() === version.etag)) {
        res.status(304).end();
        return;
      }
      sendJson(res, 200, version);
    },
  },
];

export { JSON_TYPES };
