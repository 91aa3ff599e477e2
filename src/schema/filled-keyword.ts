// 未記載 checked inside the compiled validator. Ajv's `required` only asks "is the key present"; we also need
// "is it filled in" (not blank). Walking the document a second time in JavaScript cost ~5× the validation
// itself, so instead every object schema with `required` gets a derived keyword `x-pia-filled` (in the copy
// we compile, never in schemas/) listing the same keys; Ajv calls it once per object instance and its
// errors carry the pointer of each blank key. consistency/completeness.ts turns them into 未記載 findings.
import { _, type CodeKeywordDefinition, type ErrorObject, type KeywordCxt } from 'ajv';

export const FILLED_KEYWORD = 'x-pia-filled';

/** Missing, null, whitespace-only, an unchecked flag, or a container of nothing but those. */
export function isBlankValue(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const e of v) if (!isBlankValue(e)) return false;
    return true;
  }
  for (const k in v)
    if (Object.prototype.hasOwnProperty.call(v, k) && !isBlankValue((v as Record<string, unknown>)[k]))
      return false;
  return true;
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
  // Generated inline like Ajv's own `required` (a function keyword was 4× slower: one context object per
  // call). The error's instancePath is the object, params.missingProperty the blank key. A placeholder `{}`
  // (a block whose page is missing) yields one error per key here; completeness folds them into one.
  code(cxt: KeywordCxt) {
    const { gen, data, schema } = cxt;
    const blank = gen.scopeValue('func', { ref: isBlankValue });
    for (const k of schema as string[]) {
      gen.if(_`${blank}(${data}[${k}])`, () => {
        cxt.setParams({ missingProperty: k }, true);
        cxt.error();
      });
    }
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
