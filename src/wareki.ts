// 和暦 (Japanese era) dates. Documents store ISO dates; the 評価書 and the 変更箇所 print 「令和4年7月7日」.

export interface Era {
  name: string;
  /** First day of the era, ISO YYYY-MM-DD. */
  start: string;
}

/**
 * Newest first. 明治 is used only from 1873-01-01, when Japan adopted the Gregorian calendar: earlier
 * Gregorian dates have no 和暦 equivalent of the same month and day, and are shown unchanged.
 */
export const ERAS: readonly Era[] = [
  { name: '令和', start: '2019-05-01' },
  { name: '平成', start: '1989-01-08' },
  { name: '昭和', start: '1926-12-25' },
  { name: '大正', start: '1912-07-30' },
  { name: '明治', start: '1873-01-01' },
];

const MEIJI_FIRST_YEAR = 1868;

export interface WarekiDate {
  era: string;
  /** 1 for 元年. */
  year: number;
  month: number;
  day: number;
}

/** The era date of an ISO YYYY-MM-DD string, or undefined if it is not a real date or precedes 1873. */
export function toWareki(iso: string): WarekiDate | undefined {
  if (typeof iso !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 2022-02-30 over to 2022-03-02 (and maps years 0–99 to 19xx); only a real date
  // comes back unchanged.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
    return undefined;
  // Zero-padded ISO strings compare in date order.
  const era = ERAS.find((e) => iso >= e.start);
  if (!era) return undefined;
  const firstYear = era.name === '明治' ? MEIJI_FIRST_YEAR : Number(era.start.slice(0, 4));
  return { era: era.name, year: y - firstYear + 1, month: mo, day: d };
}

/**
 * 「令和4年7月7日」, 「令和元年5月1日」. Anything that is not a real ISO date (「2022-02-30」, 「未定」, "")
 * is returned unchanged: the renderer shows what the officer wrote, and validation reports the format.
 */
export function formatWareki(iso: string): string {
  const w = toWareki(iso);
  if (!w) return iso;
  return `${w.era}${w.year === 1 ? '元' : String(w.year)}年${w.month}月${w.day}日`;
}


const DAY = 86_400_000;

/** 「令和3年7月21日～令和3年8月20日(31日間)」: both ends counted, as the seeds count the 意見聴取 period. */
export function formatPeriod(from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const days = Number.isFinite(a) && Number.isFinite(b) && b >= a ? `(${Math.round((b - a) / DAY) + 1}日間)` : '';
  return `${formatWareki(from)}～${formatWareki(to)}${days}`;
}
