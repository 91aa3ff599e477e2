// Issue 16 item 12: the form schemas compile in Ajv's strict mode OUTSIDE this project — a fresh Ajv2020,
// nothing of src/schema, only what a consumer is told to do (README「スキーマを外部のツールで使う」):
// declare the keywords listed in schemas/vocabulary.json, add ajv-formats for `format: date`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCHEMAS_DIR } from '../../src/paths.ts';
import { VENDOR_KEYWORD_SCHEMAS } from '../../src/schema/vendor-keywords.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;

const read = (f: string) => JSON.parse(readFileSync(join(SCHEMAS_DIR, f), 'utf8')) as Record<string, unknown>;
const FORMS = ['kiso-h30.schema.json', 'juten-h30.schema.json', 'zenkomoku-h30.schema.json'];

function consumerAjv(declare: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict: true });
  addFormats(ajv, ['date']);
  if (declare) {
    const vocab = read('vocabulary.json') as { properties: Record<string, Record<string, unknown>> };
    for (const [keyword, metaSchema] of Object.entries(vocab.properties)) ajv.addKeyword({ keyword, metaSchema });
  }
  ajv.addSchema(read('defs.schema.json'));
  return ajv;
}

describe('schemas compile in Ajv strict mode outside the project', () => {
  it.each(FORMS)('%s', (file) => {
    const ajv = consumerAjv(true);
    const validate = ajv.compile(read(file));
    expect(typeof validate).toBe('function');
    // defs too, on its own (every $defs entry is compiled through the forms' refs; compile it whole as well).
    expect(ajv.getSchema('defs.schema.json')).toBeDefined();
  });

  it('and validate the samples as the project does (valid ones pass)', () => {
    const ajv = consumerAjv(true);
    const validate = ajv.compile(read('juten-h30.schema.json'));
    const doc = parse(readFileSync(join(SCHEMAS_DIR, '../assessments/kakuu-city-kaigo/assessment.yaml'), 'utf8'));
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('without the declarations strict mode refuses them (the vocabulary is what makes it work)', () => {
    expect(() => consumerAjv(false).compile(read('juten-h30.schema.json'))).toThrow(/unknown keyword: "x-/);
  });

  it('vocabulary.json lists exactly the x-* keywords the schemas use, with the project\'s own meta-schemas', () => {
    const used = new Set<string>();
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object')
        for (const [k, v] of Object.entries(n)) {
          if (k.startsWith('x-')) used.add(k);
          // property names under `properties` are data keys, not keywords
          if (k === 'properties' && v && typeof v === 'object') Object.values(v).forEach(walk);
          else walk(v);
        }
    };
    for (const f of [...FORMS, 'defs.schema.json']) walk(read(f));
    const declared = Object.keys((read('vocabulary.json') as { properties: object }).properties);
    for (const k of used) expect(declared).toContain(k);
    expect((read('vocabulary.json') as { properties: unknown }).properties).toEqual(VENDOR_KEYWORD_SCHEMAS);
  });

  it('no union types (strictTypes) and a $comment pointing consumers at the vocabulary', () => {
    for (const f of [...FORMS, 'defs.schema.json']) {
      const text = readFileSync(join(SCHEMAS_DIR, f), 'utf8');
      expect(text, f).not.toMatch(/"type": \[/);
      expect(read(f).$comment, f).toContain('vocabulary.json');
    }
  });
});
