// Table tests of the calendar: every obligation at its boundaries (the day before, of and after), 閏年,
// the era change 平成→令和, and documents without the dates needed.
import { describe, expect, it } from 'vitest';
import {
  addYears,
  computeObligations,
  listDue,
  readDocumentDates,
  stateOn,
  UNDETERMINABLE,
  wareki,
  type Obligation,
  type ObligationType,
} from '../../src/calendar/index.ts';
import {
  evaluateTransition,
  PUBLIC_COMMENT_MIN_DAYS as PROCEDURE_MIN_DAYS,
} from '../../src/api/procedure.ts';
import { PUBLIC_COMMENT_MIN_DAYS } from '../../src/calendar/index.ts';
import type { Diagnostic } from '../../src/types.ts';
import { doc, history, version } from './helpers.ts';

const find = (list: Obligation[], type: ObligationType) => list.find((o) => o.type === type);
const one = (h: Parameters<typeof computeObligations>[0], asOf: string, type: ObligationType) =>
  find(computeObligations(h, { asOf }), type);

describe('date arithmetic (民法第143条: the same day N years later, 2/29 → 2/28)', () => {
  it.each([
    ['2025-04-01', 1, '2026-04-01'],
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2020-02-29', 5, '2025-02-28'],
    ['2023-02-28', 1, '2024-02-28'],
    ['2025-12-31', 1, '2026-12-31'],
    ['2014-04-30', 5, '2019-04-30'],
  ] as const)('%s + %d 年 = %s', (from, years, to) => {
    expect(addYears(from, years)).toBe(to);
  });

  it.each([
    ['2019-04-30', '平成31年4月30日'],
    ['2019-05-01', '令和元年5月1日'],
    ['2024-02-29', '令和6年2月29日'],
  ])('和暦 %s = %s', (iso, w) => expect(wareki(iso)).toBe(w));

  it.each([
    // due 2026-04-01, lead 30 days
    ['2026-03-01', '予定'],
    ['2026-03-02', '期限間近'],
    ['2026-03-31', '期限間近'],
    ['2026-04-01', '期限間近'],
    ['2026-04-02', '期限超過'],
  ] as const)('stateOn(2026-04-01, %s, 30) = %s', (asOf, state) => {
    expect(stateOn('2026-04-01', asOf, 30, false)).toBe(state);
    expect(stateOn('2026-04-01', asOf, 30, true)).toBe('完了');
  });

  it('counts the 意見聴取 days as the procedure rule does', () => {
    expect(PUBLIC_COMMENT_MIN_DAYS).toBe(PROCEDURE_MIN_DAYS);
  });
});

describe('見直し (1年に1回以上, 努力義務)', () => {
  const published = history([version(1, doc({ published: '2025-04-01' }))]);
  it.each([
    ['2026-03-31', '期限間近', 1],
    ['2026-04-01', '期限間近', 0],
    ['2026-04-02', '期限超過', -1],
    ['2026-03-01', '予定', 31],
  ] as const)('published 2025-04-01, as of %s → %s', (asOf, state, daysLeft) => {
    const o = one(published, asOf, 'annual-review') as Obligation;
    expect(o).toMatchObject({ dueDate: '2026-04-01', state, daysLeft, kind: '努力義務' });
    expect(o.basis).toContain('規則第14条');
    expect(o.dueDateWareki).toBe('令和8年4月1日');
    expect(o.explanation).toContain('公表日 (令和7年4月1日)');
  });

  it('閏年: published 2024-02-29 → due 2025-02-28 (day before, of, after)', () => {
    const h = history([version(1, doc({ published: '2024-02-29' }))]);
    expect(one(h, '2025-02-27', 'annual-review')).toMatchObject({ dueDate: '2025-02-28', state: '期限間近' });
    expect(one(h, '2025-02-28', 'annual-review')).toMatchObject({ state: '期限間近', daysLeft: 0 });
    expect(one(h, '2025-03-01', 'annual-review')).toMatchObject({ state: '期限超過', daysLeft: -1 });
  });

  it('era change: due 平成31年4月30日 vs 令和元年5月1日', () => {
    const heisei = history([version(1, doc({ published: '2018-04-30' }))]);
    const reiwa = history([version(1, doc({ published: '2018-05-01' }))]);
    expect(one(heisei, '2019-04-30', 'annual-review')).toMatchObject({
      dueDate: '2019-04-30',
      dueDateWareki: '平成31年4月30日',
      state: '期限間近',
    });
    expect(one(heisei, '2019-05-01', 'annual-review')).toMatchObject({ state: '期限超過' });
    expect(one(reiwa, '2019-04-30', 'annual-review')).toMatchObject({
      dueDate: '2019-05-01',
      dueDateWareki: '令和元年5月1日',
      state: '期限間近',
      daysLeft: 1,
    });
  });

  it('a recorded 見直し restarts the count; an older one does not; SEQUENCE grows with each', () => {
    const base = [version(1, doc({ published: '2025-04-01' }))];
    const h0 = history(base);
    const h1 = history(base, {
      reviews: [{ date: '2026-03-15', result: '変更なし', at: '2026-03-15T02:00:00Z' }],
    });
    const h2 = history(base, { reviews: [{ date: '2025-01-15', result: '変更なし' }] });
    const o0 = one(h0, '2026-04-02', 'annual-review') as Obligation;
    const o1 = one(h1, '2026-04-02', 'annual-review') as Obligation;
    expect(o0.state).toBe('期限超過');
    expect(o1).toMatchObject({ dueDate: '2027-03-15', state: '予定' });
    expect(o1.explanation).toContain('見直し (結果: 変更なし)');
    expect(o1.id).toBe(o0.id);
    expect(o1.revision.sequence).toBe(o0.revision.sequence + 1);
    expect(o1.revision.modifiedAt).toBe('2026-03-15T02:00:00.000Z');
    expect(one(h2, '2026-04-02', 'annual-review')).toMatchObject({ dueDate: '2026-04-01' });
  });

  it('a later publication (even a 修正) restarts it', () => {
    const h = history([
      version(1, doc({ published: '2025-04-01' })),
      version(2, doc({ published: '2025-09-10' })),
    ]);
    expect(one(h, '2026-04-02', 'annual-review')).toMatchObject({ dueDate: '2026-09-10', state: '予定' });
  });

  it('published without 公表日 → 判定できません (never guessed)', () => {
    const h = history([version(1, doc({}))]);
    const o = one(h, '2026-04-02', 'annual-review') as Obligation;
    expect(o).toMatchObject({ dueDate: null, dueDateWareki: null, daysLeft: null, state: '判定不能' });
    expect(o.explanation).toContain(UNDETERMINABLE);
    expect(o.explanation).toContain('公表日');
  });

  it('a draft that was never published has no 見直し or 5-year obligation yet', () => {
    const h = history([version(1, doc({ status: '案' }))]);
    const list = computeObligations(h, { asOf: '2026-04-02' });
    expect(find(list, 'annual-review')).toBeUndefined();
    expect(find(list, 'five-year')).toBeUndefined();
  });
});

describe('5年経過前の再実施 (規則第15条, 努力義務)', () => {
  it.each([
    ['2025-10-02', '予定', 181],
    ['2025-10-03', '期限間近', 180],
    ['2026-03-31', '期限間近', 1],
    ['2026-04-01', '期限間近', 0],
    ['2026-04-02', '期限超過', -1],
  ] as const)('published 2021-04-01, as of %s → %s', (asOf, state, daysLeft) => {
    const h = history([version(1, doc({ published: '2021-04-01' }))]);
    expect(one(h, asOf, 'five-year')).toMatchObject({
      dueDate: '2026-04-01',
      state,
      daysLeft,
      kind: '努力義務',
    });
  });

  it('閏年 and era: 2020-02-29 → 2025-02-28; 2014-04-30 → 平成31年4月30日; 2014-05-01 → 令和元年5月1日', () => {
    const leap = history([version(1, doc({ published: '2020-02-29' }))]);
    expect(one(leap, '2025-03-01', 'five-year')).toMatchObject({ dueDate: '2025-02-28', state: '期限超過' });
    expect(one(leap, '2025-02-28', 'five-year')).toMatchObject({ state: '期限間近' });
    const h = history([version(1, doc({ published: '2014-04-30' }))]);
    expect(one(h, '2019-01-01', 'five-year')).toMatchObject({ dueDateWareki: '平成31年4月30日' });
    const r = history([version(1, doc({ published: '2014-05-01' }))]);
    expect(one(r, '2019-01-01', 'five-year')).toMatchObject({ dueDateWareki: '令和元年5月1日' });
  });

  const v1 = version(1, doc({ published: '2020-01-10', kiso: '2019-10-01' }));
  it.each([
    [
      '重要な変更 (変更箇所に「重要な変更による評価の再実施」)',
      doc({
        published: '2022-03-01',
        kiso: '2021-12-01',
        changeLog: [
          {
            date: '2022-03-01',
            item: 'Ⅱ 6. ①保管場所',
            explanation: '重要な変更による評価の再実施（保管場所の変更）',
          },
        ],
      }),
      '2025-01-10',
    ],
    ['修正 (しきい値判断の実施日も同じ)', doc({ published: '2022-03-01', kiso: '2019-10-01' }), '2025-01-10'],
    ['再実施 (しきい値判断をやり直した)', doc({ published: '2022-03-01', kiso: '2021-12-01' }), '2027-03-01'],
    [
      '再実施 (新しい意見聴取)',
      doc({ published: '2022-03-01', kiso: '2019-10-01', period: { from: '2021-12-01', to: '2021-12-31' } }),
      '2027-03-01',
    ],
  ])('a second publication that is a %s → due %s', (_what, d2, due) => {
    const h = history([v1, version(2, d2)]);
    expect(one(h, '2024-01-01', 'five-year')?.dueDate).toBe(due);
  });

  it('重要な変更 rows carried over from the previous version do not make a 修正 a 重要な変更', () => {
    const rows = [{ date: '2021-05-01', item: 'x', explanation: '重要な変更による評価の再実施（x）' }];
    const h = history([
      version(1, doc({ published: '2021-05-01', changeLog: rows })),
      version(2, doc({ published: '2022-03-01', changeLog: rows })),
    ]);
    // Both start the count only as 初回 and 修正: due from v1.
    expect(one(h, '2024-01-01', 'five-year')?.dueDate).toBe('2026-05-01');
    expect(one(h, '2024-01-01', 'five-year')?.explanation).toContain('第2版 (修正)');
  });

  it('the resetting publication without 公表日 → 判定できません', () => {
    const h = history([version(1, doc({})), version(2, doc({ published: '2022-03-01' }))]);
    const o = one(h, '2024-01-01', 'five-year') as Obligation;
    expect(o.state).toBe('判定不能');
    expect(o.explanation).toContain(UNDETERMINABLE);
    // The yearly 見直し only needs the newest publication.
    expect(one(h, '2024-01-01', 'annual-review')?.dueDate).toBe('2023-03-01');
  });
});

describe('意見聴取 (全項目: 原則30日以上)', () => {
  const inComment = (at: string) =>
    version(1, doc({ status: '案' }), {
      status: '意見聴取',
      transitions: [
        { from: null, to: '下書き', at: '2025-06-01T00:00:00Z' },
        { from: '下書き', to: '意見聴取', at },
      ],
    });
  it.each([
    ['2025-07-30', '予定', 29],
    ['2025-07-31', '完了', 30],
    ['2025-08-01', '完了', 31],
  ] as const)('started 2025-07-01 (JST), as of %s → %s, %d days elapsed', (asOf, state, elapsed) => {
    const o = one(history([inComment('2025-07-01T01:00:00Z')]), asOf, 'public-comment') as Obligation;
    expect(o).toMatchObject({ dueDate: '2025-07-31', state, kind: '義務' });
    expect(o.window).toMatchObject({
      start: '2025-07-01',
      earliestNext: '2025-07-31',
      ongoing: true,
      daysElapsed: elapsed,
    });
    expect(o.explanation).toContain(`${elapsed}日経過`);
    expect(o.id).toBe('a1/public-comment/v1');
  });

  it('the start day is the Japanese day: 2025-06-30T15:30Z is 7月1日 in JST', () => {
    const o = one(history([inComment('2025-06-30T15:30:00Z')]), '2025-07-15', 'public-comment');
    expect(o?.window?.start).toBe('2025-07-01');
  });

  it.each([
    ['30 days (both ends)', { from: '2025-07-01', to: '2025-07-30' }, undefined, '完了', false],
    ['29 days', { from: '2025-07-01', to: '2025-07-29' }, undefined, '期限超過', false],
    ['29 days, 特段の理由', { from: '2025-07-01', to: '2025-07-29' }, '災害対応のため', '完了', true],
    [
      '29 days, 理由「—」 (the form’s empty cell)',
      { from: '2025-07-01', to: '2025-07-29' },
      '—',
      '期限超過',
      false,
    ],
  ] as const)('a recorded period of %s → %s', (_w, period, reason, state, shortened) => {
    const h = history([version(1, doc({ published: '2025-10-01', period, ...(reason ? { reason } : {}) }))]);
    const o = one(h, '2025-12-01', 'public-comment') as Obligation;
    expect(o.state).toBe(state);
    expect(o.window?.shortened).toBe(shortened);
    if (state === '期限超過') expect(o.explanation).toContain('期間を短縮する特段の理由');
    if (shortened) expect(o.explanation).toContain('災害対応のため');
  });

  // The server (procedure) and the calendar read the same 「期間を短縮する特段の理由」 cell: what one accepts
  // as a reason the other must too, or the server allows a short 意見聴取 that the calendar reports overdue.
  it.each([
    ['', false],
    [' ', false],
    ['-', false],
    ['—', false],
    ['－', false],
    ['ー', false],
    ['なし', false],
    ['該当なし', false],
    ['特になし', false],
    ['。', false],
    ['n/a', false],
    ['未定', false],
    ['――', false],
    ['システム更改のため', true],
    ['災害対応のため', true],
  ] as const)('the procedure and the calendar agree that %j is a reason: %s', (reason, real) => {
    const d = doc({ status: '案', period: { from: '2025-07-01', to: '2025-07-05' }, reason });
    const at = '2025-07-01T00:00:00Z';
    const base = { versionId: 'v1', assessmentId: 'a1', orgId: 'o1', actor: 'x', at, note: null };
    const verdict = evaluateTransition({
      formId: 'zenkomoku',
      orgType: '地方公共団体等',
      from: '意見聴取',
      to: '第三者点検',
      role: 'officer',
      note: null,
      history: [
        { ...base, id: '1', from: null, to: '下書き' },
        { ...base, id: '2', from: '下書き', to: '意見聴取' },
      ],
      doc: d,
      errors: 0,
      now: new Date('2025-07-05T00:00:00Z'),
      labelOf: (p) => p,
    });
    expect(verdict.ok).toBe(real);
    expect(readDocumentDates(d).shorteningReason !== undefined).toBe(real);
    const published = version(1, {
      ...d,
      status: '公表',
      cover: { ...(d.cover as object), publishedDate: '2025-10-01' },
    });
    const o = one(history([published]), '2025-12-01', 'public-comment') as Obligation;
    expect(o.window?.shortened).toBe(real);
    expect(o.state).toBe(real ? '完了' : '期限超過');
  });

  it('a published 全項目 without its 意見聴取 period → 判定できません', () => {
    const o = one(
      history([version(1, doc({ published: '2025-10-01' }))]),
      '2025-12-01',
      'public-comment',
    ) as Obligation;
    expect(o.state).toBe('判定不能');
    expect(o.explanation).toContain('②実施日・期間');
  });

  it('in 意見聴取 without a recorded start → 判定できません', () => {
    const v = version(1, doc({ status: '案' }), {
      status: '意見聴取',
      transitions: [{ from: null, to: '意見聴取', at: '2025-07-01T00:00:00Z' }],
    });
    const o = one(history([v]), '2025-07-10', 'public-comment') as Obligation;
    expect(o.state).toBe('判定不能');
    expect(o.explanation).toContain(UNDETERMINABLE);
  });

  it('withdrawn to 下書き: no window; 重点: 任意, no obligation', () => {
    const withdrawn = version(1, doc({ status: '案' }), {
      status: '下書き',
      transitions: [
        { from: '下書き', to: '意見聴取', at: '2025-07-01T00:00:00Z' },
        { from: '意見聴取', to: '下書き', at: '2025-07-05T00:00:00Z' },
      ],
    });
    expect(one(history([withdrawn]), '2025-07-10', 'public-comment')).toBeUndefined();
    const juten = version(
      1,
      doc({ form: 'juten', status: '案', period: { from: '2025-07-01', to: '2025-07-10' } }),
    );
    expect(one(history([juten]), '2025-07-20', 'public-comment')).toBeUndefined();
  });
});

describe('re-assessment required by a check run or a 見直し (義務)', () => {
  const d = (code: string, consequence: Diagnostic['consequence'], waived = false): Diagnostic => ({
    code,
    severity: 'error',
    message: `${code} の所見`,
    path: '/x',
    consequence,
    ...(waived ? { waived: { justification: 'j', approver: 'a', expires: '2030-01-01' } } : {}),
  });
  const v1 = version(1, doc({ published: '2025-04-01', kiso: '2025-01-01' }));
  const run = (diagnostics: Diagnostic[]) => ({
    id: 'r1',
    versionId: 'v1',
    createdAt: '2026-05-31T16:00:00Z',
    diagnostics,
  });

  it.each([
    ['2026-05-31', '予定'],
    ['2026-06-01', '期限間近'],
    ['2026-06-02', '期限超過'],
  ] as const)('重要な変更 found on 2026-06-01 (JST), as of %s → %s', (asOf, state) => {
    const h = history([v1], {
      checkRuns: [run([d('check/undeclared-system', '重要な変更'), d('check/x', '修正')])],
    });
    const o = one(h, asOf, 'significant-change') as Obligation;
    expect(o).toMatchObject({ dueDate: '2026-06-01', state, kind: '義務' });
    expect(o.title).toContain('1 件');
    expect(o.explanation).toContain('check/undeclared-system の所見');
  });

  it('しきい値判断 escalation; waived findings do not count', () => {
    const h = history([v1], {
      checkRuns: [run([d('check/threshold-escalation', '要再評価'), d('check/y', '重要な変更', true)])],
    });
    const list = computeObligations(h, { asOf: '2026-06-10' });
    expect(find(list, 'threshold-escalation')).toMatchObject({ state: '期限超過', dueDate: '2026-06-01' });
    expect(find(list, 'significant-change')).toBeUndefined();
  });

  it('a later 再実施 published on or after the check completes it (a 修正 does not)', () => {
    const checks = { checkRuns: [run([d('check/undeclared-system', '重要な変更')])] };
    const fixed = history([v1, version(2, doc({ published: '2026-09-01', kiso: '2026-07-01' }))], checks);
    const o = one(fixed, '2026-10-01', 'significant-change') as Obligation;
    expect(o.state).toBe('完了');
    expect(o.explanation).toContain('第2版');
    const corrected = history([v1, version(2, doc({ published: '2026-09-01', kiso: '2025-01-01' }))], checks);
    expect(one(corrected, '2026-10-01', 'significant-change')?.state).toBe('期限超過');
  });

  it('a 見直し with result 再実施が必要 / 修正 is due that day; 変更なし creates nothing', () => {
    const base = [v1];
    const re = history(base, {
      reviews: [{ date: '2026-02-10', result: '再実施が必要', note: '委託先の追加' }],
    });
    expect(one(re, '2026-02-10', 'review-reassessment')).toMatchObject({
      state: '期限間近',
      dueDate: '2026-02-10',
    });
    expect(one(re, '2026-02-11', 'review-reassessment')?.explanation).toContain('委託先の追加');
    const fix = history(base, { reviews: [{ date: '2026-02-10', result: '修正' }] });
    expect(one(fix, '2026-02-11', 'review-correction')?.state).toBe('期限超過');
    const fixed = history([...base, version(2, doc({ published: '2026-03-01', kiso: '2025-01-01' }))], {
      reviews: [{ date: '2026-02-10', result: '修正' }],
    });
    expect(one(fixed, '2026-03-02', 'review-correction')?.state).toBe('完了');
    const none = history(base, { reviews: [{ date: '2026-02-10', result: '変更なし' }] });
    const list = computeObligations(none, { asOf: '2026-02-11' });
    expect(find(list, 'review-reassessment') ?? find(list, 'review-correction')).toBeUndefined();
  });
});

describe('事務の終了 (規則第16条: 3年以上公表)', () => {
  it.each([
    ['2029-03-30', '予定'],
    ['2029-03-31', '完了'],
  ] as const)('ended 令和8年3月31日, as of %s → %s; no 見直し or 5-year obligation', (asOf, state) => {
    const h = history([
      version(
        1,
        doc({ published: '2021-04-01', name: 'テスト市 テスト事務 全項目評価書【令和8年3月31日 終了】' }),
      ),
    ]);
    const list = computeObligations(h, { asOf });
    expect(find(list, 'publication-after-end')).toMatchObject({ dueDate: '2029-03-31', state });
    expect(find(list, 'annual-review')).toBeUndefined();
    expect(find(list, 'five-year')).toBeUndefined();
  });

  it('a 終了 mark without a readable date → 判定できません', () => {
    const h = history([version(1, doc({ published: '2021-04-01', name: 'テスト事務【年月日 終了】' }))]);
    expect(one(h, '2026-01-01', 'publication-after-end')?.state).toBe('判定不能');
  });
});

describe('listDue', () => {
  // 基礎: no 意見聴取 to date.
  const a = history([version(1, doc({ form: 'kiso', published: '2025-04-01' }))], {
    id: 'a',
    title: 'あ事務',
  });
  const b = history([version(1, doc({ form: 'kiso', published: '2025-09-01' }))], {
    id: 'b',
    title: 'い事務',
  });
  const c = history([version(1, doc({ form: 'kiso' }))], { id: 'c', title: 'う事務' });

  it('sorts 期限超過 first, then 判定不能, then by due date; filters by horizon; deterministic', () => {
    const r = listDue([b, c, a], { asOf: '2026-04-05' });
    expect(r.obligations.map((o) => `${o.state} ${o.id}`)).toEqual([
      '期限超過 a/annual-review',
      '判定不能 c/annual-review',
      '判定不能 c/five-year',
      '予定 b/annual-review',
      '予定 a/five-year',
      '予定 b/five-year',
    ]);
    expect(r.summary).toMatchObject({ 期限超過: 1, 判定不能: 2, 予定: 3, total: 6 });
    const within = listDue([a, b, c], { asOf: '2026-04-05', withinDays: 200 });
    expect(within.obligations.map((o) => o.id)).toEqual([
      'a/annual-review',
      'c/annual-review',
      'c/five-year',
      'b/annual-review',
    ]);
    expect(JSON.stringify(listDue([a, b, c], { asOf: '2026-04-05' }))).toBe(JSON.stringify(r));
  });

  it('refuses an as-of that is not a date', () => {
    expect(() => listDue([a], { asOf: '2026-02-30' })).toThrow(RangeError);
  });
});
