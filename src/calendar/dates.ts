// Calendar-date arithmetic on ISO `YYYY-MM-DD` strings. Obligations are about days, not instants: every
// computation here works on whole days in UTC so that the server's time zone can never move a due date,
// and instants recorded by the store (ISO date-times) are turned into the Japanese calendar day (JST)
// once, at the edge (`jstDay`).
import { formatWareki } from '../wareki.ts';

const DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written as YYYY-MM-DD (2023-02-29 is not). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && y >= 1000;
}

function toUtc(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}
function fromUtc(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return fromUtc(toUtc(iso) + days * DAY);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY);
}

/**
 * The same month and day `years` later; 2月29日 maps to 2月28日 in a common year. This is where a period
 * of N years that starts the day after `iso` ends under 民法第140条 (初日不算入) and 第143条 (the day before
 * the corresponding day; the month's last day when there is none): 2024-02-29 + 1 年 → 2025-02-28.
 */
export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return fromUtc(Date.UTC(y + years, m - 1, Math.min(d, last)));
}

/** The Japanese calendar day (JST, UTC+9, no daylight saving) of an instant such as `2025-07-01T15:30:00Z`. */
export function jstDay(instant: string | Date): string | undefined {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (!Number.isFinite(t)) return undefined;
  return new Date(t + 9 * 3600_000).toISOString().slice(0, 10);
}

/** A date as the forms print it (「令和元年5月1日」); undefined stays undefined. */
export function wareki(iso: string | null | undefined): string | null {
  return iso ? formatWareki(iso) : null;
}

/** `60d`, `8w`, `3m` (30-day months), `1y` (365 days), or a plain number of days → days. */
export function parseSpan(text: string): number | undefined {
  const m = /^(\d{1,5})\s*([dwmy日週]?)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2];
  const factor = unit === 'w' || unit === '週' ? 7 : unit === 'm' ? 30 : unit === 'y' ? 365 : 1;
  return n * factor;
}
