// Time in a check is the snapshot's `asOf`, never the clock of the machine running it: the same snapshot
// gives the same findings on any day (deterministic output, reproducible CI runs). Dates without a time
// (attestation expiry, 異動日, incident dates) are days in Japan Standard Time, where the 評価書 is kept.

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;

/** Milliseconds since the epoch of a date (`YYYY-MM-DD`, start of that day in JST) or date-time. */
export function toEpochMs(value: string): number | undefined {
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

/** The JST calendar day (`YYYY-MM-DD`) of an instant. */
export function jstDay(ms: number): string {
  return new Date(ms + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (may be negative). */
export function daysBetween(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / DAY_MS);
}

/** `day` (YYYY-MM-DD) minus whole years, clamped to the end of February for 29 Feb. */
export function minusYears(day: string, years: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const target = new Date(Date.UTC(y - years, m - 1, d));
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

/** A date-only value is valid through its own day: expired when the as-of day is later. */
export function isExpired(expires: string, asOfDay: string): boolean {
  return expires < asOfDay;
}
