// Order-preserving alignment of two sequences (repeated entries, measure blocks, measure parts). A monotone
// alignment is what the form shows (委託事項 keep their order; a new one is inserted or appended) and it is
// what makes the changes applicable again: removals, then insertions, then replacements (apply-changes.ts).

export type Step = { old?: number; new?: number };

/**
 * Pairs of indices maximising the total score; a pair is allowed only when `score > 0`. Unpaired old
 * entries are removals, unpaired new entries insertions. Ties prefer pairing, then removals before
 * insertions, so an edit in place stays a replacement.
 */
export function alignSequences<A, B>(a: readonly A[], b: readonly B[], score: (x: A, y: B) => number): Step[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((_, j) => ({ new: j }));
  if (m === 0) return a.map((_, i) => ({ old: i }));
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
      out.push({ old: i, new: j });
      i++;
      j++;
    } else if (Math.abs(dp[i][j] - dp[i + 1][j]) < eps) {
      out.push({ old: i });
      i++;
    } else {
      out.push({ new: j });
      j++;
    }
  }
  for (; i < n; i++) out.push({ old: i });
  for (; j < m; j++) out.push({ new: j });
  return out;
}

/** Dice coefficient of character bigrams: 1 for equal texts, near 0 for unrelated ones. */
export function textSimilarity(x: string, y: string): number {
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const grams = new Map<string, number>();
  for (let i = 0; i < x.length - 1; i++) {
    const g = x.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let common = 0;
  for (let i = 0; i < y.length - 1; i++) {
    const g = y.slice(i, i + 2);
    const c = grams.get(g);
    if (c) {
      common++;
      grams.set(g, c - 1);
    }
  }
  return (2 * common) / (x.length - 1 + (y.length - 1));
}
