// Registry of control evaluators: catalog id → evaluator. A test checks it matches
// schemas/control-catalog.yaml one to one.
import { accessLogRetained } from './access-log-retained.ts';
import { atRestEncrypted } from './at-rest-encrypted.ts';
import { backupRecent } from './backup-recent.ts';
import type { ControlEvaluator } from './control.ts';
import { dataInJapan } from './data-in-japan.ts';
import { individualNumberAccessRestricted } from './individual-number-access-restricted.ts';
import { mfaRequired } from './mfa-required.ts';
import { noInternetExposure } from './no-internet-exposure.ts';
import { passwordPolicy } from './password-policy.ts';
import { removableMediaBlocked } from './removable-media-blocked.ts';
import { staleAccountsDisabled } from './stale-accounts-disabled.ts';
import { transportEncrypted } from './transport-encrypted.ts';

export type { ControlEvaluator, ControlResult, ControlTarget } from './control.ts';

export const CONTROL_EVALUATORS: Readonly<Record<string, ControlEvaluator>> = {
  'mfa-required': mfaRequired,
  'individual-number-access-restricted': individualNumberAccessRestricted,
  'access-log-retained': accessLogRetained,
  'transport-encrypted': transportEncrypted,
  'at-rest-encrypted': atRestEncrypted,
  'no-internet-exposure': noInternetExposure,
  'removable-media-blocked': removableMediaBlocked,
  'stale-accounts-disabled': staleAccountsDisabled,
  'backup-recent': backupRecent,
  'data-in-japan': dataInJapan,
  'password-policy': passwordPolicy,
};
