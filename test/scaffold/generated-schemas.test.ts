import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateSchemas } from '../../scripts/schemas/index.ts';
import { scaffoldDocument } from '../../src/scaffold/scaffold-document.ts';
import { SCHEMAS_DIR } from '../../src/paths.ts';

describe('generated schemas', () => {
  it('schemas/*.schema.json are up to date with scripts/schemas (run npx tsx scripts/build-schemas.ts)', () => {
    for (const [file, schema] of Object.entries(generateSchemas())) {
      const onDisk = readFileSync(join(SCHEMAS_DIR, file), 'utf8');
      expect(onDisk, file).toBe(JSON.stringify(schema, null, 2) + '\n');
    }
  });
});

describe('scaffoldDocument', () => {
  for (const form of ['kiso', 'juten', 'zenkomoku'] as const) {
    it(`${form}: a blank document that parses and names its schema`, () => {
      const text = scaffoldDocument(form);
      expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=../../schemas/${form}-h30.schema.json`);
      const doc = parse(text) as Record<string, unknown>;
      const schema = JSON.parse(readFileSync(join(SCHEMAS_DIR, `${form}-h30.schema.json`), 'utf8'));
      expect(doc.form).toBe(schema.properties.form.const);
      for (const key of schema.required as string[]) expect(doc, key).toHaveProperty(key);
      // Every 選択肢 appears as a comment, verbatim, so an officer never types a label from memory.
      const defs = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'defs.schema.json'), 'utf8')).$defs;
      expect(text).toContain(defs.sufficiency?.enum?.[0] ?? defs.effortDoing.enum[0]);
    });
  }
});
