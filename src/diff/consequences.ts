// What a revision means in law (pia-domain.md §2.4, §4, §5): whether the assessment must be carried out
// again before the change, the steps of that procedure for this form and kind of body, and whether the
// しきい値判断 result moved up (more persons, more handlers, a serious incident) so that a higher level of
// assessment is now required.
import { getAtPointer } from '../pointer.ts';
import { pick, resolveSchemaAt, type Lang } from '../schema/index.ts';
import {
  ASSESSMENTS,
  FORM_PATHS,
  highestAssessment,
  joinAssessments,
  possibleRequirements,
  RESULT_CHOICE_MEANING,
  type Assessment,
} from '../threshold/index.ts';
import type { FormId, Json } from '../types.ts';
import { SUBMITTED_FORMS_MEANING } from '../threshold/table.ts';
import { groupDigits } from '../report/number.ts';
import { itemLabel } from './labels.ts';
import type { ChangeSummary, ClassifiedRow, FormLevel, ItemChange, ProcedureStep, ThresholdChange } from './types.ts';

const LEVELS: FormLevel[] = ['none', 'kiso', 'juten', 'zenkomoku'];
const levelOf = (a: Assessment | undefined): FormLevel => (a ? LEVELS[ASSESSMENTS.indexOf(a) + 1] : 'none');
const rank = (l: FormLevel | undefined) => (l ? LEVELS.indexOf(l) : -1);
const ASSESSMENT_OF: Record<FormLevel, Assessment | undefined> = { none: undefined, kiso: '基礎項目評価', juten: '重点項目評価', zenkomoku: '全項目評価' };

/** The 「…評価」 name of a level, from the threshold table (one list of names). */
function levelName(l: FormLevel, lang: Lang): string {
  const a = ASSESSMENT_OF[l];
  return a ? joinAssessments([a], lang) : pick(lang, '評価の実施は義務付けられない', 'no assessment');
}

/** A procedure step's name as the form titles it (「2. 国民・住民等からの意見の聴取【任意】」 → 「国民・住民等からの意見の聴取」). */
function stepTitle(form: string, pointer: string): string | undefined {
  const t = resolveSchemaAt(form, pointer)?.title;
  if (typeof t !== 'string') return undefined;
  return t.replace(/^\d+\.\s*/, '').replace(/【[^】]*】/g, '').trim();
}

export function procedureFor(form: string, formId: FormId | undefined, orgType: string | undefined, reassess: boolean, lang: Lang): ProcedureStep[] {
  const submit: ProcedureStep = { step: pick(lang, '個人情報保護委員会への提出', 'submission to the PPC'), required: true };
  const publish: ProcedureStep = { step: pick(lang, '公表', 'publication'), required: true };
  if (!reassess) {
    return [
      {
        step: pick(lang, '評価書の修正', 'revision of the document'),
        required: true,
        note: pick(lang, '意見聴取・第三者点検は不要。「事前」の行は変更の前に、「事後」の行は変更後速やかに', 'no public comment or third-party review; 事前 rows before the change, 事後 rows promptly after'),
      },
      submit,
      publish,
    ];
  }
  const comment = stepTitle(form, '/procedure/publicComment') ?? pick(lang, '国民・住民等からの意見の聴取', 'public comment');
  const third = stepTitle(form, '/procedure/thirdParty') ?? pick(lang, '第三者点検', 'third-party review');
  if (formId === 'zenkomoku') {
    if (orgType === '行政機関等') {
      return [
        { step: comment, required: true, note: pick(lang, '原則30日以上', 'at least 30 days as a rule') },
        { step: stepTitle(form, '/procedure/ppcApproval') ?? pick(lang, '個人情報保護委員会の承認', 'PPC approval'), required: true },
        publish,
      ];
    }
    return [
      { step: comment, required: true, note: pick(lang, '原則30日以上 (短縮するときは特段の理由を評価書に記載)', 'at least 30 days as a rule (a shorter period needs a stated reason)') },
      { step: third, required: true, note: pick(lang, '個人情報保護審議会等の合議制の機関による点検', 'by a council such as the privacy council') },
      submit,
      publish,
    ];
  }
  if (formId === 'juten') {
    return [
      { step: comment, required: false },
      { step: third, required: false },
      submit,
      publish,
    ];
  }
  return [submit, publish];
}

interface ThresholdState {
  /** Lowest level the table allows for the inputs. */
  minimum: FormLevel | undefined;
  /** What the recorded しきい値判断結果 says is required. */
  recorded: FormLevel | undefined;
}

function enumIndex(form: string, pointer: string, v: unknown): number | undefined {
  const e = resolveSchemaAt(form, pointer)?.enum;
  if (!Array.isArray(e) || typeof v !== 'string') return undefined;
  const i = e.indexOf(v);
  return i < 0 ? undefined : i;
}

function thresholdState(form: string, formId: FormId, doc: Json): ThresholdState {
  const paths = FORM_PATHS[formId];
  const band = enumIndex(form, paths.persons, getAtPointer(doc, paths.persons));
  let high: boolean | undefined;
  if (formId === 'kiso') {
    const h = enumIndex(form, FORM_PATHS.kiso.handlers, getAtPointer(doc, FORM_PATHS.kiso.handlers));
    const inc = enumIndex(form, FORM_PATHS.kiso.incident, getAtPointer(doc, FORM_PATHS.kiso.incident));
    // Enum order: 「500人以上」 and 「発生あり」 first (threshold/table.ts).
    if (h !== undefined && inc !== undefined) high = h === 0 || inc === 0;
  }
  let minimum: FormLevel | undefined;
  if (band !== undefined) {
    const levels = possibleRequirements(band, high).map((r) => levelOf(highestAssessment(r)));
    minimum = levels.sort((a, b) => rank(a) - rank(b))[0];
  }
  const r = enumIndex(form, paths.result, getAtPointer(doc, paths.result));
  const meaning = r !== undefined ? RESULT_CHOICE_MEANING[formId][r] : undefined;
  return { minimum, recorded: meaning ? levelOf(highestAssessment(meaning)) : undefined };
}

function thresholdChange(form: string, formId: FormId, oldDoc: Json, newDoc: Json, changes: readonly ItemChange[], lang: Lang): ThresholdChange | undefined {
  const paths: string[] = Object.entries(FORM_PATHS[formId])
    .filter(([k]) => k !== 'submittedForms')
    .map(([, p]) => p);
  const inputs = paths.filter((p) => changes.some((c) => c.path === p || c.oldPath === p));
  if (inputs.length === 0) return undefined;
  const a = thresholdState(form, formId, oldDoc);
  const b = thresholdState(form, formId, newDoc);
  const required = (s: ThresholdState) => (rank(s.minimum) >= rank(s.recorded) ? s.minimum : s.recorded);
  const before = required(a);
  const after = required(b);
  // What the body has carried out: this document's level (重点/全項目); for 基礎, what it required before
  // or says it submitted (Ⅳ1 提出する特定個人情報保護評価書の種類).
  let performed: FormLevel | undefined = formId === 'kiso' ? before : formId;
  if (formId === 'kiso') {
    const p = FORM_PATHS.kiso.submittedForms;
    const i = enumIndex(form, p, getAtPointer(oldDoc, p));
    const submitted = i !== undefined ? levelOf(SUBMITTED_FORMS_MEANING[i]) : undefined;
    if (rank(submitted) > rank(performed)) performed = submitted;
  }
  const raised = rank(after) > rank(before);
  const missing = after !== undefined && rank(after) > rank(performed) ? after : undefined;
  const labels = inputs.map((p) => itemLabel({ form, oldDoc, newDoc }, p));
  const from = levelName(before ?? 'none', lang);
  const to = levelName(after ?? 'none', lang);
  let message: string;
  if (missing) {
    message = pick(
      lang,
      `しきい値判断の項目が変わり (${labels.join('、')})、義務付けられる評価が「${from}」から「${to}」に上がりました。${to}を新たに実施してください (意見聴取・第三者点検などその評価の手続を含む)。`,
      `The threshold items changed (${labels.join(', ')}): the required assessment rose from "${from}" to "${to}". Carry out that assessment, with its full procedure.`,
    );
  } else if (raised) {
    message = pick(
      lang,
      `しきい値判断の項目が変わり (${labels.join('、')})、義務付けられる評価が「${from}」から「${to}」に上がりましたが、実施済みの${levelName(performed ?? 'none', lang)}で足ります。しきい値判断結果の記載を確認してください。`,
      `The threshold items changed (${labels.join(', ')}): the required assessment rose from "${from}" to "${to}", which the assessment already carried out covers. Check the recorded threshold result.`,
    );
  } else {
    message = pick(
      lang,
      `しきい値判断の項目が変わりました (${labels.join('、')}) が、義務付けられる評価は上がっていません (${to})。`,
      `The threshold items changed (${labels.join(', ')}) but the required assessment did not rise (${to}).`,
    );
  }
  return { inputs, before, after, raised, ...(missing ? { missing } : {}), message };
}

/** A raised しきい値判断 means the procedure of the new, higher level. */
function effectiveLevel(formId: FormId | undefined, t: ThresholdChange | undefined): FormId | undefined {
  return t?.missing && t.missing !== 'none' ? t.missing : formId;
}

export function summarize(opts: {
  form: string;
  formId: FormId | undefined;
  formName: string;
  oldDoc: Json;
  newDoc: Json;
  changes: readonly ItemChange[];
  rows: readonly ClassifiedRow[];
  lang?: Lang;
}): ChangeSummary {
  const lang = opts.lang ?? 'ja';
  const org = getAtPointer(opts.newDoc, '/organization/type');
  const orgType = typeof org === 'string' ? org : undefined;
  const significantRows = opts.rows.filter((r) => r.kind === '重要な変更').length;
  const exceptionRows = opts.rows.filter((r) => r.kind === '例外').length;
  const otherRows = opts.rows.filter((r) => r.kind === '修正').length;
  const threshold = opts.formId ? thresholdChange(opts.form, opts.formId, opts.oldDoc, opts.newDoc, opts.changes, lang) : undefined;
  const needsReassessment = significantRows > 0 || Boolean(threshold?.missing);
  const consequences: string[] = [];
  const level = opts.formId && opts.formId !== 'kiso' ? levelName(opts.formId, lang) : undefined;
  if (opts.rows.length === 0) {
    consequences.push(pick(lang, '変更箇所はありません。', 'No changes.'));
  }
  if (significantRows > 0) {
    consequences.push(
      pick(
        lang,
        `重要な変更が ${groupDigits(significantRows)} 件あります。変更の前に${level ?? '評価'}を再実施し、手続 (下記) を終えてから変更してください。`,
        `${significantRows} significant change(s): carry out the ${level ?? 'assessment'} again, with the procedure below, before the change takes effect.`,
      ),
    );
  }
  if (threshold) consequences.push(threshold.message);
  const minor = exceptionRows + otherRows;
  if (minor > 0) {
    const after = opts.rows.filter((r) => r.kind !== '重要な変更' && r.timing === '事後').length;
    const kinds = [
      ...(exceptionRows ? [pick(lang, `重要な変更にあたらない変更が ${groupDigits(exceptionRows)} 件`, `${groupDigits(exceptionRows)} excepted`)] : []),
      ...(otherRows ? [pick(lang, `その他の項目の変更が ${groupDigits(otherRows)} 件`, `${groupDigits(otherRows)} other`)] : []),
    ].join(pick(lang, '、', ' and '));
    consequences.push(
      pick(
        lang,
        `${kinds}あります (評価書の修正)。${needsReassessment ? '再実施の評価書に含めて提出・公表します。' : '意見聴取・第三者点検は不要です。'}${after > 0 ? `うち ${groupDigits(after)} 件は事後 (変更後速やかに提出・公表)。` : ''}`,
        `${kinds} change(s) (a revision of the document).${after > 0 ? ` ${after} of them after the change.` : ''}`,
      ),
    );
  }
  return {
    form: opts.formName,
    organizationType: orgType,
    rows: opts.rows.length,
    significantRows,
    exceptionRows,
    otherRows,
    needsReassessment,
    consequences,
    procedure: opts.rows.length === 0 && !threshold ? [] : procedureFor(opts.form, effectiveLevel(opts.formId, threshold), orgType, needsReassessment, lang),
    ...(threshold ? { threshold } : {}),
  };
}
