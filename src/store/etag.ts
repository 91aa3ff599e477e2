// Entity tags of versions. Every backend must produce the same ETag for the same (number, document), so a
// client holding an ETag from one server process (or from before a migration) still gets a correct 412.

/** Strong ETag of version `number` whose stored document bytes hash to `docHash` (SHA-256 hex). */
export function makeEtag(number: number, docHash: string): string {
  return `"${number}-${docHash.slice(0, 20)}"`;
}

/**
 * RFC 9110 If-Match with strong comparison: `*` matches any existing version; a list matches if one entity
 * tag equals the current one. Weak tags (W/"…") never match. A bare value without quotes is accepted too,
 * for command lines where quoting is awkward.
 */
export function etagMatches(ifMatch: string, current: string | null): boolean {
  const value = ifMatch.trim();
  if (value === '*') return current !== null;
  if (current === null) return false;
  return value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '' && !t.startsWith('W/'))
    .some((t) => t === current || `"${t}"` === current);
}
