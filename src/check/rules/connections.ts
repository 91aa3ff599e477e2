// Matching a snapshot connection to the 評価書's 「③他のシステムとの接続」 of the same system. Shared by
// undeclared-connection and declared-connection-absent.
import type { CheckContext } from '../context.ts';
import type { DeclaredConnection } from '../declared.ts';
import { mentions, sameName } from '../names.ts';
import type { SnapshotConnection } from '../snapshot-types.ts';

/** Does the declared checkbox (with its 「( )」 text) cover this live connection? */
export function covers(ctx: CheckContext, d: DeclaredConnection, c: SnapshotConnection): boolean {
  const withDetail = ctx.choices.connectionDetailChoices.includes(d.choice);
  if (!withDetail) return c.category !== undefined ? c.category === d.choice : sameName(c.to, d.choice);
  // その他 (…): the text names the systems; a category other than その他 is not covered by it.
  if (c.category !== undefined && c.category !== d.choice) return false;
  return d.detail === undefined || mentions(d.detail, c.to);
}
