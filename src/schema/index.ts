// schema/: the one Ajv instance, the form registry, and everything read from the schemas (labels, ※,
// 選択肢). Validation against a form returns Diagnostics in our own words.
import type { Diagnostic, Json } from '../types.ts';
import { ajvErrorsToDiagnostics } from './ajv-diagnostics.ts';
import { FILLED_KEYWORD, filledErrorPointer } from './filled-keyword.ts';
import { pick, type Lang } from './lang.ts';
import { formatLabelPath, labelPath, type FormRef } from './navigate.ts';
import { getRegistry, type FormInfo, type SchemaRegistry } from './registry.ts';

export { createAjv } from './ajv.ts';
export { FILLED_KEYWORD, isBlankValue } from './filled-keyword.ts';
export { ajvErrorsToDiagnostics, listChoices, warekiToIso } from './ajv-diagnostics.ts';
export { LANGS, pick, type Lang } from './lang.ts';
export {
  containsSignificant,
  defNameAt,
  deref,
  formatLabelPath,
  formRoot,
  isSignificant,
  LABEL_SEPARATOR,
  labelPath,
  listItems,
  resolveSchemaAt,
  type FormItem,
  type FormRef,
  type Resolved,
  type ResolvedNode,
} from './navigate.ts';
export { getRegistry, SchemaRegistry, type FormInfo, type SchemaNode } from './registry.ts';
export { levenshtein, suggestNearest } from './suggest.ts';
export { VENDOR_KEYWORDS, X_KINDS, type XKind } from './vendor-keywords.ts';

/** The form a document declares (by `form` + `formVersion`), or undefined. */
export function findForm(
  doc: { [k: string]: Json } | undefined,
  registry: SchemaRegistry = getRegistry(),
): FormInfo | undefined {
  if (!doc) return undefined;
  return registry.findForm(doc.form, doc.formVersion);
}

/** Longest text of a value quoted in a message. */
const MAX_QUOTED = 80;

/**
 * A value from a document, as message text. Never String() on an object: a document may hold
 * `{"toString": false}`, and String() of that throws (found by test/property).
 */
function describeValue(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v).slice(0, MAX_QUOTED);
  let text: string | undefined;
  try {
    text = JSON.stringify(v);
  } catch {
    text = undefined;
  }
  return (text ?? (Array.isArray(v) ? '[…]' : '{…}')).slice(0, MAX_QUOTED);
}
/** The finding for a document whose form/version we have no schema for, listing the supported ones. */
export function unknownFormDiagnostic(
  doc: { [k: string]: Json },
  lang: Lang = 'ja',
  registry: SchemaRegistry = getRegistry(),
): Diagnostic {
  const supported = registry
    .forms()
    .map((f) => `${f.form} (${f.formVersion})`)
    .join(pick(lang, '、', ', '));
  const form = doc.form;
  const version = doc.formVersion;
  const known = registry.forms().some((f) => f.form === form);
  let message: string;
  if (form === undefined || form === null) {
    message = pick(
      lang,
      `様式 (form) が記載されていません。対応している様式: ${supported}`,
      `The form (form) is missing. Supported forms: ${supported}`,
    );
  } else if (!known) {
    message = pick(
      lang,
      `様式『${describeValue(form)}』には対応していません。対応している様式: ${supported}`,
      `Unsupported form "${describeValue(form)}". Supported forms: ${supported}`,
    );
  } else {
    message = pick(
      lang,
      `様式『${describeValue(form)}』の版『${describeValue(version ?? '')}』には対応していません。対応している様式: ${supported}`,
      `Unsupported version "${describeValue(version ?? '')}" of "${describeValue(form)}". Supported forms: ${supported}`,
    );
  }
  return { code: 'schema/unknown-form', severity: 'error', message, path: known ? '/formVersion' : '/form' };
}

export interface SchemaResult {
  /** Schema findings in our wording (no source/line; the engine adds them). */
  diagnostics: Diagnostic[];
  /** Pointers of required items that are missing or blank (未記載 candidates for completeness). */
  blank: string[];
}

/** One Ajv run of `data` against a form: schema findings, and the blank required items. */
export function runSchema(form: FormRef, data: unknown, lang: Lang = 'ja'): SchemaResult {
  const { registry, key } = typeof form === 'string' ? { registry: getRegistry(), key: form } : form;
  const validate = registry.validator(key);
  if (validate(data)) return { diagnostics: [], blank: [] };
  const errors = validate.errors ?? [];
  const blank: string[] = [];
  for (const e of errors) if (e.keyword === FILLED_KEYWORD) blank.push(filledErrorPointer(e));
  return { diagnostics: ajvErrorsToDiagnostics(errors, { form, lang }), blank };
}

/** Ajv validation of `data` against a form, as Diagnostics (no source/line; the engine adds them). */
export function validateAgainstSchema(form: FormRef, data: unknown, lang: Lang = 'ja'): Diagnostic[] {
  return runSchema(form, data, lang).diagnostics;
}

/** Label path of `pointer` joined with ' › '. */
export function labelOf(form: FormRef, pointer: string): string {
  return formatLabelPath(labelPath(form, pointer));
}
export { SCHEMA_CODES } from './codes.ts';
