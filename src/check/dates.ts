// Time in a check is the snapshot's `asOf`, never the clock of the machine running it: the same snapshot
// gives the same findings on any day (deterministic output, reproducible CI runs). Dates without a time
// (attestation expiry, 異動日, incident dates) are days in Japan Standard Time, where the 評価書 is kept.

import { isFullDate } from './full-date.ts';

export const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;

/**
 * Milliseconds since the epoch of a date (`YYYY-MM-DD`, start of that day in JST) or date-time. The
 * snapshot's asOf is also held to the range of load/user-dates.ts (run.ts): 9999-12-31 shifted to JST is
 * year 10000, which Date cannot print.
 */
export function toEpochMs(value: string): number | undefined {
  // A plain date (every lastLogin of an export, 10,000s per snapshot): the same instant without the regex,
  // the slices and the string Date.parse reads. Years below 1000 take the general path (Date.UTC reads
  // 0–99 as 1900–1999).
  if (value.length === 10 && isFullDate(value)) {
    const y = plainYear(value);
    if (y >= 1000) return Date.UTC(y, plainTwo(value, 5) - 1, plainTwo(value, 8)) - JST_OFFSET_MS;
  }
  // Date.parse rolls 2026-02-30 over to 2 March; a date that does not exist is not a date.
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', se = '0'] = m.slice(1);
  const probe = new Date(Date.UTC(+y, +mo - 1, +d));
  if (probe.getUTCMonth() !== +mo - 1 || probe.getUTCDate() !== +d || +h > 23 || +mi > 59 || +se > 59)
    return undefined;
  const ms = m[4] === undefined ? Date.parse(`${value}T00:00:00+09:00`) : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

const plainYear = (s: string) =>
  (s.charCodeAt(0) - 48) * 1000 +
  (s.charCodeAt(1) - 48) * 100 +
  (s.charCodeAt(2) - 48) * 10 +
  s.charCodeAt(3) -
  48;
const plainTwo = (s: string, at: number) => (s.charCodeAt(at) - 48) * 10 + s.charCodeAt(at + 1) - 48;

/** The JST calendar day (`YYYY-MM-DD`) of an instant. */
export function jstDay(ms: number): string {
  const d = new Date(ms + JST_OFFSET_MS);
  // Only reached with accepted dates; never throw RangeError to a user if one slips through.
  return Number.isFinite(d.getTime()) ? d.toISOString().slice(0, 10) : '0000-00-00';
}

/** Whole days from `from` to `to` (may be negative). */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / DAY_MS);
}

/** `day` (YYYY-MM-DD) minus whole years, clamped to the end of February for 29 Feb. */
export function minusYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const target = new Date(Date.UTC(y - years, m - 1, d));
  // Callers pass days of accepted dates; a day that is not one compares below every real day.
  if (!Number.isFinite(target.getTime())) return '0000-00-00';
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** A date-only value is valid through its own day: expired when the as-of day is later. */
export function isExpired(expires: string, asOfDay: string): boolean {
  return expires < asOfDay;
}
