// Shared pieces of the rules: reading values, quoting labels from the schema, and the generic
// "filled although it does not apply" check over the applicability table.
import { formatLabelPath, labelPath, type FormRef } from '../schema/navigate.ts';
import { pick, type Lang } from '../schema/lang.ts';
import type { RuleContext, Finding } from './types.ts';
import type { ApplicabilityHit } from './applicable.ts';
import { isBlankOrDash } from './blank.ts';
import { getAtPointer as fastGet } from '../pointer.ts';

export const at = (doc: unknown, pointer: string): unknown => fastGet(doc, pointer);

const hasOwn = Object.prototype.hasOwnProperty;

// One step of getAtPointer on a value already in hand. The rules run on every validation and mostly find
// nothing, so they read the document through these instead of building a pointer string and parsing it
// back; a pointer is built only for a finding.

/** The member `key` of a mapping (own properties only), or undefined. */
export function prop(v: unknown, key: string): unknown {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && hasOwn.call(v, key)
    ? (v as Record<string, unknown>)[key]
    : undefined;
}

/** Entry `i` of a list — or, as getAtPointer reads `/…/i`, the member "i" of a mapping. */
export function entry(v: unknown, i: number): unknown {
  if (Array.isArray(v)) return v[i];
  return prop(v, String(i));
}

/** The last label of an item (「委託の有無」), falling back to the whole path. */
export function shortLabel(form: FormRef, pointer: string): string {
  const l = labelPath(form, pointer);
  return l.at(-1) ?? formatLabelPath(l);
}

export function fullLabel(form: FormRef, pointer: string): string {
  return formatLabelPath(labelPath(form, pointer));
}

/** 「委託の有無が『委託しない』」 / 「『委託しない』にチェックがある」 — the condition, in the form's words. */
export function describeDecision(ctx: RuleContext, hit: ApplicabilityHit): string {
  const label = shortLabel(ctx.form, hit.decidePointer);
  const lang = ctx.lang;
  if (hit.value === true) return pick(lang, `「${label}」にチェックがある`, `"${label}" is checked`);
  if (typeof hit.value === 'string')
    return pick(lang, `「${label}」が『${hit.value}』である`, `"${label}" is "${hit.value}"`);
  const cond = hit.row.notApplicable;
  if ('lacks' in cond)
    return pick(
      lang,
      `「${label}」で『${cond.lacks}』が選ばれていない`,
      `"${label}" does not include "${cond.lacks}"`,
    );
  return pick(lang, `「${label}」の記載`, `"${label}"`);
}

/** Findings for items that are filled although the table says they do not apply (rows owned by `rule`). */
export function filledButNotApplicable(ctx: RuleContext, rule: string): Finding[] {
  const out: Finding[] = [];
  for (const hit of ctx.applicability.notApplicableFor(rule)) {
    for (let i = 0; i < hit.items.length; i++) {
      if (isBlankOrDash(hit.itemValues[i])) continue;
      const p = hit.items[i];
      out.push({
        path: p,
        related: [{ path: hit.decidePointer }],
        message: pick(
          ctx.lang,
          `${describeDecision(ctx, hit)}ため、「${shortLabel(ctx.form, p)}」は記載しません (記載があります)`,
          `${describeDecision(ctx, hit)}, so "${shortLabel(ctx.form, p)}" must be left blank (it is filled in)`,
        ),
      });
    }
  }
  return out;
}

const NONE: readonly unknown[] = Object.freeze([]);

/** The list at `pointer`, or an empty one (shared: do not modify). */
export function arrayAt(doc: unknown, pointer: string): readonly unknown[] {
  const v = at(doc, pointer);
  return Array.isArray(v) ? v : NONE;
}

/** `prop(v, key)` when it is a list, or an empty one (shared: do not modify). */
export function listOf(v: unknown, key: string): readonly unknown[] {
  const l = prop(v, key);
  return Array.isArray(l) ? l : NONE;
}

export function choicesOf(v: unknown): string[] {
  return Array.isArray(v)
    ? v
        .map((e) => (e && typeof e === 'object' ? (e as { choice?: unknown }).choice : undefined))
        .filter((c): c is string => typeof c === 'string')
    : [];
}

export function langPick(lang: Lang, ja: string, en: string): string {
  return pick(lang, ja, en);
}
