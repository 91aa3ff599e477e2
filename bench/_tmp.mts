import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { loadDocument } from '../src/load/index.ts';
import { withFilledKeyword, filledKeyword } from '../src/schema/filled-keyword.ts';
import { VENDOR_KEYWORDS } from '../src/schema/vendor-keywords.ts';
const loaded = await loadDocument('assessments/kakuu-city-juki/assessment.yaml');
const doc = loaded.data!;
const defs = JSON.parse(readFileSync('schemas/defs.schema.json', 'utf8'));
const z = JSON.parse(readFileSync('schemas/zenkomoku-h30.schema.json', 'utf8'));
function make(opts: any, filled: boolean) {
  const ajv = new Ajv2020({ strict: false, ...opts });
  (addFormats as any)(ajv, ['date']);
  for (const kw of VENDOR_KEYWORDS) ajv.addKeyword(kw);
  ajv.addKeyword(filledKeyword);
  ajv.addSchema(filled ? withFilledKeyword(defs) : defs);
  return ajv.compile(filled ? withFilledKeyword(z) : z);
}
const variants: Record<string, any> = {
  bare: make({}, false),
  ours_nofill: make({ allErrors: true, verbose: true }, false),
  ours: make({ allErrors: true, verbose: true }, true),
};
const per = (f: () => unknown, n = 300) => { const t0 = performance.now(); for (let i = 0; i < n; i++) f(); return (performance.now() - t0) / n * 1000; };
const res: Record<string, number[]> = {};
for (let r = 0; r < 15; r++) for (const [k, v] of Object.entries(variants)) { per(() => v(doc), 50); (res[k] ??= []).push(per(() => v(doc))); }
for (const [k, xs] of Object.entries(res)) console.log(k.padEnd(12), xs.sort((a, b) => a - b)[7].toFixed(1), 'µs');
