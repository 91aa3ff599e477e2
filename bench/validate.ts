// Benchmark of `pia validate` against a bare Ajv baseline, in the same run (DESIGN §4: ratios, not
// absolute numbers). Run: npx tsx bench/validate.ts [--skip-build] [--rounds N]
//
// (a) cold: `node bin/pia.js validate <largest sample>` (the built dist/) vs a bare node script that imports
//     Ajv + ajv-formats, compiles the same schema and validates the same document (as JSON). Goal ≤ 2×.
// (b) warm, in-process: the engine's validateDocument (schema + 未記載 + consistency + しきい値判断) on a loaded
//     document vs the bare compiled `validate(doc)`. Goal ≤ 1.2×.
// Runs are interleaved and medians reported, so background load affects both sides alike. Besides wall time,
// CPU time (user+sys of the measured process) is reported: on a shared machine it is the steadier figure,
// and the ratios are computed from it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { validateDocument } from '../src/engine.ts';
import { loadDocument } from '../src/load/index.ts';
import { findForm, getRegistry, runSchema } from '../src/schema/index.ts';
import { checkDocumentRules, evaluateApplicability } from '../src/consistency/index.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 15;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fmt = (ms: number) => (ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(1)} µs`);

// ---- the largest sample document -----------------------------------------------------------------------
const samples = readdirSync(join(ROOT, 'assessments'))
  .map((d) => join('assessments', d, 'assessment.yaml'))
  .filter((p) => {
    try {
      return statSync(join(ROOT, p)).isFile();
    } catch {
      return false;
    }
  })
  .sort((a, b) => statSync(join(ROOT, b)).size - statSync(join(ROOT, a)).size);
if (samples.length === 0) throw new Error('no assessments/*/assessment.yaml');
const file = samples[0];
const loaded = await loadDocument(file, { cwd: ROOT });
if (!loaded.data) throw new Error(`${file} does not load`);
const form = findForm(loaded.data);
if (!form) throw new Error(`${file}: unknown form`);
console.log(`document: ${file} (${(statSync(join(ROOT, file)).size / 1024).toFixed(0)} KB, ${form.form})`);

// ---- (a) cold -------------------------------------------------------------------------------------------
if (!args.includes('--skip-build')) {
  console.log('building dist/ (npm run build)…');
  // Type errors elsewhere in the tree do not stop tsc from emitting; dist/cli/main.js is what we need.
  spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
}
const tmp = mkdtempSync(join(tmpdir(), 'pia-bench-'));
const docJson = join(tmp, 'doc.json');
writeFileSync(docJson, JSON.stringify(loaded.data));
const bareScript = join(tmp, 'bare.mjs');
writeFileSync(
  bareScript,
  `import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(join(ROOT, 'package.json'))});
const { Ajv2020 } = require('ajv/dist/2020.js');
const addFormats = require('ajv-formats').default;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv, ['date']);
ajv.addSchema(JSON.parse(readFileSync(${JSON.stringify(join(ROOT, 'schemas', 'defs.schema.json'))}, 'utf8')));
const validate = ajv.compile(JSON.parse(readFileSync(${JSON.stringify(join(ROOT, 'schemas', `${form.key}.schema.json`))}, 'utf8')));
const doc = JSON.parse(readFileSync(${JSON.stringify(docJson)}, 'utf8'));
process.exitCode = validate(doc) ? 0 : 1;
`,
);
// Each child reports its own CPU time at exit through a preload, identical for both sides.
const preload = join(tmp, 'cpu.mjs');
writeFileSync(
  preload,
  `process.on('exit', () => { const u = process.cpuUsage(); process.stderr.write('\\n@@cpu ' + (u.user + u.system) / 1000 + '\\n'); });\n`,
);
const timeProcess = (argv: string[]) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', preload, ...argv], { cwd: ROOT, encoding: 'utf8' });
  const wall = performance.now() - t0;
  const cpu = Number(/@@cpu ([\d.]+)/.exec(r.stderr ?? '')?.[1] ?? NaN);
  return { wall, cpu };
};
const cli: { wall: number; cpu: number }[] = [];
const bare: { wall: number; cpu: number }[] = [];
timeProcess(['bin/pia.js', 'validate', file]); // warm the OS file cache
timeProcess([bareScript]);
for (let i = 0; i < rounds; i++) {
  cli.push(timeProcess(['bin/pia.js', 'validate', file]));
  bare.push(timeProcess([bareScript]));
}
const coldRatio = median(cli.map((x) => x.cpu)) / median(bare.map((x) => x.cpu));
const coldWallRatio = median(cli.map((x) => x.wall)) / median(bare.map((x) => x.wall));
console.log(`\n(a) cold, median of ${rounds} runs (wall / CPU)`);
console.log(
  `    pia validate (dist)          ${fmt(median(cli.map((x) => x.wall)))} / ${fmt(median(cli.map((x) => x.cpu)))}`,
);
console.log(
  `    bare ajv compile + validate  ${fmt(median(bare.map((x) => x.wall)))} / ${fmt(median(bare.map((x) => x.cpu)))}`,
);
console.log(
  `    ratio ${coldRatio.toFixed(2)}× CPU, ${coldWallRatio.toFixed(2)}× wall  (goal ≤ 2×) ${coldRatio <= 2 ? 'OK' : 'NOT MET'}`,
);

// ---- (b) warm -------------------------------------------------------------------------------------------
const ajv = new Ajv2020({ strict: false });
addFormats(ajv, ['date']);
ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'defs.schema.json'), 'utf8')));
const bareValidate = ajv.compile(
  JSON.parse(readFileSync(join(ROOT, 'schemas', `${form.key}.schema.json`), 'utf8')),
);
const doc = loaded.data;
const opts = { source: file, locate: loaded.locate };

/** CPU time per call (µs → ms units like fmt expects). */
const perCall = (f: () => unknown, n: number) => {
  const u0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000 / n;
};
const N = 300;
for (let i = 0; i < 200; i++) {
  bareValidate(doc);
  validateDocument(doc, opts);
}
const warmOurs: number[] = [];
const warmBare: number[] = [];
for (let r = 0; r < rounds; r++) {
  warmBare.push(perCall(() => bareValidate(doc), N));
  warmOurs.push(perCall(() => validateDocument(doc, opts), N));
}
const warmRatio = median(warmOurs) / median(warmBare);
console.log(`\n(b) warm, in-process, median of ${rounds}×${N} calls (CPU time per call)`);
console.log(
  `    validateDocument             ${fmt(median(warmOurs))}  (${validateDocument(doc, opts).length} findings)`,
);
console.log(`    bare validate(doc)           ${fmt(median(warmBare))}  (valid: ${bareValidate(doc)})`);
console.log(`    ratio ${warmRatio.toFixed(2)}×  (goal ≤ 1.2×) ${warmRatio <= 1.2 ? 'OK' : 'NOT MET'}`);

// Where the warm time goes (for whoever optimizes next).
const ours = getRegistry().validator(form.key);
const parts = {
  'ajv (allErrors, verbose, 未記載 keyword)': () => ours(doc),
  'schema run + error mapping': () => runSchema(form.key, doc),
  'applicability table': () => evaluateApplicability(doc, form.formId!),
  'completeness + consistency rules': () =>
    checkDocumentRules(doc, { form: form.key, formId: form.formId!, blank: [] }),
};
console.log('    breakdown:');
const partTimes: Record<string, number> = {};
for (const [name, f] of Object.entries(parts)) {
  partTimes[name] = median(Array.from({ length: rounds }, () => perCall(f, N)));
  console.log(`      ${name.padEnd(40)} ${fmt(partTimes[name])}`);
}
const schemaRatio = partTimes['schema run + error mapping'] / median(warmBare);
console.log(
  `    schema step alone (runSchema) vs bare: ${schemaRatio.toFixed(2)}×  (goal ≤ 1.2×) ${schemaRatio <= 1.2 ? 'OK' : 'NOT MET'}`,
);
