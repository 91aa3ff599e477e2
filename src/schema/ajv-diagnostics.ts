// Ajv errors → Diagnostics in our own words. Ajv's messages ("must be equal to one of the allowed values")
// are for developers; an officer needs the offending value, the 選択肢 to choose from and the item's label.
// `required` is not handled here: completeness (consistency/completeness.ts) reports 未記載, including
// present-but-empty values and the items that do not apply.
import type { ErrorObject } from 'ajv';
import { appendPointer, parsePointer } from '../pointer.ts';
import type { Diagnostic } from '../types.ts';
import { describeJsonType } from '../load/messages.ts';
import { describeDateProblem, parseUserDate } from '../load/user-dates.ts';
import { SCHEMA_CODES } from './codes.ts';
import { FILLED_KEYWORD } from './filled-keyword.ts';
import { pick, type Lang } from './lang.ts';
import { formatLabelPath, labelPath, resolveSchemaAt, type FormRef } from './navigate.ts';
import { suggestNearest } from './suggest.ts';

export interface AjvDiagnosticOptions {
  form: FormRef;
  lang?: Lang;
}

const q = (v: unknown) => `『${shown(v)}』`;
const qe = (v: unknown) => `"${shown(v)}"`;

export function listChoices(choices: readonly unknown[]): string {
  return choices.map((c, i) => `${i + 1}) ${String(c)}`).join(' ');
}

/** NFKC + no whitespace: 「（任意）」 and 「(任意)」, 「十分である 」 and 「十分である」 compare equal. */
function looseKey(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

const ERA_START: Record<string, number> = { 令和: 2018, 平成: 1988, 昭和: 1925 };

/** 「令和3年4月12日」 → 2021-04-12 (for a hint only). */
export function warekiToIso(s: string): string | undefined {
  const m = /^(令和|平成|昭和)\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/.exec(
    s.normalize('NFKC').trim(),
  );
  if (!m) return undefined;
  const year = ERA_START[m[1]] + (m[2] === '元' ? 1 : Number(m[2]));
  const mm = Number(m[3]);
  const dd = Number(m[4]);
  if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return undefined;
  return `${year}-${String(mm).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
}

function typeName(t: string, lang: Lang): string {
  switch (t) {
    case 'string':
      return pick(lang, '文字列', 'a string');
    case 'integer':
      return pick(lang, '整数', 'an integer');
    case 'number':
      return pick(lang, '数値', 'a number');
    case 'boolean':
      return pick(lang, 'true または false', 'true or false');
    case 'array':
      return pick(lang, '一覧 (「- 」で始まる行の並び)', 'a list ("- " items)');
    case 'object':
      return pick(lang, '「項目名: 値」の対応表', 'a mapping of "key: value"');
    case 'null':
      return pick(lang, '空の値', 'null');
    default:
      return t;
  }
}

function isPropertyPointer(pointer: string): boolean {
  const tokens = parsePointer(pointer);
  return tokens.length > 0 && !/^(0|[1-9]\d*)$/.test(tokens[tokens.length - 1]);
}

/**
 * Findings per code at most. A hostile or broken document (100,000 misspelt keys, a generated list of
 * 100,000 wrong values) would otherwise give as many findings — each one a label walk, a message and, for
 * unknown keys, an edit-distance search — and a report nobody reads. Past the bound the errors of that code
 * are only counted, and one summary finding per code says how many were left out.
 */
export const MAX_FINDINGS_PER_CODE = 200;
/** No "did you mean" for keys longer than this: form keys are short, and the distance costs len × len. */
const MAX_SUGGEST_KEY_CHARS = 64;
/** …nor among more candidates than this (no form object has nearly as many properties). */
const MAX_SUGGEST_CANDIDATES = 500;

/** The code each Ajv keyword is reported under (the switch below; `schema/invalid` otherwise). */
const CODE_OF_KEYWORD: Readonly<Record<string, string>> = {
  enum: 'schema/enum',
  const: 'schema/const',
  additionalProperties: 'schema/additional-property',
  type: 'schema/type',
  format: 'schema/format',
  pattern: 'schema/pattern',
  minimum: 'schema/range',
  exclusiveMinimum: 'schema/range',
  maximum: 'schema/range',
  exclusiveMaximum: 'schema/range',
  minItems: 'schema/min-items',
  maxItems: 'schema/max-items',
  uniqueItems: 'schema/unique-items',
  minLength: 'schema/length',
  maxLength: 'schema/length',
};

/** The shortened value shown in a message: a megabyte-long value is not quoted whole. */
const MAX_QUOTED_CHARS = 200;
function shown(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  if (typeof s !== 'string') return String(s);
  return s.length > MAX_QUOTED_CHARS ? `${s.slice(0, MAX_QUOTED_CHARS)}…` : s;
}

export function ajvErrorsToDiagnostics(
  errors: readonly ErrorObject[] | null | undefined,
  opts: AjvDiagnosticOptions,
): Diagnostic[] {
  if (!errors || errors.length === 0) return [];
  const lang = opts.lang ?? 'ja';
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const perCode = new Map<string, number>();
  /** code → the distinct errors not turned into findings because the code reached its bound. */
  const omitted = new Map<string, Set<string>>();
  const push = (code: string, path: string, message: string) => {
    const k = `${path}\u0000${code}\u0000${message}`;
    if (seen.has(k)) return;
    seen.add(k);
    perCode.set(code, (perCode.get(code) ?? 0) + 1);
    out.push({ code, severity: 'error', message, path, label: formatLabelPath(labelPath(opts.form, path)) });
  };

  // Branch errors of anyOf/oneOf are noise once the combinator itself is reported. Keyed by the schema
  // path the combinator sits at, so each error looks up its own prefixes (depth) instead of comparing with
  // every combinator error (a list of 100,000 failing anyOf items made that quadratic).
  const combinatorsAt = new Map<string, Set<string>>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') continue;
    const base = e.schemaPath.replace(/\/(anyOf|oneOf)$/, '');
    let set = combinatorsAt.get(base);
    if (!set) combinatorsAt.set(base, (set = new Set()));
    set.add(e.schemaPath);
  }
  const underCombinator = (schemaPath: string): boolean => {
    if (combinatorsAt.size === 0) return false;
    for (let i = schemaPath.indexOf('/'); i !== -1; i = schemaPath.indexOf('/', i + 1)) {
      const set = combinatorsAt.get(schemaPath.slice(0, i));
      if (set && (set.size > 1 || !set.has(schemaPath))) return true;
    }
    return false;
  };
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const enumErrorAt = new Set(errors.filter((e) => e.keyword === 'enum').map((e) => e.instancePath));

  for (const e of errors) {
    const path = e.instancePath;
    const data = e.data;
    if (e.keyword === 'required' || e.keyword === 'if' || e.keyword === FILLED_KEYWORD) continue;
    if (underCombinator(e.schemaPath)) continue;
    // `key:` with nothing after it is blank, not a type error: completeness decides whether it is needed.
    if (data === null && isPropertyPointer(path)) continue;
    // An empty 選択肢 / 日付 / 書式 (`persons: ""`, as `pia init` writes) is 未記載, not a wrong value:
    // completeness reports it with the draft/submitted severity.
    if (typeof data === 'string' && data.trim() === '' && (e.keyword === 'enum' || e.keyword === 'format' || e.keyword === 'pattern')) continue;
    // Errors the switch below drops without a finding (checked here too, so that they are not counted).
    if (e.keyword === 'type' && enumErrorAt.has(path) && data !== null) continue;
    if ((e.keyword === 'format' || e.keyword === 'pattern') && typeErrorAt.has(path)) continue;
    if (e.keyword === 'minItems' && Array.isArray(data) && data.length === 0 && isPropertyPointer(path)) continue;
    const code = CODE_OF_KEYWORD[e.keyword] ?? 'schema/invalid';
    if ((perCode.get(code) ?? 0) >= MAX_FINDINGS_PER_CODE) {
      const extra =
        e.keyword === 'additionalProperties'
          ? (e.params as { additionalProperty?: string }).additionalProperty
          : e.keyword;
      let set = omitted.get(code);
      if (!set) omitted.set(code, (set = new Set()));
      set.add(`${path}\u0000${String(extra)}`);
      continue;
    }

    switch (e.keyword) {
      case 'enum': {
        const choices = (e.params as { allowedValues: unknown[] }).allowedValues;
        if (typeof data === 'number' && Number.isInteger(data) && data >= 1 && data <= choices.length) {
          push(
            'schema/enum',
            path,
            pick(
              lang,
              `選択肢は番号ではなく文言で記載してください (${data} → ${q(choices[data - 1])})。選択肢: ${listChoices(choices)}`,
              `Write the choice itself, not its number (${data} → ${qe(choices[data - 1])}). Choices: ${listChoices(choices)}`,
            ),
          );
          break;
        }
        const near =
          typeof data === 'string'
            ? choices.find((c) => typeof c === 'string' && looseKey(c) === looseKey(data))
            : undefined;
        if (near !== undefined) {
          push(
            'schema/enum',
            path,
            pick(
              lang,
              `${q(data)} は選択肢と全角・半角または空白が異なります。${q(near)} と記載してください`,
              `${qe(data)} differs from a choice only in width or spacing; write ${qe(near)}`,
            ),
          );
          break;
        }
        push(
          'schema/enum',
          path,
          pick(
            lang,
            `${q(data)}は選択肢にありません。次のいずれかを選んでください: ${listChoices(choices)}`,
            `${qe(data)} is not one of the choices. Choose one of: ${listChoices(choices)}`,
          ),
        );
        break;
      }
      case 'const': {
        const allowed = (e.params as { allowedValue: unknown }).allowedValue;
        push(
          'schema/const',
          path,
          pick(
            lang,
            `${q(allowed)}と記載してください (${q(data)}が記載されています)`,
            `Must be ${qe(allowed)} (found ${qe(data)})`,
          ),
        );
        break;
      }
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const props = Object.keys(
          ((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object,
        );
        const data = e.data as Record<string, unknown> | undefined;
        const unused = props.filter((p) => !data || !Object.prototype.hasOwnProperty.call(data, p));
        // Bounded: a long key (a pasted paragraph) or a huge candidate list gets no suggestion.
        const suggestible = key.length <= MAX_SUGGEST_KEY_CHARS && props.length <= MAX_SUGGEST_CANDIDATES;
        const guess = suggestible
          ? (suggestNearest(key, unused.length ? unused : props) ?? suggestNearest(key, props))
          : undefined;
        const guessLabel = guess ? labelPath(opts.form, appendPointer(path, guess)).at(-1) : undefined;
        const hint = guess
          ? pick(
              lang,
              ` もしかして「${guess}」${guessLabel ? ` (${guessLabel})` : ''} ですか?`,
              ` Did you mean "${guess}"${guessLabel ? ` (${guessLabel})` : ''}?`,
            )
          : '';
        push(
          'schema/additional-property',
          appendPointer(path, key),
          pick(
            lang,
            `この項目 (${shown(key)}) は様式にありません。綴りを確認してください。`,
            `This item (${shown(key)}) is not in the form; check the spelling.`,
          ) + hint,
        );
        break;
      }
      case 'type': {
        // A choice written as a number gets one message from the enum case.
        if (enumErrorAt.has(path) && data !== null) break;
        const expected = String((e.params as { type: string | string[] }).type)
          .split(',')
          .map((t) => typeName(t, lang))
          .join(pick(lang, ' または ', ' or '));
        const found = describeJsonType(data, lang);
        const node = resolveSchemaAt(opts.form, path);
        const kind = node?.['x-kind'];
        let message: string;
        if (data === null) {
          message = pick(
            lang,
            '空の項目があります。削除するか内容を記載してください',
            'Empty entry; remove it or fill it in',
          );
        } else if (kind === 'measure') {
          message = pick(
            lang,
            `措置の内容はブロックの一覧で記載してください: 「- parts:」の下に段落を「- 」で並べます (${found}が記載されています)`,
            `Write measures as a list of blocks: "- parts:" followed by "- " paragraphs (found ${found})`,
          );
        } else if (kind === 'multi') {
          message = pick(
            lang,
            `選択した項目の一覧で記載してください: 「- choice: 選択肢」 (${found}が記載されています)`,
            `Write the selected choices as a list: "- choice: …" (found ${found})`,
          );
        } else if (node?.properties && typeof data !== 'object') {
          const keys = Object.keys(node.properties).join(', ');
          message = pick(
            lang,
            `この項目は下位の項目 (${keys}) を「項目名: 値」の形で記載してください (${found}が記載されています)`,
            `Write the sub-items (${keys}) as "key: value" (found ${found})`,
          );
        } else {
          message = pick(
            lang,
            `${expected}で記載してください (${found}が記載されています)`,
            `Write ${expected} (found ${found})`,
          );
        }
        push('schema/type', path, message);
        break;
      }
      case 'format': {
        if (typeAtSamePath(typeErrorAt, path)) break;
        const fmt = (e.params as { format: string }).format;
        if (fmt === 'date') {
          // A real date outside 1900–2999 (0001-01-01, 9999-12-31 as "never"): say so, as for every other
          // date a user gives (load/user-dates.ts), not "write YYYY-MM-DD" to someone who did.
          const parsed = typeof data === 'string' ? parseUserDate(data, 'date') : undefined;
          if (parsed && 'problem' in parsed && parsed.problem === 'range') {
            push('schema/format', path, describeDateProblem(pick(lang, '日付', 'The date'), data, 'range', lang, 'date'));
            break;
          }
          const iso = typeof data === 'string' ? warekiToIso(data) : undefined;
          const hint = iso ? pick(lang, ` (例: ${iso})`, ` (e.g. ${iso})`) : '';
          push(
            'schema/format',
            path,
            pick(
              lang,
              `日付は YYYY-MM-DD で記載してください${hint}。${q(data)}が記載されています`,
              `Write dates as YYYY-MM-DD${hint}; found ${qe(data)}`,
            ),
          );
        } else {
          push(
            'schema/format',
            path,
            pick(lang, `書式 (${fmt}) が正しくありません: ${q(data)}`, `Invalid ${fmt}: ${qe(data)}`),
          );
        }
        break;
      }
      case 'pattern': {
        if (typeAtSamePath(typeErrorAt, path)) break;
        const desc = resolveSchemaAt(opts.form, path)?.description;
        push(
          'schema/pattern',
          path,
          pick(
            lang,
            `書式が正しくありません (${q(data)})${typeof desc === 'string' ? `: ${desc}` : ''}`,
            `Invalid format (${qe(data)})${typeof desc === 'string' ? `: ${desc}` : ''}`,
          ),
        );
        break;
      }
      case 'minimum':
      case 'exclusiveMinimum':
      case 'maximum':
      case 'exclusiveMaximum': {
        const p = e.params as { comparison: string; limit: number };
        const ja =
          { '>=': '以上', '>': 'より大きい値', '<=': '以下', '<': '未満' }[p.comparison] ?? p.comparison;
        push(
          'schema/range',
          path,
          pick(
            lang,
            `${p.limit} ${ja}で記載してください (${data} が記載されています)`,
            `Must be ${p.comparison} ${p.limit} (found ${data})`,
          ),
        );
        break;
      }
      case 'minItems': {
        const limit = (e.params as { limit: number }).limit;
        // An empty required list is 未記載 (completeness); only a too-short non-empty one is reported here.
        if (Array.isArray(data) && data.length === 0 && isPropertyPointer(path)) break;
        push(
          'schema/min-items',
          path,
          pick(lang, `少なくとも ${limit} 件記載してください`, `Needs at least ${limit} entries`),
        );
        break;
      }
      case 'maxItems': {
        const limit = (e.params as { limit: number }).limit;
        push(
          'schema/max-items',
          path,
          pick(lang, `${limit} 件までにしてください`, `At most ${limit} entries`),
        );
        break;
      }
      case 'uniqueItems': {
        const p = e.params as { i: number; j: number };
        push(
          'schema/unique-items',
          path,
          pick(
            lang,
            `同じ内容が重複しています (${p.j + 1} 番目と ${p.i + 1} 番目)`,
            `Duplicate entries (#${p.j + 1} and #${p.i + 1})`,
          ),
        );
        break;
      }
      case 'minLength':
      case 'maxLength': {
        const limit = (e.params as { limit: number }).limit;
        push(
          'schema/length',
          path,
          e.keyword === 'minLength'
            ? pick(lang, `${limit} 文字以上で記載してください`, `At least ${limit} characters`)
            : pick(lang, `${limit} 文字以内で記載してください`, `At most ${limit} characters`),
        );
        break;
      }
      case 'anyOf':
      case 'oneOf':
        push(
          'schema/invalid',
          path,
          pick(lang, '記載の形が様式に合いません', 'The value does not match any allowed form'),
        );
        break;
      default:
        push(
          'schema/invalid',
          path,
          pick(
            lang,
            `様式の規則に合いません (${e.keyword})`,
            `Does not satisfy the form (${e.keyword}): ${e.message ?? ''}`,
          ),
        );
    }
  }
  for (const code of [...omitted.keys()].sort()) {
    const n = omitted.get(code)!.size;
    const kind = SCHEMA_CODES[code];
    out.push({
      code,
      severity: 'error',
      path: '',
      message: pick(
        lang,
        `ほか ${n.toLocaleString('en-US')} 件の「${kind?.ja ?? code}」は省略しました (同じ種類の所見は最初の ${MAX_FINDINGS_PER_CODE} 件だけを示します)。まず示した所見を直してください`,
        `${n.toLocaleString('en-US')} more findings of this kind (${kind?.en ?? code}) were left out (only the first ${MAX_FINDINGS_PER_CODE} are shown); fix the ones shown first`,
      ),
    });
  }
  return out;
}

function typeAtSamePath(typeErrorAt: Set<string>, path: string): boolean {
  return typeErrorAt.has(path);
}
