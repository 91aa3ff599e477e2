// Every sample: pia render → PDF → import gives back the same document (leaves the form prints).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPublished } from '../../src/import/index.ts';
import { compareLeaves } from './leaves.ts';
import { ROOT, runPia, tempDir } from './fixtures.ts';

const SAMPLES = readdirSync(join(ROOT, 'assessments')).filter((d) => {
  try {
    return readFileSync(join(ROOT, 'assessments', d, 'assessment.yaml')).length > 0;
  } catch {
    return false;
  }
});

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
  const r = runPia(['render', '--out-dir', tmp.dir, ...SAMPLES.map((s) => `assessments/${s}/assessment.yaml`)]);
  if (r.status !== 0) throw new Error(`pia render failed: ${r.stderr}`);
}, 600_000);
afterAll(() => tmp?.done());

/** The target: leaves identical character for character, per sample (the figures are printed). */
const FLOOR = 0.99;

describe('render → PDF → import round trip', () => {
  for (const sample of SAMPLES) {
    it(sample, async () => {
      const pdf = readFileSync(join(tmp.dir, `${sample}.pdf`));
      const r = await importPublished({ data: pdf, name: `${sample}.pdf` });
      const ref = parse(readFileSync(join(ROOT, 'assessments', sample, 'assessment.yaml'), 'utf8'));
      const a = compareLeaves(ref, r.doc);
      const pct = (n: number) => ((100 * n) / a.total).toFixed(1);
      console.log(
        `round trip ${sample}: identical ${a.same}/${a.total} = ${pct(a.same)}%, ` +
          `same but for whitespace ${a.sameLoose}/${a.total} = ${pct(a.sameLoose)}%, extra leaves ${a.extra.length}`,
      );
      for (const d of a.differ.slice(0, 15)) console.log(`  ${d.pointer}: ${JSON.stringify(d.expected)?.slice(0, 50)} ≠ ${JSON.stringify(d.actual)?.slice(0, 50)}`);
      expect(r.form).toBe(ref.form === '全項目評価書' ? 'zenkomoku' : ref.form === '重点項目評価書' ? 'juten' : 'kiso');
      expect(a.same / a.total).toBeGreaterThanOrEqual(FLOOR);
    }, 120_000);
  }
});
