// The prepared-document API: prepareAssessment once, checkPrepared per snapshot, with exactly the result of
// checkAssessment (which is a thin wrapper over the two). A server caches one PreparedAssessment per
// version, so it must not change between checks, nor change the document it was made from.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkAssessment,
  checkPrepared,
  loadSnapshotText,
  prepareAssessment,
  type CheckResult,
} from '../../src/check/index.ts';
import { InputError } from '../../src/errors.ts';
import { fromValue, loadText, type LoadedDocument } from '../../src/load/index.ts';
import { containsSignificant, isSignificant } from '../../src/schema/navigate.ts';
import type { JsonObject } from '../../src/types.ts';
import { jutenDoc, snapshot } from './helpers.ts';

const SAMPLES = new URL('../../assessments/', import.meta.url);
const samples = readdirSync(SAMPLES).sort();
const read = (dir: string, file: string) => readFileSync(new URL(`${dir}/${file}`, SAMPLES), 'utf8');
const load = (dir: string, file: string) => loadText(read(dir, file), { source: `${dir}/${file}` });
const prepare = (a: LoadedDocument) =>
  prepareAssessment(a.data as JsonObject, { source: a.source, locate: a.locate, diagnostics: a.diagnostics });
/** The snapshot as a JSON export (the fast path with positions found afterwards). */
const asJson = (s: LoadedDocument) =>
  loadSnapshotText(JSON.stringify(s.data, null, 2), { source: `${s.source}.json` });

describe('checkPrepared gives checkAssessment’s result', () => {
  it.each(samples)('%s: both snapshots, both languages, YAML and JSON, one prepared document', (dir) => {
    const assessment = load(dir, 'assessment.yaml');
    const prepared = prepare(assessment);
    const runs: [string, () => CheckResult, () => CheckResult][] = [];
    for (const live of ['live.yaml', 'live-drifted.yaml']) {
      for (const lang of ['ja', 'en'] as const) {
        const yaml = () => load(dir, live);
        const json = () => asJson(load(dir, live));
        for (const snap of [yaml, json]) {
          runs.push([
            `${live} ${lang}`,
            () => checkAssessment({ assessment, snapshot: snap(), lang }),
            () => checkPrepared(prepared, snap(), { lang }),
          ]);
        }
      }
    }
    // Twice over, interleaved: nothing one check leaves behind changes the next.
    for (const round of [1, 2]) {
      for (const [name, viaAssessment, viaPrepared] of runs) {
        const expected = viaAssessment();
        expect(viaPrepared(), `${name} (round ${round})`).toEqual(expected);
      }
    }
  });

  it('waivers (kakuu-city-kaigo): waived, expired and unused alike', () => {
    const dir = 'kakuu-city-kaigo';
    const assessment = load(dir, 'assessment.yaml');
    const waivers = load(dir, 'waivers.yaml');
    const expected = checkAssessment({ assessment, snapshot: load(dir, 'live-drifted.yaml'), waivers });
    expect(expected.diagnostics.some((d) => d.waived || d.code.startsWith('check/waiver-'))).toBe(true);
    expect(checkPrepared(prepare(assessment), load(dir, 'live-drifted.yaml'), { waivers })).toEqual(expected);
  });

  it('the snapshot may be given as text: the JSON fast path, named by snapshotSource', () => {
    const dir = 'kakuu-city-juki';
    const assessment = load(dir, 'assessment.yaml');
    const text = JSON.stringify(load(dir, 'live-drifted.yaml').data, null, 2);
    const expected = checkAssessment({
      assessment,
      snapshot: loadSnapshotText(text, { source: 'live.json' }),
    });
    const got = checkPrepared(prepare(assessment), text, { snapshotSource: 'live.json' });
    expect(got).toEqual(expected);
    expect(got.diagnostics.some((d) => d.related?.some((r) => r.source === 'live.json' && r.line))).toBe(
      true,
    );
    // YAML text goes to the general loader, like loadSnapshotText.
    const yamlText = read(dir, 'live-drifted.yaml');
    expect(checkPrepared(prepare(assessment), yamlText, { snapshotSource: 'live.yaml' })).toEqual(
      checkAssessment({ assessment, snapshot: loadText(yamlText, { source: 'live.yaml' }) }),
    );
  });

  it('source and locate of the 評価書 can be given per check (one prepared document, many versions)', () => {
    const dir = 'kakuu-city-juki';
    const assessment = load(dir, 'assessment.yaml');
    const bare = prepareAssessment(assessment.data as JsonObject);
    const snap = () => load(dir, 'live-drifted.yaml');
    const withoutPositions = checkPrepared(bare, snap());
    expect(withoutPositions.diagnostics.length).toBeGreaterThan(0);
    for (const d of withoutPositions.diagnostics) {
      if (d.code === 'check/snapshot-schema') continue;
      expect(d.source).toBe('');
      expect(d.line).toBeUndefined();
    }
    const overridden = checkPrepared(bare, snap(), { source: assessment.source, locate: assessment.locate });
    expect(overridden).toEqual(checkAssessment({ assessment, snapshot: snap() }));
    // The API's version documents have no positions: findings keep their label and path, without a line.
    const api = checkPrepared(bare, snap(), { source: '架空市 住民基本台帳 v3' });
    expect(api.diagnostics.map((d) => d.source)).toEqual(api.diagnostics.map(() => '架空市 住民基本台帳 v3'));
    expect(api.diagnostics.map((d) => [d.code, d.path, d.label])).toEqual(
      overridden.diagnostics.map((d) => [d.code, d.path, d.label]),
    );
  });

  it('an unknown form, an invalid snapshot and a snapshot of another organisation', () => {
    const unknown = { ...jutenDoc(), form: '様式外の評価書' };
    const snap = () => fromValue(snapshot(), { source: 'live.yaml' });
    const a = fromValue(unknown, { source: 'a.yaml' });
    expect(checkPrepared(prepare(a), snap())).toEqual(checkAssessment({ assessment: a, snapshot: snap() }));
    expect(checkPrepared(prepare(a), snap()).diagnostics[0]?.code).toMatch(/form/);

    const doc = fromValue(jutenDoc(), { source: 'a.yaml' });
    const invalid = fromValue(Object.assign(snapshot(), { asOf: 'きのう' }), { source: 'live.yaml' });
    const viaPrepared = checkPrepared(prepare(doc), invalid);
    expect(viaPrepared.compared).toBe(false);
    expect(viaPrepared).toEqual(checkAssessment({ assessment: doc, snapshot: invalid }));

    const other = fromValue(Object.assign(snapshot(), { organization: 'other-city' }), {
      source: 'live.yaml',
    });
    expect(() => checkPrepared(prepare(doc), other)).toThrow(InputError);
    expect(() => checkPrepared(prepare(doc), other)).toThrow(/other-city/);
  });
});

describe('a PreparedAssessment is immutable and leaves the document alone', () => {
  it('is frozen, with its declared model and bindings', () => {
    const prepared = prepareAssessment(jutenDoc());
    expect(Object.isFrozen(prepared)).toBe(true);
    expect(Object.isFrozen(prepared.declared)).toBe(true);
    expect(Object.isFrozen(prepared.declared?.files[0])).toBe(true);
    expect(Object.isFrozen(prepared.declared?.measureBlocks[0]?.controls[0]?.params)).toBe(true);
    expect(Object.isFrozen(prepared.bindings)).toBe(true);
    expect(Object.isFrozen(prepared.bindings[0])).toBe(true);
    expect(() => {
      (prepared.declared?.files as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    expect(prepared.bindings.map((b) => b.control.id)).toEqual(['mfa-required']);
    expect(prepared.bindings[0].params).toEqual({ scope: 'all' });
  });

  it('does not freeze or change the document (the server keeps it in its store)', () => {
    const doc = jutenDoc() as { [k: string]: any };
    doc.risks[0].use.risk2.userAuthenticationMethod[0].controls[0].params = { scope: 'individual-number' };
    const before = structuredClone(doc);
    const prepared = prepareAssessment(doc);
    checkPrepared(prepared, fromValue(snapshot(), { source: 'live.yaml' }));
    expect(doc).toEqual(before);
    expect(Object.isFrozen(doc.risks[0].use.risk2.userAuthenticationMethod[0].controls[0].params)).toBe(
      false,
    );
    expect(Object.isFrozen(doc.files[0])).toBe(false);
    expect(prepared.doc).toBe(doc);
  });

  it('labels and ※ consequences come from the schema, the same for every check', () => {
    const prepared = prepareAssessment(jutenDoc());
    expect(prepared.labelOf('')).toBe('');
    expect(prepared.labelOf('/files/0/acquisition/users/userCount')).toMatch(/使用/);
    expect(prepared.labelOf('/files/0/acquisition/users/userCount')).toBe(
      prepared.labelOf('/files/0/acquisition/users/userCount'),
    );
    const key = prepared.form?.key as string;
    const pointers = [
      '/files/0/entrustment/items',
      '/files/0/acquisition/users/userCount',
      '/files/0/recordItems/items',
      '/risks/0/education/method/0/attestation/expires',
      '/basic/systems',
    ];
    const expected = (p: string, block: boolean) =>
      (block ? containsSignificant(key, p) : isSignificant(key, p)) ? '重要な変更' : '修正';
    for (const p of pointers) {
      for (const block of [false, true]) {
        expect(prepared.consequenceOf(p, block), `${p} ${block}`).toBe(expected(p, block));
        expect(prepared.consequenceOf(p, block)).toBe(prepared.consequenceOf(p, block));
      }
    }
    expect(pointers.map((p) => prepared.consequenceOf(p, true))).toContain('重要な変更');
  });
});
