// End to end on the real sample documents under assessments/ (written by the lead and other helpers):
// every sample is readable, every finding is located and labelled, and the known defects of the seeds
// are found.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runSpawned } from './run.ts';

const samples = existsSync(join(ROOT, 'assessments'))
  ? readdirSync(join(ROOT, 'assessments'))
      .filter((d) => existsSync(join(ROOT, 'assessments', d, 'assessment.yaml')))
      .sort()
  : [];

describe.skipIf(samples.length === 0)('pia validate on assessments/', () => {
  it.concurrent.each(samples)('%s: readable, findings located and labelled', async (name) => {
    const r = await runSpawned(['validate', '--format', 'json', `assessments/${name}/assessment.yaml`]);
    expectNoStackTrace(r);
    expect([0, 1]).toContain(r.code);
    const json = JSON.parse(r.stdout);
    expect(json.summary.files).toBe(1);
    for (const d of json.diagnostics) {
      expect(d.source).toBe(`assessments/${name}/assessment.yaml`);
      expect(d.code).not.toMatch(/^load\//);
      expect(typeof d.line).toBe('number');
    }
    expect(r.code).toBe(json.summary.error > 0 ? 1 : 0);
  });

  it.skipIf(!samples.includes('kagoshima-covid-vaccination'))(
    'seed 000: Ⅰ3 and Ⅱ1 file names disagree',
    async () => {
      const r = await runSpawned([
        'validate',
        '--format',
        'json',
        'assessments/kagoshima-covid-vaccination/assessment.yaml',
      ]);
      const json = JSON.parse(r.stdout);
      const f = json.diagnostics.find((d: { code: string }) => d.code === 'consistency/file-names');
      expect(f).toMatchObject({ path: '/files/0/name', severity: 'error' });
      expect(f.message).toContain('予防接種事務情報ファイル');
      expect(r.code).toBe(1);
    },
  );

  it('the whole directory in one run, text', async () => {
    const r = await runSpawned(['validate', 'assessments']);
    expectNoStackTrace(r);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toMatch(new RegExp(`\\(${samples.length} ファイル\\)\\n$`));
  });
});
