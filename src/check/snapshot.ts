// Validating a live snapshot (and a waiver file) against schemas/live-snapshot.schema.json, with messages
// in our own words. The form-bound converter of schema/ cannot serve here: it labels pointers by a form and
// leaves `required` to the form's completeness report, while a snapshot missing `asOf` is simply invalid.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describeJsonType } from '../load/messages.ts';
import { appendPointer, parsePointer } from '../pointer.ts';
import { listChoices } from '../schema/ajv-diagnostics.ts';
import { filledKeyword, withFilledKeyword } from '../schema/filled-keyword.ts';
import { VENDOR_KEYWORDS } from '../schema/vendor-keywords.ts';
import { deref } from '../schema/navigate.ts';
import { pick, type Lang } from '../schema/lang.ts';
import { getRegistry, type SchemaNode } from '../schema/registry.ts';
import { suggestNearest } from '../schema/suggest.ts';
import { InternalError } from '../errors.ts';
import type { Diagnostic } from '../types.ts';
import { isFullDate } from './full-date.ts';
import { isDocumentDate } from '../schema/ajv.ts';
import { describeDateProblem, parseUserDate } from '../load/user-dates.ts';

export { isFullDate };

export const SNAPSHOT_SCHEMA_ID = 'live-snapshot.schema.json';
export const WAIVER_SCHEMA_REF = `${SNAPSHOT_SCHEMA_ID}#/$defs/waiverFile`;

/** The snapshot schema compiled as written, under its own $id (see validatorFor). */
const RAW_ID = 'live-snapshot.as-written.json';
let rawAdded = false;

/**
 * Validators of the snapshot schema (or a fragment of it, e.g. the waiver file). The registry gives Ajv a
 * copy of every schema with the forms' 未記載 keyword, which a snapshot does not need and which costs more
 * than the validation itself on 10,000 accounts; so the schema is compiled once as written, in the same Ajv
 * instance, next to the registry's copy. Only defs.schema.json (referenced for 選択肢) must be in Ajv first.
 */
function validatorFor(ref: string) {
  const registry = getRegistry();
  if (!rawAdded) {
    // The registry adds schemas lazily and exposes that only for forms (validator(formKey)); until it offers
    // a public way for other schemas (reported to its owner), call the method it uses, so defs.schema.json
    // is added exactly once whoever needs it first. Without that method, compiling any form adds it too.
    const ensure = (registry as unknown as { ensureAdded?: (id: string) => void }).ensureAdded;
    if (typeof ensure === 'function') ensure.call(registry, 'defs.schema.json');
    else if (!registry.ajv.getSchema('defs.schema.json') && registry.forms()[0])
      registry.validator(registry.forms()[0].key);
    const schema = registry.schema(SNAPSHOT_SCHEMA_ID);
    if (!schema)
      throw new InternalError(
        `スキーマ ${SNAPSHOT_SCHEMA_ID} がありません (npx tsx scripts/build-schemas.ts を実行してください)`,
      );
    registry.ajv.addSchema(Object.assign({}, schema, { $id: RAW_ID }));
    rawAdded = true;
  }
  const v = registry.ajv.getSchema(ref.replace(SNAPSHOT_SCHEMA_ID, RAW_ID));
  if (!v) throw new InternalError(`スキーマ ${ref} をコンパイルできません`);
  return v;
}

/** Whether any schema node below (not in enum/const values, nor a property name) satisfies `test`. */
function anyKeyword(test: (keyword: string, value: unknown) => boolean, ...schemas: unknown[]): boolean {
  const walk = (n: unknown): boolean => {
    if (Array.isArray(n)) return n.some(walk);
    if (!n || typeof n !== 'object') return false;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'enum' || k === 'const') continue;
      if (k === 'properties' || k === '$defs' || k === 'patternProperties') {
        // Names here are property or definition names (a property may be called minLength).
        if (v && typeof v === 'object' && Object.values(v).some(walk)) return true;
        continue;
      }
      if (test(k, v) || walk(v)) return true;
    }
    return false;
  };
  return schemas.some(walk);
}

/**
 * `additionalProperties: false` over more than 8 properties compiles (Ajv's fixed threshold) to a
 * hasOwnProperty call for every key of every object; `propertyNames` with an enum of exactly those
 * property names decides the same (with no patternProperties beside it, a key is additional exactly when
 * it is not one of them) and compiles to string comparisons. On the API bench's snapshot (200 accounts of
 * 10 properties) the calls were ~6 of the ~17 µs of validation. The fast validator only.
 */
function closeByName(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeByName);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node))
    out[k] = k === 'enum' || k === 'const' || k === 'default' || k === 'examples' ? v : closeByName(v);
  const props = out.properties;
  if (
    out.additionalProperties === false &&
    props &&
    typeof props === 'object' &&
    !Array.isArray(props) &&
    Object.keys(props).length > 8 &&
    out.patternProperties === undefined &&
    out.propertyNames === undefined
  ) {
    delete out.additionalProperties;
    out.propertyNames = { enum: Object.keys(props) };
  }
  return out;
}

let fastAjv: Ajv2020 | undefined;
const fastValidators = new Map<string, ValidateFunction>();

/**
 * The fast path of validation: the same schemas (as the full validator sees them: the snapshot schema as
 * written, defs.schema.json with the 未記載 keyword) in an Ajv of its own that stops at the first error and
 * keeps no data in errors. The full instance (allErrors, verbose) allocates error objects even for a valid
 * snapshot (every failed anyOf branch) and visits everything; on the API's hot path (a CI snapshot per
 * request) that garbage was a third of the bytes allocated per request. Only when this says "invalid" does
 * the full validator run, for the messages. test/check/snapshot-fast.test.ts holds the two to the same
 * decisions.
 */
function fastValidatorFor(ref: string): ValidateFunction {
  let v = fastValidators.get(ref);
  if (v) return v;
  const registry = getRegistry();
  if (!fastAjv) {
    const snapshot = registry.schema(SNAPSHOT_SCHEMA_ID);
    const defs = registry.schema('defs.schema.json');
    if (!snapshot || !defs)
      throw new InternalError(
        `スキーマ ${SNAPSHOT_SCHEMA_ID} がありません (npx tsx scripts/build-schemas.ts を実行してください)`,
      );
    const ajv = new Ajv2020({
      allErrors: false,
      verbose: false,
      strict: true,
      strictTypes: false,
      strictRequired: false,
      allowUnionTypes: true,
      // With every length limit ≤ 1, UTF-16 units and code points decide alike (no ucs2length call).
      unicode: anyKeyword(
        (k, v) => (k === 'maxLength' || k === 'minLength') && !(typeof v === 'number' && v <= 1),
        snapshot,
        defs,
      ),
      // Only whether the snapshot is valid matters here; the full validator says why.
      messages: false,
      // Ajv 8 calls `unicode` deprecated (it still honours it); that notice is not for our users.
      logger: {
        log: (...a: unknown[]) => console.log(...a),
        warn: (...a: unknown[]) => {
          if (!String(a[0]).startsWith('DEPRECATED: option unicode')) console.warn(...a);
        },
        error: (...a: unknown[]) => console.error(...a),
      },
    });
    // Ajv2020 always tracks evaluated properties for unevaluated*, which makes an anyOf run every branch
    // (and allocate an error object for each failing one: on every account's lastLogin). These schemas
    // have no unevaluated* keyword, so without the tracking the validator decides the same.
    if (!anyKeyword((k) => k.startsWith('unevaluated'), snapshot, defs))
      (ajv.opts as { unevaluated?: boolean }).unevaluated = false;
    // The same `date` as the full validator (schema/ajv.ts): the two must decide alike.
    ajv.addFormat('date', isDocumentDate);
    for (const kw of VENDOR_KEYWORDS) ajv.addKeyword(kw);
    ajv.addKeyword(filledKeyword);
    ajv.addSchema(closeByName(withFilledKeyword(defs)) as object);
    ajv.addSchema(closeByName(Object.assign({}, snapshot, { $id: RAW_ID })) as object);
    fastAjv = ajv;
  }
  v = fastAjv.getSchema(ref.replace(SNAPSHOT_SCHEMA_ID, RAW_ID));
  if (!v) throw new InternalError(`スキーマ ${ref} をコンパイルできません`);
  fastValidators.set(ref, v);
  return v;
}

type Node = SchemaNode & {
  title?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  description?: string;
};

/** The schema node at an instance pointer ($refs followed), for titles in messages. */
function nodeAt(rootRef: string, pointer: string): Node | undefined {
  const registry = getRegistry();
  const [id, fragment = ''] = rootRef.split('#');
  let cur = deref(registry, { $ref: `${id}#${fragment}` }, id);
  for (const t of parsePointer(pointer)) {
    const n = cur.node as Node;
    if (n.properties && Object.prototype.hasOwnProperty.call(n.properties, t))
      cur = deref(registry, n.properties[t], cur.base);
    else if (/^\d+$/.test(t) && n.items) cur = deref(registry, n.items, cur.base);
    else return undefined;
  }
  return cur.node as Node;
}

/** 「システム 2 › アクセスログ › 保存日数」: titles along the pointer, with list positions. */
export function snapshotLabel(pointer: string, rootRef = SNAPSHOT_SCHEMA_ID): string {
  const registry = getRegistry();
  const [id, fragment = ''] = rootRef.split('#');
  let cur = deref(registry, { $ref: `${id}#${fragment}` }, id);
  const out: string[] = [];
  for (const t of parsePointer(pointer)) {
    const n = cur.node as Node;
    if (n.properties && Object.prototype.hasOwnProperty.call(n.properties, t)) {
      cur = deref(registry, n.properties[t], cur.base);
      const title = (cur.node as Node).title;
      if (title) out.push(title);
    } else if (/^\d+$/.test(t) && n.items) {
      cur = deref(registry, n.items, cur.base);
      const last = out.pop() ?? (cur.node as Node).title ?? '';
      out.push(`${last} ${Number(t) + 1}`);
    } else {
      out.push(t);
      break;
    }
  }
  return out.join(' › ');
}

function typeName(t: string, lang: Lang): string {
  const ja: Record<string, string> = {
    string: '文字列',
    integer: '整数',
    number: '数値',
    boolean: ' true または false ',
    array: '一覧 (「- 」で始まる行の並び)',
    object: '「項目名: 値」の対応表',
  };
  return pick(lang, ja[t] ?? t, t);
}

export function schemaErrorsToDiagnostics(
  errors: readonly ErrorObject[] | null | undefined,
  opts: { code: string; rootRef: string; lang: Lang },
): Diagnostic[] {
  if (!errors) return [];
  const { lang } = opts;
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const combinators = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .map((e) => `${e.schemaPath}/`);
  const push = (path: string, message: string) => {
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const label = snapshotLabel(path, opts.rootRef);
    out.push({ code: opts.code, severity: 'error', message, path, ...(label ? { label } : {}) });
  };
  for (const e of errors) {
    // A failed anyOf is reported once, not once per branch.
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && combinators.some((p) => e.schemaPath.startsWith(p)))
      continue;
    const path = e.instancePath;
    const node = nodeAt(opts.rootRef, path);
    const what = node?.title ? `「${node.title}」` : pick(lang, 'この項目', 'This item');
    switch (e.keyword) {
      case 'required': {
        const key = (e.params as { missingProperty: string }).missingProperty;
        const child = node?.properties?.[key] ? nodeAt(opts.rootRef, appendPointer(path, key)) : undefined;
        push(
          appendPointer(path, key),
          pick(
            lang,
            `必須の項目「${key}」${child?.title ? ` (${child.title})` : ''}がありません`,
            `Required item "${key}"${child?.title ? ` (${child.title})` : ''} is missing`,
          ),
        );
        break;
      }
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const guess = suggestNearest(key, Object.keys(node?.properties ?? {}));
        push(
          appendPointer(path, key),
          pick(
            lang,
            `項目「${key}」はライブ構成のスキーマにありません。${guess ? `もしかして「${guess}」ですか?` : '綴りを確認してください'}`,
            `Item "${key}" is not in the snapshot schema.${guess ? ` Did you mean "${guess}"?` : ''}`,
          ),
        );
        break;
      }
      case 'type': {
        const expected = String((e.params as { type: string }).type)
          .split(',')
          .map((t) => typeName(t, lang))
          .join(pick(lang, ' または ', ' or '));
        push(
          path,
          pick(
            lang,
            `${what}は${expected}で記載してください (${describeJsonType(e.data, lang)}が記載されています)`.replace(
              /  +/g,
              ' ',
            ),
            `${what} must be ${expected.trim()}`,
          ),
        );
        break;
      }
      case 'enum':
      case 'const': {
        const allowed =
          e.keyword === 'enum'
            ? (e.params as { allowedValues: unknown[] }).allowedValues
            : [(e.params as { allowedValue: unknown }).allowedValue];
        push(
          path,
          pick(
            lang,
            `${what}に「${String(e.data)}」は使えません。次のいずれかを記載してください: ${listChoices(allowed)}`,
            `"${String(e.data)}" is not allowed here. Use one of: ${listChoices(allowed)}`,
          ),
        );
        break;
      }
      case 'pattern':
      case 'format': {
        const dateTime =
          typeof (e.params as { pattern?: string }).pattern === 'string' &&
          (e.params as { pattern: string }).pattern.includes('T\\d{2}');
        const hint = dateTime
          ? pick(
              lang,
              '日時は 2026-04-01T09:00:00+09:00 の形 (時差付き) で記載してください',
              'write date-times as 2026-04-01T09:00:00+09:00 (with offset)',
            )
          : (e.params as { format?: string }).format === 'date'
            ? pick(lang, '日付は YYYY-MM-DD で記載してください', 'write dates as YYYY-MM-DD')
            : (node?.description ?? '');
        // A well-formed date that does not exist or is out of range: say that, not "wrong format".
        const parsed = typeof e.data === 'string' ? parseUserDate(e.data) : undefined;
        if (parsed && 'problem' in parsed && parsed.problem !== 'format') {
          push(path, describeDateProblem(what, e.data, parsed.problem, lang));
          break;
        }
        push(
          path,
          pick(
            lang,
            `${what}の書式が正しくありません (「${String(e.data)}」)。${hint}`,
            `Invalid format of ${what} ("${String(e.data)}"): ${hint}`,
          ),
        );
        break;
      }
      case 'minimum':
        push(
          path,
          pick(
            lang,
            `${what}は ${(e.params as { limit: number }).limit} 以上で記載してください (${String(e.data)})`,
            `${what} must be ≥ ${(e.params as { limit: number }).limit}`,
          ),
        );
        break;
      case 'minLength':
        push(path, pick(lang, `${what}が空です`, `${what} is empty`));
        break;
      case 'anyOf':
      case 'oneOf':
        push(
          path,
          pick(
            lang,
            `${what}の記載の形が正しくありません${node?.description ? `: ${node.description}` : ''}`,
            `${what} has the wrong shape`,
          ),
        );
        break;
      default:
        push(
          path,
          pick(
            lang,
            `${what}がスキーマに合いません (${e.keyword})`,
            `${what} does not match the schema (${e.keyword})`,
          ),
        );
    }
  }
  return out;
}

/** Ajv errors turned into findings at most (each costs a walk of the schema and, later, a position). */
const MAX_SCHEMA_ERRORS = 2_000;
/** Schema findings listed per file; the rest are counted in one more finding. */
export const MAX_SCHEMA_FINDINGS = 100;

/**
 * schemaErrorsToDiagnostics, bounded: an export with 20,000 malformed accounts is one problem repeated,
 * and listing (and locating) every instance held a request for half a minute. The first findings are
 * listed, and one more says how many were left out.
 */
function boundedSchemaFindings(
  errors: readonly ErrorObject[] | null | undefined,
  opts: { code: string; rootRef: string; lang: Lang },
): Diagnostic[] {
  const all = errors ?? [];
  const diags = schemaErrorsToDiagnostics(all.slice(0, MAX_SCHEMA_ERRORS), opts);
  if (diags.length <= MAX_SCHEMA_FINDINGS && all.length <= MAX_SCHEMA_ERRORS) return diags;
  const shown = diags.slice(0, MAX_SCHEMA_FINDINGS);
  const more =
    all.length > MAX_SCHEMA_ERRORS
      ? `${all.length - MAX_SCHEMA_FINDINGS} 件以上`
      : `${diags.length - MAX_SCHEMA_FINDINGS} 件`;
  shown.push({
    code: opts.code,
    severity: 'error',
    path: '',
    message: pick(
      opts.lang,
      `スキーマに合わない箇所が多いため、最初の ${MAX_SCHEMA_FINDINGS} 件だけを表示しました (ほかに ${more})。同じ種類の誤りをまとめて直してから再実行してください`,
      `Too many schema problems: the first ${MAX_SCHEMA_FINDINGS} are listed (${all.length > MAX_SCHEMA_ERRORS ? 'at least ' : ''}${(all.length > MAX_SCHEMA_ERRORS ? all.length : diags.length) - MAX_SCHEMA_FINDINGS} more)`,
    ),
  });
  return shown;
}

/** Schema findings of a snapshot (empty when it is valid). */
export function validateSnapshot(data: unknown, lang: Lang): Diagnostic[] {
  if (fastValidatorFor(SNAPSHOT_SCHEMA_ID)(data)) return [];
  const validate = validatorFor(SNAPSHOT_SCHEMA_ID);
  if (validate(data)) return [];
  return boundedSchemaFindings(validate.errors, {
    code: 'check/snapshot-schema',
    rootRef: SNAPSHOT_SCHEMA_ID,
    lang,
  });
}

export function validateWaiverFile(data: unknown, lang: Lang): Diagnostic[] {
  if (fastValidatorFor(WAIVER_SCHEMA_REF)(data)) return [];
  const validate = validatorFor(WAIVER_SCHEMA_REF);
  if (validate(data)) return [];
  return boundedSchemaFindings(validate.errors, {
    code: 'check/waiver-schema',
    rootRef: WAIVER_SCHEMA_REF,
    lang,
  });
}

/** Both validators of the snapshot schema (tests: the fast one must decide exactly as the full one). */
export function snapshotValidators(ref = SNAPSHOT_SCHEMA_ID): {
  fast: (data: unknown) => boolean;
  full: (data: unknown) => boolean;
} {
  const fast = fastValidatorFor(ref);
  const full = validatorFor(ref);
  return { fast: (d) => fast(d) === true, full: (d) => full(d) === true };
}
