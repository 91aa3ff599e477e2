// Characters the extraction lost. When a printed label matches the form's own label only with one character
// missing (seed 000: 「入手の際に特定個人情報漏えい・紛失するリスク」 for the form's 「…特定個人情報が漏えい…」), the
// extraction of that document drops that character, and it drops it in the values too — where no schema
// label says what the text should be. The importer never repairs a value (it cannot know the original), but
// it must not pass such a value on silently either: every value that contains the form's own wording around
// that character, with the character missing, is listed in the report as uncertain, with the label that
// proved the loss. The value itself stays as the source has it.
import type { Json } from '../types.ts';
import type { ImportNote } from './assemble.ts';
import { labelKey } from './normalize.ts';

/** Characters of context on each side of the lost character: short enough to recur in prose, long enough to be specific. */
const BEFORE = 4;
const AFTER = 2;

/** The one character `title` has and `cell` lacks (compared as labels), or undefined when they differ otherwise. */
export function lostCharacter(cell: string, title: string): string | undefined {
  const c = [...labelKey(cell)];
  const t = [...labelKey(title)];
  if (t.length !== c.length + 1) return undefined;
  let i = 0;
  while (i < c.length && c[i] === t[i]) i++;
  for (let k = i; k < c.length; k++) if (c[k] !== t[k + 1]) return undefined;
  const ch = t[i];
  // Only a character of the text (a kana or kanji); a lost space or bracket says nothing about the values.
  return /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(ch) ? ch : undefined;
}

interface Phrase {
  /** The form's wording with the character missing, as the extraction would print it. */
  lost: string;
  /** The same wording as the form prints it. */
  whole: string;
}

/** From the form's labels, the wordings around each occurrence of `ch` (「個人情報が漏え」 → 「個人情報漏え」). */
function phrasesOf(ch: string, titles: readonly string[]): Phrase[] {
  const seen = new Map<string, Phrase>();
  for (const title of titles) {
    const t = [...title];
    for (let k = 0; k < t.length; k++) {
      if (t[k] !== ch) continue;
      const before = t.slice(Math.max(0, k - BEFORE), k).join('');
      const after = t.slice(k + 1, k + 1 + AFTER).join('');
      if ([...before].length < BEFORE || [...after].length < AFTER || /\s/.test(before + after)) continue;
      const lost = before + after;
      if (!seen.has(lost)) seen.set(lost, { lost, whole: before + ch + after });
    }
  }
  return [...seen.values()];
}

/**
 * Notes (kind 'uncertain') for the read values that show a lost character. `evidence`: lost character → the
 * printed label that proved the loss. `read`: the values as they go into the document, by JSON Pointer.
 */
export function noteLostCharacters(
  evidence: ReadonlyMap<string, string>,
  titles: readonly string[],
  read: readonly { pointer: string; value: Json }[],
): ImportNote[] {
  const notes: ImportNote[] = [];
  for (const [ch, label] of evidence) {
    const phrases = phrasesOf(ch, titles);
    if (!phrases.length) continue;
    const visit = (pointer: string, v: Json): void => {
      if (typeof v === 'string') {
        const hit = phrases.find((p) => v.includes(p.lost));
        if (hit)
          notes.push({
            pointer,
            message:
              `「${hit.lost}」は様式の文言「${hit.whole}」の「${ch}」が抽出で失われた可能性があります` +
              ` (この資料ではラベル「${label}」でも「${ch}」が失われています)。値は元資料のままです。元の PDF で確認してください`,
            kind: 'uncertain',
          });
      } else if (Array.isArray(v)) v.forEach((x, i) => visit(`${pointer}/${i}`, x));
      else if (v !== null && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) visit(`${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, x);
    };
    for (const { pointer, value } of read) visit(pointer, value);
  }
  return notes;
}
