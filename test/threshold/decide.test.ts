import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { getRegistry } from '../../src/schema/index.ts';
import {
  decideThreshold,
  explainThreshold,
  handlersBandLabel,
  personsBandIndex,
  personsBandLabel,
  possibleRequirements,
} from '../../src/threshold/index.ts';

const K = '基礎項目評価';
const J = '重点項目評価';
const Z = '全項目評価';

describe('decideThreshold: every band boundary (pia-domain.md §2.3)', () => {
  it.each([
    // persons, handlers, incident, required
    [0, 0, false, []],
    [999, 10_000, true, []],
    [1_000, 0, false, [K]],
    [1_000, 500, true, [K]],
    [9_999, 499, false, [K]],
    [9_999, 500, false, [K]],
    [10_000, 499, false, [K]],
    [10_000, 500, false, [K, J]], // P2 high [M]
    [10_000, 0, true, [K, J]],
    [99_999, 499, false, [K]],
    [99_999, 500, false, [K, J]],
    [100_000, 499, false, [K, J]],
    [100_000, 500, false, [K, Z]],
    [100_000, 10, true, [K, Z]],
    [299_999, 499, false, [K, J]],
    [299_999, 500, false, [K, Z]],
    [300_000, 0, false, [K, Z]],
    [300_000, 499, false, [K, Z]],
    [5_000_000, 1_000, true, [K, Z]],
  ])('persons %i, handlers %i, incident %s → %j', (persons, handlers, incident, required) => {
    expect(decideThreshold({ persons, handlers, incident })).toEqual({ required });
  });

  it.each([
    [{ persons: -1, handlers: 0 }, /対象人数は 0 以上/],
    [{ persons: 1.5, handlers: 0 }, /対象人数は整数/],
    [{ persons: 10, handlers: Number.NaN }, /取扱者数を数値で/],
    [{ persons: undefined as unknown as number, handlers: 0 }, /対象人数を数値で/],
  ])('rejects %j', (input, message) => {
    expect(() => decideThreshold(input)).toThrow(UsageError);
    expect(() => decideThreshold(input)).toThrow(message);
  });
});

describe('bands', () => {
  it.each([
    [0, 0],
    [999, 0],
    [1_000, 1],
    [9_999, 1],
    [10_000, 2],
    [99_999, 2],
    [100_000, 3],
    [299_999, 3],
    [300_000, 4],
  ])('%i persons → band %i, labelled from the schema', (n, band) => {
    expect(personsBandIndex(n)).toBe(band);
    expect(personsBandLabel(n)).toBe((getRegistry().def('persons5')!.enum as string[])[band]);
  });
  it('handlers: 499 / 500', () => {
    const labels = getRegistry().def('handlers')!.enum as string[];
    expect(handlersBandLabel(499)).toBe(labels[1]);
    expect(handlersBandLabel(500)).toBe(labels[0]);
  });
  it('possible outcomes when 取扱者数/重大事故 are unknown', () => {
    expect(possibleRequirements(0)).toEqual([[]]);
    expect(possibleRequirements(2)).toEqual([[K, J], [K]]);
    expect(possibleRequirements(3, false)).toEqual([[K, J]]);
    expect(possibleRequirements(4)).toEqual([[K, Z]]);
  });
});

describe('explainThreshold', () => {
  it('explains in Japanese', () => {
    const input = { persons: 150_000, handlers: 600, incident: false };
    expect(explainThreshold(input, decideThreshold(input))).toBe(
      [
        '対象人数: 150,000 人 (10万人以上30万人未満)',
        '取扱者数: 600 人 (500人以上)',
        '重大事故 (過去1年以内、特定個人情報): なし',
        'しきい値判断: 基礎項目評価及び全項目評価の実施が義務付けられます。',
        '',
      ].join('\n'),
    );
  });
  it('says when nothing is required', () => {
    const input = { persons: 999, handlers: 600, incident: true };
    expect(explainThreshold(input, decideThreshold(input))).toContain(
      '特定個人情報保護評価の実施は義務付けられません',
    );
  });
});
