// check/: the live snapshot against the 評価書 — drift findings with their legal consequence.
// Drivers call checkFiles (paths) or checkAssessment (loaded documents); a server that checks many snapshots
// against one version prepares the 評価書 once (prepareAssessment) and calls checkPrepared per snapshot.
// Formatters take the Diagnostics.
export {
  checkAssessment,
  checkFiles,
  checkPrepared,
  describeCheckRules,
  summarizeCheck,
  type CheckFilesOptions,
  type CheckInput,
  type CheckPreparedOptions,
  type CheckResult,
  type CheckSummary,
} from './run.ts';
export {
  prepareAssessment,
  type DeclaredIndex,
  type PreparedAssessment,
  type PreparedBinding,
  type PrepareOptions,
} from './prepare.ts';
export { loadSnapshotText, type SnapshotDocument } from './fast-json.ts';
export { CHECK_RULES } from './rules/index.ts';
export { CONTROL_EVALUATORS } from './controls/index.ts';
export {
  getCatalog,
  parseCatalog,
  resolveParams,
  CATALOG_PATH,
  type ControlCatalog,
  type ControlSpec,
  type ControlParamSpec,
} from './catalog.ts';
export { validateSnapshot, validateWaiverFile, snapshotLabel, SNAPSHOT_SCHEMA_ID } from './snapshot.ts';
export { applyWaivers, readWaivers, WAIVER_CODES, type LoadedWaiver } from './waivers.ts';
export { toSarifView } from './sarif-view.ts';
export type { CheckRule, CheckContext, RuleFinding } from './context.ts';
export type { Snapshot, Waiver, WaiverFile } from './snapshot-types.ts';
