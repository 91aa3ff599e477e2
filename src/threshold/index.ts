// threshold/: しきい値判断 — which assessments the law requires, and whether a document's recorded
// result agrees with its own 対象人数 (and 取扱者数/重大事故 in a 基礎項目評価書).
export {
  decideThreshold,
  explainThreshold,
  handlersBandLabel,
  highestAssessment,
  isPossibleRequirement,
  joinAssessments,
  personsBandIndex,
  personsBandLabel,
  possibleRequirements,
  type ThresholdDecision,
  type ThresholdInput,
} from './decide.ts';
export { checkThresholdResult, type ThresholdFinding } from './document-check.ts';
export {
  ASSESSMENTS,
  DECISION_TABLE,
  FORM_PATHS,
  HANDLERS_THRESHOLD,
  PERSONS_BANDS,
  RESULT_CHOICE_MEANING,
  type Assessment,
} from './table.ts';
