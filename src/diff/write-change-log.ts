// `pia diff --apply`: write the rows into the new version's changeLog, editing the YAML text through the
// yaml Document API so that the rest of the file (comments, key order, block scalars) stays as written.
// Rows of an earlier revision stay; the rows dated like this run's rows are replaced (running the command
// twice gives the same file).
import { isMap, isSeq, parseDocument, Scalar, YAMLMap, type Document } from 'yaml';
import { InputError } from '../errors.ts';
import { pick, type Lang } from '../schema/index.ts';
import type { ChangeRow } from '../types.ts';

const KEYS = ['date', 'item', 'before', 'after', 'timing', 'explanation'] as const;

export function writeChangeLog(text: string, rows: readonly ChangeRow[], opts: { source?: string; lang?: Lang } = {}): string {
  const lang = opts.lang ?? 'ja';
  const doc: Document = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new InputError(
      pick(lang, `変更箇所を書き込めません: YAML のマッピングとして読めません`, `cannot write the change log: not a YAML mapping`),
      opts.source,
    );
  }
  const dates = new Set(rows.map((r) => r.date));
  let seq = doc.get('changeLog', true);
  if (!isSeq(seq)) {
    doc.set('changeLog', doc.createNode([]));
    seq = doc.get('changeLog', true);
  }
  if (!isSeq(seq)) throw new InputError(pick(lang, 'changeLog を作れません', 'cannot create changeLog'), opts.source);
  seq.items = seq.items.filter((it) => {
    if (!isMap(it)) return true;
    const d = it.get('date');
    return !(typeof d === 'string' && dates.has(d));
  });
  for (const r of rows) {
    const m = new YAMLMap();
    for (const k of KEYS) {
      const v = String(r[k]);
      const s = new Scalar(v);
      // Multi-line cells as literal blocks, like the hand-written rows; everything else plain or quoted.
      if (v.includes('\n')) s.type = Scalar.BLOCK_LITERAL;
      m.set(k, s);
    }
    seq.items.push(m);
  }
  return doc.toString({ lineWidth: 0 });
}
