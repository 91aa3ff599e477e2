// Dates people type (snapshot asOf, waiver and attestation expiry, token expiry, procedure periods) are
// checked where they enter, with one rule and one set of messages: a real calendar date (2023-02-29 is
// not), in a plausible range (year 0 and 9999-12-31 are typos or "never" placeholders, and the latter
// overflows into year 10000 once shifted to JST), and, for date-times, a time zone. Past the boundary the
// code may assume a date is well-formed and every derived Date is valid.
import { pick, type Lang } from '../schema/lang.ts';

/** Earliest and latest year accepted anywhere a user gives a date. */
export const MIN_USER_YEAR = 1900;
export const MAX_USER_YEAR = 2999;

export type DateProblem = 'format' | 'nonexistent' | 'range';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function dayExists(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

/**
 * A user's date (`YYYY-MM-DD`) or date-time (`YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)`), as milliseconds
 * since the epoch (a date is the start of that day in JST), or the problem with it.
 */
export function parseUserDate(
  value: unknown,
  accept: 'date' | 'date-time' | 'either' = 'either',
): { ms: number; dateOnly: boolean } | { problem: DateProblem } {
  if (typeof value !== 'string') return { problem: 'format' };
  const d = accept !== 'date-time' ? DATE.exec(value) : null;
  const t = !d && accept !== 'date' ? DATE_TIME.exec(value) : null;
  const m = d ?? t;
  if (!m) return { problem: 'format' };
  const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!dayExists(y, mo, day)) return { problem: 'nonexistent' };
  if (t) {
    const [h, mi, s = '0'] = [Number(t[4]), Number(t[5]), t[6]];
    const zone = t[7];
    const zoneOk = zone === 'Z' || (Number(zone.slice(1, 3)) <= 23 && Number(zone.slice(4, 6)) <= 59);
    if (h > 23 || mi > 59 || Number(s) > 59 || !zoneOk) return { problem: 'nonexistent' };
  }
  if (y < MIN_USER_YEAR || y > MAX_USER_YEAR) return { problem: 'range' };
  const ms = d ? Date.parse(`${value}T00:00:00+09:00`) : Date.parse(value);
  // Within the year range every such string parses; the guard keeps the promise "a valid Date".
  if (!Number.isFinite(ms)) return { problem: 'nonexistent' };
  return { ms, dateOnly: d !== null };
}

/** The Japanese (or English) sentence for a date problem of item `what` (e.g. 「有効期限」). */
export function describeDateProblem(
  what: string,
  value: unknown,
  problem: DateProblem,
  lang: Lang = 'ja',
  accept: 'date' | 'date-time' | 'either' = 'either',
): string {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  const form =
    accept === 'date'
      ? pick(lang, 'YYYY-MM-DD (例 2026-03-31)', 'YYYY-MM-DD (e.g. 2026-03-31)')
      : accept === 'date-time'
        ? pick(
            lang,
            '2026-03-31T23:59:59+09:00 の形 (時差付き)',
            'e.g. 2026-03-31T23:59:59+09:00 (with offset)',
          )
        : pick(
            lang,
            'YYYY-MM-DD または 2026-03-31T23:59:59+09:00 の形 (時差付き)',
            'YYYY-MM-DD or e.g. 2026-03-31T23:59:59+09:00 (with offset)',
          );
  switch (problem) {
    case 'format':
      return pick(
        lang,
        `${what}「${shown}」を日付として読めません。${form}で記載してください`,
        `${what} "${shown}" is not a date; write ${form}`,
      );
    case 'nonexistent':
      return pick(
        lang,
        `${what}「${shown}」は存在しない日時です (うるう年、月末、時・分の範囲を確認してください)`,
        `${what} "${shown}" does not exist (check leap years, month ends and the time)`,
      );
    case 'range':
      return pick(
        lang,
        `${what}「${shown}」は扱える範囲 (${MIN_USER_YEAR}年〜${MAX_USER_YEAR}年) の外です。期限を設けない意味の 9999-12-31 などは使わず、実際の日付を記載してください`,
        `${what} "${shown}" is outside the supported range (${MIN_USER_YEAR}–${MAX_USER_YEAR}); write a real date, not a placeholder such as 9999-12-31`,
      );
  }
}

/**
 * A token's expiry as given on the command line or in `POST /api/tokens`: a date (valid through that day
 * in JST) or a date-time with a zone, in range, and in the future (a token born expired is a mistake that
 * would otherwise surface only as a puzzling 401). The ISO instant to store, or the message to show.
 */
export function parseTokenExpiry(
  value: string,
  now: Date,
  what = '有効期限',
): { iso: string } | { message: string } {
  const parsed = parseUserDate(value);
  if ('problem' in parsed) return { message: describeDateProblem(what, value, parsed.problem) };
  const ms = parsed.dateOnly ? parsed.ms + 86_400_000 : parsed.ms;
  if (ms <= now.getTime()) {
    return { message: `${what}「${value}」は過去の日時です。これから先の日時を指定してください` };
  }
  return { iso: new Date(ms).toISOString() };
}
