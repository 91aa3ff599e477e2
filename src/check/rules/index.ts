// The registry of drift rules: id (= file name, code `check/<id>`) → rule. Order is irrelevant to output
// (findings are sorted); it is the order the README lists them in.
import type { CheckRule } from '../context.ts';
import { attestationExpired } from './attestation-expired.ts';
import { controlUnverifiable } from './control-unverifiable.ts';
import { controlViolated } from './control-violated.ts';
import { declaredConnectionAbsent } from './declared-connection-absent.ts';
import { declaredContractorAbsent } from './declared-contractor-absent.ts';
import { declaredSystemAbsent } from './declared-system-absent.ts';
import { handlersOutOfBand } from './handlers-out-of-band.ts';
import { incidentUndeclared } from './incident-undeclared.ts';
import { invalidControlParams } from './invalid-control-params.ts';
import { personsOutOfBand } from './persons-out-of-band.ts';
import { retentionMismatch } from './retention-mismatch.ts';
import { subcontractorUnapproved } from './subcontractor-unapproved.ts';
import { thresholdEscalation } from './threshold-escalation.ts';
import { undeclaredConnection } from './undeclared-connection.ts';
import { undeclaredContractor } from './undeclared-contractor.ts';
import { undeclaredProvision } from './undeclared-provision.ts';
import { undeclaredRecordItem } from './undeclared-record-item.ts';
import { undeclaredSubcontractor } from './undeclared-subcontractor.ts';
import { undeclaredSystem } from './undeclared-system.ts';
import { unknownControl } from './unknown-control.ts';
import { usersOutOfBand } from './users-out-of-band.ts';

export const CHECK_RULES: Readonly<Record<string, CheckRule>> = {
  'undeclared-system': undeclaredSystem,
  'declared-system-absent': declaredSystemAbsent,
  'undeclared-connection': undeclaredConnection,
  'declared-connection-absent': declaredConnectionAbsent,
  'undeclared-contractor': undeclaredContractor,
  'declared-contractor-absent': declaredContractorAbsent,
  'undeclared-subcontractor': undeclaredSubcontractor,
  'subcontractor-unapproved': subcontractorUnapproved,
  'persons-out-of-band': personsOutOfBand,
  'users-out-of-band': usersOutOfBand,
  'handlers-out-of-band': handlersOutOfBand,
  'threshold-escalation': thresholdEscalation,
  'incident-undeclared': incidentUndeclared,
  'retention-mismatch': retentionMismatch,
  'undeclared-record-item': undeclaredRecordItem,
  'undeclared-provision': undeclaredProvision,
  'control-violated': controlViolated,
  'control-unverifiable': controlUnverifiable,
  'unknown-control': unknownControl,
  'invalid-control-params': invalidControlParams,
  'attestation-expired': attestationExpired,
};
