// The inputs around the rules: the snapshot schema (findings in Japanese, with lines), the organisation
// check, waivers (waived findings counted, expired ones back, unusable files refused).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSnapshotText } from '../../src/check/fast-json.ts';
import { checkAssessment, summarizeCheck } from '../../src/check/index.ts';
import { InputError } from '../../src/errors.ts';
import { fromValue, loadText } from '../../src/load/index.ts';
import type { Json } from '../../src/types.ts';
import { brief, check, jutenDoc, snapshot } from './helpers.ts';

type Any = { [k: string]: any };

function checkText(snapshotYaml: string) {
  return checkAssessment({
    assessment: fromValue(jutenDoc(), { source: 'assessment.yaml' }),
    snapshot: loadText(snapshotYaml, { source: 'live.yaml' }),
  });
}

describe('snapshot schema', () => {
  it('a snapshot that fails its schema gives Japanese findings with lines, and no drift findings', () => {
    const r = checkText(
      [
        'organization: test-city', // 1
        'systems:', // 2
        '  - name: 業務システム', // 3
        '    internetReachable: はい', // 4
        '    removableMedia: usb', // 5
        '    acessLog: {enabled: true}', // 6
        '    backup: {lastSuccess: 2026-06-01}', // 7
        '  - name: 予約システム', // 8
      ].join('\n'),
    );
    const got = r.diagnostics.map((d) => [d.code, d.path, d.line, d.source]);
    expect(got).toEqual([
      ['check/snapshot-schema', '/asOf', 1, 'live.yaml'],
      ['check/snapshot-schema', '/systems/0/acessLog', 6, 'live.yaml'],
      ['check/snapshot-schema', '/systems/0/backup/lastSuccess', 7, 'live.yaml'],
      ['check/snapshot-schema', '/systems/0/internetReachable', 4, 'live.yaml'],
      ['check/snapshot-schema', '/systems/0/removableMedia', 5, 'live.yaml'],
    ]);
    const text = r.diagnostics.map((d) => d.message).join('\n');
    expect(text).toContain('必須の項目「asOf」 (取得日時)がありません');
    expect(text).toContain('もしかして「accessLog」ですか?');
    expect(text).toContain('時差付き');
    expect(text).toContain('true または false');
    expect(text).toContain('1) blocked 2) registered-only 3) allowed');
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('an impossible asOf', () => {
    const r = checkText('organization: test-city\nasOf: 2026-02-30T09:00:00+09:00\n');
    expect(brief(r.diagnostics)).toEqual([['snapshot-schema', '/asOf', undefined]]);
    expect(r.diagnostics[0].message).toContain('存在しない日時');
  });

  it('YAML syntax errors of the snapshot are loader findings', () => {
    const r = checkText('organization: [test-city\n');
    expect(r.diagnostics[0].code).toBe('load/syntax');
    expect(r.diagnostics[0].source).toBe('live.yaml');
  });

  it('a snapshot of another organisation is refused (exit 2)', () => {
    const snap = snapshot() as Any;
    snap.organization = 'other-city';
    expect(() => check(jutenDoc(), snap)).toThrow(InputError);
    expect(() => check(jutenDoc(), snap)).toThrow(
      /機関ID「other-city」が評価書の機関ID「test-city」と一致しません/,
    );
  });

  it('an assessment of an unknown form is a finding', () => {
    const doc = jutenDoc() as Any;
    doc.form = '簡易評価書';
    expect(brief(check(doc, snapshot()))).toEqual([['schema/unknown-form', '/form', undefined]]);
  });
});

describe('waivers', () => {
  const drift = () => {
    const s = snapshot() as Any;
    s.systems[0].accounts[0].mfa = false;
    s.systems.push({ name: '予約システム' });
    return s;
  };
  const waiver = (extra: Any = {}) => ({
    rule: 'check/control-violated',
    pointer: '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0',
    justification: '端末更改まで運用で代替',
    approver: 'CISO',
    expires: '2026-09-30',
    ...extra,
  });

  it('a waived finding is reported, marked and counted, not failing', () => {
    const diags = check(jutenDoc(), drift(), undefined, { waivers: [waiver()] });
    const v = diags.find((d) => d.code === 'check/control-violated')!;
    expect(v.waived).toEqual({
      justification: '端末更改まで運用で代替',
      approver: 'CISO',
      expires: '2026-09-30',
    });
    const s = summarizeCheck(diags);
    // The finding left is a 修正 (warning: report/consequence.ts).
    expect(s).toMatchObject({ error: 0, warning: 1, waived: 1 });
  });

  it('an expired waiver turns back into a finding, and says so', () => {
    const diags = check(jutenDoc(), drift(), undefined, { waivers: [waiver({ expires: '2026-05-31' })] });
    expect(diags.find((d) => d.code === 'check/control-violated')!.waived).toBeUndefined();
    const w = diags.find((d) => d.code === 'check/waiver-expired')!;
    // 〈情報〉: the finding itself is back and fails on its own; the expiry is a note (report/consequence.ts).
    expect(w).toMatchObject({ severity: 'info', consequence: '情報', source: 'waivers.yaml', path: '/waivers/0/expires' });
    expect(w.message).toContain('期限が切れています');
  });

  it('a snapshot pointer narrows the waiver', () => {
    const diags = check(jutenDoc(), drift(), undefined, {
      waivers: [
        waiver({ rule: 'check/undeclared-system', pointer: '/basic/systems', snapshotPointer: '/systems/9' }),
      ],
    });
    expect(diags.find((d) => d.code === 'check/undeclared-system')!.waived).toBeUndefined();
    expect(diags.find((d) => d.code === 'check/waiver-unused')).toBeTruthy();
  });

  it.each([
    ['no expiry', { expires: undefined }, /有効期限/],
    ['no approver', { approver: undefined }, /承認者/],
    ['an empty approver', { approver: '' }, /承認者.*空/],
    ['a date that is not a date', { expires: '来年3月' }, /YYYY-MM-DD/],
  ])('a waiver with %s is refused (exit 2)', (_name, change, message) => {
    const w = JSON.parse(JSON.stringify(waiver(change))) as Json;
    expect(() => check(jutenDoc(), drift(), undefined, { waivers: [w] })).toThrow(InputError);
    expect(() => check(jutenDoc(), drift(), undefined, { waivers: [w] })).toThrow(message);
  });

  it('a waiver file of another organisation is refused', () => {
    expect(() =>
      check(jutenDoc(), drift(), undefined, { organization: 'other-city', waivers: [waiver()] }),
    ).toThrow(/other-city/);
  });
});

describe('JSON snapshots (fast path with positions found on demand)', () => {
  const yamlText = readFileSync(
    new URL('../../assessments/kakuu-city-kaigo/live-drifted.yaml', import.meta.url),
    'utf8',
  );
  const data = loadText(yamlText).data as Json;
  const pointersOf = (v: unknown, base = ''): string[] =>
    v !== null && typeof v === 'object'
      ? [
          base,
          ...Object.entries(v as object).flatMap(([k, c]) =>
            pointersOf(c, `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
          ),
        ]
      : [base];

  it.each([
    ['pretty', JSON.stringify(data, null, 2)],
    ['minified', JSON.stringify(data)],
    ['tabs and CRLF', JSON.stringify(data, null, '\t').replace(/\n/g, '\r\n')],
  ])('%s: every position equals the general loader’s', (_name, text) => {
    const fast = loadSnapshotText(text, { source: 'live.json' });
    expect(fast.diagnostics).toEqual([]);
    expect(fast.data).toEqual(data);
    const general = loadText(text, { source: 'live.json' });
    const all = pointersOf(data);
    fast.prefetch?.(all);
    for (const p of all) expect(fast.locate(p), p).toEqual(general.locate(p));
  });

  it('keys with escapes, and pointers that are not in the file (nearest ancestor)', () => {
    const text = '{\n  "a\\"b": {"x~y/z": [1, {"k": "v\\\\"}]},\n  "n": null\n}';
    const fast = loadSnapshotText(text, { source: 's' });
    const general = loadText(text, { source: 's' });
    for (const p of ['/a"b', '/a"b/x~0y~1z/1/k', '/n', '/a"b/missing/deeper', '/none'])
      expect(fast.locate(p), p).toEqual(general.locate(p));
  });

  it('YAML, and JSON with a syntax error, go to the general loader (its Japanese message)', () => {
    expect(loadSnapshotText('organization: x\n', { source: 's' }).prefetch).toBeUndefined();
    const broken = loadSnapshotText('{"organization": "x"', { source: 's' });
    expect(broken.prefetch).toBeUndefined();
    expect(broken.diagnostics[0]?.code).toBe('load/syntax');
  });

  it('a JSON snapshot gives the same findings as its YAML form, with lines in the JSON file', () => {
    const doc = loadText(
      readFileSync(new URL('../../assessments/kakuu-city-kaigo/assessment.yaml', import.meta.url), 'utf8'),
      { source: 'a.yaml' },
    );
    const fromYaml = checkAssessment({
      assessment: doc,
      snapshot: loadText(yamlText, { source: 'live' }),
    }).diagnostics;
    const jsonText = JSON.stringify(data, null, 2);
    const fromJson = checkAssessment({
      assessment: doc,
      snapshot: loadSnapshotText(jsonText, { source: 'live' }),
    }).diagnostics;
    const strip = (ds: typeof fromYaml) => ds.map((d) => ({ ...d, related: d.related?.map((r) => r.path) }));
    expect(strip(fromJson)).toEqual(strip(fromYaml));
    const general = loadText(jsonText, { source: 'live' });
    for (const d of fromJson)
      for (const r of d.related ?? []) expect(r.line).toBe(general.locate(r.path)?.line);
  });
});
