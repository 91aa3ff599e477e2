// calendar/: the statutory calendar of an assessment — yearly 見直し, 5-year 再実施, the 意見聴取 window,
// re-assessments a check run or a 見直し calls for, the publication period after the 事務 ends — as dated
// obligations judged on an explicit as-of day, and as an iCalendar feed. Pure: no store, no files, no clock.
export {
  listDue,
  compareObligations,
  sortObligations,
  keepObligation,
  summarise,
  nextPerAssessment,
} from './due.ts';
export { computeObligations, publicCommentWindow, stateOn } from './obligations.ts';
export { historyFromDocuments, statusOfDocument } from './documents.ts';
export { readDocumentDates, classifyPublications, titleOf, POINTERS } from './facts.ts';
export { addDays, addYears, daysBetween, isIsoDate, jstDay, parseSpan, wareki } from './dates.ts';
export { toIcs, eventUid, UID_DOMAIN, type IcsOptions } from './ics.ts';
export { formatDueText, formatDueMarkdown, formatDueJson, summaryLine } from './format.ts';
export { RULES, PUBLICATION_RESETS, type ObligationKind, type PublicationKind } from './rules.ts';
export { PUBLIC_COMMENT_MIN_DAYS } from './constants.ts';
export {
  UNDETERMINABLE,
  OBLIGATION_STATES,
  type AssessmentHistory,
  type CheckRunFacts,
  type DueOptions,
  type DueReport,
  type Obligation,
  type ObligationState,
  type ObligationType,
  type PublicCommentWindow,
  type ReviewFacts,
  type TransitionFacts,
  type VersionFacts,
} from './types.ts';
