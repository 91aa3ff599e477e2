// POST /api/import: a published 評価書 (PDF bytes, or the text extracted from one) → {doc, report,
// diagnostics}. Nothing is stored: the caller (an officer creating a document, the web page 「既存の評価書を
// 取り込む」) reviews the result and saves it as a version through the documents API.
import { importPublished, ImportRejected } from '../../import/index.ts';
import { InputError } from '../../errors.ts';
import type { FormId } from '../../types.ts';
import { inputDiagnostic, mediaType, readBody } from '../body.ts';
import { badRequest, HttpError } from '../http-error.ts';
import { jsonOf, query, ref, sendJson, type RouteSpec } from '../route-spec.ts';

const FORMS = ['auto', 'kiso', 'juten', 'zenkomoku'] as const;
const TYPES = ['application/pdf', 'text/plain', 'application/octet-stream'];

export const importRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/import',
    operationId: 'importPublished',
    tag: '評価書',
    summary: '公表済みの評価書 (PDF・抽出テキスト) を取り込む (保存はしない)',
    description:
      '本文に PDF (application/pdf) または PDF から抽出したテキスト (text/plain, UTF-8) を送ると、このツールの形式の評価書と取り込みの報告を返します。読み取れなかった項目は空欄のまま sourceGaps と report.gaps に記載されます (値を推測で補うことはありません)。評価書でないファイル・画像だけの PDF・暗号化された PDF・UTF-8 でないテキストは 422 です。',
    action: 'assessment.create',
    parameters: [
      { name: 'form', in: 'query', description: '様式 (auto: 表題から判定)', schema: { type: 'string', enum: [...FORMS] } },
      { name: 'name', in: 'query', description: '元のファイル名 (報告と指摘に記載)', schema: { type: 'string', maxLength: 200 } },
    ],
    requestBody: {
      description: '評価書の PDF、または抽出したテキスト',
      required: true,
      content: {
        'application/pdf': { type: 'string', format: 'binary' },
        'text/plain': { type: 'string' },
        'application/octet-stream': { type: 'string', format: 'binary' },
      },
    },
    responses: {
      '200': {
        description: '取り込んだ評価書と報告',
        content: jsonOf({
          type: 'object',
          required: ['doc', 'report', 'diagnostics'],
          properties: {
            doc: { type: 'object', description: '評価書 (未読の項目は sourceGaps に記載)' },
            report: {
              type: 'object',
              description: '取り込みの報告 (様式、ページ数、読み取った項目数、gaps・uncertain・unplaced の一覧)',
            },
            diagnostics: { type: 'array', items: ref('Diagnostic') },
          },
        }),
      },
    },
    async handle({ req, res, options }) {
      const type = mediaType(req);
      if (type && !TYPES.includes(type)) {
        throw new HttpError(415, 'unsupported-media-type', `PDF (application/pdf) またはテキスト (text/plain) を送ってください (受け取った形式: ${type})。`);
      }
      const formQ = query(req, 'form') ?? 'auto';
      if (!(FORMS as readonly string[]).includes(formQ)) {
        throw badRequest(`form は ${FORMS.join(' / ')} のいずれかです。`, [inputDiagnostic('form の値が不正です', 'request')]);
      }
      const name = (query(req, 'name') ?? 'request').slice(0, 200);
      // The same limit as every document body (413 beyond it).
      const data = await readBody(req, options.documentLimit);
      try {
        const r = await importPublished({ data, name, form: formQ as 'auto' | FormId });
        sendJson(res, 200, { doc: r.doc, report: r.report, diagnostics: r.diagnostics });
      } catch (e) {
        if (e instanceof ImportRejected || e instanceof InputError) {
          throw new HttpError(422, 'unprocessable', e.message, { diagnostics: [inputDiagnostic(e.message, name)] });
        }
        throw e;
      }
    },
  },
];
