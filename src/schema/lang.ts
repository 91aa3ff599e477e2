// Message language. Japanese is the default everywhere; English exists for drivers that offer --lang en.
// (Kept here because schema/ is the lowest module that produces user text; lift to src/types.ts if the
// lead prefers.)

export type Lang = 'ja' | 'en';

export const LANGS: readonly Lang[] = ['ja', 'en'];

/** Pick the message for `lang`. Both texts are always written together so neither goes stale. */
export function pick(lang: Lang | undefined, ja: string, en: string): string {
  return lang === 'en' ? en : ja;
}
