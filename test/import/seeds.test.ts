// The two real seeds (text extracted from published PDFs) against their hand encodings: leaf agreement
// (printed), and every leaf that differs is either left empty and listed in the report, or a value the
// hand encoding corrected (listed here by pointer with the reason, from the sample's README).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { importPublished, type ImportResult } from '../../src/import/index.ts';
import { validateText } from '../../src/engine.ts';
import { stringify } from 'yaml';
import { compareLeaves } from './leaves.ts';
import { readSeed, ROOT } from './fixtures.ts';

const SEEDS = [
  { seed: '000', sample: 'kagoshima-covid-vaccination' },
  { seed: '001', sample: 'hofu-covid-vaccination' },
] as const;

/** Pointer prefixes of a leaf that is empty in the import or listed in its report. */
function reported(r: ImportResult, pointer: string): boolean {
  const listed = [...r.report.gaps, ...r.report.uncertain, ...r.report.unplaced].map((g) => g.path).filter(Boolean);
  return listed.some((p) => pointer === p || pointer.startsWith(p + '/'));
}

describe('seeds → documents agree with the hand encodings', () => {
  for (const { seed, sample } of SEEDS) {
    it(`seed ${seed} (${sample})`, async () => {
      const r = await importPublished({ data: readSeed(seed), name: `seed ${seed}` });
      const ref = parse(readFileSync(`${ROOT}/assessments/${sample}/assessment.yaml`, 'utf8'));
      const a = compareLeaves(ref, r.doc);
      const pct = (n: number) => ((100 * n) / a.total).toFixed(1);
      const silent = a.differ.filter((d) => d.actual !== undefined && !reported(r, d.pointer));
      const empty = a.differ.filter((d) => d.actual === undefined);
      console.log(
        `seed ${seed} ${sample}: ${a.sameLoose}/${a.total} leaves agree = ${pct(a.sameLoose)}% ` +
          `(character for character ${a.same}/${a.total} = ${pct(a.same)}%); ` +
          `differ ${a.differ.length}: left empty ${empty.length}, read differently ${a.differ.length - empty.length} ` +
          `(of which not in the report ${silent.length}); extra leaves ${a.extra.length}`,
      );
      for (const d of silent) console.log(`  not in the report: ${d.pointer}: ${JSON.stringify(d.expected).slice(0, 60)} ≠ ${JSON.stringify(d.actual).slice(0, 60)}`);
      expect(a.sameLoose / a.total).toBeGreaterThanOrEqual(SEED_FLOOR[seed]);
      // No silent leaf: every leaf read differently is in the report (but for the known ones listed below).
      expect(silent.map((d) => d.pointer)).toEqual(KNOWN_SILENT[seed]);
      // The imported document is a document of the model: the schema accepts it apart from what is empty.
      const v = validateText(stringify(r.doc), { source: `seed-${seed}.yaml` });
      const schemaErrors = v.diagnostics.filter((d) => d.code.startsWith('schema/') && d.code !== 'schema/required');
      expect(schemaErrors.map((d) => `${d.path} ${d.message}`)).toEqual([]);
    }, 120_000);
  }

  it('防府市 (別添2) 変更箇所 → 12 changeLog rows', async () => {
    const r = await importPublished({ data: readSeed('001'), name: 'seed 001' });
    const rows = r.doc.changeLog as { date: string; timing: string; item: string }[];
    expect(rows).toHaveLength(12);
    expect(rows.every((x) => x.date === '2022-07-07')).toBe(true);
    expect(rows.map((x) => x.timing)).toEqual(['事前', '事前', '事前', '事後', '事前', '事前', '事前', '事後', '事前', '事前', '事前', '事前']);
    expect(rows[0].item.startsWith('Ⅰ 基本情報')).toBe(true);
    expect(r.report.changeLogRows).toBe(12);
  });

  it('gaps of seed 001 are the pages missing from the source, nothing else', async () => {
    const r = await importPublished({ data: readSeed('001'), name: 'seed 001' });
    expect(r.report.gaps.map((g) => g.path)).toEqual(['/files/0/provision', '/files/0/storage', '/risks/0/entrustment']);
    expect((r.doc.sourceGaps as { path: string }[]).map((g) => g.path)).toEqual(['/files/0/provision', '/files/0/storage', '/risks/0/entrustment']);
  });
});

/** The target for both seeds. */
const SEED_FLOOR: Record<string, number> = { '000': 0.95, '001': 0.95 };

/**
 * Leaves read differently without a report entry: none. (Seed 000 loses 「が」 in Ⅲ 6 — the hand encoding
 * restored it — and the importer lists those values as uncertain because a label of the same document
 * proves the loss: lost-characters.ts.) Kept as a list so that any silent leaf fails the test by name.
 */
const KNOWN_SILENT: Record<string, string[]> = { '000': [], '001': [] };
