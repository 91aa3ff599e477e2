// consistency/: cross-item rules of the forms, the applicability table, and completeness (未記載).
import { formatLabelPath, labelPath, type FormRef } from '../schema/navigate.ts';
import type { Lang } from '../schema/lang.ts';
import type { Diagnostic, FormId, JsonObject } from '../types.ts';
import { evaluateApplicability, type Applicability } from './applicable.ts';
import { checkCompleteness } from './completeness.ts';
import { CONSISTENCY_RULES } from './registry.ts';

export { APPLICABILITY, type ApplicabilityRow, type Condition } from './applicability.ts';
export {
  evaluateApplicability,
  expandPattern,
  testCondition,
  type Applicability,
  type ApplicabilityHit,
} from './applicable.ts';
export { isBlank, isBlankOrDash } from './blank.ts';
export { checkCompleteness, completenessSeverity } from './completeness.ts';
export { CONSISTENCY_RULES } from './registry.ts';
export type { ConsistencyRule, Finding, RuleContext } from './types.ts';

export interface ConsistencyOptions {
  form: FormRef;
  formId: FormId;
  lang?: Lang;
  /** Run only these rule ids (tests). */
  only?: readonly string[];
  applicability?: Applicability;
}

/** Every applicable rule's findings as Diagnostics (code `consistency/<id>`, severity from the registry). */
export function runConsistencyRules(doc: JsonObject, opts: ConsistencyOptions): Diagnostic[] {
  const lang = opts.lang ?? 'ja';
  const applicability = opts.applicability ?? evaluateApplicability(doc, opts.formId);
  const ctx = { doc, form: opts.form, formId: opts.formId, lang, applicability };
  const out: Diagnostic[] = [];
  for (const [id, rule] of Object.entries(CONSISTENCY_RULES)) {
    if (!rule.forms.includes(opts.formId)) continue;
    if (opts.only && !opts.only.includes(id)) continue;
    for (const f of rule.check(ctx)) {
      out.push({
        code: `consistency/${id}`,
        severity: f.severity ?? rule.severity,
        message: f.message,
        path: f.path,
        label: formatLabelPath(labelPath(opts.form, f.path)),
        ...(f.related ? { related: f.related.map((r) => ({ path: r.path })) } : {}),
      });
    }
  }
  return out;
}

/**
 * Completeness and consistency together (they share one evaluation of the applicability table).
 * `blank`: the blank required items from the schema run, when the caller already validated.
 */
export function checkDocumentRules(
  doc: JsonObject,
  opts: ConsistencyOptions & { blank?: readonly string[] },
): Diagnostic[] {
  const applicability = opts.applicability ?? evaluateApplicability(doc, opts.formId);
  return [
    ...checkCompleteness(doc, opts.form, applicability, opts.lang ?? 'ja', opts.blank),
    ...runConsistencyRules(doc, { ...opts, applicability }),
  ];
}
