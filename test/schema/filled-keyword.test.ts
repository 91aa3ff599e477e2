// The derived 未記載 keyword (x-pia-filled): its fast blank test must agree with String.prototype.trim for
// every character, and the compiled keyword must report each blank key of an object, in schema order.
import { describe, expect, it } from 'vitest';
import {
  blankKeys,
  FILLED_KEYWORD,
  filledErrorPointer,
  isBlankValue,
  withFilledKeyword,
} from '../../src/schema/filled-keyword.ts';
import { createAjv } from '../../src/schema/index.ts';

describe('isBlankValue on strings', () => {
  it('agrees with trim() for every UTF-16 code unit, alone and around a letter', () => {
    const wrong: string[] = [];
    for (let u = 0; u <= 0xffff; u++) {
      const ch = String.fromCharCode(u);
      for (const s of [ch, ch + ch, `${ch}x`, `x${ch}`, `${ch}あ`, `${ch}\u3000`]) {
        if (isBlankValue(s) !== (s.trim() === '')) wrong.push(`U+${u.toString(16)} in ${JSON.stringify(s)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['', true],
    ['\u3000\u00a0\ufeff\u2028\t\n', true],
    ['\u200b', false], // zero width space is not white space for trim()
    ['あ', false],
    [' x ', false],
    ['-', false],
  ])('%j → %s', (s, blank) => expect(isBlankValue(s)).toBe(blank));
});

describe('isBlankValue on other values', () => {
  it.each([
    [undefined, true],
    [null, true],
    [false, true],
    [true, false],
    [0, false],
    [[], true],
    // eslint-disable-next-line no-sparse-arrays
    [[, ' '], true],
    // eslint-disable-next-line no-sparse-arrays
    [[, 'x'], false],
    [{}, true],
    [{ a: [{ b: '\u3000' }], c: null }, true],
    [{ a: [{ b: '\u3000' }, { c: 1 }] }, false],
  ])('%j → %s', (v, blank) => expect(isBlankValue(v)).toBe(blank));

  it('ignores inherited members', () => {
    const o = Object.create({ inherited: 'x' }) as Record<string, unknown>;
    o.own = ' ';
    expect(isBlankValue(o)).toBe(true);
  });
});

describe('blankKeys', () => {
  it('is undefined when every key is filled (no allocation on the common path)', () => {
    expect(blankKeys({ a: 'x', b: [1], c: { d: 'y' } }, ['a', 'b', 'c'])).toBeUndefined();
  });
  it('lists the blank keys in the order given', () => {
    expect(blankKeys({ b: ' ', c: 'x', d: [] }, ['d', 'a', 'b', 'c'])).toEqual(['d', 'a', 'b']);
  });
});

describe('the compiled keyword', () => {
  type Node = { [k: string]: unknown; properties?: Record<string, Node>; items?: Node };
  const schema = withFilledKeyword<Node>({
    $id: 'filled-test.json',
    type: 'object',
    required: ['a', 'b/c', 'list'],
    properties: {
      a: { type: 'string' },
      'b/c': { type: 'string' },
      list: {
        type: 'array',
        items: { type: 'object', required: ['x', 'y'], properties: { x: {}, y: {} } },
      },
    },
  });

  it('is added next to every non-empty required, leaving the schema as written alone', () => {
    expect(schema[FILLED_KEYWORD]).toEqual(['a', 'b/c', 'list']);
    expect(schema.properties!.list.items![FILLED_KEYWORD]).toEqual(['x', 'y']);
    expect(withFilledKeyword({ required: [] })).toEqual({ required: [] });
  });

  it('reports one error per blank key, in schema order, with the pointer of the key', () => {
    const validate = createAjv().compile(schema);
    expect(validate({ a: 'x', 'b/c': 'y', list: [{ x: 1, y: 2 }] })).toBe(true);
    expect(validate({ a: '\u3000', list: [{ x: 1, y: ' ' }, {}] })).toBe(false);
    const filled = (validate.errors ?? []).filter((e) => e.keyword === FILLED_KEYWORD);
    expect(filled.map(filledErrorPointer)).toEqual(['/list/0/y', '/list/1/x', '/list/1/y', '/a', '/b~1c']);
    expect(filled[0]).toMatchObject({
      instancePath: '/list/0',
      schemaPath: `#/properties/list/items/${FILLED_KEYWORD}`,
      params: { missingProperty: 'y' },
      message: 'must be filled in',
    });
  });
});
