// Each form's schema rejects a wrong 選択肢, a misspelt key and a wrong type, with the pointer of the
// offending value and our own Japanese (and English) wording.
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/engine.ts';
import { getAtPointer } from '../../src/pointer.ts';
import { choiceAt, deleteAt, makeDocument, setAt } from '../fixtures/validate/make-document.ts';

const FORMS = [
  {
    form: 'juten-h30',
    choice: '/risks/0/acquisition/risk/sufficiency',
    text: '/cover/name',
    misspelt: ['/basic/jimu/persons', '/basic/jimu/person'],
  },
  {
    form: 'zenkomoku-h30',
    choice: '/risks/0/acquisition/risk1/sufficiency',
    text: '/cover/name',
    misspelt: ['/basic/jimu/persons', '/basic/jimu/person'],
  },
  {
    form: 'kiso-h30',
    choice: '/riskMeasures/acquisition/sufficiency',
    text: '/cover/name',
    misspelt: ['/related/fileNames', '/related/fileName'],
  },
] as const;

describe.each(FORMS)('schema messages: $form', ({ form, choice, text, misspelt }) => {
  it('a base document validates clean', () => {
    expect(validateDocument(makeDocument(form))).toEqual([]);
  });

  it('rejects a wrong 選択肢 with the list of choices', () => {
    const doc = makeDocument(form);
    setAt(doc, choice, '十分ではない');
    const diags = validateDocument(doc);
    expect(diags.map((d) => [d.code, d.path])).toEqual([['schema/enum', choice]]);
    const choices = [0, 1, 2].map((i) => choiceAt(form, choice, i));
    expect(diags[0].message).toBe(
      `『十分ではない』は選択肢にありません。次のいずれかを選んでください: 1) ${choices[0]} 2) ${choices[1]} 3) ${choices[2]}`,
    );
    expect(diags[0].severity).toBe('error');
    expect(diags[0].label).toMatch(/リスクへの対策は十分か$|対策は十分か$/);
  });

  it('rejects a misspelt key, pointing at the key and suggesting the right one', () => {
    const doc = makeDocument(form);
    const [right, wrong] = misspelt;
    const value = structuredClone(getAtPointer(doc, right));
    deleteAt(doc, right);
    setAt(doc, wrong, value);
    const diags = validateDocument(doc);
    const extra = diags.find((d) => d.code === 'schema/additional-property');
    expect(extra?.path).toBe(wrong);
    const key = wrong.split('/').pop();
    expect(extra?.message).toContain(`この項目 (${key}) は様式にありません。綴りを確認してください。`);
    expect(extra?.message).toContain(`もしかして「${right.split('/').pop()}」`);
    // …and the required item it replaced is 未記載.
    expect(diags.find((d) => d.code === 'completeness/missing')?.path).toBe(right);
  });

  it('rejects a wrong type', () => {
    const doc = makeDocument(form);
    setAt(doc, text, 123);
    const diags = validateDocument(doc);
    expect(diags.map((d) => [d.code, d.path, d.message])).toEqual([
      ['schema/type', text, '文字列で記載してください (整数が記載されています)'],
    ]);
  });

  it('speaks English with lang: en', () => {
    const doc = makeDocument(form);
    setAt(doc, choice, '十分ではない');
    setAt(doc, text, 123);
    const msgs = validateDocument(doc, { lang: 'en' }).map((d) => d.message);
    expect(
      msgs.some((m) => m.startsWith('"十分ではない" is not one of the choices. Choose one of: 1) ')),
    ).toBe(true);
    expect(msgs).toContain('Write a string (found an integer)');
  });
});

describe('schema messages: special cases', () => {
  const form = 'juten-h30';
  it('a choice written as its number says which label it means', () => {
    const doc = makeDocument(form);
    setAt(doc, '/risks/0/acquisition/risk/sufficiency', 2);
    const [d] = validateDocument(doc);
    expect(d.code).toBe('schema/enum');
    expect(d.message).toContain(
      `選択肢は番号ではなく文言で記載してください (2 → 『${choiceAt(form, '/risks/0/acquisition/risk/sufficiency', 1)}』)`,
    );
  });

  it('a choice differing only in width/spacing is named', () => {
    const doc = makeDocument(form);
    const right = choiceAt(form, '/files/0/basics/fileType', 1); // その他の電子ファイル(表計算ファイル等)
    setAt(doc, '/files/0/basics/fileType', right.replace('(', '（').replace(')', '）') + ' ');
    const [d] = validateDocument(doc);
    expect(d.message).toContain(`『${right}』 と記載してください`);
  });

  it('a 和暦 date gets the ISO form as a hint', () => {
    const doc = makeDocument(form);
    setAt(doc, '/procedure/kiso/date', '令和4年6月3日');
    const [d] = validateDocument(doc);
    expect([d.code, d.path]).toEqual(['schema/format', '/procedure/kiso/date']);
    expect(d.message).toBe(
      '日付は YYYY-MM-DD で記載してください (例: 2022-06-03)。『令和4年6月3日』が記載されています',
    );
  });

  it('a measure written as plain text explains the block form', () => {
    const doc = makeDocument(form);
    setAt(doc, '/risks/0/acquisition/risk/measures', '措置の文章');
    const [d] = validateDocument(doc);
    expect(d.code).toBe('schema/type');
    expect(d.message).toContain('措置の内容はブロックの一覧で記載してください');
  });

  it('an unknown form lists the supported ones', () => {
    const doc = makeDocument(form);
    (doc as any).form = '重点項目評価';
    const [d] = validateDocument(doc);
    expect([d.code, d.path]).toEqual(['schema/unknown-form', '/form']);
    expect(d.message).toContain('様式『重点項目評価』には対応していません。対応している様式: ');
    expect(d.message).toContain('重点項目評価書 (平成30年5月)');
    expect(d.message).toContain('全項目評価書 (平成30年5月)');
    expect(d.message).toContain('基礎項目評価書 (平成30年5月)');
  });

  it('an unknown version of a known form points at formVersion', () => {
    const doc = makeDocument(form);
    (doc as any).formVersion = '令和6年10月';
    const [d] = validateDocument(doc);
    expect([d.code, d.path]).toEqual(['schema/unknown-form', '/formVersion']);
  });

  it('a null value (「key:」 with nothing) is 未記載, not a type error', () => {
    const doc = makeDocument(form);
    setAt(doc, '/cover/name', null);
    const diags = validateDocument(doc);
    expect(diags.map((d) => [d.code, d.path])).toEqual([['completeness/missing', '/cover/name']]);
  });

  it('collapses duplicates: one finding per problem', () => {
    const doc = makeDocument(form);
    setAt(doc, '/risks/0/acquisition/risk/sufficiency', 'x');
    setAt(doc, '/risks/0/use/risk1/sufficiency', 'y');
    const diags = validateDocument(doc);
    expect(diags.map((d) => d.path)).toEqual([
      '/risks/0/acquisition/risk/sufficiency',
      '/risks/0/use/risk1/sufficiency',
    ]);
  });
});
