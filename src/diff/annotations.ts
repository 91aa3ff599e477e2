// The annotations file: the human judgements a 変更箇所 needs and the engine cannot make.
//
//   date: 2022-07-07                  # 変更日 of every row (optional; --date wins)
//   changes:
//     /files/0/basics/mainItems:      # a JSON Pointer (as `pia diff --format json` prints in `path`)…
//       reason: 新たなシステムの追加
//     "Ⅲ リスク対策 2. 特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。) リスクに対する措置の内容 ②部分":
//       exception: リスクを明らかに軽減させる方法   # …or the row's 項目 (spaces do not matter)
//       timing: 事後
//
// Per entry: `exception` (the ※ change is not a 重要な変更: リスクを明らかに軽減させる変更 |
// リスクを明らかに軽減させる方法 | 誤字脱字の修正 | 形式的な変更), `timing` (事前 | 事後), `reason` (the （理由）
// printed after the 提出時期に係る説明), `date` (this row's 変更日). A pointer entry also covers every change
// below it (an added 委託事項 and its items). Anything else in the file is an error (exit 2), so a typo
// never silently turns a judgement off.
import { resolve } from 'node:path';
import { InputError } from '../errors.ts';
import { parseText, readTextFile } from '../load/index.ts';
import { pick, type Lang } from '../schema/index.ts';
import { EXCEPTIONS, type Annotation, type Annotations, type ExceptionKind, type Timing } from './types.ts';
import { isObject } from './values.ts';

const ENTRY_KEYS = ['exception', 'timing', 'reason', 'date'] as const;
const TOP_KEYS = ['date', 'changes'] as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Read an annotations file; `path` relative to `cwd`, and named in messages as given. */
export async function loadAnnotations(path: string, opts: { cwd?: string; lang?: Lang } = {}): Promise<Annotations> {
  const text = await readTextFile(resolve(opts.cwd ?? process.cwd(), path), path, opts.lang ?? 'ja');
  return parseAnnotations(text, path, opts.lang ?? 'ja');
}

export function parseAnnotations(text: string, source = '', lang: Lang = 'ja'): Annotations {
  const parsed = parseText(text, { source, lang });
  const bad = (message: string, line?: number): never => {
    throw new InputError(`${line ? pick(lang, `${line}行目: `, `line ${line}: `) : ''}${message}`, source);
  };
  // The loader's messages already name the line.
  const err = parsed.diagnostics.find((d) => d.severity === 'error');
  if (err) bad(err.message);
  const data = parsed.data;
  if (!isObject(data)) return bad(pick(lang, '注釈ファイルが空か、マッピングではありません', 'the annotations file is empty or not a mapping'));
  const lineOf = (ptr: string) => parsed.locate(ptr)?.line;
  for (const k of Object.keys(data)) {
    if (!(TOP_KEYS as readonly string[]).includes(k)) {
      bad(
        pick(lang, `不明なキー「${k}」です (使えるキー: ${TOP_KEYS.join(', ')})`, `unknown key "${k}" (allowed: ${TOP_KEYS.join(', ')})`),
        lineOf(`/${k}`),
      );
    }
  }
  const out: Annotations = { source, entries: [] };
  if (data.date !== undefined) out.date = checkDate(data.date, lineOf('/date'), lang, bad);
  const changes = data.changes ?? {};
  if (!isObject(changes)) {
    return bad(pick(lang, '「changes」は 項目 → 判断 のマッピングにしてください', '"changes" must be a mapping from item to judgement'), lineOf('/changes'));
  }
  for (const [key, value] of Object.entries(changes)) {
    const ptr = `/changes/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const line = lineOf(ptr);
    if (!key.trim()) bad(pick(lang, '空の項目キーがあります', 'an empty item key'), line);
    if (!isObject(value)) {
      bad(
        pick(lang, `「${key}」の判断は exception / timing / reason / date のマッピングにしてください`, `the judgement for "${key}" must be a mapping`),
        line,
      );
    }
    const v = value as Record<string, unknown>;
    const entry: Annotation = { key: key.trim(), ...(line ? { line } : {}) };
    for (const k of Object.keys(v)) {
      if (!(ENTRY_KEYS as readonly string[]).includes(k)) {
        bad(
          pick(lang, `「${key}」に不明なキー「${k}」があります (使えるキー: ${ENTRY_KEYS.join(', ')})`, `unknown key "${k}" under "${key}" (allowed: ${ENTRY_KEYS.join(', ')})`),
          lineOf(`${ptr}/${k}`) ?? line,
        );
      }
    }
    if (v.exception !== undefined && v.exception !== null) {
      if (typeof v.exception !== 'string' || !(EXCEPTIONS as readonly string[]).includes(v.exception)) {
        bad(
          pick(
            lang,
            `「${key}」の exception「${String(v.exception)}」は使えません。次のいずれかです: ${EXCEPTIONS.join('、')}`,
            `exception "${String(v.exception)}" under "${key}" is not one of: ${EXCEPTIONS.join(', ')}`,
          ),
          lineOf(`${ptr}/exception`) ?? line,
        );
      }
      entry.exception = v.exception as ExceptionKind;
    }
    if (v.timing !== undefined && v.timing !== null) {
      if (v.timing !== '事前' && v.timing !== '事後') {
        bad(
          pick(lang, `「${key}」の timing は「事前」か「事後」です (「${String(v.timing)}」)`, `timing under "${key}" must be 事前 or 事後`),
          lineOf(`${ptr}/timing`) ?? line,
        );
      }
      entry.timing = v.timing as Timing;
    }
    if (v.reason !== undefined && v.reason !== null) {
      if (typeof v.reason !== 'string') bad(pick(lang, `「${key}」の reason は文字列です`, `reason under "${key}" must be text`), lineOf(`${ptr}/reason`) ?? line);
      const r = (v.reason as string).trim();
      if (r) entry.reason = r;
    }
    if (v.date !== undefined && v.date !== null) entry.date = checkDate(v.date, lineOf(`${ptr}/date`) ?? line, lang, bad);
    out.entries.push(entry);
  }
  return out;
}

function checkDate(v: unknown, line: number | undefined, lang: Lang, bad: (m: string, l?: number) => never): string {
  const s = String(v);
  if (!ISO_DATE.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) {
    bad(pick(lang, `日付は YYYY-MM-DD で書いてください (「${s}」)`, `dates are YYYY-MM-DD ("${s}")`), line);
  }
  return s;
}

/** Label paths are matched without their spaces and separators (「Ⅲリスク対策」 = 「Ⅲ リスク対策」). */
export function normalizeLabelKey(s: string): string {
  return s.replace(/[\s\u3000›>]+/g, '');
}

export const isPointerKey = (key: string): boolean => key.startsWith('/');
