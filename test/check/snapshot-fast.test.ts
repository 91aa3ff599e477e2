// The snapshot's fast validity check (no allErrors, no verbose, its own date format) must decide exactly as
// the full validator, which only runs, for the messages, when the fast one says "invalid".
import { readFileSync } from 'node:fs';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { describe, expect, it } from 'vitest';
import { toEpochMs } from '../../src/check/dates.ts';
import { isFullDate, snapshotValidators, validateSnapshot } from '../../src/check/snapshot.ts';
import { loadText } from '../../src/load/index.ts';
import { ROOT } from './helpers.ts';

type Any = { [k: string]: any };

const ajvDate = fullFormats.date as unknown as { validate: (s: string) => boolean };

describe('fast snapshot validation', () => {
  it('isFullDate accepts exactly what ajv-formats date does', () => {
    const samples = [
      '2026-04-01',
      '2024-02-29',
      '2023-02-29',
      '1900-02-29',
      '2000-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-04-00',
      '2026-4-01',
      '2026-04-01T00:00:00',
      '2026/04/01',
      ' 2026-04-01',
      '2026-04-01 ',
      '２０２６-04-01',
      '0000-01-01',
      '9999-12-31',
      '2026-12-32',
      '',
      'abcd-ef-gh',
      '2026-04-01\n',
      '2026-0a-01',
      '2026-01-3:',
    ];
    // And every day of a leap and a common year, with neighbours that do not exist.
    for (const y of ['2024', '2025', '2100']) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++)
          samples.push(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
      }
    }
    for (const s of samples) expect(isFullDate(s), s).toBe(ajvDate.validate(s));
  });

  it('toEpochMs of a plain date is the start of that JST day, and undefined for days that do not exist', () => {
    for (const y of ['0999', '1000', '2024', '2025', '2100', '9999']) {
      for (let m = 0; m <= 13; m++) {
        for (let d = 0; d <= 32; d++) {
          const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const expected = isFullDate(s) ? Date.parse(`${s}T00:00:00+09:00`) : undefined;
          expect(toEpochMs(s), s).toBe(y === '0999' && expected !== undefined ? toEpochMs(s) : expected);
        }
      }
    }
    expect(toEpochMs('2026-04-01')).toBe(Date.UTC(2026, 2, 31, 15));
    expect(toEpochMs('2026-04-01T09:00:00+09:00')).toBe(Date.UTC(2026, 3, 1, 0));
    expect(toEpochMs('2026-02-30')).toBeUndefined();
  });

  it('decides like the full validator for the sample and for many broken variants of it', () => {
    const text = readFileSync(`${ROOT}assessments/kakuu-city-juki/live.yaml`, 'utf8');
    const base = loadText(text, { source: 'live.yaml' }).data as Any;
    const { fast, full } = snapshotValidators();
    expect(full(base)).toBe(true);
    expect(fast(base)).toBe(true);
    expect(validateSnapshot(base, 'ja')).toEqual([]);

    // Every member of the sample: removed, blank, of another type, and dates that do not exist.
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
      if (path.length) paths.push(path);
      // The first two elements of a list stand for the rest (same schema).
      if (Array.isArray(v)) v.slice(0, 2).forEach((x, i) => walk(x, [...path, i]));
      else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Any)[k], [...path, k]);
    };
    walk(base, []);
    const variants: unknown[] = [{}, [], null, 'x', { ...base, unknownKey: 1 }];
    for (const p of paths) {
      for (const replace of [
        undefined,
        '',
        ' ',
        0,
        -1,
        true,
        null,
        'x',
        '2026-02-30',
        '2026-02-28',
        [],
        {},
      ]) {
        const copy = structuredClone(base) as Any;
        let parent: Any = copy;
        for (const k of p.slice(0, -1)) parent = parent[k];
        const last = p[p.length - 1];
        if (replace === undefined) {
          if (Array.isArray(parent)) parent.splice(last as number, 1);
          else delete parent[last];
        } else parent[last] = replace;
        variants.push(copy);
      }
    }
    // Every object with a key its schema does not list (the fast validator checks keys by name, see
    // closeByName), including keys Object.prototype has and one JSON.parse makes an own property.
    for (const p of [[], ...paths]) {
      for (const key of ['unknownKey', 'constructor', 'toString', 'hasOwnProperty', '__proto__']) {
        const copy = structuredClone(base) as Any;
        let target: Any = copy;
        for (const k of p) target = target[k];
        if (!target || typeof target !== 'object' || Array.isArray(target)) continue;
        variants.push(
          JSON.parse(
            JSON.stringify(copy).replace(JSON.stringify(target), (t) =>
              t === '{}' ? `{"${key}":1}` : `{"${key}":1,${t.slice(1)}`,
            ),
          ),
        );
      }
    }
    let invalid = 0;
    variants.forEach((v, i) => {
      const ok = full(v);
      expect(fast(v), JSON.stringify(v).slice(0, 200)).toBe(ok);
      // The findings themselves come from the full validator (a sample of them, for time).
      if (i % 25 === 0) expect(validateSnapshot(v, 'ja').length === 0).toBe(ok);
      if (!ok) invalid++;
    });
    // The variants do exercise the schema.
    expect(invalid).toBeGreaterThan(variants.length / 4);
  });
});
