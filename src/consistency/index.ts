// consistency/: cross-item rules of the forms, the applicability table, and completeness (未記載).
import { formatLabelPath, labelPath, type FormRef } from '../schema/navigate.ts';
import type { Lang } from '../schema/lang.ts';
import type { Diagnostic, FormId, JsonObject } from '../types.ts';
import type { ConsistencyRule } from './types.ts';
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

interface FormRule {
  id: string;
  code: string;
  rule: ConsistencyRule;
}

const rulesByForm = new Map<FormId, FormRule[]>();

/** The rules of a form, in registry order (computed once per form). */
function rulesOf(formId: FormId): FormRule[] {
  let list = rulesByForm.get(formId);
  if (!list) {
    list = Object.entries(CONSISTENCY_RULES)
      .filter(([, rule]) => rule.forms.includes(formId))
      .map(([id, rule]) => ({ id, code: `consistency/${id}`, rule }));
    rulesByForm.set(formId, list);
  }
  return list;
}

/** Every applicable rule's findings as Diagnostics (code `consistency/<id>`, severity from the registry). */
export function runConsistencyRules(doc: JsonObject, opts: ConsistencyOptions): Diagnostic[] {
  const lang = opts.lang ?? 'ja';
  const applicability = opts.applicability ?? evaluateApplicability(doc, opts.formId);
  const ctx = { doc, form: opts.form, formId: opts.formId, lang, applicability };
  const out: Diagnostic[] = [];
  for (const { id, code, rule } of rulesOf(opts.formId)) {
    if (opts.only && !opts.only.includes(id)) continue;
    const findings = rule.check(ctx);
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i];
      out.push({
        code,
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
  const missing = checkCompleteness(doc, opts.form, applicability, opts.lang ?? 'ja', opts.blank);
  const rules = runConsistencyRules(doc, { ...opts, applicability });
  if (missing.length === 0) return rules;
  return rules.length === 0 ? missing : missing.concat(rules);
}
