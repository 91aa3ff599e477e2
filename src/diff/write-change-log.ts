// `pia diff --apply`: write the rows into the new version's changeLog. Only the text of the top-level
// `changeLog:` entry is rewritten (through the yaml Document API, which keeps the comments inside it as far
// as it can); every other byte of the file stays as written. Rows of an earlier revision stay; rows dated
// like this run's rows are replaced, so running the command twice gives the same file.
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, type Node } from 'yaml';
import { InputError } from '../errors.ts';
import { pick, type Lang } from '../schema/index.ts';
import type { ChangeRow } from '../types.ts';

const KEYS = ['date', 'item', 'before', 'after', 'timing', 'explanation'] as const;

function rowNode(r: ChangeRow): YAMLMap {
  const m = new YAMLMap();
  for (const k of KEYS) {
    const v = String(r[k]);
    const s = new Scalar(v);
    // Multi-line cells as literal blocks, like hand-written rows.
    if (v.includes('\n')) s.type = Scalar.BLOCK_LITERAL;
    m.set(k, s);
  }
  return m;
}

/** The changeLog entry alone, rows merged, as YAML text starting with `changeLog:`. */
function changeLogText(segment: string, rows: readonly ChangeRow[]): string {
  const doc = parseDocument(segment || 'changeLog: []');
  const dates = new Set(rows.map((r) => r.date));
  let seq = doc.get('changeLog', true);
  if (!isSeq(seq)) {
    doc.set('changeLog', doc.createNode([]));
    seq = doc.get('changeLog', true);
  }
  if (!isSeq(seq)) throw new Error('changeLog');
  seq.flow = false;
  seq.items = seq.items.filter((it) => {
    if (!isMap(it)) return true;
    const d = it.get('date');
    return !(typeof d === 'string' && dates.has(d));
  });
  for (const r of rows) seq.items.push(rowNode(r));
  if (seq.items.length === 0) seq.flow = true;
  return doc.toString({ lineWidth: 0 });
}

export function writeChangeLog(text: string, rows: readonly ChangeRow[], opts: { source?: string; lang?: Lang } = {}): string {
  const lang = opts.lang ?? 'ja';
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new InputError(pick(lang, '変更箇所を書き込めません: YAML のマッピングとして読めません', 'cannot write the change log: not a YAML mapping'), opts.source);
  }
  if (text.trimStart().startsWith('{')) {
    // A JSON document: rewrite it whole (JSON has no comments to keep).
    const seq = doc.get('changeLog', true);
    const dates = new Set(rows.map((r) => r.date));
    const kept = isSeq(seq) ? (seq.toJSON() as ChangeRow[]).filter((r) => !dates.has(r.date)) : [];
    const data = doc.toJSON() as Record<string, unknown>;
    data.changeLog = [...kept, ...rows.map((r) => Object.fromEntries(KEYS.map((k) => [k, r[k]])))];
    return JSON.stringify(data, null, 2) + '\n';
  }
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'changeLog');
  if (!pair) {
    const sep = text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}${changeLogText('', rows)}`;
  }
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  const start = key.range?.[0] ?? 0;
  const end = value?.range?.[1] ?? key.range?.[1] ?? start;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const segment = text.slice(lineStart, end);
  let replacement = changeLogText(segment, rows);
  // The segment ended at the last value; whatever followed (a newline, trailing comments) is kept.
  if (replacement.endsWith('\n') && text.slice(end).startsWith('\n')) replacement = replacement.slice(0, -1);
  return text.slice(0, lineStart) + replacement + text.slice(end);
}
