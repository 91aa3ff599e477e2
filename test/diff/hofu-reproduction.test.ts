// The 防府市 revision of 令和4年7月7日 (seed 001) reproduced: `pia diff previous.yaml assessment.yaml
// --annotations annotations.yaml --format json` against the seed's (別添2) 変更箇所, which assessment.yaml
// carries verbatim in its changeLog.
//
// How strictly the rows are compared, and why:
//  - 項目: equal after removing spaces and correcting the seed's own slips in its 項目 column
//    (pia-domain.md §4.3; kept verbatim in assessment.yaml, see its README): 「取扱い委託」, 「その他措置の内容」,
//    「特定個人情報保管・消去」, 「その他のリスク及びその他のリスクに対する措置」, and the missing system number
//    (we print 「システム1」; the seed's row 1 omits it).
//  - 提出時期: equal. 提出時期に係る説明: equal after spaces and the paren width (we print 「（理由）」, the seed
//    「 (理由)」) and the seed's 「その他項目の変更」 for 「その他の項目の変更」.
//  - 変更前/変更後 not elided by the seed: equal after removing white space (line breaks are the encoder's,
//    spaces the PDF's). The seed's table and its own body disagree in three words (README 「原本どおり残した
//    もの」): the table has 「当市」「転出先市区町村へ」「不正確な」 where the body, which we print, has 「本市」
//    「転出先市区町へ」「不正な」; those are mapped before comparing.
//  - Cells the seed elides: 「略」 must be 「略」; 「略 以下追記(。) X」 must be 「略 以下追記。 X」 with the same X;
//    「略 F 略」 must be 「略 G 略」 where F and G (brackets ignored) contain one another: where to cut a fragment
//    is the writer's choice (the seed cuts 「(VRS)(…を含む。」 mid-bracket), not something to reproduce.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ChangeRow } from '../../src/types.ts';
import { HOFU, load, ROOT, runPia } from './helpers.ts';

const squash = (s: string) => s.replace(/[\s\u3000]+/g, '');

const SEED_ITEM_SLIPS: [string, string][] = [
  ['取扱い委託', '取扱いの委託'],
  ['その他措置の内容', 'その他の措置の内容'],
  ['特定個人情報保管・消去', '特定個人情報の保管・消去'],
  ['その他のリスク及びその他のリスクに対する措置', 'その他のリスク及びそのリスクに対する措置'],
];
const BODY_TO_TABLE: [RegExp, string][] = [
  [/本市/g, '当市'],
  [/転出先市区町へ/g, '転出先市区町村へ'],
  [/不正な個人番号の入力/g, '不正確な個人番号の入力'],
];

function seedItem(s: string): string {
  let out = s;
  for (const [a, b] of SEED_ITEM_SLIPS) out = out.split(a).join(b);
  return squash(out);
}
const ourItem = (s: string) => squash(s.replace(/ システム\d+ /, ' '));
const explanation = (s: string) => squash(s).replace(/（/g, '(').replace(/）/g, ')').replace('その他項目の変更', 'その他の項目の変更');
const bodyToTable = (s: string) => BODY_TO_TABLE.reduce((t, [re, r]) => t.replace(re, r), s);
const noBrackets = (s: string) => s.replace(/[()（）<>＜＞]/g, '');

/** Compare one cell; returns a reason when they differ. */
function compareCell(seed: string, ours: string): string | undefined {
  const s = squash(seed);
  const o = squash(bodyToTable(ours));
  if (s === '略') return o === '略' ? undefined : `expected 略, got ${ours}`;
  const appended = /^略以下追記。?/.exec(s);
  if (appended) {
    if (!o.startsWith('略以下追記。')) return `expected 略 以下追記。…, got ${ours}`;
    return o.slice('略以下追記。'.length) === s.slice(appended[0].length) ? undefined : `appended text differs: ${ours}`;
  }
  if (s.startsWith('略') && s.endsWith('略')) {
    if (!(o.startsWith('略') && o.endsWith('略'))) return `expected 略 … 略, got ${ours}`;
    const f = noBrackets(s.slice(1, -1));
    const g = noBrackets(o.slice(1, -1));
    return f.includes(g) || g.includes(f) ? undefined : `fragments differ: ${seed} / ${ours}`;
  }
  return s === o ? undefined : `differs:\n  seed: ${seed}\n  ours: ${ours}`;
}

function compareRows(seedRows: ChangeRow[], ours: ChangeRow[]): string[] {
  const problems: string[] = [];
  expect(ours.length).toBe(seedRows.length);
  seedRows.forEach((s, i) => {
    const o = ours[i];
    const at = `row ${i + 1} (${s.item})`;
    if (seedItem(s.item) !== ourItem(o.item)) problems.push(`${at}: item ${o.item}`);
    if (s.timing !== o.timing) problems.push(`${at}: timing ${o.timing}`);
    if (explanation(s.explanation) !== explanation(o.explanation)) problems.push(`${at}: explanation ${o.explanation}`);
    if (s.date !== o.date) problems.push(`${at}: date ${o.date}`);
    for (const k of ['before', 'after'] as const) {
      const why = compareCell(s[k], o[k]);
      if (why) problems.push(`${at}: ${k} ${why}`);
    }
  });
  return problems;
}

function distribution(rows: ChangeRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const kind = r.explanation.startsWith('重要な変更による') ? '再実施' : r.explanation.startsWith('重要な変更にあたらない') ? 'あたらない' : 'その他';
    const k = `${kind}/${r.timing}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

describe('防府市 令和4年7月7日の変更 (seed 001 別添2)', async () => {
  const assessment = await load(`${HOFU}/assessment.yaml`);
  const seedRows = assessment.changeLog as unknown as ChangeRow[];

  it('the seed table has the 12 rows of pia-domain.md §6.2', () => {
    expect(seedRows).toHaveLength(12);
    expect(distribution(seedRows)).toEqual({ '再実施/事前': 2, 'その他/事前': 4, 'その他/事後': 1, 'あたらない/事後': 1, 'あたらない/事前': 4 });
  });

  it('pia diff previous.yaml assessment.yaml --annotations annotations.yaml gives the 12 rows: 2 + 4 + 1 + 4 + 1', () => {
    const r = runPia(['diff', `${HOFU}/previous.yaml`, `${HOFU}/assessment.yaml`, '--annotations', `${HOFU}/annotations.yaml`, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { rows: ChangeRow[]; findings: unknown[]; summary: { needsReassessment: boolean; significantRows: number } };
    expect(out.findings).toEqual([]);
    for (const row of out.rows) expect(Object.keys(row)).toEqual(['date', 'item', 'before', 'after', 'timing', 'explanation']);
    expect(compareRows(seedRows, out.rows)).toEqual([]);
    expect(distribution(out.rows)).toEqual(distribution(seedRows));
    expect(out.summary.needsReassessment).toBe(true);
    expect(out.summary.significantRows).toBe(2);
  });

  it('the rows not elided by the seed are equal to it up to white space and the body/table wording', () => {
    const r = runPia(['diff', `${HOFU}/previous.yaml`, `${HOFU}/assessment.yaml`, '--annotations', `${HOFU}/annotations.yaml`, '--format', 'json']);
    const rows = (JSON.parse(r.stdout) as { rows: ChangeRow[] }).rows;
    const full = seedRows.map((s, i) => [s, rows[i]] as const).filter(([s]) => !/^略/.test(s.before) && !/^略/.test(s.after));
    expect(full.map(([s]) => seedRows.indexOf(s) + 1)).toEqual([2, 3, 4, 5, 6, 8]);
    for (const [s, o] of full) {
      expect(squash(o.before)).toBe(squash(s.before));
      expect(squash(bodyToTable(o.after))).toBe(squash(s.after));
    }
  });

  it('the annotations record only human judgements', () => {
    for (const file of [`${HOFU}/annotations.yaml`]) {
      const a = parse(readFileSync(join(ROOT, file), 'utf8')) as { changes: Record<string, Record<string, string>> };
      expect(Object.keys(a)).toEqual(['changes']); // no date: the 変更日 is the new version's 公表日
      for (const [key, j] of Object.entries(a.changes)) {
        expect(key.startsWith('/')).toBe(true);
        for (const k of Object.keys(j)) expect(['exception', 'timing', 'reason']).toContain(k);
        if (j.timing !== undefined) expect(j.timing).toBe('事後'); // 事前 is the default
        expect(j.exception !== undefined || j.reason !== undefined || j.timing !== undefined).toBe(true);
      }
    }
  });

  it('without annotations every ※ change is asked about and treated as 重要な変更 (exit 1)', () => {
    const r = runPia(['diff', `${HOFU}/previous.yaml`, `${HOFU}/assessment.yaml`, '--format', 'json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { rows: ChangeRow[]; findings: { code: string; path: string }[] };
    const asked = out.findings.filter((f) => f.code === 'diff/significant-unjudged').map((f) => f.path);
    // In the order of the table's rows (issue 16: findings in row order).
    expect(asked).toEqual([
      '/files/0/basics/mainItems',
      '/files/0/storage/location',
      '/risks/0/acquisition/risk/measures/1/parts/1',
      '/risks/0/acquisition/risk/measures/1/parts/3',
      '/risks/0/acquisition/otherRisks',
      '/risks/0/entrustment/risk/otherMeasures',
      '/risks/0/storage/otherRisks',
    ]);
    expect(out.rows.filter((r) => r.explanation.startsWith('重要な変更による評価の再実施'))).toHaveLength(7);
  });
});
