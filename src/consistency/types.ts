// The contract of a consistency rule: it reads the document and returns findings. It never sets code,
// severity or source — the engine adds them from the registry entry (a finding may lower or raise its
// severity only when the rule's description says so).
import type { FormRef } from '../schema/navigate.ts';
import type { Lang } from '../schema/lang.ts';
import type { FormId, JsonObject, Severity } from '../types.ts';
import type { Applicability } from './applicable.ts';

export interface Finding {
  /** JSON Pointer of the item the finding is about. */
  path: string;
  message: string;
  /** Other items involved (e.g. the deciding 選択肢). */
  related?: { path: string }[];
  /** Overrides the rule's default severity (documented per rule). */
  severity?: Severity;
}

export interface RuleContext {
  doc: JsonObject;
  form: FormRef;
  formId: FormId;
  lang: Lang;
  applicability: Applicability;
}

export interface ConsistencyRule {
  /** Default severity of the rule's findings. */
  severity: Severity;
  /** The forms the rule applies to. */
  forms: readonly FormId[];
  description: { ja: string; en: string };
  check(ctx: RuleContext): Finding[];
}
