// The consistency rules, by id. The id is the file name under rules/ and the Diagnostic code is
// `consistency/<id>`. Add a rule: one file in rules/, one line here.
import type { ConsistencyRule } from './types.ts';
import { deceasedBlank } from './rules/deceased-blank.ts';
import { entrustCount } from './rules/entrust-count.ts';
import { entrustFlag } from './rules/entrust-flag.ts';
import { entrustItems } from './rules/entrust-items.ts';
import { fileNames } from './rules/file-names.ts';
import { incidentBlank } from './rules/incident-blank.ts';
import { linkageBasis } from './rules/linkage-basis.ts';
import { multiDetail } from './rules/multi-detail.ts';
import { networkBlank } from './rules/network-blank.ts';
import { notApplicableFilled } from './rules/not-applicable-filled.ts';
import { provisionBlank } from './rules/provision-blank.ts';
import { provisionCount } from './rules/provision-count.ts';
import { subcontractAssurance } from './rules/subcontract-assurance.ts';
import { subcontractBlank } from './rules/subcontract-blank.ts';
import { thresholdResult } from './rules/threshold-result.ts';

export const CONSISTENCY_RULES: Readonly<Record<string, ConsistencyRule>> = {
  'deceased-blank': deceasedBlank,
  'entrust-count': entrustCount,
  'entrust-flag': entrustFlag,
  'entrust-items': entrustItems,
  'file-names': fileNames,
  'incident-blank': incidentBlank,
  'linkage-basis': linkageBasis,
  'multi-detail': multiDetail,
  'network-blank': networkBlank,
  'not-applicable-filled': notApplicableFilled,
  'provision-blank': provisionBlank,
  'provision-count': provisionCount,
  'subcontract-assurance': subcontractAssurance,
  'subcontract-blank': subcontractBlank,
  'threshold-result': thresholdResult,
};
