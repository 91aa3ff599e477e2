// Matching recorded columns to the declared 記録項目 ((別添) list): 「接種券番号(※)」, 「・氏名」, 「1. 氏名」 name
// the items 接種券番号 and 氏名. Shared by the prepared 評価書 (the declared side) and undeclared-record-item
// (the snapshot side, where 200 data stores × 20 columns repeat the same few dozen names).
import { normalizeName } from './names.ts';

const keysOf = new Map<string, readonly string[]>();

/** The keys an item is compared by: its normalised name, and without a trailing 「( … )」 remark. */
export function recordItemKeys(item: string): readonly string[] {
  let keys = keysOf.get(item);
  if (keys === undefined) {
    const base = normalizeName(item).replace(/^(\d+[.、)]|[・･\-*])/, '');
    const bare = base.replace(/\(.*?\)$/, '');
    keys = bare && bare !== base ? [base, bare] : [base];
    if (keysOf.size > 100_000) keysOf.clear();
    keysOf.set(item, keys);
  }
  return keys;
}
