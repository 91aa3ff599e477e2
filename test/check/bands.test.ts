import { describe, expect, it } from 'vitest';
import { bandOf, compareRetention, parseBand } from '../../src/check/bands.ts';
import { getChoices } from '../../src/check/choices.ts';
import { isExpired, jstDay, minusYears, toEpochMs } from '../../src/check/dates.ts';
import { mentions, nameVariants, normalizeName, sameName } from '../../src/check/names.ts';
import { getRegistry } from '../../src/schema/registry.ts';

describe('parseBand', () => {
  it.each([
    ['1,000人未満', 0, 1000],
    ['1,000人未満(任意実施)', 0, 1000],
    ['1,000人以上1万人未満', 1000, 10000],
    ['10万人以上30万人未満', 100000, 300000],
    ['30万人以上', 300000, Infinity],
    ['100万人以上1,000万人未満', 1_000_000, 10_000_000],
    ['1,000万人以上', 10_000_000, Infinity],
    ['500人以上', 500, Infinity],
    ['10項目以上50項目未満', 10, 50],
    ['6年以上10年未満', 6, 10],
    ['1年未満', 0, 1],
  ])('%s → [%d, %d)', (label, min, max) => {
    expect(parseBand(label)).toMatchObject({ min, max, exact: false });
  });

  it('an exact value', () => expect(parseBand('5年')).toEqual({ min: 5, max: 6, exact: true }));
  it('no range', () => expect(parseBand('定められていない')).toBeUndefined());

  it('every count choice list of the schema parses into contiguous bands', () => {
    for (const def of ['staffCount', 'filePersons', 'persons5', 'personsKiso', 'itemCount']) {
      const labels = getRegistry().def(def)?.enum as string[];
      const bands = labels.map((l) => parseBand(l)!);
      expect(bands[0].min).toBe(0);
      for (let i = 1; i < bands.length; i++) expect(bands[i].min).toBe(bands[i - 1].max);
      expect(bands.at(-1)!.max).toBe(Infinity);
    }
  });
});

describe('bandOf (以上 ≥, 未満 <)', () => {
  const staff = () => getChoices().staffCount;
  it.each([
    [0, '10人未満'],
    [9, '10人未満'],
    [10, '10人以上50人未満'],
    [49, '10人以上50人未満'],
    [50, '50人以上100人未満'],
    [999, '500人以上1,000人未満'],
    [1000, '1,000人以上'],
  ])('%d → %s', (n, label) => expect(bandOf(staff(), n)).toBe(label));
});

describe('compareRetention', () => {
  it.each([
    ['5年', 1824, 'shorter'],
    ['5年', 1825, 'within'],
    ['5年', 1830, 'within'],
    ['5年', 1831, 'longer'],
    ['1年未満', 364, 'within'],
    ['1年未満', 365, 'longer'],
    ['6年以上10年未満', 2190, 'within'],
    ['6年以上10年未満', 3650, 'longer'],
    ['20年以上', 54750, 'within'],
    ['20年以上', 'indefinite', 'within'],
    ['3年', 'indefinite', 'longer'],
    ['定められていない', 1, undefined],
  ] as const)('%s vs %s days → %s', (choice, days, expected) =>
    expect(compareRetention(choice, days)).toBe(expected),
  );
});

describe('dates (asOf, JST days)', () => {
  it('date-only values are JST days', () => {
    expect(toEpochMs('2026-04-01')).toBe(Date.parse('2026-03-31T15:00:00Z'));
    expect(jstDay(Date.parse('2026-03-31T15:00:00Z'))).toBe('2026-04-01');
  });
  it('one year back, with 29 February', () => {
    expect(minusYears('2026-06-01', 1)).toBe('2025-06-01');
    expect(minusYears('2028-02-29', 1)).toBe('2027-02-28');
  });
  it('valid through the expiry day', () => {
    expect(isExpired('2026-03-31', '2026-03-31')).toBe(false);
    expect(isExpired('2026-03-31', '2026-04-01')).toBe(true);
  });
  it('invalid dates', () => expect(toEpochMs('2026-13-45T00:00:00Z')).toBeUndefined());
});

describe('names', () => {
  it('width, spaces and case do not matter', () => {
    expect(normalizeName('ワクチン接種記録システム（ＶＲＳ）')).toBe(
      normalizeName('ワクチン接種記録システム(vrs)'),
    );
    expect(sameName('住民記録 システム', '住民記録システム')).toBe(true);
    expect(sameName('住民記録システム', '住民記録システム2')).toBe(false);
  });
  it('mentions in free text', () => {
    expect(mentions('証明書コンビニ交付システム、戸籍システム', '戸籍システム')).toBe(true);
    expect(mentions('証明書コンビニ交付システム', '')).toBe(false);
  });
  it('「(以下「…」という。)」 defines an abbreviation', () => {
    expect(nameVariants('既存住民基本台帳システム(以下「既存住基システム」という。)')).toEqual([
      '既存住民基本台帳システム',
      '既存住基システム',
    ]);
    expect(nameVariants('住民記録システム')).toEqual(['住民記録システム']);
  });
});

describe('choices read from the schema', () => {
  it('the meanings rules depend on', () => {
    const c = getChoices();
    expect([c.entrustNo, c.subcontractYes, c.subcontractNo, c.provisionNone, c.incidentOccurred]).toEqual([
      '委託しない',
      '再委託する',
      '再委託しない',
      '行っていない',
      '発生あり',
    ]);
    expect(c.connectionDetailChoices).toEqual(['その他']);
  });
});
