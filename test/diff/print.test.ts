// The 変更箇所 cell conventions: full text, 「略 以下追記。」, 「略 … 略」, checkbox lines, choices in brackets.
import { describe, expect, it } from 'vitest';
import { elideTexts, printValue } from '../../src/diff/index.ts';
import { resolveSchemaAt } from '../../src/schema/index.ts';

const long = (n: number) => 'あいうえおかきくけこ'.repeat(n);

describe('elideTexts', () => {
  it.each([
    ['short texts replaced outright are printed in full', '健康管理システム', 'ワクチン接種記録システム', '健康管理システム', 'ワクチン接種記録システム'],
    ['new lines appended: 略 / 略 以下追記。', '・照会\n・提供', '・照会\n・提供\n・コンビニ交付', '略', '略 以下追記。\n・コンビニ交付'],
    ['a long text continued on its last line', `${long(25)}。`, `${long(25)}。また、追記する。`, '略', '略 以下追記。 また、追記する。'],
    ['a short text continued on its line stays in full', '健康管理システム', '健康管理システム、VRS', '健康管理システム', '健康管理システム、VRS'],
    [
      'a change inside a short line of a long text: the line',
      `${long(12)}\n(証明書電子交付機能)\n${long(12)}`,
      `${long(12)}\n(証明書電子交付機能、コンビニ交付)\n${long(12)}`,
      '略\n(証明書電子交付機能)\n略',
      '略\n(証明書電子交付機能、コンビニ交付)\n略',
    ],
    [
      'a change inside brackets of a long line: the brackets',
      `${long(12)}システム(電子交付機能を含む。)${long(12)}`,
      `${long(12)}システム(電子交付機能及びコンビニ交付関連機能を含む。)${long(12)}`,
      '略 (電子交付機能を含む。) 略',
      '略 (電子交付機能及びコンビニ交付関連機能を含む。) 略',
    ],
    [
      'elsewhere: the sentence',
      `${long(12)}。転出先市区町村から入手する。${long(12)}`,
      `${long(12)}。他市区町村から入手する。${long(12)}`,
      '略 転出先市区町村から入手する。 略',
      '略 他市区町村から入手する。 略',
    ],
  ])('%s', (_name, before, after, b, a) => {
    expect(elideTexts(before, after)).toEqual({ before: b, after: a });
  });
});

describe('printValue', () => {
  const at = (p: string) => resolveSchemaAt('juten-h30', p);
  it('prints each kind as the form does', () => {
    expect(printValue(at('/risks/0/use/risk1/sufficiency'), '十分である')).toBe('[十分である]');
    expect(printValue(at('/files/0/acquisition/methods'), [{ choice: 'その他', detail: 'VRS' }, { choice: '紙' }])).toBe('[○]紙\n[○]その他 VRS');
    expect(printValue(at('/files/0/acquisition/startDate'), '2021-05-01')).toBe('令和3年5月1日');
    expect(printValue(at('/files/0/entrustment/count'), 2)).toBe('2 件');
    expect(printValue(at('/files/0/entrustment/count'), 4508)).toBe('4,508 件');
    expect(printValue(at('/risks/0/entrustment/notEntrusted'), true)).toBe('[○]委託しない');
    expect(printValue(at('/procedure/publicComment/period'), { from: '2021-07-21', to: '2021-08-20' })).toBe('令和3年7月21日～令和3年8月20日(31日間)');
    expect(
      printValue(at('/risks/0/use/risk1/measures'), [
        { heading: '健康管理システムにおける措置', parts: ['・甲'] },
        { heading: '(コンビニ交付)', parts: ['・乙'] },
      ]),
    ).toBe('<健康管理システムにおける措置>\n・甲\n(コンビニ交付)\n・乙');
  });
});
