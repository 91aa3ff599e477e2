// Issue 16 items 6–8: a value printed inside a ※ row is classified with that row; documents of two
// organisations are not compared by accident; one blank convention per format, one bracket for
// exception + reason, grouped numbers, findings in row order.
import { describe, expect, it } from 'vitest';
import { buildChangeLog, formatMarkdown, formatText, parseAnnotations, toDiffJson } from '../../src/diff/index.ts';
import { clone, JUTEN, KAGOSHIMA, load, runPia, setAt, tempDir, writeDoc } from './helpers.ts';

const COUNT = '/files/0/entrustment/count';
const PRESENCE = '/files/0/entrustment/presence';

describe('「( )件」 in the row of 「委託の有無 ※」 (seed 001 line 107)', async () => {
  const juten = await load(JUTEN);
  const zen = await load(KAGOSHIMA);

  it.each([
    ['重点', juten],
    ['全項目', zen],
  ])('%s: a change of the count alone is a 重要な変更 of the 委託の有無 row', (_, doc) => {
    // Seed 000 lost the page with 委託の有無: fill it in as the form prints it.
    const base = clone(doc);
    setAt(base, PRESENCE, '委託する');
    setAt(base, COUNT, 2);
    const next = clone(base);
    setAt(next, COUNT, 3);
    const r = buildChangeLog(base, next, { date: '2024-04-01' });
    expect(r.rows).toHaveLength(1);
    const row = r.rows[0];
    expect(row.kind).toBe('重要な変更');
    expect(row.path).toBe(PRESENCE);
    expect(row.item).toMatch(/4\. 特定個人情報ファイルの取扱いの委託 委託の有無$/);
    expect(row.before).toMatch(/^\[委託する\] \(\d+\) 件$/);
    expect(row.after).toMatch(/^\[委託する\] \(\d+\) 件$/);
    expect(row.explanation).toBe('重要な変更による評価の再実施');
    expect(r.findings.map((f) => f.code)).toEqual(['diff/significant-unjudged']);
  });

  it('the officer can still record an exception, keyed by the count or by the row', () => {
    const next = clone(juten);
    setAt(next, COUNT, 3);
    for (const key of [COUNT, PRESENCE]) {
      const ann = parseAnnotations(`changes:\n  ${key}:\n    exception: 形式的な変更\n`, 'a.yaml');
      const r = buildChangeLog(juten, next, { date: '2024-04-01', annotations: ann });
      expect(r.rows.map((x) => [x.kind, x.explanation])).toEqual([['例外', '重要な変更にあたらない（形式的な変更）']]);
      expect(r.findings).toEqual([]);
    }
  });

  it('the choice and its count changed together: one row', () => {
    const next = clone(juten);
    setAt(next, PRESENCE, '委託しない');
    setAt(next, COUNT, 0);
    const r = buildChangeLog(juten, next, { date: '2024-04-01' });
    const rows = r.rows.filter((x) => x.path === PRESENCE);
    expect(rows).toHaveLength(1);
    expect(rows[0].paths).toEqual(expect.arrayContaining([PRESENCE, COUNT]));
    expect(rows[0].after).toBe('[委託しない] (0) 件');
  });

  it('提供・移転 counts belong to the 提供・移転の有無 row (not ※): その他の項目の変更', () => {
    const base = clone(zen);
    setAt(base, '/files/0/provision/presence', [{ choice: '提供を行っている' }]);
    setAt(base, '/files/0/provision/provisionCount', 1200);
    const next = clone(base);
    setAt(next, '/files/0/provision/provisionCount', 4508);
    const r = buildChangeLog(base, next, { date: '2024-04-01' });
    expect(r.rows.map((x) => [x.path, x.kind, x.before, x.after])).toEqual([
      ['/files/0/provision/presence', '修正', '[○]提供を行っている (1,200) 件', '[○]提供を行っている (4,508) 件'],
    ]);
  });
});

describe('documents of two organisations', async () => {
  const juten = await load(JUTEN);
  const dir = tempDir();
  const other = clone(juten);
  setAt(other, '/organization/id', 'other-city');
  const otherPath = writeDoc(dir, 'other.json', other);

  it('are refused with exit 2 and a Japanese message naming both', () => {
    const r = runPia(['diff', JUTEN, otherPath]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('別の機関の評価書どうしは比較しません');
    expect(r.stderr).toContain('「hofu-city」');
    expect(r.stderr).toContain('「other-city」');
    expect(r.stderr).toContain('--allow-other-organization');
    expect(r.stdout).toBe('');
  });

  it('are compared with --allow-other-organization', () => {
    const r = runPia(['diff', JUTEN, otherPath, '--allow-other-organization', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).rows).toEqual([]);
  });

  it('buildChangeLog refuses too (the API calls it)', () => {
    expect(() => buildChangeLog(juten, other, { date: '2024-04-01' })).toThrow(/別の機関/);
    expect(buildChangeLog(juten, other, { date: '2024-04-01', allowOtherOrganization: true }).rows).toEqual([]);
  });
});

describe('one convention per format', async () => {
  const juten = await load(JUTEN);
  // A text added where there was none: 変更前 is blank.
  const next = clone(juten);
  setAt(next, '/files/0/storage/erasure', '');
  setAt(next, '/files/0/acquisition/usage/matching', '');
  const blankBefore = buildChangeLog(next, juten, { date: '2024-04-01' });
  const ctx = { form: 'juten-h30' };

  it('a blank is 「—」 in text and Markdown, "" in JSON', () => {
    const row = blankBefore.rows.find((r) => r.before === '')!;
    expect(row).toBeDefined();
    expect(formatText(blankBefore, ctx)).toMatch(/変更前の記載\s+—\n/);
    const md = formatMarkdown(blankBefore, ctx).split('\n').find((l) => l.includes(row.item))!;
    expect(md.split(' | ')[2]).toBe('—');
    expect(md).not.toMatch(/\|\s+\|/);
    expect(toDiffJson(blankBefore).rows.find((r) => r.item === row.item)!.before).toBe('');
  });

  it('an exception with a reason prints one pair of brackets', () => {
    const edited = clone(juten);
    setAt(edited, '/files/0/storage/location', `${(juten.files as any)[0].storage.location}（誤記）`);
    const ann = parseAnnotations(
      'changes:\n  /files/0/storage/location:\n    exception: 誤字脱字の修正\n    reason: 保管場所の誤記\n',
      'a.yaml',
    );
    const r = buildChangeLog(juten, edited, { date: '2024-04-01', annotations: ann });
    expect(r.rows[0].explanation).toBe('重要な変更にあたらない（誤字脱字の修正：保管場所の誤記）');
    expect(r.rows[0].explanation).not.toMatch(/）（/);
  });

  it('numbers are grouped, with a space before the unit', () => {
    const text = formatText(blankBefore, ctx);
    expect(text).toMatch(/変更箇所 \(重点項目評価書\) \d+ 件/);
    expect(text).toMatch(/その他の項目の変更 \d+ 件/);
    expect(text).not.toMatch(/\d件/);
  });

  it('findings come in row order, not pointer order', () => {
    const base = clone(juten);
    const edited = clone(juten);
    // Ⅰ before Ⅱ in the form, but '/basic' < '/files' alphabetically too; use Ⅱ3 (…/acquisition) before Ⅱ4
    // (…/entrustment) and Ⅱ2 (…/basics) — alphabetical order would put acquisition first.
    setAt(edited, '/files/0/basics/mainItems', [{ choice: 'その他', detail: '追加' }]);
    setAt(edited, '/files/0/acquisition/purpose', '目的（変更）');
    setAt(edited, '/files/0/entrustment/presence', '委託しない');
    const r = buildChangeLog(base, edited, { date: '2024-04-01' });
    const rowOrder = r.rows.filter((x) => x.kind === '重要な変更').map((x) => x.path);
    expect(r.findings.map((f) => f.path)).toEqual(rowOrder);
    expect(rowOrder.indexOf('/files/0/basics/mainItems')).toBeLessThan(rowOrder.indexOf('/files/0/acquisition/purpose'));
  });
});
