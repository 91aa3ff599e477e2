// decideThreshold: (対象人数, 取扱者数, 重大事故) → the assessments the law requires.
import { UsageError } from '../errors.ts';
import { pick, type Lang } from '../schema/lang.ts';
import { getRegistry } from '../schema/registry.ts';
import {
  ASSESSMENTS,
  DECISION_TABLE,
  HANDLERS_HIGH_INDEX,
  HANDLERS_THRESHOLD,
  PERSONS_BANDS,
  type Assessment,
} from './table.ts';

export interface ThresholdInput {
  /** 対象人数: people whose 特定個人情報 the 事務 handles. */
  persons: number;
  /** 取扱者数: staff (incl. contractors' staff) handling the files. */
  handlers: number;
  /** A 特定個人情報に関する重大事故 at the body within the past year. */
  incident?: boolean;
}

export interface ThresholdDecision {
  /** Always in the order 基礎, 重点, 全項目; empty when no assessment is required. */
  required: Assessment[];
}

function checkCount(name: string, v: unknown, lang: Lang): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new UsageError(pick(lang, `${name}を数値で指定してください`, `${name} must be a number`));
  }
  if (!Number.isInteger(v))
    throw new UsageError(
      pick(lang, `${name}は整数で指定してください (${v})`, `${name} must be an integer (${v})`),
    );
  if (v < 0)
    throw new UsageError(
      pick(lang, `${name}は 0 以上で指定してください (${v})`, `${name} must not be negative (${v})`),
    );
  return v;
}

/** Band index 0..4 (P0..P4) of a 対象人数 count. */
export function personsBandIndex(persons: number): number {
  const i = PERSONS_BANDS.findIndex((b) => persons >= b.min && persons < b.max);
  return i < 0 ? PERSONS_BANDS.length - 1 : i;
}

export function decideThreshold(input: ThresholdInput, lang: Lang = 'ja'): ThresholdDecision {
  const persons = checkCount(pick(lang, '対象人数', 'persons'), input.persons, lang);
  const handlers = checkCount(pick(lang, '取扱者数', 'handlers'), input.handlers, lang);
  const high = handlers >= HANDLERS_THRESHOLD || input.incident === true;
  return { required: [...DECISION_TABLE[personsBandIndex(persons)][high ? 0 : 1]] };
}

/**
 * Every outcome the table allows for a band when 取扱者数/重大事故 are unknown (重点/全項目 documents do
 * not record them): e.g. P3 → 基礎+重点 or 基礎+全項目.
 */
export function possibleRequirements(bandIndex: number, high?: boolean): Assessment[][] {
  const row = DECISION_TABLE[bandIndex];
  if (!row) return [];
  const outs = high === undefined ? [row[0], row[1]] : [row[high ? 0 : 1]];
  const uniq = new Map(outs.map((o) => [o.join('+'), [...o]]));
  return [...uniq.values()];
}

/**
 * Whether `recorded` is one of possibleRequirements(bandIndex, high) — the same answer without building the
 * list (it runs on every validation; the list is needed only for the message of a mismatch).
 */
export function isPossibleRequirement(
  bandIndex: number,
  high: boolean | undefined,
  recorded: readonly Assessment[],
): boolean {
  const row = DECISION_TABLE[bandIndex];
  if (!row) return false;
  if (high === undefined) return sameAssessments(row[0], recorded) || sameAssessments(row[1], recorded);
  return sameAssessments(row[high ? 0 : 1], recorded);
}

function sameAssessments(a: readonly Assessment[], b: readonly Assessment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The highest assessment of a requirement ('' when none). */
export function highestAssessment(required: readonly Assessment[]): Assessment | undefined {
  let best: Assessment | undefined;
  for (const a of required) if (!best || ASSESSMENTS.indexOf(a) > ASSESSMENTS.indexOf(best)) best = a;
  return best;
}

/** 「基礎項目評価及び重点項目評価」 — how the forms phrase a requirement. */
export function joinAssessments(required: readonly Assessment[], lang: Lang = 'ja'): string {
  if (lang === 'en') {
    const en: Record<Assessment, string> = {
      基礎項目評価: 'basic',
      重点項目評価: 'focused',
      全項目評価: 'full',
    };
    return required.map((a) => en[a]).join(' and ') + ' assessment';
  }
  return required.join('及び');
}

/** The 対象人数 選択肢 label of a count, read from the schema (defs `persons5`). */
export function personsBandLabel(persons: number): string {
  const i = personsBandIndex(persons);
  const labels = getRegistry().def('persons5')?.enum as string[] | undefined;
  return labels?.[i] ?? PERSONS_BANDS[i].id;
}

/** The 取扱者数 選択肢 label of a count, read from the schema (defs `handlers`). */
export function handlersBandLabel(handlers: number): string {
  const labels = getRegistry().def('handlers')?.enum as string[] | undefined;
  const high = handlers >= HANDLERS_THRESHOLD;
  const i = high ? HANDLERS_HIGH_INDEX : 1 - HANDLERS_HIGH_INDEX;
  return labels?.[i] ?? (high ? `>= ${HANDLERS_THRESHOLD}` : `< ${HANDLERS_THRESHOLD}`);
}

/** A Japanese (or English) explanation of a decision, for `pia threshold` text output. */
export function explainThreshold(
  input: ThresholdInput,
  decision: ThresholdDecision,
  lang: Lang = 'ja',
): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const lines = [
    pick(
      lang,
      `対象人数: ${n(input.persons)} 人 (${personsBandLabel(input.persons)})`,
      `Persons: ${n(input.persons)} (${personsBandLabel(input.persons)})`,
    ),
    pick(
      lang,
      `取扱者数: ${n(input.handlers)} 人 (${handlersBandLabel(input.handlers)})`,
      `Handlers: ${n(input.handlers)} (${handlersBandLabel(input.handlers)})`,
    ),
    pick(
      lang,
      `重大事故 (過去1年以内、特定個人情報): ${input.incident ? 'あり' : 'なし'}`,
      `Serious incident (past year): ${input.incident ? 'yes' : 'no'}`,
    ),
  ];
  if (decision.required.length === 0) {
    lines.push(
      pick(
        lang,
        'しきい値判断: 特定個人情報保護評価の実施は義務付けられません (任意に実施することはできます)。',
        'Result: no assessment is required (a voluntary one is allowed).',
      ),
    );
  } else {
    lines.push(
      pick(
        lang,
        `しきい値判断: ${joinAssessments(decision.required)}の実施が義務付けられます。`,
        `Result: ${joinAssessments(decision.required, 'en')} required.`,
      ),
    );
  }
  return lines.join('\n') + '\n';
}
