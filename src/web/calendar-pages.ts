// The 「期限」 pages: the dashboard (/due) and the 「手続の日付と期限」 panel of a document page with the
// 「見直しを実施した」 form. They use the same service as the API (permissions, organisation scope) and the
// same calendar engine as `pia due`, so the three always agree. Hooked into createWebRouter (pages.ts) by
// one call; the panel is rendered here and handed to the document page as finished HTML.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import {
  assessmentCalendar,
  asOfOf,
  recordReview,
  todayJst,
  visibleHistories,
} from '../api/routes/calendar.ts';
import { can } from '../api/permissions.ts';
import type { PiaService, StatusView } from '../api/service.ts';
import {
  compareObligations,
  daysBetween,
  jstDay,
  keepObligation,
  listDue,
  parseSpan,
  publicCommentWindow,
  readDocumentDates,
  wareki,
  type Obligation,
  type ObligationState,
} from '../calendar/index.ts';
import { labelPath, formatLabelPath } from '../schema/index.ts';
import { getAtPointer } from '../pointer.ts';
import { REVIEW_RESULTS, type Assessment, type Principal, type Version } from '../store/index.ts';
import type { Session } from './sessions.ts';
import { WEB_TEMPLATES_DIR } from './views.ts';

type Handler = (req: Request, res: Response) => void | Promise<void>;
interface Locals {
  session: Session;
  principal: Principal;
}

export interface CalendarPageDeps {
  router: {
    get(path: string, summary: string, handler: Handler, session?: boolean): void;
    post(path: string, summary: string, handler: Handler, session?: boolean): void;
  };
  service: PiaService;
  requireSession(req: Request, res: Response): Promise<Locals>;
  requirePost(req: Request, res: Response): Promise<Locals & { form: URLSearchParams }>;
  base(l: Locals, title: string, extra?: Record<string, unknown>): Record<string, unknown>;
  actorNames(actors: Iterable<string>): Promise<Map<string, string>>;
}

const STATE_KEYS: Record<ObligationState, string> = {
  期限超過: 'overdue',
  判定不能: 'unknown',
  期限間近: 'soon',
  予定: 'planned',
  完了: 'done',
};

let compiled: { due: Handlebars.TemplateDelegate; panel: Handlebars.TemplateDelegate } | undefined;
function templates() {
  if (!compiled) {
    // A private instance, as views.ts: only our templates and the shared layout; user data via {{ }} only.
    const hb = Handlebars.create();
    hb.registerPartial('layout', readFileSync(join(WEB_TEMPLATES_DIR, 'layout.hbs'), 'utf8'));
    const read = (n: string) => hb.compile(readFileSync(join(WEB_TEMPLATES_DIR, `${n}.hbs`), 'utf8'));
    compiled = { due: read('due'), panel: read('procedure-panel') };
  }
  return compiled;
}

function sendHtml(res: Response, html: string): void {
  res.status(200).type('text/html; charset=utf-8').send(html);
}

function daysText(o: Pick<Obligation, 'daysLeft' | 'state'>): string {
  if (o.daysLeft === null || o.state === '完了') return '';
  if (o.daysLeft < 0) return `${-o.daysLeft}日超過`;
  if (o.daysLeft === 0) return '本日';
  return `あと${o.daysLeft}日`;
}

const shown = (o: Obligation) => ({ ...o, stateKey: STATE_KEYS[o.state], daysText: daysText(o) });

const WITHIN = [
  { value: '', label: 'すべて' },
  { value: '30d', label: '30日以内' },
  { value: '60d', label: '60日以内' },
  { value: '90d', label: '90日以内' },
  { value: '1y', label: '1年以内' },
];

export function registerCalendarPages(d: CalendarPageDeps): void {
  const { router, service } = d;

  router.get('/due', '期限の一覧 (期限超過を先頭に、評価書ごとの次の期限)', async (req, res) => {
    const l = await d.requireSession(req, res);
    const p = l.principal;
    const asOf = asOfOf(req, service);
    const withinParam = typeof req.query.within === 'string' ? req.query.within : '';
    const within =
      WITHIN.some((w) => w.value === withinParam) && withinParam ? parseSpan(withinParam) : undefined;
    const orgs = await service.listOrganisations(p);
    const orgParam = typeof req.query.orgId === 'string' ? req.query.orgId : '';
    const orgId = orgs.some((o) => o.id === orgParam) ? orgParam : undefined;
    const includeCompleted = req.query.completed === '1';
    const histories = await visibleHistories(service, p, orgId ? { orgId } : {});
    const opts = { asOf, ...(within !== undefined ? { withinDays: within } : {}), includeCompleted };
    const all = listDue(histories, { asOf, includeCompleted: true }).obligations;
    const kept = all.filter((o) => keepObligation(o, opts));
    const rows = histories
      .map((h) => {
        const open = kept.filter((o) => o.assessmentId === h.id && o.state !== '完了');
        const next = open[0];
        return {
          assessmentId: h.id,
          title: h.title,
          orgName: h.orgName,
          next,
          others: Math.max(0, open.length - 1),
        };
      })
      // With a horizon, an assessment with nothing due inside it is not listed.
      .filter((r) => r.next || within === undefined)
      .sort((a, b) =>
        a.next && b.next
          ? compareObligations(a.next, b.next)
          : a.next
            ? -1
            : b.next
              ? 1
              : a.title.localeCompare(b.title, 'ja'),
      )
      .map((r) => ({
        ...r,
        next: r.next ? shown(r.next) : undefined,
        stateKey: r.next ? STATE_KEYS[r.next.state] : 'none',
        daysText: r.next ? daysText(r.next) : '',
      }));
    const counts = (['期限超過', '判定不能', '期限間近', '予定'] as const).map((s) => ({
      key: STATE_KEYS[s],
      label: s,
      count: kept.filter((o) => o.state === s).length,
    }));
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    sendHtml(
      res,
      templates().due(
        d.base(l, '期限', {
          asOf,
          asOfWareki: wareki(asOf),
          asOfParam: typeof req.query.asOf === 'string' ? req.query.asOf : '',
          isToday: asOf === todayJst(service),
          summary: counts,
          rows,
          obligations: kept.map(shown),
          showOrg: p.role === 'admin',
          includeCompleted,
          withinOptions: WITHIN.map((w) => ({ ...w, selected: w.value === withinParam })),
          orgOptions:
            p.role === 'admin' ? orgs.map((o) => ({ id: o.id, name: o.name, selected: o.id === orgId })) : [],
          feeds: orgs.map((o) => ({
            name: o.name,
            url: `${origin}/api/organisations/${encodeURIComponent(o.id)}/calendar.ics?token=<カレンダー用トークン>`,
          })),
        }),
      ),
    );
  });

  router.post('/assessments/:assessmentId/reviews', '「見直しを実施した」の記録', async (req, res) => {
    const { principal, form } = await d.requirePost(req, res);
    const assessmentId = req.params.assessmentId as string;
    await recordReview(service, principal, assessmentId, {
      date: form.get('date') ?? undefined,
      result: form.get('result') ?? undefined,
      note: form.get('note') ?? undefined,
    });
    const versionId = form.get('versionId');
    const v =
      versionId && /^[A-Za-z0-9-]{1,100}$/.test(versionId) ? `version=${encodeURIComponent(versionId)}&` : '';
    res.redirect(303, `/assessments/${encodeURIComponent(assessmentId)}?${v}done=review#calendar`);
  });
}

/** Items of the procedure section whose dates the panel lists, by pointer (labels come from the schema). */
const DATE_ITEMS = [
  '/cover/publishedDate',
  '/procedure/kiso/date',
  '/procedure/thirdParty/date',
  '/cover/approvalDate',
];

/** The 「手続の日付と期限」 panel of a document page, as HTML (escaped by its own template). */
export async function renderProcedurePanel(input: {
  service: PiaService;
  principal: Principal;
  assessment: Assessment;
  version: Version;
  status: StatusView;
  csrf: string;
  actorNames(actors: Iterable<string>): Promise<Map<string, string>>;
}): Promise<string> {
  const { service, principal: p, assessment, version, status } = input;
  const asOf = todayJst(service);
  const dates = readDocumentDates(version.doc);
  const facts: { label: string; value: string | null }[] = [];
  const orgType = getAtPointer(version.doc, '/organization/type');
  for (const pointer of DATE_ITEMS) {
    if (!dates.formKey) break;
    // 承認日 is an item of 行政機関等 only (【行政機関等のみ】); for others it is always blank.
    if (pointer === '/cover/approvalDate' && orgType !== '行政機関等') continue;
    let label: string[] = [];
    try {
      label = labelPath(dates.formKey, pointer);
    } catch {
      continue;
    }
    if (!label.length) continue;
    const value = getAtPointer(version.doc, pointer);
    facts.push({ label: formatLabelPath(label), value: typeof value === 'string' ? wareki(value) : null });
  }
  const history = status.history;
  const last = history[history.length - 1];
  const sinceDay = last && last.from !== null ? (jstDay(last.at) as string) : undefined;
  const facts0 = {
    id: version.id,
    number: version.number,
    doc: version.doc,
    status: version.status,
    transitions: history.map((t) => ({ from: t.from, to: t.to, at: t.at })),
  };
  const window = publicCommentWindow(facts0, asOf);
  const names = await input.actorNames([...history.map((h) => h.actor)]);
  const cal = await assessmentCalendar(service, p, assessment.id, asOf);
  const reviewNames = await input.actorNames(cal.reviews.map((r) => r.actor));
  const steps = status.transitions.map((t) => {
    const waiting =
      !t.allowed &&
      version.status === '意見聴取' &&
      window?.earliestNext &&
      window.earliestNext > asOf &&
      (t.reason ?? '').includes('意見聴取の期間');
    return {
      ...t,
      ...(waiting
        ? {
            fromDateWareki: wareki(window.earliestNext),
            daysLeft: daysBetween(asOf, window.earliestNext as string),
          }
        : {}),
    };
  });
  return templates().panel({
    asOf,
    asOfWareki: wareki(asOf),
    assessmentId: assessment.id,
    versionId: version.id,
    csrf: input.csrf,
    facts,
    current: {
      status: version.status,
      since: sinceDay ? wareki(sinceDay) : null,
      days: sinceDay ? daysBetween(sinceDay, asOf) : null,
    },
    window: window
      ? {
          ...window,
          startWareki: wareki(window.start),
          endWareki: wareki(window.end),
          earliestNextWareki: wareki(window.earliestNext),
        }
      : null,
    steps,
    history: history.map((h, i) => {
      const day = jstDay(h.at) as string;
      const prev = i > 0 ? (jstDay(history[i - 1].at) as string) : undefined;
      return {
        ...h,
        dateWareki: wareki(day),
        days: prev ? daysBetween(prev, day) : null,
        actor: names.get(h.actor) ?? h.actor,
      };
    }),
    obligations: cal.obligations.map(shown),
    reviews: cal.reviews
      .slice()
      .reverse()
      .map((r) => ({
        ...r,
        dateWareki: wareki(r.date),
        actor: reviewNames.get(r.actor) ?? r.actor,
        at:
          (jstDay(r.at) ?? r.at) +
          ' ' +
          new Date(Date.parse(r.at) + 9 * 3600_000).toISOString().slice(11, 16),
      })),
    canRecord: can(p.role, 'review.record'),
    results: REVIEW_RESULTS,
  });
}
