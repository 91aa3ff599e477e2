// Matching a snapshot connection to the 評価書's 「③他のシステムとの接続」 of the same system. Shared by
// undeclared-connection and declared-connection-absent. The declared side (whether the choice carries a
// 「( )」 text, the normalised names) depends only on the 評価書 and is worked out once, with it
// (prepare.ts); per snapshot connection only its own name is normalised, once. Deciding every pair from
// the raw names (a list search and two name normalisations per pair) was ~4 µs of a ~110 µs check.
import type { Choices } from '../choices.ts';
import type { DeclaredConnection } from '../declared.ts';
import { keyMentions, normalizeName } from '../names.ts';
import type { SnapshotConnection } from '../snapshot-types.ts';

/** A declared connection with what matching it needs. */
export interface ConnectionMatcher {
  readonly declared: DeclaredConnection;
  /** A choice written with a 「( … )」 text (その他): the text names the systems. */
  readonly withDetail: boolean;
  /** normalizeName of the choice and of the text (undefined when there is none). */
  readonly choiceKey: string;
  readonly detailKey?: string;
}

export function connectionMatcher(choices: Choices, d: DeclaredConnection): ConnectionMatcher {
  return {
    declared: d,
    withDetail: choices.connectionDetailChoices.includes(d.choice),
    choiceKey: normalizeName(d.choice),
    ...(d.detail ? { detailKey: normalizeName(d.detail) } : {}),
  };
}

/** The key a live connection is matched by (normalizeName of its `to`; '' when it has none). */
export function liveConnectionKey(c: SnapshotConnection): string {
  return c.to ? normalizeName(c.to) : '';
}

/**
 * Does the declared checkbox (with its 「( )」 text) cover this live connection? `key` is
 * liveConnectionKey(c). Decides as sameName / mentions on the raw names (names.ts) would.
 */
export function covers(m: ConnectionMatcher, c: SnapshotConnection, key: string): boolean {
  const d = m.declared;
  if (!m.withDetail) {
    if (c.category !== undefined) return c.category === d.choice;
    return Boolean(c.to) && Boolean(d.choice) && key === m.choiceKey;
  }
  // その他 (…): the text names the systems; a category other than その他 is not covered by it.
  if (c.category !== undefined && c.category !== d.choice) return false;
  if (d.detail === undefined) return true;
  return m.detailKey !== undefined && Boolean(c.to) && keyMentions(m.detailKey, key);
}
