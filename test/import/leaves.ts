// Leaf-by-leaf agreement between an imported document and a reference encoding (test helper).
import type { Json } from '../../src/types.ts';

/** Keys the printed form does not show (a measure block's `system` link, controls, attestations) (so no import can read them back) or that record the encoder's notes. */
const NOT_PRINTED = [/^\/\$schema$/, /^\/organization(\/|$)/, /^\/status$/, /^\/nonPublic(\/|$)/, /^\/sourceGaps(\/|$)/, /\/controls(\/|$)/, /\/attestation(\/|$)/, /\/\d+\/system$/];

export function flattenLeaves(v: Json | undefined, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  if (Array.isArray(v)) v.forEach((x, i) => flattenLeaves(x, `${prefix}/${i}`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) flattenLeaves(x, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  else if (v !== undefined) out.set(prefix, v);
  return out;
}

export interface Agreement {
  total: number;
  same: number;
  /** Same after NFKC and without whitespace (line breaks restored differently). */
  sameLoose: number;
  differ: { pointer: string; expected: Json; actual: Json | undefined }[];
  extra: string[];
}

const loose = (v: Json | undefined): string => (typeof v === 'string' ? v.normalize('NFKC').replace(/\s+/g, '') : JSON.stringify(v));

export function compareLeaves(expected: Json, actual: Json): Agreement {
  const e = flattenLeaves(expected);
  const a = flattenLeaves(actual);
  const printed = (p: string): boolean => !NOT_PRINTED.some((r) => r.test(p));
  let total = 0;
  let same = 0;
  let sameLoose = 0;
  const differ: Agreement['differ'] = [];
  for (const [p, v] of e) {
    if (!printed(p)) continue;
    total++;
    const got = a.get(p);
    if (got === v) same++;
    if (loose(got) === loose(v)) sameLoose++;
    else differ.push({ pointer: p, expected: v, actual: got });
  }
  const extra = [...a.keys()].filter((p) => printed(p) && !e.has(p));
  return { total, same, sameLoose, differ, extra };
}
