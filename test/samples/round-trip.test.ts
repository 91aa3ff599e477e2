// Every bundled document survives YAML → data → JSON → data → YAML → data unchanged, and validates the
// same way whichever encoding it is read from (the API accepts JSON, editors write YAML).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadText, validateLoaded } from '../../src/engine.ts';

const files = readdirSync('assessments', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join('assessments', d.name))
      .filter((f) => /^(assessment|previous)\.yaml$/.test(f))
      .map((f) => join('assessments', d.name, f)),
  )
  .sort();

const strip = (diags: { code: string; path: string; severity: string; message: string }[]) =>
  diags.map((d) => `${d.severity} ${d.code} ${d.path} ${d.message}`);

describe('round trip of every sample', () => {
  it('finds the samples', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s', (file) => {
    const yamlText = readFileSync(file, 'utf8');
    const fromYaml = loadText(yamlText, { source: file });
    expect(fromYaml.data).toBeDefined();
    const json = JSON.stringify(fromYaml.data, null, 2);
    const fromJson = loadText(json, { source: file });
    expect(fromJson.data).toEqual(fromYaml.data);
    const again = loadText(stringify(fromJson.data), { source: file });
    expect(again.data).toEqual(fromYaml.data);
    // Same findings from either encoding (line numbers differ, nothing else).
    expect(strip(validateLoaded(fromJson).diagnostics)).toEqual(strip(validateLoaded(fromYaml).diagnostics));
  });
});
