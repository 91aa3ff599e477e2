// Benchmark of `pia validate` against a bare Ajv baseline, in the same run (DESIGN §4: ratios, not
// absolute numbers). Run: npx tsx bench/validate.ts [--skip-build] [--no-cold] [--rounds N] [--calls N]
//
// (a) cold: `node bin/pia.js validate <largest sample>` (the built dist/) vs a bare node script that imports
//     Ajv + ajv-formats, compiles the same schema and validates the same document (as JSON). Goal ≤ 2×.
// (b) warm, in-process, the largest sample. Goal ≤ 1.2×. What is compared with what:
//     - "full": validateDocument — everything a user gets (schema, 未記載, consistency, しきい値判断, sorted
//       Diagnostics) — vs the bare compiled `validate(doc)` of the same schema file. This is the ratio the
//       goal is judged on.
//     - "schema step": runSchema (our Ajv pass, which also finds the blank required items, plus error
//       mapping) vs the same bare `validate(doc)`. Reported as well, never instead.
//     - a breakdown as a chain (each line adds one step to the previous one, so its increment includes
//       what the step costs the steps around it), next to each step timed alone.
//     - (c) the same two calls alternating, one after the other.
// Measuring on a loaded 2-core machine: the variants run interleaved (every round times each of them once,
// in a rotating order), so background load hits all alike; ratios use CPU time (user+sys of this process,
// or of the child), the steadier figure there, and medians over the rounds (the minimum is shown too).
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
import {
  checkCompleteness,
  checkDocumentRules,
  evaluateApplicability,
  runConsistencyRules,
} from '../src/consistency/index.ts';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const numArg = (name: string, dflt: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) || dflt : dflt;
const rounds = numArg('--rounds', 15);
const calls = numArg('--calls', 300);

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const min = (xs: readonly number[]) => Math.min(...xs);
const fmt = (ms: number) => (ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(1)} µs`);
const verdict = (ratio: number, goal: number) => (ratio <= goal ? 'OK' : 'NOT MET');

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
if (!form?.formId) throw new Error(`${file}: unknown form`);
const formId = form.formId;
console.log(`document: ${file} (${(statSync(join(ROOT, file)).size / 1024).toFixed(0)} KB, ${form.form})`);

// ---- (a) cold -------------------------------------------------------------------------------------------
if (!args.includes('--no-cold')) {
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
  const cliArgv = ['bin/pia.js', 'validate', file];
  const cli: { wall: number; cpu: number }[] = [];
  const bare: { wall: number; cpu: number }[] = [];
  timeProcess(cliArgv); // warm the OS file cache
  timeProcess([bareScript]);
  for (let i = 0; i < rounds; i++) {
    // Alternate which side goes first, so neither always runs right after the other.
    if (i % 2 === 0) {
      cli.push(timeProcess(cliArgv));
      bare.push(timeProcess([bareScript]));
    } else {
      bare.push(timeProcess([bareScript]));
      cli.push(timeProcess(cliArgv));
    }
  }
  const cpu = (xs: typeof cli) => xs.map((x) => x.cpu);
  const wall = (xs: typeof cli) => xs.map((x) => x.wall);
  const coldRatio = median(cpu(cli)) / median(cpu(bare));
  console.log(`\n(a) cold, ${rounds} runs each, interleaved: median wall / median CPU (min CPU)`);
  console.log(
    `    pia validate (dist)          ${fmt(median(wall(cli)))} / ${fmt(median(cpu(cli)))} (${fmt(min(cpu(cli)))})`,
  );
  console.log(
    `    bare ajv compile + validate  ${fmt(median(wall(bare)))} / ${fmt(median(cpu(bare)))} (${fmt(min(cpu(bare)))})`,
  );
  console.log(
    `    ratio ${coldRatio.toFixed(2)}× CPU (min ${(min(cpu(cli)) / min(cpu(bare))).toFixed(2)}×), ` +
      `${(median(wall(cli)) / median(wall(bare))).toFixed(2)}× wall  (goal ≤ 2×) ${verdict(coldRatio, 2)}`,
  );
}

// ---- (b) warm -------------------------------------------------------------------------------------------
const ajv = new Ajv2020({ strict: false });
addFormats(ajv, ['date']);
ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'defs.schema.json'), 'utf8')));
const bareValidate = ajv.compile(
  JSON.parse(readFileSync(join(ROOT, 'schemas', `${form.key}.schema.json`), 'utf8')),
);
const doc = loaded.data;
const opts = { source: file, locate: loaded.locate };
const ours = getRegistry().validator(form.key);
const appl = evaluateApplicability(doc, formId);
const blank = runSchema(form.key, doc).blank;

/** CPU time per call, in ms. */
const perCall = (f: () => unknown, n: number) => {
  const u0 = process.cpuUsage();
  for (let i = 0; i < n; i++) f();
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1000 / n;
};

/** Times every variant once per round, in a rotating order; CPU ms per call, per round. */
function measure(variants: Record<string, () => unknown>): Record<string, number[]> {
  const names = Object.keys(variants);
  for (const f of Object.values(variants)) for (let i = 0; i < 200; i++) f(); // warm up (JIT)
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      out[name].push(perCall(variants[name], calls));
    }
  }
  return out;
}

// The chain: each variant is the previous one plus one step, ending at what validateDocument does.
const chain = {
  'bare validate(doc)': () => bareValidate(doc),
  'our Ajv pass (+ 未記載 keyword)': () => ours(doc),
  '+ error mapping (runSchema)': () => runSchema(form.key, doc),
  '+ applicability table': () => {
    runSchema(form.key, doc);
    return evaluateApplicability(doc, formId);
  },
  '+ completeness': () => {
    const s = runSchema(form.key, doc);
    return checkCompleteness(doc, form.key, evaluateApplicability(doc, formId), 'ja', s.blank);
  },
  '+ consistency rules': () => {
    const s = runSchema(form.key, doc);
    return checkDocumentRules(doc, { form: form.key, formId, blank: s.blank });
  },
  'validateDocument (full)': () => validateDocument(doc, opts),
};
// The same steps alone, in a loop of their own (what each costs with nothing else running in between).
const alone: Record<string, () => unknown> = {
  '+ applicability table': () => evaluateApplicability(doc, formId),
  '+ completeness': () => checkCompleteness(doc, form.key, appl, 'ja', blank),
  '+ consistency rules': () => runConsistencyRules(doc, { form: form.key, formId, applicability: appl }),
};
const t = measure({
  ...chain,
  ...Object.fromEntries(Object.entries(alone).map(([k, f]) => [`alone ${k}`, f])),
});

const bareMed = median(t['bare validate(doc)']);
const bareMin = min(t['bare validate(doc)']);
const fullMed = median(t['validateDocument (full)']);
const schemaMed = median(t['+ error mapping (runSchema)']);
const fullRatio = fullMed / bareMed;
const schemaRatio = schemaMed / bareMed;
const findings = validateDocument(doc, opts).length;
console.log(`\n(b) warm, in-process, ${rounds} rounds × ${calls} calls, interleaved: CPU time per call`);
console.log(
  `    ${''.padEnd(34)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'step'.padStart(9)} ${'alone'.padStart(9)}`,
);
let prev: number | undefined;
for (const name of Object.keys(chain)) {
  const m = median(t[name]);
  const step = prev === undefined || name === 'bare validate(doc)' ? '' : fmt(m - prev);
  const a = t[`alone ${name}`] ? fmt(median(t[`alone ${name}`])) : '';
  console.log(
    `    ${name.padEnd(34)} ${fmt(m).padStart(9)} ${fmt(min(t[name])).padStart(9)} ${step.padStart(9)} ${a.padStart(9)}`,
  );
  if (name !== 'bare validate(doc)') prev = m;
}
console.log(`    (${findings} findings; bare: valid ${bareValidate(doc)})`);
console.log(
  `    full validateDocument vs bare: ${fullRatio.toFixed(2)}× (min ${(min(t['validateDocument (full)']) / bareMin).toFixed(2)}×)  (goal ≤ 1.2×) ${verdict(fullRatio, 1.2)}`,
);
console.log(
  `    schema step (runSchema) vs bare: ${schemaRatio.toFixed(2)}× (min ${(min(t['+ error mapping (runSchema)']) / bareMin).toFixed(2)}×)  (goal ≤ 1.2×) ${verdict(schemaRatio, 1.2)}`,
);

// ---- (c) alternating --------------------------------------------------------------------------------------
// Bare Ajv timed in a loop of its own keeps its large generated code hot in the CPU caches; any other code
// run between two validations (ours, or a server's) evicts some of it. Timing the two calls alternately,
// each with performance.now(), shows how much of the gap above is that effect.
{
  const n = calls * rounds;
  let tb = 0;
  let to = 0;
  for (let i = 0; i < n + 200; i++) {
    const t0 = performance.now();
    bareValidate(doc);
    const t1 = performance.now();
    validateDocument(doc, opts);
    const t2 = performance.now();
    if (i >= 200) {
      tb += t1 - t0;
      to += t2 - t1;
    }
  }
  console.log(`\n(c) the two calls alternating, ${n} times (wall time per call)`);
  console.log(
    `    bare validate(doc) ${fmt(tb / n)}, validateDocument ${fmt(to / n)}: ${(to / tb).toFixed(2)}×  ` +
      `(bare alone: ${fmt(bareMed)} CPU)`,
  );
}
