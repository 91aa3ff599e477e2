// isPossibleRequirement is the allocation-free test the document check runs on every validation; it must
// answer exactly as looking the requirement up in possibleRequirements() would.
import { describe, expect, it } from 'vitest';
import { isPossibleRequirement, possibleRequirements } from '../../src/threshold/decide.ts';
import { DECISION_TABLE, RESULT_CHOICE_MEANING, type Assessment } from '../../src/threshold/table.ts';

const same = (a: readonly Assessment[], b: readonly Assessment[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

describe('isPossibleRequirement', () => {
  const meanings: (readonly Assessment[])[] = [
    ...Object.values(RESULT_CHOICE_MEANING).flat(),
    ['全項目評価'],
    ['重点項目評価', '基礎項目評価'], // order matters, as in possibleRequirements
  ];
  const bands = [...DECISION_TABLE.keys(), DECISION_TABLE.length, -1];

  it.each(bands.flatMap((band) => [undefined, true, false].map((high) => [band, high] as const)))(
    'band %i, high %s: same answers as possibleRequirements',
    (band, high) => {
      for (const m of meanings) {
        expect(isPossibleRequirement(band, high, m)).toBe(
          possibleRequirements(band, high).some((p) => same(p, m)),
        );
      }
    },
  );
});
