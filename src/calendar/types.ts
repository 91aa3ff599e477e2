// The calendar's input (an assessment and its history, as plain facts) and output (dated obligations).
// Pure data: the store, the files and the clock stay with the drivers.
import type { ReviewResult, ReviewStatus } from '../store/types.ts';
import type { Diagnostic, JsonObject } from '../types.ts';
import type { ObligationKind } from './rules.ts';

export type ObligationState = '予定' | '期限間近' | '期限超過' | '完了' | '判定不能';
export const OBLIGATION_STATES: readonly ObligationState[] = [
  '期限超過',
  '判定不能',
  '期限間近',
  '予定',
  '完了',
];

/** The one message for an obligation whose date cannot be known (never guessed). */
export const UNDETERMINABLE = '日付が未記載のため判定できません';

export type ObligationType =
  | 'annual-review'
  | 'five-year'
  | 'public-comment'
  | 'significant-change'
  | 'threshold-escalation'
  | 'review-reassessment'
  | 'review-correction'
  | 'publication-after-end';

export interface TransitionFacts {
  /** null: the status the version was added with (an import, not a step taken in the procedure). */
  from: ReviewStatus | null;
  to: ReviewStatus;
  /** ISO date-time. */
  at: string;
}

export interface VersionFacts {
  id: string;
  /** 1, 2, 3… */
  number: number;
  doc: JsonObject;
  /** The version's review status now (files: from the document's own `status`). */
  status: ReviewStatus;
  /** Oldest first; empty for documents read from files. */
  transitions?: readonly TransitionFacts[];
  /** ISO date-time the version was recorded (server), for LAST-MODIFIED. */
  createdAt?: string;
}

export interface ReviewFacts {
  /** The day of the 見直し (YYYY-MM-DD). */
  date: string;
  result: ReviewResult;
  note?: string | null;
  /** ISO date-time it was recorded. */
  at?: string;
}

export interface CheckRunFacts {
  id: string;
  versionId: string;
  /** ISO date-time of the run. */
  createdAt: string;
  /** Needed for the newest run only; older runs count for the revision number. */
  diagnostics?: readonly Diagnostic[];
}

export interface AssessmentHistory {
  id: string;
  title: string;
  orgId?: string | null;
  orgName?: string | null;
  /** Oldest first. */
  versions: readonly VersionFacts[];
  reviews?: readonly ReviewFacts[];
  checkRuns?: readonly CheckRunFacts[];
}

/** The 意見聴取 of a version, as far as it is known. */
export interface PublicCommentWindow {
  versionNumber: number;
  /** Where the dates come from: the procedure recorded on the server, or the period written in the 評価書. */
  source: '手続の記録' | '評価書の記載';
  start: string | null;
  /** The last day (recorded period) or the day the version left 意見聴取; null while it runs. */
  end: string | null;
  ongoing: boolean;
  /** Days from the start to the as-of date (ongoing) or the length counted both ends (finished). */
  daysElapsed: number | null;
  /** First day the procedure may move on; null when the start is unknown. */
  earliestNext: string | null;
  shortened: boolean;
  reason: string | null;
}

export interface Obligation {
  /** Stable across recomputation: `<assessmentId>/<type>` (+ `/v<n>` for a version's 意見聴取). */
  id: string;
  type: ObligationType;
  assessmentId: string;
  assessmentTitle: string;
  orgId: string | null;
  orgName: string | null;
  kind: ObligationKind;
  basis: string;
  title: string;
  /** ISO YYYY-MM-DD; null only when 判定不能. */
  dueDate: string | null;
  /** The same day in 和暦 (display). */
  dueDateWareki: string | null;
  /** dueDate − asOf in days (negative: overdue); null when 判定不能. */
  daysLeft: number | null;
  state: ObligationState;
  explanation: string;
  window?: PublicCommentWindow;
  /** For calendar feeds: SEQUENCE grows whenever the facts behind the date change; modifiedAt is when. */
  revision: { sequence: number; modifiedAt: string };
}

export interface DueOptions {
  /** The day "today" stands for (YYYY-MM-DD). Required: nothing here reads the clock. */
  asOf: string;
  /** Keep only obligations due within this many days (overdue and 判定不能 are always kept). */
  withinDays?: number;
  /** Keep 完了 obligations too. */
  includeCompleted?: boolean;
}

export interface DueReport {
  asOf: string;
  asOfWareki: string;
  obligations: Obligation[];
  summary: Record<ObligationState, number> & { total: number };
}
