// The statutory calendar over HTTP: obligations as JSON (per organisation, per assessment), 見直し records
// (「見直しを実施した」, audited by the store), and an iCalendar feed per organisation for Outlook / Google
// Calendar / Thunderbird.
//
// Feed authentication. Calendar clients subscribe to a URL and cannot send an Authorization header, so the
// feed alone also accepts `?token=`. A token in a URL is a bearer credential that ends up in the calendar
// provider's storage (Google fetches the feed from its own servers), in proxy and server logs and in browser
// history; whoever holds the URL can use the token. To keep that exposure small the query token must be a
// **dedicated feed token** — its label starts with `calendar` (`pia token create --role reviewer --org …
// --label calendar-feed --expires …`) — and only this route reads tokens from the query. Revoking the token
// ends the subscription at once. (A per-feed, read-only secret kept by the store would remove the remaining
// risk that the token also works on the rest of the API; see the README.)
import type { Request } from 'express';
import {
  jstDay,
  listDue,
  parseSpan,
  publicCommentWindow,
  isIsoDate,
  toIcs,
  type AssessmentHistory,
  type CheckRunFacts,
  type DueReport,
  type VersionFacts,
} from '../../calendar/index.ts';
import {
  REVIEW_RESULTS,
  type Assessment,
  type Principal,
  type ReviewRecord,
  type ReviewResult,
} from '../../store/index.ts';
import { inputDiagnostic, readJsonObject, stringField } from '../body.ts';
import { badRequest, HttpError, notFound, unauthorized } from '../http-error.ts';
import { authorize, can, canSeeOrg } from '../permissions.ts';
import { jsonOf, param, query, sendJson, type ParamSpec, type RouteSpec } from '../route-spec.ts';
import { actorOf, type PiaService } from '../service.ts';
import { assessmentIdParam } from './assessments.ts';
import { isFeedTokenPrincipal } from '../auth-feed-token.ts';

export const MAX_REVIEW_NOTE_CHARS = 10_000;

/** Today in Japan (the calendar's days are Japanese days). */
export const todayJst = (service: PiaService): string => jstDay(service.now()) as string;

/** The as-of day of a request: `?asOf=YYYY-MM-DD`, else today (JST). */
export function asOfOf(req: Request, service: PiaService): string {
  const q = query(req, 'asOf');
  if (q === undefined || q === '') return todayJst(service);
  if (!isIsoDate(q))
    throw badRequest('asOf は YYYY-MM-DD の実在する日付で指定してください。', [
      inputDiagnostic(`asOf「${q}」は日付ではありません`, 'request', '/asOf'),
    ]);
  return q;
}

function withinOf(req: Request): number | undefined {
  const q = query(req, 'within');
  if (q === undefined || q === '') return undefined;
  const days = parseSpan(q);
  if (days === undefined)
    throw badRequest('within は日数 (例 60d、8w、3m) で指定してください。', [
      inputDiagnostic(`within「${q}」は期間ではありません`, 'request', '/within'),
    ]);
  return days;
}

/**
 * An assessment's history from the store: the published versions and the newest one (with documents and
 * status transitions), its 見直し records and its check runs (diagnostics of the newest run only).
 */
export async function historyOf(
  service: PiaService,
  a: Assessment,
  orgName: string | null,
): Promise<AssessmentHistory> {
  const store = service.store;
  const infos = await store.listVersions(a.id);
  const versions: VersionFacts[] = [];
  const runs: CheckRunFacts[] = [];
  for (const info of infos) {
    for (const r of await store.listCheckRuns(info.id))
      runs.push({ id: r.id, versionId: r.versionId, createdAt: r.createdAt });
    // Unpublished earlier versions say nothing the calendar uses; skip reading their documents.
    if (info.status !== '公表' && info.id !== a.latestVersionId) continue;
    const v = await service.loadVersion(a.id, info.id);
    if (!v) continue;
    const transitions = await store.listStatusHistory(info.id);
    versions.push({
      id: v.id,
      number: v.number,
      doc: v.doc,
      status: v.status,
      createdAt: v.createdAt,
      transitions: transitions.map((t) => ({ from: t.from, to: t.to, at: t.at })),
    });
  }
  runs.sort((x, y) => x.createdAt.localeCompare(y.createdAt));
  const newest = runs[runs.length - 1];
  if (newest) {
    const full = await store.getCheckRun(newest.id);
    if (full) runs[runs.length - 1] = Object.assign({}, newest, { diagnostics: full.diagnostics });
  }
  const reviews = (await store.listReviewRecords(a.id)).map((r) => ({
    date: r.date,
    result: r.result,
    note: r.note,
    at: r.at,
  }));
  return { id: a.id, title: a.title, orgId: a.orgId, orgName, versions, reviews, checkRuns: runs };
}

/** Histories of every assessment the principal may see (optionally one organisation's). */
export async function visibleHistories(
  service: PiaService,
  p: Principal,
  filter: { orgId?: string } = {},
): Promise<AssessmentHistory[]> {
  const orgs = new Map((await service.listOrganisations(p)).map((o) => [o.id, o.name]));
  const list = await service.listAssessments(p, filter);
  const out: AssessmentHistory[] = [];
  for (const a of list) out.push(await historyOf(service, a, orgs.get(a.orgId) ?? null));
  return out;
}

export async function dueForPrincipal(
  service: PiaService,
  p: Principal,
  opts: { asOf: string; withinDays?: number; orgId?: string; includeCompleted?: boolean },
): Promise<DueReport> {
  authorize(p, 'assessment.read');
  const histories = await visibleHistories(service, p, opts.orgId ? { orgId: opts.orgId } : {});
  return listDue(histories, {
    asOf: opts.asOf,
    ...(opts.withinDays !== undefined ? { withinDays: opts.withinDays } : {}),
    ...(opts.includeCompleted ? { includeCompleted: true } : {}),
  });
}

/** One assessment's obligations (all states) and the 意見聴取 window of its newest version. */
export async function assessmentCalendar(
  service: PiaService,
  p: Principal,
  assessmentId: string,
  asOf: string,
) {
  const a = await service.getAssessment(p, assessmentId);
  const org = await service.store.getOrganisation(a.orgId);
  const history = await historyOf(service, a, org?.name ?? null);
  const report = listDue([history], { asOf, includeCompleted: true });
  const latest = history.versions[history.versions.length - 1];
  return {
    asOf,
    assessmentId: a.id,
    obligations: report.obligations,
    summary: report.summary,
    publicComment: latest ? (publicCommentWindow(latest, asOf) ?? null) : null,
    reviews: await service.store.listReviewRecords(a.id),
  };
}

/** Records 「見直しを実施した」 (officer/admin of the assessment's organisation). */
export async function recordReview(
  service: PiaService,
  p: Principal,
  assessmentId: string,
  input: { date: string | undefined; result: string | undefined; note?: string | undefined },
): Promise<ReviewRecord> {
  await service.getAssessment(p, assessmentId, 'review.record');
  const date = (input.date ?? '').trim();
  if (!isIsoDate(date))
    throw badRequest('見直しの実施日は YYYY-MM-DD の実在する日付で指定してください。', [
      inputDiagnostic('実施日が日付ではありません', 'request', '/date'),
    ]);
  if (date > todayJst(service))
    throw badRequest('見直しの実施日に未来の日付は指定できません (実施した見直しを記録します)。', [
      inputDiagnostic('実施日が未来です', 'request', '/date'),
    ]);
  const result = REVIEW_RESULTS.find((r) => r === input.result);
  if (!result)
    throw badRequest(`結果は ${REVIEW_RESULTS.join(' / ')} のいずれかです。`, [
      inputDiagnostic(`結果「${input.result ?? ''}」は選べません`, 'request', '/result'),
    ]);
  const note = (input.note ?? '').trim();
  if (note.length > MAX_REVIEW_NOTE_CHARS)
    throw badRequest(`メモが長すぎます (上限 ${MAX_REVIEW_NOTE_CHARS} 文字)。`, [
      inputDiagnostic('メモが長すぎます', 'request', '/note'),
    ]);
  return service.store.addReviewRecord(assessmentId, {
    date,
    result: result as ReviewResult,
    note: note || null,
    actor: actorOf(p),
  });
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{1,512})[ ]*$/i;

/** The feed's principal: the Authorization header, or a dedicated feed token in `?token=`. */
async function feedPrincipal(service: PiaService, req: Request): Promise<Principal> {
  const header = req.headers.authorization;
  if (header) {
    const m = BEARER.exec(header);
    const p = m ? await service.store.authenticate(m[1]) : null;
    if (!p) throw unauthorized('トークンが無効です。');
    return p;
  }
  const token = query(req, 'token');
  if (!token || token.length > 512)
    throw unauthorized('カレンダー用のトークンを token= で指定してください。');
  const p = await service.store.authenticate(token);
  if (!p) throw unauthorized('トークンが無効です (誤り、失効、期限切れ、または利用者が無効化されています)。');
  // Query tokens only from dedicated feed tokens (auth-feed-token.ts).
  if (!(await isFeedTokenPrincipal(service.store, p))) {
    throw new HttpError(
      403,
      'forbidden',
      'URL に入れられるのはカレンダー専用のトークン (ラベルが calendar で始まるもの) だけです。' +
        'pia token create --label calendar-feed で発行してください。',
    );
  }
  return p;
}

const asOfParam: ParamSpec = {
  name: 'asOf',
  in: 'query',
  description: '基準日 (YYYY-MM-DD、既定: 今日・日本時間)',
  schema: { type: 'string', format: 'date' },
};
const orgIdParam: ParamSpec = {
  name: 'orgId',
  in: 'path',
  required: true,
  description: '組織の ID',
  schema: { type: 'string' },
};

const obligationSchema = {
  type: 'object',
  required: ['id', 'type', 'assessmentId', 'kind', 'basis', 'title', 'dueDate', 'state', 'explanation'],
  properties: {
    id: { type: 'string', description: '安定した ID (iCalendar の UID の元)' },
    type: { type: 'string' },
    assessmentId: { type: 'string' },
    assessmentTitle: { type: 'string' },
    orgId: { type: ['string', 'null'] },
    orgName: { type: ['string', 'null'] },
    kind: { enum: ['義務', '努力義務'] },
    basis: { type: 'string', description: '条文・指針 (確度の印つき)' },
    title: { type: 'string' },
    dueDate: {
      type: ['string', 'null'],
      format: 'date',
      description: 'null: 日付が未記載のため判定できません',
    },
    dueDateWareki: { type: ['string', 'null'] },
    daysLeft: { type: ['integer', 'null'] },
    state: { enum: ['予定', '期限間近', '期限超過', '完了', '判定不能'] },
    explanation: { type: 'string' },
    window: {
      type: 'object',
      description: '意見聴取の期間 (開始・終了・経過日数・次の手続に進める日・短縮の理由)',
    },
    revision: {
      type: 'object',
      properties: { sequence: { type: 'integer' }, modifiedAt: { type: 'string' } },
    },
  },
};
const dueReportSchema = {
  type: 'object',
  properties: {
    asOf: { type: 'string', format: 'date' },
    asOfWareki: { type: 'string' },
    obligations: { type: 'array', items: obligationSchema },
    summary: { type: 'object' },
  },
};
const reviewRecordSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    assessmentId: { type: 'string' },
    orgId: { type: 'string' },
    date: { type: 'string', format: 'date' },
    result: { enum: [...REVIEW_RESULTS] },
    note: { type: ['string', 'null'] },
    actor: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
  },
};

export const calendarRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/calendar',
    operationId: 'listObligations',
    tag: '期限',
    summary: '見える評価書の期限 (見直し・5年経過前の再実施・意見聴取・再評価) を期限超過から順に',
    description:
      '基準日 (asOf) の時点で判定する。期限超過 → 判定不能 (日付が未記載) → 期限間近 → 予定 の順、同じ状態の中は期限の早い順。' +
      'admin は全組織 (orgId で絞込み)。',
    action: 'assessment.read',
    parameters: [
      asOfParam,
      {
        name: 'within',
        in: 'query',
        description: 'この期間内に期限が来るものだけ (例 60d)',
        schema: { type: 'string' },
      },
      { name: 'orgId', in: 'query', description: '組織で絞り込む (admin)', schema: { type: 'string' } },
      { name: 'completed', in: 'query', description: '1 で完了したものも含める', schema: { type: 'string' } },
    ],
    responses: { '200': { description: '期限の一覧', content: jsonOf(dueReportSchema) } },
    async handle({ req, res, principal, service }) {
      const asOf = asOfOf(req, service);
      const withinDays = withinOf(req);
      const orgId = query(req, 'orgId');
      sendJson(
        res,
        200,
        await dueForPrincipal(service, principal, {
          asOf,
          ...(withinDays !== undefined ? { withinDays } : {}),
          ...(orgId ? { orgId } : {}),
          includeCompleted: query(req, 'completed') === '1',
        }),
      );
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/calendar',
    operationId: 'getAssessmentCalendar',
    tag: '期限',
    summary: '評価書の期限 (完了を含む)、最新版の意見聴取の期間、見直しの記録',
    action: 'assessment.read',
    parameters: [assessmentIdParam, asOfParam],
    responses: {
      '200': {
        description: '評価書の期限',
        content: jsonOf({
          type: 'object',
          properties: {
            asOf: { type: 'string', format: 'date' },
            obligations: { type: 'array', items: obligationSchema },
            publicComment: { type: ['object', 'null'] },
            reviews: { type: 'array', items: reviewRecordSchema },
          },
        }),
      },
    },
    async handle({ req, res, principal, service }) {
      sendJson(
        res,
        200,
        await assessmentCalendar(service, principal, param(req, 'assessmentId'), asOfOf(req, service)),
      );
    },
  },
  {
    method: 'get',
    path: '/api/assessments/:assessmentId/reviews',
    operationId: 'listReviewRecords',
    tag: '期限',
    summary: '見直しの記録 (実施日の古い順)',
    action: 'assessment.read',
    parameters: [assessmentIdParam],
    responses: {
      '200': {
        description: '見直しの記録',
        content: jsonOf({
          type: 'object',
          properties: { reviews: { type: 'array', items: reviewRecordSchema } },
        }),
      },
    },
    async handle({ req, res, principal, service }) {
      const a = await service.getAssessment(principal, param(req, 'assessmentId'));
      sendJson(res, 200, { reviews: await service.store.listReviewRecords(a.id) });
    },
  },
  {
    method: 'post',
    path: '/api/assessments/:assessmentId/reviews',
    operationId: 'recordReview',
    tag: '期限',
    summary: '「見直しを実施した」を記録する (監査ログに残る)',
    description:
      '実施日 (今日以前)、結果 (変更なし / 修正 / 再実施が必要)、メモ。担当者 (officer) と管理者 (admin) だけ。',
    action: 'review.record',
    parameters: [assessmentIdParam],
    requestBody: {
      description: '見直し',
      required: true,
      content: jsonOf({
        type: 'object',
        required: ['date', 'result'],
        properties: {
          date: { type: 'string', format: 'date' },
          result: { enum: [...REVIEW_RESULTS] },
          note: { type: 'string', maxLength: MAX_REVIEW_NOTE_CHARS },
        },
      }),
    },
    responses: { '201': { description: '記録した見直し', content: jsonOf(reviewRecordSchema) } },
    async handle({ req, res, principal, service, engine }) {
      const body = await readJsonObject(req, engine);
      const record = await recordReview(service, principal, param(req, 'assessmentId'), {
        date: stringField(body, 'date', { required: true }),
        result: stringField(body, 'result', { required: true }),
        note: stringField(body, 'note', { max: MAX_REVIEW_NOTE_CHARS }),
      });
      sendJson(res, 201, record);
    },
  },
  {
    method: 'get',
    path: '/api/organisations/:orgId/calendar.ics',
    operationId: 'getCalendarFeed',
    tag: '期限',
    summary: '組織の期限の iCalendar フィード (Outlook・Google カレンダー・Thunderbird で購読)',
    description:
      'カレンダーのアプリはヘッダーを送れないため、このフィードだけは URL の token= でも認証する。URL に入れられるのは' +
      'ラベルが calendar で始まる専用トークンだけ (漏えいしてもそのトークンを失効すれば止まる)。Authorization ヘッダーも使える。' +
      '各期限は終日の予定で、UID は安定 (更新は同じ予定を置き換える)。',
    // Authenticated in the handler: the query token is this route's alone.
    action: null,
    parameters: [
      orgIdParam,
      { name: 'token', in: 'query', description: 'カレンダー専用トークン', schema: { type: 'string' } },
    ],
    responses: {
      '200': { description: 'iCalendar (RFC 5545)', content: { 'text/calendar': { type: 'string' } } },
    },
    async handle({ req, res, service }) {
      const p = await feedPrincipal(service, req);
      const orgId = param(req, 'orgId');
      if (!can(p.role, 'assessment.read'))
        throw new HttpError(
          403,
          'forbidden',
          'この役割の権限では、期限のフィードは読めません (この操作はできません)。',
        );
      const org = canSeeOrg(p, orgId) ? await service.store.getOrganisation(orgId) : null;
      if (!org) throw notFound('組織');
      const report = await dueForPrincipal(service, p, {
        asOf: todayJst(service),
        orgId,
        includeCompleted: true,
      });
      const host = req.get('host');
      const ics = toIcs(report.obligations, {
        name: `特定個人情報保護評価の期限 — ${org.name}`,
        ...(host ? { dashboardUrl: `${req.protocol}://${host}/due` } : {}),
      });
      res.setHeader(
        'Content-Disposition',
        `inline; filename="pia-${encodeURIComponent(org.code ?? org.id)}.ics"`,
      );
      res.status(200).type('text/calendar; charset=utf-8').send(ics);
    },
  },
];
