// Does the しきい値判断結果 a document records agree with what the table requires for its 対象人数 band
// (and, in a 基礎項目評価書, its 取扱者数 and 重大事故)? pia-domain.md §3.4. Labels and 選択肢 are read
// from the schema by enum index; only their meaning (RESULT_CHOICE_MEANING) lives in table.ts.
import { getAtPointer, parsePointer } from '../pointer.ts';
import { pick, type Lang } from '../schema/lang.ts';
import { resolveSchemaAt, type FormRef } from '../schema/navigate.ts';
import type { FormId } from '../types.ts';
import { highestAssessment, isPossibleRequirement, joinAssessments, possibleRequirements } from './decide.ts';
import {
  ASSESSMENTS,
  FORM_PATHS,
  HANDLERS_HIGH_INDEX,
  INCIDENT_OCCURRED_INDEX,
  RESULT_CHOICE_MEANING,
  SUBMITTED_FORMS_MEANING,
  type Assessment,
} from './table.ts';

export interface ThresholdFinding {
  path: string;
  message: string;
  severity?: 'error' | 'warning' | 'info';
  related?: { path: string }[];
}

const same = (a: readonly Assessment[], b: readonly Assessment[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const describe = (req: readonly Assessment[], lang: Lang) =>
  req.length === 0
    ? pick(lang, '評価の実施は義務付けられない', 'no assessment required')
    : joinAssessments(req, lang);

// By form key, then pointer: keyed by constant strings, so no key is concatenated per validation.
const enumCache = new Map<string, Map<string, string[] | undefined>>();

/** The 選択肢 of the item at `pointer` (from the schema). */
function choicesAt(form: FormRef, pointer: string): string[] | undefined {
  if (typeof form !== 'string') return resolveSchemaAt(form, pointer)?.enum as string[] | undefined;
  let byPointer = enumCache.get(form);
  if (!byPointer) enumCache.set(form, (byPointer = new Map()));
  if (byPointer.has(pointer)) return byPointer.get(pointer);
  const choices = resolveSchemaAt(form, pointer)?.enum as string[] | undefined;
  byPointer.set(pointer, choices);
  return choices;
}

/** The index of `value` among the 選択肢 at `pointer`, or -1 (not a string, or not a 選択肢). */
function choiceIndex(form: FormRef, pointer: string, value: unknown): number {
  if (typeof value !== 'string') return -1;
  const choices = choicesAt(form, pointer);
  return choices ? choices.indexOf(value) : -1;
}

const keyCache = new Map<string, string[]>();

/**
 * getAtPointer for the constant pointers of FORM_PATHS, split once: parsing them on every validation made
 * new key strings that had to be hashed before each property lookup. The pointers have no list indices.
 */
function read(doc: unknown, pointer: string): unknown {
  let keys = keyCache.get(pointer);
  if (!keys) {
    keys = parsePointer(pointer);
    if (keys.some((k) => /^(0|[1-9]\d*)$/.test(k))) return getAtPointer(doc, pointer);
    keyCache.set(pointer, keys);
  }
  let cur = doc;
  for (let i = 0; i < keys.length; i++) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !hasOwn.call(cur, keys[i]))
      return undefined;
    cur = (cur as Record<string, unknown>)[keys[i]];
  }
  return cur;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Findings about the recorded しきい値判断結果 of `doc` (a document of form `formId`). */
export function checkThresholdResult(
  doc: unknown,
  form: FormRef,
  formId: FormId,
  lang: Lang = 'ja',
): ThresholdFinding[] {
  const paths = FORM_PATHS[formId];
  const band = choiceIndex(form, paths.persons, read(doc, paths.persons));
  const resultIndex = choiceIndex(form, paths.result, read(doc, paths.result));
  if (band < 0 || resultIndex < 0) return []; // missing or not a 選択肢: completeness / schema report it
  const recorded = RESULT_CHOICE_MEANING[formId][resultIndex];
  if (!recorded) return [];
  const out: ThresholdFinding[] = [];

  let high: boolean | undefined;
  let handlers = -1;
  let incident = -1;
  if (formId === 'kiso') {
    const kp = FORM_PATHS.kiso;
    handlers = choiceIndex(form, kp.handlers, read(doc, kp.handlers));
    incident = choiceIndex(form, kp.incident, read(doc, kp.incident));
    if (handlers >= 0 && incident >= 0)
      high = handlers === HANDLERS_HIGH_INDEX || incident === INCIDENT_OCCURRED_INDEX;
  }
  // Messages, and the lists they quote, are built only for a finding.
  if (!isPossibleRequirement(band, high, recorded)) {
    const resultChoices = choicesAt(form, paths.result)!;
    const personsLabel = choicesAt(form, paths.persons)![band];
    let inputsText = pick(lang, `対象人数『${personsLabel}』`, `persons "${personsLabel}"`);
    if (high !== undefined) {
      const h = choicesAt(form, FORM_PATHS.kiso.handlers)![handlers];
      const inc = choicesAt(form, FORM_PATHS.kiso.incident)![incident];
      inputsText += pick(
        lang,
        `、取扱者数『${h}』、重大事故『${inc}』`,
        `, handlers "${h}", incident "${inc}"`,
      );
    }
    const possible = possibleRequirements(band, high);
    // Which 選択肢 would be right? Only when the band decides it alone.
    let hint = '';
    if (possible.length === 1) {
      const i = RESULT_CHOICE_MEANING[formId].findIndex((m) => same(m, possible[0]));
      if (i >= 0)
        hint = pick(lang, `『${resultChoices[i]}』を選んでください。`, ` Choose "${resultChoices[i]}".`);
    }
    const requiredText = possible.every((p) => p.length === 0)
      ? pick(lang, '義務付けられる評価はありません', 'no assessment is required')
      : pick(
          lang,
          `義務付けられるのは${possible.map((p) => `「${describe(p, lang)}」`).join('または')}です`,
          `the required assessment is ${possible.map((p) => `"${describe(p, lang)}"`).join(' or ')}`,
        );
    out.push({
      path: paths.result,
      severity: 'error',
      related: [{ path: paths.persons }],
      message: pick(
        lang,
        `しきい値判断結果『${resultChoices[resultIndex]}』は${inputsText}と合いません。この場合に${requiredText}。${hint}`.trim(),
        `The recorded result "${resultChoices[resultIndex]}" does not match ${inputsText}: ${requiredText}.${hint}`,
      ),
    });
  }

  // A voluntary higher assessment must be recorded with the 「(任意に…を実施)」 choice: that is what the
  // choice index already encodes for 重点/全項目; for 基礎, Ⅳ1 (the forms submitted) must reach the result.
  if (formId === 'kiso') {
    const kp = FORM_PATHS.kiso;
    const subIndex = choiceIndex(form, kp.submittedForms, read(doc, kp.submittedForms));
    if (subIndex >= 0) {
      const submitted = SUBMITTED_FORMS_MEANING[subIndex];
      const needed = highestAssessment(recorded);
      if (needed && ASSESSMENTS.indexOf(submitted) < ASSESSMENTS.indexOf(needed)) {
        out.push({
          path: kp.submittedForms,
          severity: 'error',
          related: [{ path: kp.result }],
          message: pick(
            lang,
            `提出する評価書『${choicesAt(form, kp.submittedForms)![subIndex]}』は、しきい値判断結果『${choicesAt(form, paths.result)![resultIndex]}』に足りません`,
            `The forms submitted ("${choicesAt(form, kp.submittedForms)![subIndex]}") fall short of the result "${choicesAt(form, paths.result)![resultIndex]}"`,
          ),
        });
      }
    }
  }
  return out;
}
