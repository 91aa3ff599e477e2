// The review procedure per form and organisation type (pia-domain.md §5): a table test of the rules, then
// the same rules through HTTP with a controllable clock (the 30-day 意見聴取).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateTransition, type TransitionVerdict } from '../../src/api/procedure.ts';
import {
  createMemoryStore,
  type ReviewStatus,
  type Role,
  type StatusTransition,
} from '../../src/store/index.ts';
import type { FormId, JsonObject } from '../../src/types.ts';
import { readSample, STACK_TRACE, startFixture, type Fixture } from './helpers.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-04-01T00:00:00Z');

function facts(o: {
  form: FormId;
  org?: string;
  from: ReviewStatus;
  to: ReviewStatus;
  role?: Role;
  note?: string;
  days?: number;
  doc?: JsonObject;
  errors?: number;
}) {
  const history: StatusTransition[] = [
    {
      id: '1',
      versionId: 'v',
      assessmentId: 'a',
      orgId: 'o',
      from: null,
      to: '下書き',
      actor: 'x',
      at: T0.toISOString(),
      note: null,
    },
  ];
  if (o.from !== '下書き')
    history.push({ ...history[0], id: '2', from: '下書き', to: '意見聴取', at: T0.toISOString() });
  return {
    formId: o.form,
    orgType: o.org ?? '地方公共団体等',
    from: o.from,
    to: o.to,
    role: o.role ?? 'officer',
    note: o.note ?? null,
    history,
    doc: o.doc ?? {},
    errors: o.errors ?? 0,
    now: new Date(T0.getTime() + (o.days ?? 0) * DAY),
    labelOf: (p: string) => `label(${p})`,
  };
}
const status = (v: TransitionVerdict) => (v.ok ? 'ok' : v.status);

describe('transition rules', () => {
  it.each<[string, Parameters<typeof facts>[0], 'ok' | number]>([
    // 基礎: no 意見聴取, no 第三者点検
    ['基礎 下書き→提出', { form: 'kiso', from: '下書き', to: '提出' }, 'ok'],
    ['基礎 下書き→意見聴取 does not exist', { form: 'kiso', from: '下書き', to: '意見聴取' }, 409],
    ['基礎 提出→公表', { form: 'kiso', from: '提出', to: '公表' }, 'ok'],
    ['基礎 下書き→提出 with validation errors', { form: 'kiso', from: '下書き', to: '提出', errors: 2 }, 409],
    // 重点: both steps optional
    ['重点 skips both optional steps', { form: 'juten', from: '下書き', to: '提出' }, 'ok'],
    ['重点 意見聴取 then skips 第三者点検', { form: 'juten', from: '意見聴取', to: '提出' }, 'ok'],
    [
      '重点 意見聴取 has no minimum period',
      { form: 'juten', from: '意見聴取', to: '第三者点検', days: 3 },
      'ok',
    ],
    [
      '重点 点検 result by the reviewer',
      { form: 'juten', from: '第三者点検', to: '提出', role: 'reviewer', note: '指摘なし' },
      'ok',
    ],
    // 全項目 of a 地方公共団体等: both steps, 30 days
    ['全項目(地方) may not skip 意見聴取', { form: 'zenkomoku', from: '下書き', to: '提出' }, 409],
    [
      '全項目(地方) may not skip 第三者点検',
      { form: 'zenkomoku', from: '意見聴取', to: '提出', days: 40 },
      409,
    ],
    [
      '全項目(地方) 意見聴取 after 29 days',
      { form: 'zenkomoku', from: '意見聴取', to: '第三者点検', days: 29 },
      409,
    ],
    [
      '全項目(地方) 意見聴取 after 30 days',
      { form: 'zenkomoku', from: '意見聴取', to: '第三者点検', days: 30 },
      'ok',
    ],
    [
      '全項目(地方) shortened with a 特段の理由',
      {
        form: 'zenkomoku',
        from: '意見聴取',
        to: '第三者点検',
        days: 10,
        doc: { procedure: { publicComment: { shorteningReason: '災害対応のため' } } },
      },
      'ok',
    ],
    [
      '全項目(地方) a 31-day period already recorded and ended',
      {
        form: 'zenkomoku',
        from: '意見聴取',
        to: '第三者点検',
        days: 0,
        doc: { procedure: { publicComment: { period: { from: '2026-02-01', to: '2026-03-03' } } } },
      },
      'ok',
    ],
    [
      '全項目(地方) a recorded period not yet ended',
      {
        form: 'zenkomoku',
        from: '意見聴取',
        to: '第三者点検',
        days: 0,
        doc: { procedure: { publicComment: { period: { from: '2026-03-20', to: '2026-04-30' } } } },
      },
      409,
    ],
    [
      '全項目(地方) the officer may not record the 点検 result',
      { form: 'zenkomoku', from: '第三者点検', to: '提出', role: 'officer', note: 'x' },
      403,
    ],
    [
      '全項目(地方) the reviewer records it',
      { form: 'zenkomoku', from: '第三者点検', to: '提出', role: 'reviewer', note: '適切' },
      'ok',
    ],
    [
      '全項目(地方) the 点検 result needs a note',
      { form: 'zenkomoku', from: '第三者点検', to: '提出', role: 'reviewer' },
      400,
    ],
    [
      '全項目(地方) reviewer sends it back',
      { form: 'zenkomoku', from: '第三者点検', to: '下書き', role: 'reviewer', note: '修正が必要' },
      'ok',
    ],
    [
      '全項目(地方) the reviewer may not start 意見聴取',
      { form: 'zenkomoku', from: '下書き', to: '意見聴取', role: 'reviewer' },
      403,
    ],
    ['全項目(地方) ci may not', { form: 'zenkomoku', from: '下書き', to: '意見聴取', role: 'ci' }, 403],
    // 全項目 of a 行政機関等: PPC 承認 instead of 第三者点検
    [
      '全項目(行政) has no 第三者点検',
      { form: 'zenkomoku', org: '行政機関等', from: '意見聴取', to: '第三者点検', days: 40 },
      409,
    ],
    [
      '全項目(行政) 意見聴取→提出 after 30 days',
      { form: 'zenkomoku', org: '行政機関等', from: '意見聴取', to: '提出', days: 30 },
      'ok',
    ],
    [
      '全項目(行政) 意見聴取→提出 too early',
      { form: 'zenkomoku', org: '行政機関等', from: '意見聴取', to: '提出', days: 5 },
      409,
    ],
    [
      '全項目(行政) 公表 needs the 承認 recorded',
      { form: 'zenkomoku', org: '行政機関等', from: '提出', to: '公表' },
      400,
    ],
    [
      '全項目(行政) 公表 with the 承認',
      { form: 'zenkomoku', org: '行政機関等', from: '提出', to: '公表', note: '令和8年5月1日 承認' },
      'ok',
    ],
    [
      '全項目 without an organisation type',
      { form: 'zenkomoku', org: '', from: '下書き', to: '意見聴取' },
      409,
    ],
    // 公表 is final
    ['公表 is final', { form: 'juten', from: '公表', to: '下書き' }, 409],
    ['same status', { form: 'juten', from: '提出', to: '提出' }, 409],
  ])('%s', (_name, f, expected) => {
    expect(status(evaluateTransition(facts(f)))).toBe(expected);
  });

  it('explains a short 意見聴取 with the schema label of the 特段の理由 item', () => {
    const v = evaluateTransition(facts({ form: 'zenkomoku', from: '意見聴取', to: '第三者点検', days: 12 }));
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.message).toContain('30 日');
      expect(v.message).toContain('12 日');
      expect(v.message).toContain('label(/procedure/publicComment/shorteningReason)');
    }
  });
});

describe('the procedure through HTTP', () => {
  let fx: Fixture;
  let clock = new Date('2026-04-01T00:00:00Z');
  beforeAll(async () => {
    // The store and the app share the clock: transitions are stamped by the store.
    fx = await startFixture({ now: () => clock, store: createMemoryStore({ now: () => clock }) });
  });
  afterAll(async () => {
    for (const b of fx.bodies) expect(b).not.toMatch(STACK_TRACE);
    expect(fx.logged).toEqual([]);
    await fx.close();
  });

  it('walks a 全項目評価書 of a 地方公共団体等 through every step, with roles and the 30 days', async () => {
    // The fictional 住民基本台帳 document, with a planned period that has not ended yet, so the clock decides.
    const doc = readSample('kakuu-city-juki');
    const proc = doc.procedure as JsonObject;
    const pc: JsonObject = {
      ...(proc.publicComment as JsonObject),
      period: { from: '2026-04-01', to: '2026-05-10' },
    };
    delete pc.shorteningReason;
    const { assessment } = await fx.newAssessment({
      doc: { ...doc, procedure: { ...proc, publicComment: pc } },
    });
    const base = `/api/assessments/${assessment.id}/versions/latest/status`;
    const go = (token: string, to: string, note?: string) =>
      fx.call('POST', base, { token, json: { to, ...(note ? { note } : {}) } });

    const view = await fx.call('GET', base, { token: fx.tokens.officer });
    expect(view.json.status).toBe('下書き');
    expect(view.json.transitions.map((t: { to: string }) => t.to)).toEqual(['意見聴取']);

    expect((await go(fx.tokens.officer, '提出')).status).toBe(409);
    expect((await go(fx.tokens.officer, '意見聴取')).status).toBe(201);
    clock = new Date(clock.getTime() + 20 * DAY);
    const early = await go(fx.tokens.officer, '第三者点検');
    expect(early.status).toBe(409);
    expect(early.json.error.message).toContain('30 日');
    const reviewerView = await fx.call('GET', base, { token: fx.tokens.reviewer });
    expect(reviewerView.json.transitions.find((t: { to: string }) => t.to === '第三者点検').allowed).toBe(
      false,
    );
    clock = new Date(clock.getTime() + 10 * DAY);
    expect((await go(fx.tokens.officer, '第三者点検')).status).toBe(201);
    expect((await go(fx.tokens.officer, '提出', '点検済')).status).toBe(403);
    expect((await go(fx.tokens.reviewer, '提出')).status).toBe(400);
    const recorded = await go(fx.tokens.reviewer, '提出', '個人情報保護審議会による点検: 指摘事項なし');
    expect(recorded.status).toBe(201);
    expect(recorded.json.note).toContain('指摘事項なし');
    expect((await go(fx.tokens.reviewer, '公表')).status).toBe(403);
    expect((await go(fx.tokens.officer, '公表')).status).toBe(201);
    const done = await fx.call('GET', base, { token: fx.tokens.reviewer });
    expect(done.json.history.map((h: { to: string }) => h.to)).toEqual([
      '下書き',
      '意見聴取',
      '第三者点検',
      '提出',
      '公表',
    ]);
    expect(done.json.transitions).toEqual([]);
    // The assessment shows the status; the audit log has every step.
    const a = await fx.call('GET', `/api/assessments/${assessment.id}`, { token: fx.tokens.reviewer });
    expect(a.json.status).toBe('公表');
    const audit = await fx.call('GET', `/api/audit?limit=1000`, { token: fx.tokens.officer });
    expect(
      audit.json.entries.filter((e: { action: string }) => e.action === 'status.transition').length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('lets a 重点項目評価書 skip the optional steps, and refuses a stale expectedFrom', async () => {
    const { assessment } = await fx.newAssessment({ doc: readSample('kakuu-city-kaigo') });
    const base = `/api/assessments/${assessment.id}/versions/latest/status`;
    const stale = await fx.call('POST', base, {
      token: fx.tokens.officer,
      json: { to: '提出', expectedFrom: '意見聴取' },
    });
    expect(stale.status).toBe(409);
    expect(
      (
        await fx.call('POST', base, {
          token: fx.tokens.officer,
          json: { to: '提出', expectedFrom: '下書き' },
        })
      ).status,
    ).toBe(201);
    expect(
      (await fx.call('POST', base, { token: fx.tokens.officer, json: { to: '未知の状態' } })).status,
    ).toBe(400);
  });

  it('refuses 提出 of a document with validation errors', async () => {
    const { assessment } = await fx.newAssessment({
      doc: { ...readSample('kakuu-city-kaigo'), cover: 'not an object' },
    });
    const res = await fx.call('POST', `/api/assessments/${assessment.id}/versions/latest/status`, {
      token: fx.tokens.officer,
      json: { to: '提出' },
    });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain('検証エラー');
  });
});
