// A collected snapshot is checked against its schema before it is written: a source that yields a value the
// schema refuses (an impossible date in an export) is the user's input problem, said here with the pointer,
// rather than a 「スナップショットがスキーマに合わない」 finding later in CI.
import { validateSnapshot } from '../check/snapshot.ts';
import { InputError } from '../errors.ts';
import type { Lang } from '../schema/lang.ts';
import type { Rec } from './snapshot-builder.ts';

export function validateCollected(snapshot: Rec, source: string, lang: Lang = 'ja'): void {
  const problems = validateSnapshot(snapshot, lang);
  if (!problems.length) return;
  const shown = problems.slice(0, 10).map((d) => `  ${d.path}: ${d.message}`);
  if (problems.length > 10) shown.push(`  ほか ${problems.length - 10} 件`);
  throw new InputError(
    `${source}: 集めた構成がライブ構成のスキーマに合いません:\n${shown.join('\n')}`,
    source,
  );
}
