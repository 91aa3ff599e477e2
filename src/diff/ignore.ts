// What the 変更箇所 does not list. Each of these is about the document or its publication, not an item
// whose content the 評価 covers:
//  - `changeLog` is the table itself;
//  - `status` (素案/案/提出/公表), `$schema`, `form`/`formVersion` (checked to be equal before diffing);
//  - `organization` (engine metadata: the id that ties live snapshots, the body's type);
//  - `cover.publishedDate` / `cover.approvalDate`: every revision has new ones (seed 001's twelve rows do
//    not list its new 公表日);
//  - `nonPublic` (which items the 公表用 version hides), `sourceGaps` (which items an encoded sample lacks)
//    and `appendices` (用語集 and other additions outside the 様式): none is an item of the form;
//  - inside a measure block, `controls`, `attestation` and `system`: machine bindings, not printed text
//    (measure blocks are compared by their heading and parts only; see diff-documents.ts).

const IGNORED_TOP = new Set(['$schema', 'form', 'formVersion', 'status', 'organization', 'nonPublic', 'sourceGaps', 'appendices', 'changeLog']);
const IGNORED_COVER = new Set(['publishedDate', 'approvalDate']);

/** `tokens` of a pointer into a document (new or old). */
export function isIgnoredPath(tokens: readonly (string | number)[]): boolean {
  if (tokens.length === 0) return false;
  return isIgnoredKey(String(tokens[0]), tokens.length >= 2 ? String(tokens[1]) : undefined);
}

/** The same decision from the first two keys of the pointer. */
export function isIgnoredKey(top: string, second: string | undefined): boolean {
  if (IGNORED_TOP.has(top)) return true;
  return top === 'cover' && second !== undefined && IGNORED_COVER.has(second);
}

/** The top-level keys and cover keys ignored, for the documentation and the apply round-trip test. */
export const IGNORED_PATHS: readonly string[] = [
  ...[...IGNORED_TOP].map((k) => `/${k}`),
  ...[...IGNORED_COVER].map((k) => `/cover/${k}`),
];
