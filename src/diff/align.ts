// Order-preserving alignment of two sequences (repeated entries, measure blocks, measure parts). A monotone
// alignment is what the form shows (委託事項 keep their order; a new one is inserted or appended) and it is
// what makes the changes applicable again: removals, then insertions, then replacements (apply-changes.ts).

export type Step = { old?: number; new?: number };

/**
 * Pairs of indices maximising the total score; a pair is allowed only when `score > 0`. Unpaired old
 * entries are removals, unpaired new entries insertions. Ties prefer pairing, then removals before
 * insertions, so an edit in place stays a replacement. With `equal`, equal runs at both ends are paired
 * first, and a single entry left between them on each side is paired without scoring.
 */
export function alignSequences<A, B>(
  a: readonly A[],
  b: readonly B[],
  score: (x: A, y: B) => number,
  equal?: (x: A, y: B) => boolean,
): Step[] {
  if (!equal) return alignMiddle(a, b, score, 0, 0);
  // Equal runs at both ends pair up without scoring: a revision usually touches one part in the middle.
  let p = 0;
  while (p < a.length && p < b.length && equal(a[p], b[p])) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && equal(a[a.length - 1 - s], b[b.length - 1 - s])) s++;
  const head: Step[] = [];
  for (let i = 0; i < p; i++) head.push({ old: i, new: i });
  const middle = alignMiddle(a.slice(p, a.length - s), b.slice(p, b.length - s), score, p, p);
  const tail: Step[] = [];
  for (let k = s; k > 0; k--) tail.push({ old: a.length - k, new: b.length - k });
  return [...head, ...middle, ...tail];
}

function alignMiddle<A, B>(a: readonly A[], b: readonly B[], score: (x: A, y: B) => number, offA: number, offB: number): Step[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((_, j) => ({ new: j + offB }));
  if (m === 0) return a.map((_, i) => ({ old: i + offA }));
  // One entry replaced by one at the same place: the same entry, edited (its items show what changed).
  if (n === 1 && m === 1) return [{ old: offA, new: offB }];
  // As many on each side and each alike its counterpart: edits in place, no need to try other pairings.
  if (n === m) {
    let diagonal = true;
    for (let i = 0; i < n && diagonal; i++) diagonal = score(a[i], b[i]) > 0;
    if (diagonal) return a.map((_, i) => ({ old: i + offA, new: i + offB }));
  }
  const s: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < m; j++) row.push(score(a[i], b[j]));
    s.push(row);
  }
  // dp[i][j]: best total for a[i..], b[j..] (suffixes), so the traceback runs forwards.
  const dp: Float64Array[] = [];
  for (let i = 0; i <= n; i++) dp.push(new Float64Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      let best = Math.max(dp[i + 1][j], dp[i][j + 1]);
      if (s[i][j] > 0) best = Math.max(best, dp[i + 1][j + 1] + s[i][j]);
      dp[i][j] = best;
    }
  }
  const out: Step[] = [];
  let i = 0;
  let j = 0;
  const eps = 1e-9;
  while (i < n && j < m) {
    if (s[i][j] > 0 && Math.abs(dp[i][j] - (dp[i + 1][j + 1] + s[i][j])) < eps) {
      out.push({ old: i + offA, new: j + offB });
      i++;
      j++;
    } else if (Math.abs(dp[i][j] - dp[i + 1][j]) < eps) {
      out.push({ old: i + offA });
      i++;
    } else {
      out.push({ new: j + offB });
      j++;
    }
  }
  for (; i < n; i++) out.push({ old: i + offA });
  for (; j < m; j++) out.push({ new: j + offB });
  return out;
}

/** Dice coefficient of character bigrams: 1 for equal texts, near 0 for unrelated ones. */
export function textSimilarity(x: string, y: string): number {
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  // An edit in one place leaves a long common head and tail: measured without allocating anything.
  const max = Math.max(x.length, y.length);
  const min = Math.min(x.length, y.length);
  let p = 0;
  while (p < min && x.charCodeAt(p) === y.charCodeAt(p)) p++;
  let s = 0;
  while (s < min - p && x.charCodeAt(x.length - 1 - s) === y.charCodeAt(y.length - 1 - s)) s++;
  const framed = (p + s) / max;
  if (framed >= 0.5) return framed;
  // Long texts: the bigrams of their first and last 300 characters are enough to tell alike from unlike.
  if (x.length > 600) x = x.slice(0, 300) + x.slice(-300);
  if (y.length > 600) y = y.slice(0, 300) + y.slice(-300);
  // Bigrams as numbers (two UTF-16 units), counted in a Map: no substring allocation per bigram.
  const grams = new Map<number, number>();
  for (let i = 0; i < x.length - 1; i++) {
    const g = x.charCodeAt(i) * 65536 + x.charCodeAt(i + 1);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let common = 0;
  for (let i = 0; i < y.length - 1; i++) {
    const g = y.charCodeAt(i) * 65536 + y.charCodeAt(i + 1);
    const c = grams.get(g);
    if (c) {
      common++;
      grams.set(g, c - 1);
    }
  }
  return (2 * common) / (x.length - 1 + (y.length - 1));
}
