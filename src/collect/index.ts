// collect: real sources → live snapshot (schemas/live-snapshot.schema.json) with provenance for every fact.
export { collectTerraform, SUPPORTED_TYPES, SYSTEM_TAG } from './terraform/index.ts';
export { collectPostgres, assertNoPasswordInUrl, SERVER_SETTINGS } from './postgres/index.ts';
export { collectAccounts, decodeAccountFile } from './accounts/index.ts';
export { mergeSnapshots, type MergeInput } from './merge.ts';
export { checkPlanFiles, planSnapshot, PLAN_ONLY_SILENT } from './plan-gate.ts';
export { readMapping, type CollectMapping } from './mapping.ts';
export { redactUrl, scrubSecrets, nowIso, type Provenance, type Unattributed } from './provenance.ts';
export { validateCollected } from './validate.ts';
