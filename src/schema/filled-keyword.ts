// 未記載 checked inside the compiled validator. Ajv's `required` only asks "is the key present"; we also need
// "is it filled in" (not blank). Walking the document a second time in JavaScript cost ~5× the validation
// itself, so instead every object schema with `required` gets a derived keyword `x-pia-filled` (in the copy
// we compile, never in schemas/) listing the same keys; Ajv calls it once per object instance and its
// errors carry the pointer of each blank key. consistency/completeness.ts turns them into 未記載 findings.
import { _, stringify, type CodeKeywordDefinition, type ErrorObject, type KeywordCxt } from 'ajv';

export const FILLED_KEYWORD = 'x-pia-filled';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Whitespace-only (what String.prototype.trim removes). Runs ~600 times per validation of a large document,
 * so a first character that cannot be white space — printable ASCII, or anything between U+3000 and U+FEFF
 * exclusive (kana, kanji, full-width forms) — answers without trimming. Every other string is trimmed.
 */
function isBlankString(s: string): boolean {
  const c = s.charCodeAt(0);
  if ((c > 0x20 && c < 0x7f) || (c > 0x3000 && c < 0xfeff)) return false;
  return s.trim() === '';
}

/** Missing, null, whitespace-only, an unchecked flag, or a container of nothing but those. */
export function isBlankValue(v: unknown): boolean {
  if (typeof v === 'string') return isBlankString(v);
  if (v === null || typeof v !== 'object') return v === undefined || v === null || v === false;
  if (Array.isArray(v)) {
    // Indexed, not for-of: no iterator object; a hole reads as undefined (blank) either way.
    for (let i = 0; i < v.length; i++) if (!isBlankValue(v[i])) return false;
    return true;
  }
  for (const k in v) if (hasOwn.call(v, k) && !isBlankValue((v as Record<string, unknown>)[k])) return false;
  return true;
}

/**
 * The keys among `keys` whose values in `data` are blank, or undefined when every one is filled in (the
 * common case: no allocation). Called by the compiled validator once per object with `x-pia-filled`.
 */
export function blankKeys(data: Record<string, unknown>, keys: readonly string[]): string[] | undefined {
  let out: string[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    if (isBlankValue(data[keys[i]])) (out ??= []).push(keys[i]);
  }
  return out;
}

function escapeToken(k: string): string {
  return k.includes('~') || k.includes('/') ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k;
}

export const filledKeyword: CodeKeywordDefinition = {
  keyword: FILLED_KEYWORD,
  type: 'object',
  schemaType: 'array',
  error: {
    message: 'must be filled in',
    params: ({ params }) => _`{missingProperty: ${params.missingProperty}}`,
  },
  // One call per object instance (blankKeys), and the error code emitted once in a loop over the blank keys
  // it returns. Unrolling a check and an error per key (as Ajv's own `required` does) made the validator
  // functions so large that V8 optimized them poorly: ~25% slower on the largest sample. A function keyword
  // was slower still (one context object per call). The error's instancePath is the object,
  // params.missingProperty the blank key, in schema order. A placeholder `{}` (a block whose page is
  // missing) yields one error per key here; completeness folds them into one.
  code(cxt: KeywordCxt) {
    const { gen, data, schema } = cxt;
    const keys = schema as string[];
    const check = gen.scopeValue('func', { ref: blankKeys });
    const list = gen.scopeValue('obj', { ref: keys, code: stringify(keys) });
    const blank = gen.const('blank', _`${check}(${data}, ${list})`);
    gen.if(_`${blank} !== undefined`, () => {
      gen.forOf('key', blank, (key) => {
        cxt.setParams({ missingProperty: key }, true);
        cxt.error();
      });
    });
  },
};

/** The pointer of the blank item an `x-pia-filled` error is about. */
export function filledErrorPointer(e: ErrorObject): string {
  return `${e.instancePath}/${escapeToken(String((e.params as { missingProperty?: unknown }).missingProperty ?? ''))}`;
}

/** A copy of `schema` where every object node with `required` also has `x-pia-filled` (same keys). */
export function withFilledKeyword<T>(schema: T): T {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v);
    const req = (node as { required?: unknown }).required;
    if (Array.isArray(req) && req.length > 0 && req.every((x) => typeof x === 'string'))
      out[FILLED_KEYWORD] = [...req];
    return out;
  };
  return walk(schema) as T;
}
