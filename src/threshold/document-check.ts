// Does the しきい値判断結果 a document records agree with what the table requires for its 対象人数 band
// (and, in a 基礎項目評価書, its 取扱者数 and 重大事故)? pia-domain.md §3.4. Labels and 選択肢 are read
// from the schema by enum index; only their meaning (RESULT_CHOICE_MEANING) lives in table.ts.
import { getAtPointer } from '../pointer.ts';
import { pick, type Lang } from '../schema/lang.ts';
import { resolveSchemaAt, type FormRef } from '../schema/navigate.ts';
import type { FormId } from '../types.ts';
import { highestAssessment, joinAssessments, possibleRequirements } from './decide.ts';
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

function enumIndex(
  form: FormRef,
  pointer: string,
  value: unknown,
): { index: number; choices: string[] } | undefined {
  if (typeof value !== 'string') return undefined;
  let choices: string[] | undefined;
  if (typeof form === 'string') {
    let byPointer = enumCache.get(form);
    if (!byPointer) enumCache.set(form, (byPointer = new Map()));
    if (byPointer.has(pointer)) choices = byPointer.get(pointer);
    else byPointer.set(pointer, (choices = resolveSchemaAt(form, pointer)?.enum as string[] | undefined));
  } else choices = resolveSchemaAt(form, pointer)?.enum as string[] | undefined;
  if (!choices || typeof value !== 'string') return undefined;
  const index = choices.indexOf(value);
  return index < 0 ? undefined : { index, choices };
}

/** Findings about the recorded しきい値判断結果 of `doc` (a document of form `formId`). */
export function checkThresholdResult(
  doc: unknown,
  form: FormRef,
  formId: FormId,
  lang: Lang = 'ja',
): ThresholdFinding[] {
  const paths = FORM_PATHS[formId];
  const persons = enumIndex(form, paths.persons, getAtPointer(doc, paths.persons));
  const result = enumIndex(form, paths.result, getAtPointer(doc, paths.result));
  if (!persons || !result) return []; // missing or not a 選択肢: completeness / schema report it
  const band = persons.index;
  const personsLabel = persons.choices[band];
  const recorded = RESULT_CHOICE_MEANING[formId][result.index];
  if (!recorded) return [];
  const out: ThresholdFinding[] = [];

  let high: boolean | undefined;
  let inputsText = pick(lang, `対象人数『${personsLabel}』`, `persons "${personsLabel}"`);
  if (formId === 'kiso') {
    const kp = FORM_PATHS.kiso;
    const h = enumIndex(form, kp.handlers, getAtPointer(doc, kp.handlers));
    const inc = enumIndex(form, kp.incident, getAtPointer(doc, kp.incident));
    if (h && inc) {
      high = h.index === HANDLERS_HIGH_INDEX || inc.index === INCIDENT_OCCURRED_INDEX;
      inputsText += pick(
        lang,
        `、取扱者数『${h.choices[h.index]}』、重大事故『${inc.choices[inc.index]}』`,
        `, handlers "${h.choices[h.index]}", incident "${inc.choices[inc.index]}"`,
      );
    }
  }
  const possible = possibleRequirements(band, high);
  if (!possible.some((p) => same(p, recorded))) {
    // Which 選択肢 would be right? Only when the band decides it alone.
    let hint = '';
    if (possible.length === 1) {
      const i = RESULT_CHOICE_MEANING[formId].findIndex((m) => same(m, possible[0]));
      if (i >= 0)
        hint = pick(lang, `『${result.choices[i]}』を選んでください。`, ` Choose "${result.choices[i]}".`);
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
        `しきい値判断結果『${result.choices[result.index]}』は${inputsText}と合いません。この場合に${requiredText}。${hint}`.trim(),
        `The recorded result "${result.choices[result.index]}" does not match ${inputsText}: ${requiredText}.${hint}`,
      ),
    });
  }

  // A voluntary higher assessment must be recorded with the 「(任意に…を実施)」 choice: that is what the
  // choice index already encodes for 重点/全項目; for 基礎, Ⅳ1 (the forms submitted) must reach the result.
  if (formId === 'kiso') {
    const kp = FORM_PATHS.kiso;
    const sub = enumIndex(form, kp.submittedForms, getAtPointer(doc, kp.submittedForms));
    if (sub) {
      const submitted = SUBMITTED_FORMS_MEANING[sub.index];
      const needed = highestAssessment(recorded);
      if (needed && ASSESSMENTS.indexOf(submitted) < ASSESSMENTS.indexOf(needed)) {
        out.push({
          path: kp.submittedForms,
          severity: 'error',
          related: [{ path: kp.result }],
          message: pick(
            lang,
            `提出する評価書『${sub.choices[sub.index]}』は、しきい値判断結果『${result.choices[result.index]}』に足りません`,
            `The forms submitted ("${sub.choices[sub.index]}") fall short of the result "${result.choices[result.index]}"`,
          ),
        });
      }
    }
  }
  return out;
}
