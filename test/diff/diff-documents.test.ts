// diffDocuments: granularity (one change per item; a measure part; a whole 委託事項), form order, and
// completeness (applying the changes to the old version gives the new one).
import { describe, expect, it } from 'vitest';
import { applyChanges, buildChangeLog, diffDocuments, IGNORED_PATHS } from '../../src/diff/index.ts';
import type { Json, JsonObject } from '../../src/types.ts';
import { clone, HOFU, JUTEN, KAGOSHIMA, KISO, load, setAt } from './helpers.ts';
import { scatterEdits } from './scatter-edits.ts';

/** A document as compared: ignored keys dropped, empty values (「」, [], {}, false) pruned. */
function comparable(doc: Json): Json {
  const prune = (v: Json): Json | undefined => {
    if (v === null || v === false || v === '') return undefined;
    if (Array.isArray(v)) {
      const a = v.map(prune).filter((x) => x !== undefined) as Json[];
      return a.length ? a : undefined;
    }
    if (typeof v === 'object') {
      const o: JsonObject = {};
      for (const [k, x] of Object.entries(v)) {
        const p = prune(x);
        if (p !== undefined) o[k] = p;
      }
      return Object.keys(o).length ? o : undefined;
    }
    return typeof v === 'string' ? v.trim() : v;
  };
  const d = clone(doc) as JsonObject;
  for (const p of IGNORED_PATHS) {
    const [a, b] = p.slice(1).split('/');
    if (b === undefined) delete d[a];
    else if (d[a] && typeof d[a] === 'object') delete (d[a] as JsonObject)[b];
  }
  return prune(d) ?? {};
}

describe('granularity', async () => {
  const juten = await load(JUTEN);
  const zen = await load(KAGOSHIMA);

  it('an unchanged document gives no changes and no rows', async () => {
    for (const d of [juten, zen, await load(KISO)]) {
      expect(diffDocuments(d, clone(d))).toEqual([]);
      const r = buildChangeLog(d, clone(d), { date: '2024-04-01' });
      expect(r.rows).toEqual([]);
      expect(r.summary.needsReassessment).toBe(false);
      expect(r.summary.consequences).toEqual(['変更箇所はありません。']);
    }
  });

  it('ignores the changeLog, status, 公表日 and the other document-level keys', () => {
    const next = clone(juten);
    next.status = '案';
    (next.cover as JsonObject).publishedDate = '2030-01-01';
    next.changeLog = [];
    next.nonPublic = [{ path: '/files/0/storage/location' }];
    (next.organization as JsonObject).id = 'other-city';
    expect(diffDocuments(juten, next)).toEqual([]);
  });

  it('a choice change is one row with the choices in brackets', () => {
    const next = clone(juten);
    setAt(next, '/risks/0/use/risk1/sufficiency', '特に力を入れている');
    const r = buildChangeLog(juten, next, { date: '2024-04-01' });
    expect(r.rows.map((x) => [x.item, x.before, x.after])).toEqual([
      [
        'Ⅲ リスク対策 3. 特定個人情報の使用 リスク1: 目的を超えた紐付け、事務に必要な情報との紐付けが行われるリスク リスクへの対策は十分か',
        '[十分である]',
        '[特に力を入れている]',
      ],
    ]);
  });

  it('a multi-select that gains a box and 「その他」 text is one change, printed as its changed checkbox lines', () => {
    const next = clone(juten);
    const methods = (next.files as any)[0].acquisition.methods as any[];
    methods.unshift({ choice: '電子メール' });
    methods.find((m) => m.choice === 'その他').detail += '、新システム';
    const changes = diffDocuments(juten, next);
    expect(changes.map((c) => [c.op, c.path, c.unit])).toEqual([['replace', '/files/0/acquisition/methods', 'multi']]);
    const r = buildChangeLog(juten, next, { date: '2024-04-01' });
    expect(r.rows[0].before.split('\n')).toEqual([
      '[ ]電子メール',
      '[○]その他 ワクチン接種記録システム(VRS)(新型コロナウイルス感染症予防接種証明書電子交付機能を含む。)、健康管理システム、コンビニエンスストア等のキオスク端末及び証明書交付センターシステム',
    ]);
    expect(r.rows[0].after.split('\n')[0]).toBe('[○]電子メール');
    expect(r.rows[0].after).toMatch(/、新システム$/);
  });

  it('two numbered parts of one measure are two rows (「②部分」「④部分」), in form order', async () => {
    const prev = await load(`${HOFU}/previous.yaml`);
    const changes = diffDocuments(prev, juten).filter((c) => c.unit === 'part' && c.partNumber);
    expect(changes.map((c) => [c.partNumber, c.path])).toEqual([
      ['②', '/risks/0/acquisition/risk/measures/1/parts/1'],
      ['④', '/risks/0/acquisition/risk/measures/1/parts/3'],
    ]);
  });

  it('a paragraph added at the end of an unnumbered measure is one row for the item, 「略 以下追記。」', () => {
    const next = clone(juten);
    const blocks = (next.risks as any)[0].use.risk1.measures as any[];
    blocks[blocks.length - 1].parts.push('・追加の措置を講じる。');
    const r = buildChangeLog(juten, next, { date: '2024-04-01' });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].item).toMatch(/リスクに対する措置の内容$/);
    expect(r.rows[0].before).toBe('略');
    expect(r.rows[0].after).toBe('略 以下追記。\n・追加の措置を講じる。');
  });

  it('a paragraph inserted inside a short unnumbered measure prints the item in full', () => {
    const next = clone(juten);
    const blocks = (next.risks as any)[0].use.risk1.measures as any[];
    blocks[0].parts.push('・追加の措置を講じる。');
    const r = buildChangeLog(juten, next, { date: '2024-04-01' });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0].before.startsWith('<健康管理システムにおける措置>\n')).toBe(true);
    expect(r.rows[0].after).toContain('\n・追加の措置を講じる。\n<ワクチン接種記録システムにおける追加措置>');
  });

  it('the same part number in two blocks names the block', () => {
    const next = clone(zen);
    const blocks = [
      { heading: 'Aシステムにおける措置', parts: ['① 甲の措置', '② 乙の措置'] },
      { heading: 'Bシステムにおける措置', parts: ['① 丙の措置', '② 丁の措置'] },
    ];
    setAt(zen, '/risks/0/use/risk3/measures', clone(blocks));
    blocks[1].parts[1] = '② 丁の措置 (強化)';
    setAt(next, '/risks/0/use/risk3/measures', blocks);
    const r = buildChangeLog(zen, next, { date: '2024-04-01' });
    expect(r.rows.map((x) => x.item)).toEqual([
      'Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策 3. 特定個人情報の使用 リスク3: 従業者が事務外で使用するリスク リスクに対する措置の内容 <Bシステムにおける措置> ②部分',
    ]);
  });
});

describe('repeated blocks: 委託事項 and 再委託', async () => {
  const zen = await load(KAGOSHIMA);
  const items = () => (clone(zen) as any).files[0].entrustment.items as any[];

  it('a new 委託事項 is one block row plus its items as the form lists them; ※ items make it a 重要な変更', () => {
    const next = clone(zen) as any;
    const added = clone(next.files[0].entrustment.items[2]);
    added.title = 'コンビニ交付業務委託';
    added.contractor = '地方公共団体情報システム機構';
    next.files[0].entrustment.items.push(added);
    const changes = diffDocuments(zen, next);
    expect(changes[0]).toMatchObject({ op: 'add', path: '/files/0/entrustment/items/5', unit: 'block' });
    expect(changes.slice(1).every((c) => c.within === '/files/0/entrustment/items/5')).toBe(true);
    const r = buildChangeLog(zen, next, { date: '2024-04-01' });
    const labels = r.rows.map((x) => x.item.replace('Ⅱ 特定個人情報ファイルの概要 4. 特定個人情報ファイルの取扱いの委託 ', ''));
    expect(labels.slice(0, 4)).toEqual([
      '委託事項6',
      '委託事項6 ①委託内容',
      '委託事項6 ②取扱いを委託する特定個人情報ファイルの範囲',
      '委託事項6 ②取扱いを委託する特定個人情報ファイルの範囲 対象となる本人の数',
    ]);
    expect(r.rows[0]).toMatchObject({ before: '', after: 'コンビニ交付業務委託' });
    expect(r.rows.filter((x) => x.kind === '重要な変更').map((x) => x.item.split(' ').pop())).toEqual(['対象となる本人の範囲', '⑦再委託の有無']);
    expect(r.summary.needsReassessment).toBe(true);
  });

  it('inserting a 委託事項 before others does not turn the later ones into changes', () => {
    const next = clone(zen) as any;
    const added = { title: '新委託', content: '新しい委託', contractor: '株式会社新', subcontract: { presence: '再委託しない' } };
    next.files[0].entrustment.items.splice(2, 0, added);
    const changes = diffDocuments(zen, next).filter((c) => !c.within);
    expect(changes.map((c) => [c.op, c.path])).toEqual([['add', '/files/0/entrustment/items/2']]);
  });

  it('a removed 委託事項 is one block row 「削除」 plus its items, named by its old number', () => {
    const next = clone(zen) as any;
    next.files[0].entrustment.items.splice(3, 1);
    const r = buildChangeLog(zen, next, { date: '2024-04-01' });
    expect(r.rows[0]).toMatchObject({
      item: 'Ⅱ 特定個人情報ファイルの概要 4. 特定個人情報ファイルの取扱いの委託 委託事項4',
      before: items()[3].title,
      after: '削除',
    });
    expect(r.rows.slice(1).every((x) => x.after === '' && x.item.includes('委託事項4 '))).toBe(true);
    expect(r.rows.some((x) => x.item.endsWith('⑦再委託の有無') && x.kind === '重要な変更')).toBe(true);
  });

  it('adding a 再委託先 (再委託しない → 再委託する, 許諾方法, 再委託事項) is a 重要な変更 for ⑦ only', () => {
    const next = clone(zen) as any;
    next.files[0].entrustment.items[1].subcontract = { presence: '再委託する', method: '書面による事前承認', items: 'コールセンター業務' };
    const r = buildChangeLog(zen, next, { date: '2024-04-01' });
    expect(r.rows.map((x) => [x.item.split(' ').slice(-2).join(' '), x.before, x.after, x.kind])).toEqual([
      ['委託事項2 ⑦再委託の有無', '[再委託しない]', '[再委託する]', '重要な変更'],
      ['委託事項2 ⑧再委託の許諾方法', '', '書面による事前承認', '修正'],
      ['委託事項2 ⑨再委託事項', '', 'コールセンター業務', '修正'],
    ]);
  });

  it('removing the 再委託先 again', () => {
    const withSub = clone(zen) as any;
    withSub.files[0].entrustment.items[1].subcontract = { presence: '再委託する', method: '書面による事前承認', items: 'コールセンター業務' };
    const r = buildChangeLog(withSub, zen, { date: '2024-04-01' });
    expect(r.rows.map((x) => [x.before, x.after])).toEqual([
      ['[再委託する]', '[再委託しない]'],
      ['書面による事前承認', ''],
      ['コールセンター業務', ''],
    ]);
  });

  it('a single 特定個人情報ファイル is not numbered; two are', () => {
    const next = clone(zen) as any;
    next.files[0].storage.erasure += '（変更）';
    expect(buildChangeLog(zen, next, { date: '2024-04-01' }).rows[0].item).toBe('Ⅱ 特定個人情報ファイルの概要 6. 特定個人情報の保管・消去 ③消去方法');
    const two = clone(zen) as any;
    two.files.push(clone(two.files[0]));
    const next2 = clone(two);
    next2.files[1].storage.erasure += '（変更）';
    expect(buildChangeLog(two, next2, { date: '2024-04-01' }).rows[0].item).toBe(
      'Ⅱ 特定個人情報ファイルの概要 特定個人情報ファイル2 6. 特定個人情報の保管・消去 ③消去方法',
    );
  });
});

describe('diff(a, b) then apply gives back b', async () => {
  const cases: [string, () => Promise<[JsonObject, JsonObject]>][] = [
    ['防府市 previous → assessment', async () => [await load(`${HOFU}/previous.yaml`), await load(JUTEN)]],
    ['防府市 assessment → previous', async () => [await load(JUTEN), await load(`${HOFU}/previous.yaml`)]],
    ['鹿児島市 with 50 scattered edits', async () => {
      const a = await load(KAGOSHIMA);
      return [a, scatterEdits(a, 'zenkomoku-h30', 50, 1)];
    }],
    ['鹿児島市 with 50 other edits, backwards', async () => {
      const a = await load(KAGOSHIMA);
      return [scatterEdits(a, 'zenkomoku-h30', 50, 7), a];
    }],
    ['two different 全項目 documents (架空市 住基 → 鹿児島市, whose missing systems are kept as {})', async () => [
      await load('assessments/kakuu-city-juki/assessment.yaml'),
      await load(KAGOSHIMA),
    ]],
    ['… and back', async () => [await load(KAGOSHIMA), await load('assessments/kakuu-city-juki/assessment.yaml')]],
    ['鹿児島市 委託事項 inserted, removed and edited', async () => {
      const a = await load(KAGOSHIMA);
      const b = clone(a) as any;
      const items = b.files[0].entrustment.items;
      items.splice(4, 1);
      items.splice(1, 0, { title: '新委託', content: '新しい委託' });
      items[3].contractor = '変更後の委託先';
      b.basic.systems.push({ name: '新システム', functions: '新機能' });
      return [a, b];
    }],
  ];
  it.each(cases)('%s', async (_name, make) => {
    const [a, b] = await make();
    const changes = diffDocuments(a, b);
    expect(changes.length).toBeGreaterThan(0);
    expect(comparable(applyChanges(a, changes))).toEqual(comparable(b));
  });
});
