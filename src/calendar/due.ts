// Obligations across assessments: sorted (overdue first), filtered by a horizon, summarised.
import { addDays, isIsoDate, wareki } from './dates.ts';
import { computeObligations } from './obligations.ts';
import {
  OBLIGATION_STATES,
  type AssessmentHistory,
  type DueOptions,
  type DueReport,
  type Obligation,
  type ObligationState,
} from './types.ts';

const RANK: Record<ObligationState, number> = Object.fromEntries(
  OBLIGATION_STATES.map((s, i) => [s, i]),
) as Record<ObligationState, number>;

/** 期限超過 → 判定不能 → 期限間近 → 予定 → 完了; within a state by due date, then assessment and id. */
export function compareObligations(a: Obligation, b: Obligation): number {
  return (
    RANK[a.state] - RANK[b.state] ||
    (a.dueDate ?? '').localeCompare(b.dueDate ?? '') ||
    a.assessmentTitle.localeCompare(b.assessmentTitle, 'ja') ||
    a.id.localeCompare(b.id)
  );
}

export function sortObligations(list: Obligation[]): Obligation[] {
  return list.sort(compareObligations);
}

/** Whether an obligation belongs in a report with these options. */
export function keepObligation(o: Obligation, opts: DueOptions): boolean {
  if (o.state === '完了') return !!opts.includeCompleted;
  if (o.state === '期限超過' || o.state === '判定不能') return true;
  if (opts.withinDays === undefined || o.dueDate === null) return true;
  return o.dueDate <= addDays(opts.asOf, opts.withinDays);
}

export function summarise(list: readonly Obligation[]): DueReport['summary'] {
  const s = Object.fromEntries(OBLIGATION_STATES.map((k) => [k, 0])) as Record<ObligationState, number>;
  for (const o of list) s[o.state]++;
  return { ...s, total: list.length };
}

/**
 * The obligations of many assessments on one as-of day, overdue first. This is the entry point for any
 * driver (the `pia due` command, the web dashboard, the feed, a portfolio report).
 */
export function listDue(histories: readonly AssessmentHistory[], opts: DueOptions): DueReport {
  if (!isIsoDate(opts.asOf)) throw new RangeError(`as-of must be YYYY-MM-DD: ${opts.asOf}`);
  const all = histories.flatMap((h) => computeObligations(h, { asOf: opts.asOf }));
  const obligations = sortObligations(all.filter((o) => keepObligation(o, opts)));
  return {
    asOf: opts.asOf,
    asOfWareki: wareki(opts.asOf) as string,
    obligations,
    summary: summarise(obligations),
  };
}

/** The first obligation of each assessment that is not 完了 (the dashboard's "next" column). */
export function nextPerAssessment(list: readonly Obligation[]): Map<string, Obligation> {
  const out = new Map<string, Obligation>();
  for (const o of [...list].sort(compareObligations))
    if (o.state !== '完了' && !out.has(o.assessmentId)) out.set(o.assessmentId, o);
  return out;
}
