// Matching names written by two different people: the officer who wrote the 評価書 and the operator who
// exported the snapshot. Full-width/half-width, spaces and letter case are not differences of meaning
// (「ワクチン接種記録システム（VRS）」 = 「ワクチン接種記録システム(VRS)」); anything else is.

const normalized = new Map<string, string>();

/** NFKC, no whitespace, lower-case: the key two names are compared by. */
export function normalizeName(s: string): string {
  // Memoised: a snapshot repeats the same few hundred names across 10,000s of entries.
  let n = normalized.get(s);
  if (n === undefined) {
    n = s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
    if (normalized.size > 100_000) normalized.clear();
    normalized.set(s, n);
  }
  return n;
}

export function sameName(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return normalizeName(a) === normalizeName(b);
}

/**
 * `name` appears inside free text (「その他 (健康管理システム)」, 「③システムの名称」 of a 基礎 document that lists
 * several systems in one sentence). Used only where the form itself gives free text, never for names
 * that have their own item.
 */
export function mentions(text: string | undefined, name: string | undefined): boolean {
  if (!text || !name) return false;
  return keyMentions(normalizeName(text), normalizeName(name));
}

/** mentions() on names already normalised (normalizeName), for callers that keep the keys. */
export function keyMentions(textKey: string, nameKey: string): boolean {
  return nameKey.length > 0 && textKey.includes(nameKey);
}

const DEFINED_AS = /[(（]以下[、,]?「([^」]+)」という。?[)）]/;

/**
 * The names a document gives one thing: 「既存住民基本台帳システム(以下「既存住基システム」という。)」 is
 * 既存住民基本台帳システム, also called 既存住基システム (the drafting convention that defines an abbreviation).
 */
export function nameVariants(name: string): string[] {
  const m = DEFINED_AS.exec(name);
  if (!m) return [name];
  return [name.replace(DEFINED_AS, '').trim(), m[1]];
}

const keysOfName = new Map<string, readonly string[]>();

/**
 * normalizeName of every nameVariants of a name, memoised: the rules and the control bindings look up the
 * 評価書's system names in every check (~40 times for kakuu-city-juki), each a regular expression match.
 */
export function nameKeys(name: string): readonly string[] {
  let keys = keysOfName.get(name);
  if (keys === undefined) {
    keys = Object.freeze(nameVariants(name).map(normalizeName));
    if (keysOfName.size > 100_000) keysOfName.clear();
    keysOfName.set(name, keys);
  }
  return keys;
}
