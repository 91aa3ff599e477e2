// 変更箇所 judgements: the human judgements of an annotations file (`pia diff --annotations`, docs/diff.md)
// recorded per version — 例外, 提出時期, 理由, 変更日 per row. The 変更箇所 table, the PDF and the diff answers
// of this API use them exactly as an annotations file. They can be read and written as that file (YAML).
import YAML from 'yaml';
import { InputError } from '../../errors.ts';
import { parseAnnotations } from '../../diff/index.ts';
import type { ChangeJudgement } from '../../store/index.ts';
import { inputDiagnostic, readBody, readJsonObject, YAML_TYPES } from '../body.ts';
import { badRequest } from '../http-error.ts';
import { jsonOf, param, query, sendJson, type RouteSpec } from '../route-spec.ts';
import type { JudgementInput, PiaService } from '../service.ts';
import type { Principal } from '../../store/index.ts';
import { assessmentIdParam, versionIdParam } from './assessments.ts';

const ANNOTATIONS_LIMIT = 1024 * 1024;

const judgementSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    versionId: { type: 'string' },
    key: { type: 'string', description: 'JSON Pointer (変更箇所の行の path) または行の項目' },
    exception: {
      type: ['string', 'null'],
      description:
        'リスクを明らかに軽減させる変更 / リスクを明らかに軽減させる方法 / 誤字脱字の修正 / 形式的な変更',
    },
    timing: { type: ['string', 'null'], enum: ['事前', '事後', null] },
    reason: { type: ['string', 'null'] },
    date: { type: ['string', 'null'], format: 'date' },
    actor: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
  },
};
const listSchema = { type: 'object', properties: { judgements: { type: 'array', items: judgementSchema } } };

/** Judgements as an annotations file (`pia diff --annotations` reads it back unchanged). */
export function judgementsToYaml(list: readonly ChangeJudgement[], header: string): string {
  const changes: Record<string, Record<string, string>> = {};
  for (const j of list) {
    changes[j.key] = {
      ...(j.exception ? { exception: j.exception } : {}),
      ...(j.timing ? { timing: j.timing } : {}),
      ...(j.reason ? { reason: j.reason } : {}),
      ...(j.date ? { date: j.date } : {}),
    };
  }
  const body = YAML.stringify({ changes }, { lineWidth: 0 });
  const comments = header
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n');
  return `${comments}\n${body}`;
}

/**
 * Sets every entry of an annotations file on a version (the file's top-level `date` becomes the date of
 * entries without their own). Throws 400 with the parser's message for a file `pia diff` would refuse.
 */
export async function importAnnotations(
  service: PiaService,
  p: Principal,
  assessmentId: string,
  versionId: string,
  text: string,
  source: string,
): Promise<ChangeJudgement[]> {
  // Checked before the file is read, so that a reviewer learns 403 and not a parse error.
  await service.getVersion(p, assessmentId, versionId, 'judgement.write');
  let parsed;
  try {
    parsed = parseAnnotations(text, source, 'ja');
  } catch (e) {
    if (e instanceof InputError) throw badRequest(e.message, [inputDiagnostic(e.message, source)]);
    throw e;
  }
  const out: ChangeJudgement[] = [];
  for (const a of parsed.entries) {
    const input: JudgementInput = {
      key: a.key,
      exception: a.exception ?? null,
      timing: a.timing ?? null,
      reason: a.reason ?? null,
      date: a.date ?? parsed.date ?? null,
    };
    out.push(await service.setJudgement(p, assessmentId, versionId, input));
  }
  return out;
}

const asString = (v: unknown): string | null | undefined =>
  v === undefined ? undefined : v === null ? null : typeof v === 'string' ? v : String(v);

export const judgementRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/versions/:versionId/judgements',
    operationId: 'listJudgements',
    tag: '変更箇所',
    summary: '版の変更箇所への判断 (例外・提出時期・理由) の一覧。format=yaml で注釈ファイル',
    action: 'diff',
    parameters: [
      assessmentIdParam,
      versionIdParam,
      {
        name: 'format',
        in: 'query',
        description: '`json` (既定) または `yaml` (`pia diff --annotations` が読む注釈ファイル)',
        schema: { enum: ['json', 'yaml'] },
      },
    ],
    responses: {
      '200': {
        description: '判断の一覧 (項目のキー順)',
        content: Object.assign({}, jsonOf(listSchema), { 'application/yaml': { type: 'string' } }),
      },
    },
    async handle({ req, res, principal, service }) {
      const format = query(req, 'format') ?? 'json';
      if (format !== 'json' && format !== 'yaml')
        throw badRequest('format は json または yaml です。', [
          inputDiagnostic('format の値が不正です', 'request'),
        ]);
      const assessmentId = param(req, 'assessmentId');
      const { assessment, version } = await service.getVersion(
        principal,
        assessmentId,
        param(req, 'versionId'),
        'diff',
      );
      const list = await service.listJudgements(principal, assessmentId, version.id);
      if (format === 'yaml') {
        res
          .status(200)
          .type('application/yaml; charset=utf-8')
          .send(
            judgementsToYaml(
              list,
              `${assessment.title} 第${version.number}版の変更箇所への判断\npia diff <変更前> <変更後> --annotations <このファイル>`,
            ),
          );
        return;
      }
      sendJson(res, 200, { judgements: list });
    },
  },
  {
    method: 'post',
    path: '/api/assessments/:assessmentId/versions/:versionId/judgements',
    operationId: 'setJudgement',
    tag: '変更箇所',
    summary: '変更箇所の 1 行への判断を記録する (同じキーは置き換え。監査ログに記録)',
    action: 'judgement.write',
    parameters: [assessmentIdParam, versionIdParam],
    requestBody: {
      description: '判断',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['key'],
        properties: {
          key: { type: 'string' },
          exception: { type: ['string', 'null'] },
          timing: { type: ['string', 'null'] },
          reason: { type: ['string', 'null'] },
          date: { type: ['string', 'null'] },
        },
      }),
    },
    responses: { '201': { description: '記録した判断', content: jsonOf(judgementSchema) } },
    async handle({ req, res, principal, service, engine }) {
      const assessmentId = param(req, 'assessmentId');
      const versionId = param(req, 'versionId');
      await service.getVersion(principal, assessmentId, versionId, 'judgement.write');
      const body = await readJsonObject(req, engine);
      const input: JudgementInput = {
        key: typeof body.key === 'string' ? body.key : '',
        exception: asString(body.exception),
        timing: asString(body.timing),
        reason: asString(body.reason),
        date: asString(body.date),
      };
      sendJson(res, 201, await service.setJudgement(principal, assessmentId, versionId, input));
    },
  },
  {
    method: 'put',
    path: '/api/assessments/:assessmentId/versions/:versionId/judgements',
    operationId: 'importJudgements',
    tag: '変更箇所',
    summary: '注釈ファイル (YAML・JSON) の判断をすべて記録する',
    action: 'judgement.write',
    parameters: [assessmentIdParam, versionIdParam],
    requestBody: {
      description: '`pia diff --annotations` の注釈ファイル',
      required: true,
      content: {
        'application/json': { type: 'object' },
        ...Object.fromEntries(YAML_TYPES.map((t) => [t, { type: 'string' }])),
      },
    },
    responses: { '200': { description: '記録した判断', content: jsonOf(listSchema) } },
    async handle({ req, res, principal, service, engine }) {
      const assessmentId = param(req, 'assessmentId');
      const versionId = param(req, 'versionId');
      await service.getVersion(principal, assessmentId, versionId, 'judgement.write');
      const bytes = await readBody(req, ANNOTATIONS_LIMIT);
      let text: string;
      try {
        text = engine.decodeText(bytes, 'annotations', 'ja');
      } catch (e) {
        if (e instanceof InputError) throw badRequest(e.message, [inputDiagnostic(e.message, 'annotations')]);
        throw e;
      }
      const set = await importAnnotations(service, principal, assessmentId, versionId, text, 'annotations');
      sendJson(res, 200, { judgements: set });
    },
  },
];
