import { formatWareki } from './wareki.ts';

const DAY = 86_400_000;

/** 「令和3年7月21日～令和3年8月20日(31日間)」: both ends counted, as the seeds count the 意見聴取 period. */
export function formatPeriod(from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  const days = Number.isFinite(a) && Number.isFinite(b) && b >= a ? `(${Math.round((b - a) / DAY) + 1}日間)` : '';
  return `${formatWareki(from)}～${formatWareki(to)}${days}`;
}
