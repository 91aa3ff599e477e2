// Property-based tests (fast-check) of the loader, the JSON Pointer helpers, the diff and the check (issue
// 9): random documents and snapshots never end in an internal error. A user error (InputError/UsageError:
// exit 2, HTTP 400) is a valid answer; any other exception is the bug these tests look for.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkAssessment } from '../../src/check/index.ts';
import { buildChangeLog } from '../../src/diff/index.ts';
import { isUserError } from '../../src/errors.ts';
import { FORBIDDEN_KEYS, findControlChar, fromValue, loadText } from '../../src/load/index.ts';
import { ASSESSMENTS_DIR } from '../../src/paths.ts';
import {
  appendPointer,
  buildPointer,
  escapeToken,
  getAtPointer,
  isPrefixPointer,
  parsePointer,
  unescapeToken,
} from '../../src/pointer.ts';
import type { Json, JsonObject } from '../../src/types.ts';

const sample = (dir: string, file: string) => readFileSync(join(ASSESSMENTS_DIR, dir, file), 'utf8');
const loaded = (dir: string, file: string) => loadText(sample(dir, file), { source: file });

/** Runs `f`; a user error is an answer, anything else fails the property with its message. */
function noInternalError(f: () => unknown): boolean {
  try {
    f();
    return true;
  } catch (e) {
    if (isUserError(e)) return true;
    throw e;
  }
}

/** Every pointer of a JSON value (pre-order). */
function pointersOf(v: unknown, base = '', out: string[] = []): string[] {
  out.push(base);
  if (Array.isArray(v)) v.forEach((x, i) => pointersOf(x, appendPointer(base, i), out));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) pointersOf(x, appendPointer(base, k), out);
  return out;
}

/** A copy of `doc` with the value at `pointer` replaced (or deleted when `value` is undefined). */
function mutate(doc: JsonObject, pointer: string, value: Json | undefined): JsonObject {
  const copy = structuredClone(doc);
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return copy;
  const parent = getAtPointer(copy, buildPointer(tokens.slice(0, -1))) as Record<string, Json> | Json[];
  const last = tokens[tokens.length - 1];
  // An earlier edit may have replaced or removed the container: then this edit has nothing to change.
  if (parent === null || typeof parent !== 'object') return copy;
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(Number(last), 1);
    else parent[Number(last)] = value;
  } else if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

/** Values a careless export or a hostile user would put anywhere. */
const hostileValue: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(
    '',
    ' ',
    '-',
    'なし',
    '9999-12-31',
    '0000-01-01',
    '2023-02-29',
    '9999-12-31T23:59:59Z',
    '__proto__',
    'constructor',
    'toString',
    -1,
    1e308,
    0.5,
    [],
    {},
    null,
    true,
  ),
);

const token = fc.oneof(fc.string(), fc.constantFrom('~', '/', '~0', '~1', '~01', '__proto__', 'constructor'));

describe('JSON Pointer helpers', () => {
  it('parsePointer(buildPointer(tokens)) gives the tokens back', () => {
    fc.assert(
      fc.property(fc.array(token), (tokens) => {
        expect(parsePointer(buildPointer(tokens))).toEqual(tokens);
      }),
    );
  });
  it('escapeToken and unescapeToken are inverse', () => {
    fc.assert(fc.property(fc.string(), (t) => unescapeToken(escapeToken(t)) === t));
  });
  it('appendPointer is concatenation of built pointers; a prefix is a prefix', () => {
    fc.assert(
      fc.property(fc.array(token), fc.array(token), (a, b) => {
        const p = appendPointer(buildPointer(a), ...b);
        expect(p).toBe(buildPointer([...a, ...b]));
        expect(isPrefixPointer(buildPointer(a), p)).toBe(true);
      }),
    );
  });
  it('getAtPointer finds every value by its pointer and never throws, whatever the pointer', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string(), (v, junk) => {
        for (const p of pointersOf(v)) expect(getAtPointer(v, p)).toBe(valueAt(v, parsePointer(p)));
        getAtPointer(v, junk);
        getAtPointer(v, '/' + junk);
      }),
    );
  });
  it('getAtPointer never reads through the prototype chain', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'),
        fc.jsonValue({ maxDepth: 2 }),
        (name, v) => {
          const holder = { x: v };
          expect(getAtPointer(holder, `/${name}`)).toBeUndefined();
          expect(getAtPointer(holder, `/x/${name}`)).toBe(
            v !== null && typeof v === 'object' && Object.hasOwn(v, name)
              ? (v as Record<string, unknown>)[name]
              : undefined,
          );
        },
      ),
    );
  });
  it('parsePointer refuses only pointers that do not start with /', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        if (s === '' || s.startsWith('/')) expect(() => parsePointer(s)).not.toThrow();
        else expect(() => parsePointer(s)).toThrow(/JSON Pointer は \/ で始まる必要があります/);
      }),
    );
  });
});

function valueAt(v: unknown, tokens: string[]): unknown {
  let cur = v;
  for (const t of tokens) cur = (cur as Record<string, unknown>)[t];
  return cur;
}

describe('the loader', () => {
  it('any text: findings or a document, never an exception; no document without an error means usable', () => {
    const yamlish = fc.string({
      unit: fc.constantFrom(...'ab: -[]{},&*!|>\'"#%@`?\n\t ~\\あ\u0000\u0007\ufeff0123'.split('')),
      maxLength: 200,
    });
    fc.assert(
      fc.property(
        fc.oneof(yamlish, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 })),
        (text) => {
          const r = loadText(text, { source: 'x' });
          const errors = r.diagnostics.filter((d) => d.severity === 'error');
          if (r.data === undefined) expect(errors.length).toBeGreaterThan(0);
          else expect(typeof r.data).toBe('object');
          for (const d of r.diagnostics) {
            expect(d.code).toMatch(/^load\//);
            expect(d.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
  it('a JSON value written as YAML or JSON loads back equal (unless the loader must refuse part of it)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), (value) => {
        const refusable =
          pointersOf(value).some((p) =>
            parsePointer(p).some((t) => FORBIDDEN_KEYS.includes(t) || findControlChar(t) !== undefined),
          ) || /\\u00[01][0-8bcefBCEF]|\\u001[0-9a-fA-F]/.test(JSON.stringify(value));
        for (const text of [JSON.stringify(value), stringify(value)]) {
          const r = loadText(text);
          if (refusable) continue;
          expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(JSON.stringify(r.data)).toBe(JSON.stringify(value));
        }
      }),
      { numRuns: 300 },
    );
  });
  it('fromValue never lets a forbidden key through and never pollutes a prototype', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...FORBIDDEN_KEYS, 'a', 'b'), fc.jsonValue({ maxDepth: 2 })),
        (value) => {
          const r = fromValue(JSON.parse(JSON.stringify(value)) as Json);
          if (r.data) for (const k of FORBIDDEN_KEYS) expect(Object.hasOwn(r.data, k)).toBe(false);
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
    );
  });
});

describe('the diff', () => {
  const prev = loaded('hofu-covid-vaccination', 'previous.yaml').data as JsonObject;
  const curr = loaded('hofu-covid-vaccination', 'assessment.yaml').data as JsonObject;
  const pointers = pointersOf(curr);
  it('random changes to a real document: a change log or a user error, never an internal error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: pointers.length - 1 }), hostileValue), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          let doc = curr;
          for (const [i, v] of edits) doc = mutate(doc, pointers[i], v);
          expect(noInternalError(() => buildChangeLog(prev, doc, {}))).toBe(true);
          expect(noInternalError(() => buildChangeLog(doc, prev, {}))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 300_000);
});

describe('the check', () => {
  const assessment = loaded('kakuu-city-kaigo', 'assessment.yaml');
  const snapshot = loaded('kakuu-city-kaigo', 'live.yaml');
  const snapPointers = pointersOf(snapshot.data);
  const docPointers = pointersOf(assessment.data);
  it('random snapshots: findings or a user error, never an internal error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: snapPointers.length - 1 }), hostileValue), {
          minLength: 1,
          maxLength: 5,
        }),
        (edits) => {
          let data = snapshot.data as JsonObject;
          for (const [i, v] of edits) data = mutate(data, snapPointers[i], v);
          const snap = { ...snapshot, data, locate: () => undefined };
          expect(noInternalError(() => checkAssessment({ assessment, snapshot: snap, lang: 'ja' }))).toBe(
            true,
          );
        },
      ),
      { numRuns: 80 },
    );
  }, 300_000);
  it('random documents against a real snapshot: findings or a user error, never an internal error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: docPointers.length - 1 }), hostileValue), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          let data = assessment.data as JsonObject;
          for (const [i, v] of edits) data = mutate(data, docPointers[i], v);
          const doc = { ...assessment, data, locate: () => undefined };
          expect(noInternalError(() => checkAssessment({ assessment: doc, snapshot, lang: 'ja' }))).toBe(
            true,
          );
        },
      ),
      { numRuns: 60 },
    );
  }, 300_000);
});
