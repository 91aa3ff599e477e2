// The legal consequence of a finding (check/, diff/) and everything derived from it, in ONE table: its
// name in each language, its weight in the sort order, the severity (and so the exit code and the SARIF /
// JUnit level) it carries, and the action sentence a message may end with. Rules pick a consequence;
// nothing else picks a severity for them, so a tag, a severity and an action can never disagree.
import { pick, type Lang } from '../schema/lang.ts';
import type { Consequence, Severity } from '../types.ts';

export interface ConsequenceInfo {
  /** Name in English (the Japanese name is the Consequence itself). */
  en: string;
  /** The severity every finding with this consequence carries (exit code, SARIF level, JUnit failure). */
  severity: Severity;
  /** What the law asks for, one line (README table, SARIF help). */
  meaning: { ja: string; en: string };
  /**
   * The action sentence of a message with this consequence. Rule messages that advise an action take it
   * from here (actionFor), so a 重要な変更 never says 「評価書を修正してください」.
   */
  action: { ja: string; en: string };
}

/**
 * In weight order: a finding that requires a new, higher assessment first; one that stops the change until
 * the assessment is carried out again; a system that breaks the declared measures; a document to correct;
 * what cannot be confirmed. Severity: error = the configuration must not stay or go live as it is (exit 1
 * by default), warning = the 評価書 must be corrected promptly (fails with --fail-on warning), info = not a
 * finding of non-compliance, but no evidence either (fails with --fail-on info).
 */
export const CONSEQUENCES: Readonly<Record<Consequence, ConsequenceInfo>> = {
  要再評価: {
    en: 'higher assessment required',
    severity: 'error',
    meaning: {
      ja: 'しきい値判断の結果、より上位の評価 (重点・全項目) が必要になった。この構成で稼働させる前にその評価を実施する',
      en: 'The threshold assessment now requires a higher assessment; carry it out before this configuration goes live',
    },
    action: {
      ja: 'この構成で稼働させる前に、より上位の評価を実施してください',
      en: 'carry out the higher assessment before this configuration goes live',
    },
  },
  重要な変更: {
    en: 'significant change',
    severity: 'error',
    meaning: {
      ja: '※の項目に当たる。この構成で稼働させる前に評価を再実施する (例外に当たるかは人の判断)',
      en: 'A ※ item is affected; carry out the assessment again before this configuration goes live',
    },
    action: {
      ja: '※の項目の変更に当たるため、評価を再実施してください (例外に当たるかは人の判断です)',
      en: 'this changes a ※ item: carry out the assessment again (whether an exception applies is a human judgement)',
    },
  },
  違反: {
    en: 'violation',
    severity: 'error',
    meaning: {
      ja: '評価書に記載した措置にシステムが反している。システムを直す',
      en: 'The system breaks a measure the assessment declares; fix the system',
    },
    action: {
      ja: '評価書に記載した措置どおりにシステムを直してください',
      en: 'bring the system in line with the declared measure',
    },
  },
  修正: {
    en: 'correction',
    severity: 'warning',
    meaning: {
      ja: '評価書を速やかに修正する (※でない項目。稼働は止めない)',
      en: 'Correct the assessment promptly (not a ※ item; the system may keep running)',
    },
    action: { ja: '評価書を修正してください', en: 'correct the assessment' },
  },
  情報: {
    en: 'cannot be confirmed',
    severity: 'info',
    meaning: {
      ja: '確認できない: ライブ構成に判断に必要な事実がない、または例外承認に関する知らせ。合格ではない',
      en: 'Cannot be confirmed: the snapshot lacks the facts, or a note about a waiver. Not a pass',
    },
    action: {
      ja: 'ライブ構成に確認に必要な事実を含めてください',
      en: 'include the facts needed to confirm it in the snapshot',
    },
  },
};

/** Sort weight (0 first). Findings without a consequence (validation, load) come after all of them. */
export const CONSEQUENCE_ORDER: readonly Consequence[] = ['要再評価', '重要な変更', '違反', '修正', '情報'];

export function consequenceWeight(c: Consequence | undefined): number {
  return c === undefined ? CONSEQUENCE_ORDER.length : CONSEQUENCE_ORDER.indexOf(c);
}

/** THE severity of a finding with this consequence. */
export function severityOf(c: Consequence): Severity {
  return CONSEQUENCES[c].severity;
}

/** 「重要な変更」 / "significant change". */
export function consequenceName(c: Consequence, lang: Lang = 'ja'): string {
  return pick(lang, c, CONSEQUENCES[c].en);
}

/** 〈重要な変更〉 in Japanese, [significant change] in English: the tag every format prints. */
export function consequenceTag(c: Consequence, lang: Lang = 'ja'): string {
  return pick(lang, `〈${c}〉`, `[${CONSEQUENCES[c].en}]`);
}

/** The action sentence for a message with this consequence (no final 。). */
export function actionFor(c: Consequence, lang: Lang = 'ja'): string {
  return pick(lang, CONSEQUENCES[c].action.ja, CONSEQUENCES[c].action.en);
}

/** Every action sentence except this consequence's own: a message with `c` must contain none of them. */
export function foreignActions(c: Consequence): string[] {
  return (Object.keys(CONSEQUENCES) as Consequence[])
    .filter((o) => o !== c)
    .flatMap((o) => [CONSEQUENCES[o].action.ja, CONSEQUENCES[o].action.en]);
}
