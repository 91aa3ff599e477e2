// Small documents and histories for the calendar tables: only the items the calendar reads.
import type { AssessmentHistory, VersionFacts } from '../../src/calendar/index.ts';
import type { JsonObject } from '../../src/types.ts';

const FORMS = { zenkomoku: '全項目評価書', juten: '重点項目評価書', kiso: '基礎項目評価書' } as const;

export function doc(opts: {
  form?: keyof typeof FORMS;
  status?: '素案' | '案' | '提出' | '公表';
  published?: string;
  kiso?: string;
  period?: { from?: string; to?: string };
  reason?: string;
  name?: string;
  changeLog?: { date: string; item: string; explanation: string }[];
}): JsonObject {
  const d: JsonObject = {
    form: FORMS[opts.form ?? 'zenkomoku'],
    formVersion: '平成30年5月',
    status: opts.status ?? '公表',
    organization: { id: 'test-city', type: '地方公共団体等' },
    cover: { name: opts.name ?? 'テスト市 テスト事務 全項目評価書', agency: 'テスト市長' },
  };
  if (opts.published) (d.cover as JsonObject).publishedDate = opts.published;
  if (opts.kiso || opts.period || opts.reason) {
    const pc: JsonObject = {};
    if (opts.period) pc.period = opts.period as JsonObject;
    if (opts.reason !== undefined) pc.shorteningReason = opts.reason;
    d.procedure = { ...(opts.kiso ? { kiso: { date: opts.kiso } } : {}), publicComment: pc };
  }
  if (opts.changeLog)
    d.changeLog = opts.changeLog.map((r) => ({ ...r, before: '略', after: '略', timing: '事前' }));
  return d;
}

export function version(n: number, d: JsonObject, extra: Partial<VersionFacts> = {}): VersionFacts {
  const status = d.status === '公表' ? '公表' : d.status === '提出' ? '提出' : '下書き';
  return { id: `v${n}`, number: n, doc: d, status, ...extra };
}

export function history(versions: VersionFacts[], extra: Partial<AssessmentHistory> = {}): AssessmentHistory {
  return { id: 'a1', title: 'テスト事務', orgId: 'o1', orgName: 'テスト市', versions, ...extra };
}
