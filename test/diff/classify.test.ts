// ※ or not, per form: one edit at a time, the row it gives and how it is classed. The ※ marks come from the
// schema; these cases pin the ones pia-domain.md §4.1 names (全項目 Ⅳ all ※, 全項目 Ⅲ7 リスク1⑨ and 重点
// Ⅲ7② not ※, 使用方法 ※ in 全項目 only, 入手方法 never).
import { describe, expect, it } from 'vitest';
import { buildChangeLog, parseAnnotations } from '../../src/diff/index.ts';
import { resolveSchemaAt } from '../../src/schema/index.ts';
import type { JsonObject } from '../../src/types.ts';
import { clone, editedValue, JUTEN, KAGOSHIMA, KISO, load, setAt } from './helpers.ts';

type Case = [pointer: string, kind: '重要な変更' | '修正'];

const JUTEN_CASES: Case[] = [
  ['/basic/jimu/content', '修正'], // ②事務の内容: no ※ in 重点 (unlike 全項目)
  ['/basic/systems/1/functions', '修正'],
  ['/basic/numberUse/legalBasis', '重要な変更'], // 4. 個人番号の利用 ※
  ['/basic/networkLinkage/implementation', '重要な変更'],
  ['/files/0/basics/fileType', '重要な変更'],
  ['/files/0/basics/persons', '修正'], // 対象となる本人の数 (band)
  ['/files/0/basics/mainItems', '重要な変更'],
  ['/files/0/acquisition/sources', '重要な変更'],
  ['/files/0/acquisition/methods', '修正'], // 入手方法: never ※
  ['/files/0/acquisition/purpose', '重要な変更'],
  ['/files/0/acquisition/users/departments', '修正'], // 使用部署: ※ only in 全項目
  ['/files/0/acquisition/usage/matching', '修正'],
  ['/files/0/entrustment/presence', '重要な変更'],
  ['/files/0/entrustment/items/0/contractor', '修正'],
  ['/files/0/entrustment/items/0/subcontract/presence', '重要な変更'],
  ['/files/0/storage/location', '重要な変更'],
  ['/risks/0/acquisition/risk/sufficiency', '重要な変更'], // all of Ⅲ …
  ['/risks/0/use/risk2/userAuthentication', '重要な変更'],
  ['/risks/0/storage/risk/incidentProcedure', '重要な変更'], // Ⅲ7①
  ['/risks/0/storage/risk/seriousIncident/occurred', '修正'], // … except Ⅲ7②
  ['/risks/0/storage/risk/seriousIncident/content', '修正'],
  ['/risks/0/education/level', '重要な変更'],
  ['/risks/0/other/measures', '重要な変更'],
  ['/disclosure/request/destination', '修正'],
  ['/procedure/kiso/date', '修正'],
];

const ZENKOMOKU_CASES: Case[] = [
  ['/basic/jimu/content', '重要な変更'], // ②事務の内容 ※ in 全項目
  ['/basic/systems/2/functions', '修正'],
  ['/basic/numberUse/legalBasis', '重要な変更'],
  ['/files/0/basics/personsScope', '重要な変更'],
  ['/files/0/basics/itemCount', '修正'],
  ['/files/0/acquisition/methods', '修正'],
  ['/files/0/acquisition/purpose/purpose', '重要な変更'],
  ['/files/0/acquisition/users/departments', '重要な変更'],
  ['/files/0/acquisition/users/userCount', '修正'],
  ['/files/0/acquisition/usage/method', '重要な変更'],
  ['/files/0/acquisition/usage/matching', '重要な変更'],
  ['/files/0/entrustment/items/2/scope/personsScope', '重要な変更'],
  ['/files/0/entrustment/items/2/handlerCount', '修正'],
  ['/files/0/entrustment/items/2/subcontract/presence', '重要な変更'],
  ['/files/0/storage/location', '重要な変更'],
  ['/files/0/storage/retention/period', '修正'],
  ['/files/0/storage/erasure', '修正'],
  ['/risks/0/acquisition/risk1/sufficiency', '重要な変更'],
  ['/risks/0/storage/risk1/backup', '重要な変更'], // Ⅲ7 リスク1⑦
  ['/risks/0/storage/risk1/seriousIncident/occurred', '修正'], // Ⅲ7 リスク1⑨: not ※
  ['/risks/0/storage/risk1/seriousIncident/prevention', '修正'],
  ['/risks/0/storage/risk1/deceased/stored', '重要な変更'], // ⑩
  ['/otherRisks/audit/selfCheck/level', '重要な変更'], // Ⅳ: all ※
  ['/otherRisks/audit/audit/content', '重要な変更'],
  ['/otherRisks/education/level', '重要な変更'],
  ['/otherRisks/education/method', '重要な変更'],
  ['/disclosure/request/fee/fee', '修正'],
  ['/procedure/publicComment/method', '修正'],
];

async function caseRunner(path: string, form: string) {
  const base = await load(path);
  return (pointer: string) => {
    const next = clone(base);
    setAt(next, pointer, editedValue(form, base, pointer));
    return buildChangeLog(base, next, { date: '2024-04-01' });
  };
}

describe('※ items in 重点 (防府市)', async () => {
  const run = await caseRunner(JUTEN, 'juten-h30');
  it.each(JUTEN_CASES)('%s → %s', (pointer, kind) => {
    const r = run(pointer);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].path.startsWith(pointer)).toBe(true);
    expect(r.rows[0].kind).toBe(kind);
    expect(r.rows[0].timing).toBe('事前');
    expect(r.rows[0].explanation).toBe(kind === '重要な変更' ? '重要な変更による評価の再実施' : 'その他の項目の変更');
    expect(r.findings.map((f) => f.code)).toEqual(kind === '重要な変更' ? ['diff/significant-unjudged'] : []);
    expect(r.summary.needsReassessment).toBe(kind === '重要な変更');
  });
});

describe('※ items in 全項目 (鹿児島市)', async () => {
  const run = await caseRunner(KAGOSHIMA, 'zenkomoku-h30');
  it.each(ZENKOMOKU_CASES)('%s → %s', (pointer, kind) => {
    const r = run(pointer);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].kind).toBe(kind);
    expect(r.summary.needsReassessment).toBe(kind === '重要な変更');
  });

  it('a 重要な変更 in a local government 全項目 requires 意見聴取 (30日) and 第三者点検 before the change', () => {
    const r = run('/otherRisks/education/level');
    expect(r.summary.procedure.map((p) => [p.step, p.required])).toEqual([
      ['国民・住民等からの意見の聴取', true],
      ['第三者点検', true],
      ['個人情報保護委員会への提出', true],
      ['公表', true],
    ]);
    expect(r.summary.procedure[0].note).toContain('30日');
  });

  it('for a 行政機関等 the same change needs the PPC approval instead of a 第三者点検', async () => {
    const base = await load(KAGOSHIMA);
    (base.organization as JsonObject).type = '行政機関等';
    const next = clone(base);
    setAt(next, '/otherRisks/education/level', '特に力を入れて行っている');
    const r = buildChangeLog(base, next, { date: '2024-04-01' });
    expect(r.summary.procedure.map((p) => p.step)).toEqual(['国民・住民等からの意見の聴取', '個人情報保護委員会の承認', '公表']);
  });
});

describe('重点: the re-assessment procedure is 提出・公表, with 意見聴取 and 第三者点検 optional', async () => {
  const run = await caseRunner(JUTEN, 'juten-h30');
  it('lists the optional steps as optional', () => {
    const r = run('/files/0/basics/mainItems');
    expect(r.summary.procedure.map((p) => [p.step, p.required])).toEqual([
      ['国民・住民等からの意見の聴取', false],
      ['第三者点検', false],
      ['個人情報保護委員会への提出', true],
      ['公表', true],
    ]);
  });
  it('a 修正 only needs 提出・公表', () => {
    const r = run('/files/0/acquisition/methods');
    expect(r.summary.needsReassessment).toBe(false);
    expect(r.summary.procedure.map((p) => p.step)).toEqual(['評価書の修正', '個人情報保護委員会への提出', '公表']);
  });
});

describe('基礎項目評価書: no ※ items', async () => {
  const base = await load(KISO);
  it('every change is その他の項目の変更', () => {
    const next = clone(base);
    setAt(next, '/related/jimu/summary', editedValue('kiso-h30', base, '/related/jimu/summary'));
    setAt(next, '/riskMeasures/acquisition/sufficiency', editedValue('kiso-h30', base, '/riskMeasures/acquisition/sufficiency'));
    const r = buildChangeLog(base, next, { date: '2024-04-01' });
    expect(r.rows.map((x) => x.kind)).toEqual(['修正', '修正']);
    expect(r.findings).toEqual([]);
    expect(r.summary.needsReassessment).toBe(false);
  });
  it('an exception recorded for a 基礎 item is pointless and reported', () => {
    const next = clone(base);
    setAt(next, '/related/jimu/summary', '別の概要');
    const ann = parseAnnotations('changes:\n  /related/jimu/summary:\n    exception: 誤字脱字の修正\n', 'a.yaml');
    const r = buildChangeLog(base, next, { date: '2024-04-01', annotations: ann });
    expect(r.rows[0].explanation).toBe('その他の項目の変更');
    expect(r.findings.map((f) => f.code)).toEqual(['diff/exception-not-significant']);
  });
  it('more than 500 handlers: 基礎 → 基礎+重点, a new 重点項目評価 with its (optional) steps', () => {
    const next = clone(base);
    setAt(next, '/thresholdItems/handlers/band', '500人以上');
    const r = buildChangeLog(base, next, { date: '2024-04-01' });
    expect(r.summary.threshold).toMatchObject({ before: 'kiso', after: 'juten', raised: true, missing: 'juten' });
    expect(r.summary.needsReassessment).toBe(true);
    expect(r.summary.procedure.map((p) => [p.step, p.required])).toEqual([
      ['国民・住民等からの意見の聴取', false],
      ['第三者点検', false],
      ['個人情報保護委員会への提出', true],
      ['公表', true],
    ]);
  });
  it('a しきい値判断 input that raises the required level means a new, higher assessment', () => {
    const next = clone(base);
    const bands = resolveSchemaAt('kiso-h30', '/thresholdItems/persons/band')!.enum as string[];
    setAt(next, '/thresholdItems/persons/band', bands[4]); // 30万人以上
    const r = buildChangeLog(base, next, { date: '2024-04-01' });
    expect(r.summary.threshold?.raised).toBe(true);
    expect(r.summary.threshold?.after).toBe('zenkomoku');
    expect(r.summary.needsReassessment).toBe(true);
    expect(r.summary.consequences.join('')).toContain('全項目評価');
    expect(r.summary.procedure.map((p) => p.step)).toContain('第三者点検');
  });
});

describe('しきい値判断 in a 重点項目評価書', async () => {
  const base = await load(JUTEN);
  it('more persons, already covered by the 重点 carried out voluntarily: no new assessment, check Ⅴ1②', () => {
    const old = clone(base);
    setAt(old, '/basic/jimu/persons', '1万人以上10万人未満');
    setAt(old, '/procedure/kiso/thresholdResult', '基礎項目評価の実施が義務付けられる(任意に重点項目評価を実施)');
    const next = clone(old);
    setAt(next, '/basic/jimu/persons', '10万人以上30万人未満');
    const r = buildChangeLog(old, next, { date: '2024-04-01' });
    expect(r.summary.threshold).toMatchObject({ before: 'kiso', after: 'juten', raised: true });
    expect(r.summary.threshold?.missing).toBeUndefined();
    expect(r.summary.needsReassessment).toBe(false);
    expect(r.summary.consequences.join('')).toContain('実施済みの重点項目評価で足ります');
  });
  it('fewer persons: nothing rises', () => {
    const next = clone(base);
    setAt(next, '/basic/jimu/persons', '1万人以上10万人未満');
    const r = buildChangeLog(base, next, { date: '2024-04-01' });
    expect(r.summary.threshold?.raised).toBe(false);
    expect(r.rows.map((x) => x.kind)).toEqual(['修正']);
  });
});

describe('annotations decide the ※ rows', async () => {
  const base = await load(JUTEN);
  const edit = () => {
    const next = clone(base);
    setAt(next, '/files/0/basics/mainItems', editedValue('juten-h30', base, '/files/0/basics/mainItems'));
    setAt(next, '/files/0/acquisition/methods', editedValue('juten-h30', base, '/files/0/acquisition/methods'));
    return next;
  };
  it.each([
    ['exception: 誤字脱字の修正', '重要な変更にあたらない（誤字脱字の修正）', '事前', []],
    ['exception: 形式的な変更\n    timing: 事後', '重要な変更にあたらない（形式的な変更）', '事後', []],
    ['reason: 新たなシステムの追加', '重要な変更による評価の再実施（新たなシステムの追加）', '事前', []],
    ['timing: 事後', '重要な変更による評価の再実施', '事前', ['diff/significant-after']],
  ])('%s', (body, explanation, timing, codes) => {
    const ann = parseAnnotations(`changes:\n  /files/0/basics/mainItems:\n    ${body}\n`, 'a.yaml');
    const r = buildChangeLog(base, edit(), { date: '2024-04-01', annotations: ann });
    expect(r.rows[0].explanation).toBe(explanation);
    expect(r.rows[0].timing).toBe(timing);
    expect(r.findings.map((f) => f.code)).toEqual(codes);
  });
  it('a label path works as a key, spaces and separators ignored', () => {
    const ann = parseAnnotations(
      'changes:\n  "Ⅱ 特定個人情報ファイルの概要 › 2. 基本情報 ›④記録される項目 主な記録項目":\n    exception: 誤字脱字の修正\n  Ⅱ特定個人情報ファイルの概要3.特定個人情報の入手・使用②入手方法:\n    timing: 事後\n',
      'a.yaml',
    );
    const r = buildChangeLog(base, edit(), { date: '2024-04-01', annotations: ann });
    expect(r.rows.map((x) => [x.explanation, x.timing])).toEqual([
      ['重要な変更にあたらない（誤字脱字の修正）', '事前'],
      ['その他の項目の変更', '事後'],
    ]);
    expect(r.findings).toEqual([]);
  });
  it('an annotation for an item that did not change is an error, with the nearest change suggested', () => {
    const ann = parseAnnotations('changes:\n  /files/0/basics/mainItem:\n    reason: x\n', 'a.yaml');
    const r = buildChangeLog(base, edit(), { date: '2024-04-01', annotations: ann });
    const f = r.findings.find((x) => x.code === 'diff/annotation-unchanged')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain('変更されていません');
    expect(f.message).toContain('/files/0/basics/mainItems');
    expect(f.source).toBe('a.yaml');
    expect(f.line).toBe(2);
  });
  it('per-row date and the default date', () => {
    const ann = parseAnnotations('date: 2024-05-01\nchanges:\n  /files/0/acquisition/methods:\n    date: 2024-06-01\n', 'a.yaml');
    const r = buildChangeLog(base, edit(), { annotations: ann });
    expect(r.rows.map((x) => x.date)).toEqual(['2024-05-01', '2024-06-01']);
    const r2 = buildChangeLog(base, edit(), {});
    expect(r2.rows[0].date).toBe('2022-07-07'); // the new version's 公表日
  });
});
