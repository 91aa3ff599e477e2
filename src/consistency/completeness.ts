// 未記載: a required item that is missing, or present but blank. Required = the schema's `required`,
// minus the items that do not apply, plus the items the applicability table makes required (委託する →
// 委託件数, 再委託する → 許諾方法, …). Severity follows the document's status: a draft (素案・案) gets
// warnings, anything else (提出・公表, or no valid status) errors.
import { getAtPointer } from '../pointer.ts';
import { deref, formatLabelPath, formRoot, labelPath, type FormRef, type Resolved } from '../schema/navigate.ts';
import type { SchemaRegistry } from '../schema/registry.ts';
import { pick, type Lang } from '../schema/lang.ts';
import { DRAFT_STATUSES, type Diagnostic, type DocumentStatus, type Severity } from '../types.ts';
import type { Applicability } from './applicable.ts';
import { isBlank } from './blank.ts';

interface Plan {
  resolved: Resolved;
  required: readonly string[];
  leaf: boolean;
  children: Map<string, Plan | null>;
  items: Plan | null | undefined;
}

const plans = new WeakMap<SchemaRegistry, Map<string, Plan>>();

function makePlan(resolved: Resolved): Plan {
  const n = resolved.node;
  return {
    resolved,
    required: Array.isArray(n.required) ? n.required : [],
    leaf: !!n['x-kind'] || (!n.properties && !(n.items && typeof n.items === 'object')),
    children: new Map(),
    items: undefined,
  };
}

function childPlan(registry: SchemaRegistry, plan: Plan, key: string): Plan | null {
  let c = plan.children.get(key);
  if (c === undefined) {
    const props = plan.resolved.node.properties;
    c = props && Object.prototype.hasOwnProperty.call(props, key) ? makePlan(deref(registry, props[key], plan.resolved.base)) : null;
    plan.children.set(key, c);
  }
  return c;
}

function itemsPlan(registry: SchemaRegistry, plan: Plan): Plan | null {
  if (plan.items === undefined) {
    const items = plan.resolved.node.items;
    plan.items = items && typeof items === 'object' ? makePlan(deref(registry, items, plan.resolved.base)) : null;
  }
  return plan.items;
}

export function completenessSeverity(status: unknown): Severity {
  return DRAFT_STATUSES.includes(status as DocumentStatus) ? 'warning' : 'error';
}

export function missingMessage(label: string, lang: Lang): string {
  return pick(lang, `未記載です: ${label}`, `Not filled in: ${label}`);
}

export function checkCompleteness(doc: unknown, form: FormRef, applicability: Applicability, lang: Lang = 'ja'): Diagnostic[] {
  const { registry, key, root } = formRoot(form);
  let byKey = plans.get(registry);
  if (!byKey) plans.set(registry, (byKey = new Map()));
  let rootPlan = byKey.get(key);
  if (!rootPlan) byKey.set(key, (rootPlan = makePlan(root)));

  const severity = completenessSeverity((doc as { status?: unknown } | null)?.status);
  const missing: string[] = [];
  const reported = new Set<string>();
  const report = (p: string) => {
    if (!reported.has(p)) {
      reported.add(p);
      missing.push(p);
    }
  };

  const walk = (value: unknown, plan: Plan, pointer: string): void => {
    if (plan.leaf || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      const ip = itemsPlan(registry, plan);
      if (!ip) return;
      for (let i = 0; i < value.length; i++) {
        const p = `${pointer}/${i}`;
        if (applicability.isNotApplicable(p)) continue;
        const v = value[i];
        // A placeholder entry (`{}` for a block whose page is missing) is one 未記載, not one per field.
        if (ip.required.length > 0 && isBlank(v)) report(p);
        else walk(v, ip, p);
      }
      return;
    }
    const obj = value as Record<string, unknown>;
    for (const k of plan.required) {
      const p = `${pointer}/${escape(k)}`;
      if (applicability.isNotApplicable(p)) continue;
      const v = Object.prototype.hasOwnProperty.call(obj, k) ? obj[k] : undefined;
      if (isBlank(v)) report(p);
    }
    for (const k in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
      const v = obj[k];
      if (v === null || typeof v !== 'object') continue;
      const p = `${pointer}/${escape(k)}`;
      if (reported.has(p) || applicability.isNotApplicable(p)) continue;
      const cp = childPlan(registry, plan, k);
      if (cp) walk(v, cp, p);
    }
  };
  walk(doc, rootPlan, '');

  for (const hit of applicability.required) {
    for (const p of hit.items) {
      if (!reported.has(p) && isBlank(getAtPointer(doc, p))) report(p);
    }
  }

  // Parts the source document lacks (sourceGaps) are reported once each, at the same severity as 未記載,
  // instead of one 未記載 per item inside them.
  const gaps = readSourceGaps(doc);
  const inGap = (p: string) => gaps.some((g) => p === g.path || p.startsWith(g.path + '/'));
  const out: Diagnostic[] = gaps.map((g) => {
    const label = formatLabelPath(labelPath(form, g.path));
    return {
      code: 'completeness/source-gap',
      severity,
      message: pick(lang, `元資料に欠落があります: ${label || g.path}${g.note ? ` (${g.note})` : ''}`, `Missing in the source: ${label || g.path}${g.note ? ` (${g.note})` : ''}`),
      path: g.path,
      label,
    };
  });
  for (const p of missing) {
    if (inGap(p)) continue;
    const label = formatLabelPath(labelPath(form, p));
    out.push({ code: 'completeness/missing', severity, message: missingMessage(label, lang), path: p, label });
  }
  return out;
}

/** `sourceGaps: [{path, note}]` entries with a usable pointer (the schema reports malformed ones). */
function readSourceGaps(doc: unknown): { path: string; note: string }[] {
  const list = (doc as { sourceGaps?: unknown } | null)?.sourceGaps;
  if (!Array.isArray(list)) return [];
  return list
    .filter((g): g is { path: string; note?: unknown } => !!g && typeof g === 'object' && typeof (g as { path?: unknown }).path === 'string')
    .filter((g) => /^(\/[^/]*)+$/.test(g.path))
    .map((g) => ({ path: g.path, note: typeof g.note === 'string' ? g.note : '' }));
}

function escape(k: string): string {
  return k.includes('~') || k.includes('/') ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k;
}
