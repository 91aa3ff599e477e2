// The review of a version: comments pinned to items, and its status in the procedure.
import { REVIEW_STATUSES } from '../../store/index.ts';
import { booleanField, readJsonObject, stringField, inputDiagnostic } from '../body.ts';
import { badRequest } from '../http-error.ts';
import { jsonOf, param, query, ref, sendJson, type ParamSpec, type RouteSpec } from '../route-spec.ts';
import { assessmentIdParam, versionIdParam } from './assessments.ts';

const commentIdParam: ParamSpec = {
  name: 'commentId',
  in: 'path',
  required: true,
  description: 'コメントの ID',
  schema: { type: 'string' },
};
export const MAX_COMMENT_CHARS = 10_000;

export const reviewRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions/:versionId/comments',
    operationId: 'listComments',
    tag: 'コメント',
    summary: '版へのコメント (作成順。pointer で項目を絞込み)',
    action: 'comment.read',
    parameters: [
      assessmentIdParam,
      versionIdParam,
      { name: 'pointer', in: 'query', description: '項目の JSON Pointer', schema: { type: 'string' } },
    ],
    responses: {
      '200': {
        description: 'コメント',
        content: jsonOf({
          type: 'object',
          properties: { comments: { type: 'array', items: ref('Comment') } },
        }),
      },
    },
    async handle({ req, res, principal, service }) {
      const comments = await service.listComments(
        principal,
        param(req, 'assessmentId'),
        param(req, 'versionId'),
        query(req, 'pointer'),
      );
      sendJson(res, 200, { comments });
    },
  },
  {
    method: 'post',
    path: '/api/assessments/:assessmentId/versions/:versionId/comments',
    operationId: 'addComment',
    tag: 'コメント',
    summary: '項目 (JSON Pointer) にコメントする',
    action: 'comment.write',
    parameters: [assessmentIdParam, versionIdParam],
    requestBody: {
      description: 'コメント',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['pointer', 'body'],
        properties: {
          pointer: { type: 'string', description: '項目の JSON Pointer ("" は評価書全体)' },
          body: { type: 'string', maxLength: MAX_COMMENT_CHARS },
        },
      }),
    },
    responses: { '201': { description: '追加したコメント', content: jsonOf(ref('Comment')) } },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      const pointer = stringField(body, 'pointer');
      if (pointer === undefined)
        throw badRequest('pointer を指定してください。', [
          inputDiagnostic('pointer を指定してください', 'request', '/pointer'),
        ]);
      const c = await service.addComment(principal, param(req, 'assessmentId'), param(req, 'versionId'), {
        pointer,
        body: stringField(body, 'body', { required: true, max: MAX_COMMENT_CHARS }) as string,
      });
      sendJson(res, 201, c);
    },
  },
  {
    method: 'post',
    path: '/api/assessments/:assessmentId/comments/:commentId/replies',
    operationId: 'replyComment',
    tag: 'コメント',
    summary: 'コメントに返信する (スレッドの末尾に付く)',
    action: 'comment.write',
    parameters: [assessmentIdParam, commentIdParam],
    requestBody: {
      description: '返信',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['body'],
        properties: { body: { type: 'string', maxLength: MAX_COMMENT_CHARS } },
      }),
    },
    responses: { '201': { description: '返信', content: jsonOf(ref('Comment')) } },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      const c = await service.replyComment(
        principal,
        param(req, 'assessmentId'),
        param(req, 'commentId'),
        stringField(body, 'body', { required: true, max: MAX_COMMENT_CHARS }) as string,
      );
      sendJson(res, 201, c);
    },
  },
  {
    method: 'patch',
    path: '/api/assessments/:assessmentId/comments/:commentId',
    operationId: 'resolveComment',
    tag: 'コメント',
    summary: 'スレッドを解決済みにする / 再開する',
    action: 'comment.resolve',
    parameters: [assessmentIdParam, commentIdParam],
    requestBody: {
      description: '解決状態',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['resolved'],
        properties: { resolved: { type: 'boolean' } },
      }),
    },
    responses: { '200': { description: 'スレッドの先頭コメント', content: jsonOf(ref('Comment')) } },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      const resolved = booleanField(body, 'resolved');
      if (resolved === undefined)
        throw badRequest('resolved (true/false) を指定してください。', [
          inputDiagnostic('resolved を指定してください', 'request', '/resolved'),
        ]);
      sendJson(
        res,
        200,
        await service.resolveComment(
          principal,
          param(req, 'assessmentId'),
          param(req, 'commentId'),
          resolved,
        ),
      );
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions/:versionId/status',
    operationId: 'getStatus',
    tag: '手続',
    summary: '版の状態、経過、この利用者が今進められる遷移',
    action: 'status.read',
    parameters: [assessmentIdParam, versionIdParam],
    responses: { '200': { description: '状態', content: jsonOf(ref('StatusView')) } },
    async handle({ req, res, principal, service }) {
      sendJson(
        res,
        200,
        await service.status(principal, param(req, 'assessmentId'), param(req, 'versionId')),
      );
    },
  },
  {
    method: 'post',
    path: '/api/assessments/:assessmentId/versions/:versionId/status',
    operationId: 'transitionStatus',
    tag: '手続',
    summary: '手続を進める (下書き → 意見聴取 → 第三者点検 → 提出 → 公表)',
    description:
      '遷移は様式と評価実施機関の種別で決まる。基礎: 下書き→提出→公表。重点: 意見聴取・第三者点検は任意 (飛ばせる)。' +
      '全項目 (地方公共団体等): 意見聴取 (30 日以上。評価書に特段の理由があれば短縮可) → 第三者点検 → 提出 → 公表。' +
      '全項目 (行政機関等): 意見聴取 → 提出 (委員会の承認を求める) → 公表 (承認の記録を note に)。' +
      '第三者点検の結果を記録する遷移 (第三者点検→提出) は reviewer と admin だけ。役割が合わなければ 403、手続に合わなければ 409。',
    action: 'status.transition',
    parameters: [assessmentIdParam, versionIdParam],
    requestBody: {
      description: '遷移',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['to'],
        properties: {
          to: { enum: [...REVIEW_STATUSES] },
          note: { type: 'string', description: '点検結果・承認の記録など' },
          expectedFrom: { enum: [...REVIEW_STATUSES], description: '画面で見ていた状態 (違えば 409)' },
        },
      }),
    },
    responses: { '201': { description: '記録した遷移', content: jsonOf(ref('StatusTransition')) } },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      const t = await service.transition(principal, param(req, 'assessmentId'), param(req, 'versionId'), {
        to: stringField(body, 'to', { required: true }) as string,
        ...(body.note !== undefined ? { note: stringField(body, 'note', { max: MAX_COMMENT_CHARS }) } : {}),
        ...(body.expectedFrom !== undefined ? { expectedFrom: stringField(body, 'expectedFrom') } : {}),
      });
      sendJson(res, 201, t);
    },
  },
];
