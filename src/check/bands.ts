// Count bands read from the 選択肢 themselves. The forms state every band in words (「10人以上50人未満」,
// 「100万人以上1,000万人未満」, 「6年以上10年未満」, 「5年」); parsing those words means the schema's enum stays
// the only place the bands are written, and a corrected label corrects the check with it.
// 「以上」 is ≥ and 「未満」 is < (pia-domain.md §2.2).

export interface Band {
  /** Inclusive lower bound. */
  min: number;
  /** Exclusive upper bound (Infinity when open). For an exact value (「5年」) max = min + 1. */
  max: number;
  /** The label names one value (「1年」), not a range. */
  exact: boolean;
}

const NUMBER = '([0-9][0-9,]*)(万)?';
const UNIT = '([^0-9以未()]*)';

function toNumber(digits: string, man: string | undefined): number {
  return Number(digits.replace(/,/g, '')) * (man ? 10_000 : 1);
}

const parsed = new Map<string, Band | undefined>();

/** The range a band label states; undefined for a label that states none (「定められていない」). */
export function parseBand(label: string): Band | undefined {
  // Memoised: the same few labels are compared with every data store and contractor of a snapshot.
  if (parsed.has(label)) return parsed.get(label);
  const band = parseBandText(label);
  if (band) Object.freeze(band);
  if (parsed.size > 10_000) parsed.clear();
  parsed.set(label, band);
  return band;
}

const BOTH = new RegExp(`^${NUMBER}${UNIT}以上${NUMBER}${UNIT}未満$`);
const BELOW = new RegExp(`^${NUMBER}${UNIT}未満$`);
const FROM = new RegExp(`^${NUMBER}${UNIT}以上$`);
const EXACT = new RegExp(`^${NUMBER}${UNIT}$`);

function parseBandText(label: string): Band | undefined {
  // 「1,000人未満(任意実施)」: the remark in brackets is not part of the range.
  const s = label
    .normalize('NFKC')
    .replace(/\(.*\)$/, '')
    .replace(/\s+/g, '');
  let m = BOTH.exec(s);
  if (m) return { min: toNumber(m[1], m[2]), max: toNumber(m[4], m[5]), exact: false };
  m = BELOW.exec(s);
  if (m) return { min: 0, max: toNumber(m[1], m[2]), exact: false };
  m = FROM.exec(s);
  if (m) return { min: toNumber(m[1], m[2]), max: Infinity, exact: false };
  m = EXACT.exec(s);
  if (m) {
    const v = toNumber(m[1], m[2]);
    return { min: v, max: v + 1, exact: true };
  }
  return undefined;
}

export function inBand(band: Band, value: number): boolean {
  return value >= band.min && value < band.max;
}

/** The choice whose band contains `value`, among `choices` (an enum from the schema). */
export function bandOf(choices: readonly string[], value: number): string | undefined {
  return choices.find((c) => {
    const b = parseBand(c);
    return b !== undefined && inBand(b, value);
  });
}

const DAYS_PER_YEAR_MIN = 365;
const DAYS_PER_YEAR_MAX = 366;

/**
 * Compare a retention setting in days with a 保管期間 choice (in years). An exact 「N年」 accepts N×365 to
 * N×366 days (leap years); ranges use 365-day years. Returns 'longer' | 'shorter' | 'within', or
 * undefined when the choice states no period (「定められていない」).
 */
export function compareRetention(
  choice: string,
  days: number | 'indefinite',
): 'longer' | 'shorter' | 'within' | undefined {
  const b = parseBand(choice);
  if (!b) return undefined;
  if (days === 'indefinite') return b.max === Infinity ? 'within' : 'longer';
  const lo = b.exact ? b.min * DAYS_PER_YEAR_MIN : b.min * DAYS_PER_YEAR_MIN;
  const hi = b.exact ? b.min * DAYS_PER_YEAR_MAX : b.max * DAYS_PER_YEAR_MIN; // inclusive for exact, exclusive for a range
  if (days < lo) return 'shorter';
  if (b.exact ? days > hi : days >= hi) return 'longer';
  return 'within';
}
