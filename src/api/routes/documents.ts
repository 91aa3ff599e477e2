// What the engine makes of a version: validation, the printed document (HTML/PDF), the 変更箇所 between two
// versions, and the drift check of a posted live snapshot; plus validate/しきい値判断 of posted input.
import type { Request } from 'express';
import { readJsonObject, readStructuredBody, inputDiagnostic, YAML_TYPES } from '../body.ts';
import { badRequest, notAcceptable } from '../http-error.ts';
import { allowInlineStyles } from '../security-headers.ts';
import { jsonOf, param, query, ref, sendJson, type ParamSpec, type RouteSpec } from '../route-spec.ts';
import { assessmentIdParam, versionIdParam } from './assessments.ts';
import {
  listUncheckedMeasuresOfDocument,
  toUncheckedJson,
  withUncheckedSarif,
  type UncheckedMeasure,
} from '../../collect/unchecked.ts';
import { toDiffJson } from '../../diff/index.ts';
import type { JsonObject } from '../../types.ts';
import {
  collectPdf,
  MAX_WAIT_SECONDS,
  pdfJobOf,
  requestPdf,
  sendPdf,
  sendPending,
  waitMsOf,
} from '../pdf-jobs.ts';

const editionParam: ParamSpec = {
  name: 'edition',
  in: 'query',
  description:
    '`internal` (既定: 非公表項目を含む提出用) または `public` (公表用: 非公表項目を「非公表」と表示)',
  schema: { enum: ['internal', 'public'] },
};

const waitParam: ParamSpec = {
  name: 'wait',
  in: 'query',
  description: `PDF ができるのを待つ秒数 (0〜${MAX_WAIT_SECONDS})。過ぎたら 202 と状態 URL`,
  schema: { type: 'integer', minimum: 0, maximum: MAX_WAIT_SECONDS },
};

const pendingResponse = {
  description: '作成待ち・作成中。Location の状態 URL を Retry-After 秒ごとに GET する',
  content: jsonOf({
    type: 'object',
    properties: {
      job: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          state: { enum: ['queued', 'rendering'] },
          edition: { enum: ['internal', 'public'] },
          filename: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          expiresAt: { type: 'string', format: 'date-time' },
        },
      },
      statusUrl: { type: 'string' },
      message: { type: 'string' },
    },
  }),
  headers: {
    Location: { description: '状態 URL', schema: { type: 'string' } },
    'Retry-After': { description: '次に問い合わせるまでの秒数', schema: { type: 'integer' } },
  },
};

function isPublicEdition(req: Request): boolean {
  const e = query(req, 'edition') ?? 'internal';
  if (e !== 'internal' && e !== 'public') {
    throw badRequest('edition は internal または public です。', [
      inputDiagnostic('edition の値が不正です', 'request'),
    ]);
  }
  return e === 'public';
}

export const CHECK_FORMATS = {
  json: 'application/json',
  sarif: 'application/sarif+json',
  junit: 'application/junit+xml',
} as const;
type CheckFormat = keyof typeof CHECK_FORMATS;

/** `?format=` wins; else the Accept header (XML types mean JUnit); else JSON. */
export function checkFormatOf(req: Request): CheckFormat {
  const f = query(req, 'format');
  if (f !== undefined) {
    // Own keys only: `in` would accept constructor, toString, __proto__… from the query string.
    if (Object.hasOwn(CHECK_FORMATS, f)) return f as CheckFormat;
    throw badRequest('format は json / sarif / junit のいずれかです。', [
      inputDiagnostic('format の値が不正です', 'request'),
    ]);
  }
  const got = req.accepts([
    'application/json',
    'application/sarif+json',
    'application/junit+xml',
    'application/xml',
    'text/xml',
  ]);
  if (got === false) throw notAcceptable(Object.values(CHECK_FORMATS));
  if (got === 'application/sarif+json') return 'sarif';
  if (got === 'application/json') return 'json';
  return 'junit';
}

/** The unchecked measures of a stored document, by document hash (versions never change; a few kept). */
const uncheckedByHash = new Map<string, readonly UncheckedMeasure[]>();
const UNCHECKED_CACHE_SIZE = 64;

function uncheckedOfVersion(docHash: string, doc: JsonObject): readonly UncheckedMeasure[] {
  let list = uncheckedByHash.get(docHash);
  if (list) {
    // Most recently used last: the first key is the one to drop.
    uncheckedByHash.delete(docHash);
  } else {
    list = Object.freeze(listUncheckedMeasuresOfDocument(doc));
    if (uncheckedByHash.size >= UNCHECKED_CACHE_SIZE)
      uncheckedByHash.delete(uncheckedByHash.keys().next().value as string);
  }
  uncheckedByHash.set(docHash, list);
  return list;
}

function parseCount(v: unknown, key: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v.replace(/,/g, '')) ? Number(v.replace(/,/g, '')) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw badRequest(`${key} は 0 以上の整数で指定してください。`, [
      inputDiagnostic(`${key} は 0 以上の整数です`, 'request', `/${key}`),
    ]);
  }
  return n;
}

export const documentRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions/:versionId/validation',
    operationId: 'validateVersion',
    tag: '検証',
    summary: '版の検証結果 (様式・未記載・記載ルール・しきい値判断)',
    action: 'validate',
    parameters: [assessmentIdParam, versionIdParam],
    responses: { '200': { description: '検証結果', content: jsonOf(ref('ValidationResult')) } },
    async handle({ req, res, principal, service }) {
      sendJson(
        res,
        200,
        await service.validation(principal, param(req, 'assessmentId'), param(req, 'versionId')),
      );
    },
  },
  {
    method: 'post',
    path: '/api/validate',
    operationId: 'validateDocument',
    tag: '検証',
    summary: '送った評価書を検証する (保存しない)',
    action: 'validate',
    requestBody: {
      description: '評価書の JSON または YAML',
      required: true,
      content: {
        'application/json': { type: 'object' },
        ...Object.fromEntries(YAML_TYPES.map((t) => [t, { type: 'string' }])),
      },
    },
    responses: {
      '200': { description: '検証結果 (所見があっても 200)', content: jsonOf(ref('ValidationResult')) },
    },
    async handle({ req, res, principal, service, engine, options }) {
      // The role was checked by the router before this body is read.
      const source = query(req, 'source') ?? 'request';
      const loaded = await readStructuredBody(req, { engine, limit: options.documentLimit, source });
      sendJson(res, 200, service.validateLoaded(principal, loaded));
    },
  },
  {
    method: 'post',
    path: '/api/threshold',
    operationId: 'decideThreshold',
    tag: '検証',
    summary: 'しきい値判断: 対象人数・取扱者数・重大事故から義務付けられる評価',
    action: 'threshold',
    requestBody: {
      description: '判断の材料',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['persons', 'handlers'],
        properties: {
          persons: { type: 'integer', minimum: 0 },
          handlers: { type: 'integer', minimum: 0 },
          incident: { type: 'boolean' },
        },
      }),
    },
    responses: {
      '200': { description: '`pia threshold --format json` と同じ', content: jsonOf(ref('ThresholdResult')) },
    },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      if (body.incident !== undefined && typeof body.incident !== 'boolean') {
        throw badRequest('incident は true/false で指定してください。', [
          inputDiagnostic('incident は true/false です', 'request', '/incident'),
        ]);
      }
      const result = service.threshold(principal, {
        persons: parseCount(body.persons, 'persons'),
        handlers: parseCount(body.handlers, 'handlers'),
        incident: body.incident === true,
      });
      sendJson(res, 200, result);
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/diff',
    operationId: 'diffVersions',
    tag: '変更箇所',
    summary: '2 つの版の変更箇所 (重要な変更の判定つき)',
    description:
      '`pia diff --format json` と同じ rows / rowDetails / summary / findings に、比べた版の情報 (from, to) を加えたもの。',
    action: 'diff',
    parameters: [
      assessmentIdParam,
      {
        name: 'from',
        in: 'query',
        required: true,
        description: '変更前の版の ID',
        schema: { type: 'string' },
      },
      { name: 'to', in: 'query', description: '変更後の版の ID (既定: 最新版)', schema: { type: 'string' } },
    ],
    responses: { '200': { description: '変更箇所', content: jsonOf(ref('ChangeLog')) } },
    async handle({ req, res, principal, service }) {
      const from = query(req, 'from');
      if (!from)
        throw badRequest('from (変更前の版) を指定してください。', [
          inputDiagnostic('from を指定してください', 'request'),
        ]);
      const {
        result,
        from: f,
        to: t,
      } = await service.changeLog(principal, param(req, 'assessmentId'), from, query(req, 'to') ?? 'latest');
      sendJson(res, 200, { from: f, to: t, ...toDiffJson(result) });
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions/:versionId/html',
    operationId: 'renderHtml',
    tag: '出力',
    summary: '版を印刷用 HTML で (様式どおり)',
    action: 'render',
    parameters: [assessmentIdParam, versionIdParam, editionParam],
    responses: { '200': { description: 'HTML', content: { 'text/html': { type: 'string' } } } },
    async handle({ req, res, principal, service }) {
      const { html } = await service.renderHtml(
        principal,
        param(req, 'assessmentId'),
        param(req, 'versionId'),
        { public: isPublicEdition(req) },
      );
      allowInlineStyles(res);
      res.status(200).type('text/html; charset=utf-8').send(html);
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions/:versionId/pdf',
    operationId: 'renderPdf',
    tag: '出力',
    summary: '版を PDF で (A4、日本語フォント埋込み)',
    description:
      'PDF は待ち行列で作成する (組込みのストアではサーバーのプロセス内、PostgreSQL では `pia worker`)。' +
      '`wait` 秒 (既定 10) 以内にできれば PDF を 200 で返し、できなければ 202 と状態 URL (Location、JSON の statusUrl) を返す。' +
      '待ち行列が満杯なら 503 と Retry-After (秒)。応答の前に接続を切った依頼は取り消され、作成されない。',
    action: 'render',
    parameters: [assessmentIdParam, versionIdParam, editionParam, waitParam],
    responses: {
      '200': {
        description: 'PDF',
        content: { 'application/pdf': { type: 'string', format: 'binary' } },
        headers: {
          'Content-Location': {
            description: 'この PDF の状態 URL (保存期間中は同じ PDF を返す)',
            schema: { type: 'string' },
          },
        },
      },
      '202': pendingResponse,
    },
    async handle({ req, res, principal, service }) {
      const outcome = await requestPdf(service, principal, req, res, {
        assessmentId: param(req, 'assessmentId'),
        versionId: param(req, 'versionId'),
        public: isPublicEdition(req),
        waitMs: waitMsOf(req, service.pdfWaitMs),
      });
      if (outcome.kind === 'pdf') sendPdf(res, outcome.pdf, outcome.filename, outcome.status);
      else if (outcome.kind === 'pending') sendPending(res, outcome.status);
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions/:versionId/pdf/jobs/:jobId',
    operationId: 'getPdfJob',
    tag: '出力',
    summary: 'PDF の作成依頼の状態 (できていれば PDF)',
    description:
      'できていれば PDF を 200 で、作成待ち・作成中なら 202 (JSON、Retry-After)。作成に失敗した依頼は 503 とその理由、' +
      '取り消された依頼は 410、保存期間 (既定 10 分) を過ぎた依頼は 404。`wait` 秒までできあがりを待ってから答える (既定 0)。',
    action: 'render',
    parameters: [
      assessmentIdParam,
      Object.assign({}, versionIdParam, { description: '版の ID (状態 URL のとおり。latest は使えない)' }),
      { name: 'jobId', in: 'path', required: true, description: '作成依頼の ID', schema: { type: 'string' } },
      waitParam,
    ],
    responses: {
      '200': { description: 'PDF', content: { 'application/pdf': { type: 'string', format: 'binary' } } },
      '202': pendingResponse,
    },
    async handle({ req, res, principal, service }) {
      const st = await pdfJobOf(
        service,
        principal,
        param(req, 'assessmentId'),
        param(req, 'versionId'),
        param(req, 'jobId'),
      );
      const outcome = await collectPdf(service, st.id, res, waitMsOf(req, 0));
      if (outcome.kind === 'pdf') sendPdf(res, outcome.pdf, outcome.filename);
      else if (outcome.kind === 'pending') sendPending(res, outcome.status);
    },
  },
  {
    method: 'post',
    path: '/api/assessments/:assessmentId/versions/:versionId/check',
    operationId: 'checkSnapshot',
    tag: '照合',
    summary: 'ライブ構成 (スナップショット) を版と照合する',
    description:
      '本文はライブ構成の JSON または YAML。結果は `pia check --format json` と同じ JSON。`?format=sarif|junit` または Accept ' +
      '(application/sarif+json, application/junit+xml) で SARIF 2.1.0 / JUnit XML。照合結果は記録され、X-Pia-Check-Run に記録 ID が入る。' +
      '所見の有無にかかわらず 200 (CI の合否は summary で判断する)。',
    action: 'check.run',
    parameters: [
      assessmentIdParam,
      versionIdParam,
      {
        name: 'format',
        in: 'query',
        description: 'json (既定) / sarif / junit',
        schema: { enum: ['json', 'sarif', 'junit'] },
      },
      {
        name: 'source',
        in: 'query',
        description: 'スナップショットのファイル名 (SARIF の位置に使う。既定 snapshot)',
        schema: { type: 'string' },
      },
      { name: 'lang', in: 'query', description: 'ja (既定) / en', schema: { enum: ['ja', 'en'] } },
    ],
    requestBody: {
      description: 'ライブ構成',
      required: true,
      content: {
        'application/json': { type: 'object' },
        ...Object.fromEntries(YAML_TYPES.map((t) => [t, { type: 'string' }])),
      },
    },
    responses: {
      '200': {
        description: '照合結果',
        content: {
          'application/json': ref('JsonReport'),
          'application/sarif+json': { type: 'object' },
          'application/junit+xml': { type: 'string' },
        },
        headers: { 'X-Pia-Check-Run': { description: '記録した照合の ID', schema: { type: 'string' } } },
      },
    },
    async handle({ req, res, principal, service, engine, options }) {
      const assessmentId = param(req, 'assessmentId');
      const versionId = param(req, 'versionId');
      const format = checkFormatOf(req);
      const lang = query(req, 'lang') === 'en' ? 'en' : 'ja';
      const source = query(req, 'source') ?? 'snapshot';
      // Scope, role and version before the body. The version is resolved once, here: the check runs on that
      // very version (even if `latest` moves on meanwhile), and its 「自動確認なし」 list (JSON and SARIF, as
      // `pia check` prints them) is a property of it.
      const assessment = await service.getAssessment(principal, assessmentId, 'check.run');
      const { version } = await service.getVersion(
        principal,
        assessmentId,
        versionId,
        'check.run',
        assessment,
      );
      const unchecked = format === 'junit' ? undefined : uncheckedOfVersion(version.docHash, version.doc);
      const { loadSnapshot } = engine;
      // The parsed snapshot is handed on, never held here: this handler waits for the durable commit
      // of the check run, and the snapshot should be garbage by then (service.check).
      const { run, body } = await readStructuredBody(req, {
        engine,
        limit: options.documentLimit,
        source,
        lang,
        fastJson: true,
        ...(loadSnapshot
          ? {
              loadJson: (text: string, parsed?: { value: unknown }) =>
                loadSnapshot(text, { source, lang, ...(parsed ? { parsed } : {}) }),
            }
          : {}),
      }).then((snapshot) =>
        service.check(principal, assessmentId, version.id, snapshot, {
          lang,
          assessment,
          version,
          // Formatted before the run is recorded: a failure here records nothing.
          format: (d, assessmentSource) => {
            const files = [assessmentSource];
            if (unchecked && format === 'json')
              return engine.formatCheck(format, d, { lang, files, extra: toUncheckedJson(unchecked) });
            const body = engine.formatCheck(format, d, { lang, files });
            return unchecked && format === 'sarif'
              ? withUncheckedSarif(body, unchecked, assessmentSource, { lang })
              : body;
          },
        }),
      );
      res.setHeader('X-Pia-Check-Run', run.id);
      res
        .status(200)
        .type(`${CHECK_FORMATS[format]}; charset=utf-8`)
        .send(body as string);
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions/:versionId/checks',
    operationId: 'listCheckRuns',
    tag: '照合',
    summary: '版の照合記録 (古い順、所見の件数のみ)',
    action: 'check.read',
    parameters: [assessmentIdParam, versionIdParam],
    responses: {
      '200': {
        description: '照合記録',
        content: jsonOf({
          type: 'object',
          properties: { checks: { type: 'array', items: ref('CheckRunInfo') } },
        }),
      },
    },
    async handle({ req, res, principal, service }) {
      sendJson(res, 200, {
        checks: await service.listCheckRuns(principal, param(req, 'assessmentId'), param(req, 'versionId')),
      });
    },
  },
];
