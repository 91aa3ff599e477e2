// Japanese (and English) wording for what the YAML parser reports. The yaml library's own messages are
// English and developer-oriented; officers get a plain explanation plus the line.
import type { ErrorCode } from 'yaml';
import { pick, type Lang } from '../schema/lang.ts';

const YAML_ERRORS: Partial<Record<ErrorCode, [ja: string, en: string]>> = {
  ALIAS_PROPS: [
    'エイリアス (*名前) にタグやアンカーは付けられません',
    'An alias (*name) cannot have a tag or anchor',
  ],
  BAD_ALIAS: ['エイリアス (*名前) の書き方が正しくありません', 'Malformed alias (*name)'],
  BAD_DIRECTIVE: ['% で始まる指示行が正しくありません', 'Invalid % directive'],
  BAD_DQ_ESCAPE: [
    '二重引用符 (") の文字列に使えないエスケープ (\\) があります',
    'Invalid escape sequence in a double-quoted string',
  ],
  BAD_INDENT: ['字下げ (インデント) が揃っていません', 'Bad indentation'],
  BAD_PROP_ORDER: ['アンカー (&) とタグ (!) の順序が正しくありません', 'Anchor and tag in the wrong order'],
  BAD_SCALAR_START: [
    '値の先頭に使えない文字があります。文字列は引用符 (" または \') で囲んでください',
    'A plain value cannot start with this character; quote the string',
  ],
  BLOCK_AS_IMPLICIT_KEY: [
    '項目名 (キー) の位置に複数行の値があります',
    'A block value cannot be used as an implicit key',
  ],
  BLOCK_IN_FLOW: [
    '[ ] や { } の中では改行して字下げした書き方 (ブロック形式) は使えません',
    'Block collections are not allowed inside flow collections',
  ],
  DUPLICATE_KEY: ['同じ項目名 (キー) が 2 回あります', 'Duplicate key'],
  IMPOSSIBLE: ['YAML として解釈できません', 'Unparseable YAML'],
  KEY_OVER_1024_CHARS: ['項目名 (キー) が長すぎます (1,024 文字まで)', 'Key longer than 1024 characters'],
  MISSING_CHAR: [
    '閉じ括弧・引用符などが足りません ([ と ]、{ と }、" と " の対応を確認してください)',
    'A closing bracket or quote is missing',
  ],
  MULTILINE_IMPLICIT_KEY: [
    '項目名 (キー) が複数行にまたがっています。「項目名: 値」の「: 」(コロンと空白) を確認してください',
    'Implicit keys must be on a single line; check the ": " after the key',
  ],
  MULTIPLE_ANCHORS: ['1 つの値にアンカー (&) が複数あります', 'A node has more than one anchor'],
  MULTIPLE_DOCS: [
    '1 つのファイルに複数の YAML 文書 (--- 区切り) があります。評価書は 1 ファイル 1 文書です',
    'The file holds more than one YAML document (---); one assessment per file',
  ],
  MULTIPLE_TAGS: ['1 つの値にタグ (!) が複数あります', 'A node has more than one tag'],
  NON_STRING_KEY: ['項目名 (キー) は文字列にしてください', 'Keys must be strings'],
  RESOURCE_EXHAUSTION: ['処理できる量を超えています', 'Resource limit exceeded'],
  TAB_AS_INDENT: [
    '字下げにタブ文字は使えません。空白で字下げしてください',
    'Tabs are not allowed as indentation',
  ],
  TAG_RESOLVE_FAILED: [
    '解釈できないタグ (!…) があります。文字列として扱います',
    'Unresolved tag; the value is read as a string',
  ],
  UNEXPECTED_TOKEN: [
    '予期しない文字があります。「項目名: 値」の形や字下げを確認してください',
    'Unexpected token; check the "key: value" form and the indentation',
  ],
  BAD_COLLECTION_TYPE: ['この位置に使えない種類の値です', 'Collection type not allowed here'],
};

export function describeYamlError(code: ErrorCode, original: string, lang: Lang): string {
  const pair = YAML_ERRORS[code];
  if (!pair) return pick(lang, `YAML の構文エラーです (${code})`, `YAML syntax error (${code}): ${original}`);
  return pick(lang, pair[0], `${pair[1]}`);
}

export const LOAD_MESSAGES = {
  syntax: (detail: string, line: number | undefined, lang: Lang) =>
    line
      ? pick(
          lang,
          `YAML の書き方に誤りがあります (${line} 行目): ${detail}`,
          `YAML syntax error (line ${line}): ${detail}`,
        )
      : pick(lang, `YAML の書き方に誤りがあります: ${detail}`, `YAML syntax error: ${detail}`),
  warning: (detail: string, line: number | undefined, lang: Lang) =>
    line
      ? pick(lang, `YAML の注意 (${line} 行目): ${detail}`, `YAML warning (line ${line}): ${detail}`)
      : pick(lang, `YAML の注意: ${detail}`, `YAML warning: ${detail}`),
  tooDeep: (max: number, lang: Lang) =>
    pick(lang, `入れ子が深すぎます (上限 ${max} 段)`, `Nesting is too deep (limit ${max} levels)`),
  aliasLimit: (max: number, lang: Lang) =>
    pick(
      lang,
      `エイリアス (*名前) の展開が多すぎます (上限 ${max.toLocaleString('en-US')} 要素)。同じ内容はエイリアスを使わずに記載してください`,
      `Alias (*name) expansion is too large (limit ${max} nodes); write the content out instead`,
    ),
  aliasSize: (max: number, lang: Lang) =>
    pick(
      lang,
      `エイリアス (*名前) の展開後の文字数が多すぎます (上限 ${max.toLocaleString('en-US')} 文字)。同じ内容はエイリアスを使わずに記載してください`,
      `Alias (*name) expansion creates too much text (limit ${max} characters); write the content out instead`,
    ),
  controlChar: (what: 'key' | 'value', code: string, lang: Lang) =>
    pick(
      lang,
      `${what === 'key' ? '項目名' : '値'}に制御文字 (${code}) が含まれています。制御文字 (タブ・改行以外) は使えません。元の文書から貼り付けた際に混入していないか確認してください`,
      `The ${what === 'key' ? 'key' : 'value'} contains a control character (${code}); control characters other than tab and newline are not allowed`,
    ),
  controlCharMore: (count: number, lang: Lang) =>
    pick(
      lang,
      `ほかにも制御文字を含む記載が ${count} 件あります (表示を省略しました)`,
      `${count} more entries contain control characters (not listed)`,
    ),
  timeout: (ms: number, lang: Lang) =>
    pick(
      lang,
      `読み込みに時間がかかりすぎるため中止しました (上限 ${ms / 1000} 秒)。エイリアスや入れ子を減らすか、JSON で送ってください`,
      `Reading took too long and was stopped (limit ${ms / 1000} s); use fewer aliases or less nesting, or send JSON`,
    ),
  resourceLimit: (lang: Lang) =>
    pick(
      lang,
      '読み込みに必要なメモリが上限を超えたため中止しました。ファイルを小さくしてください',
      'Reading needed more memory than allowed and was stopped; make the file smaller',
    ),
  aliasCycle: (lang: Lang) =>
    pick(
      lang,
      'エイリアス (*名前) が自分自身を含んでいます (循環参照)',
      'An alias (*name) refers to a node that contains it (cycle)',
    ),
  duplicateKey: (key: string, firstLine: number | undefined, lang: Lang) =>
    pick(
      lang,
      `項目名「${key}」が同じ階層に 2 回以上あります${firstLine ? ` (最初は ${firstLine} 行目)` : ''}。後の記載を採用しますが、どちらか一方にまとめてください`,
      `Key "${key}" appears more than once at the same level${firstLine ? ` (first on line ${firstLine})` : ''}; the later value is used`,
    ),
  forbiddenKey: (key: string, lang: Lang) =>
    pick(
      lang,
      `項目名「${key}」は使用できません (プログラムの内部で特別な意味を持つ名前です)。この項目は無視しました`,
      `Key "${key}" is not allowed (reserved by the runtime); the entry was ignored`,
    ),
  complexKey: (lang: Lang) =>
    pick(
      lang,
      '項目名 (キー) に配列や対応表は使えません。この項目は無視しました',
      'A key cannot be a sequence or mapping; the entry was ignored',
    ),
  nonJsonValue: (source: string, lang: Lang) =>
    pick(
      lang,
      `値「${source}」は文字列・数値・真偽値のいずれでもないため、文字列として扱います`,
      `Value "${source}" is not a string, number or boolean; it is read as a string`,
    ),
  empty: (lang: Lang) => pick(lang, 'ファイルが空です', 'The file is empty'),
  notMapping: (found: string, lang: Lang) =>
    pick(
      lang,
      `評価書の最上位は「項目名: 値」の対応表 (マッピング) にしてください (${found}が記載されています)`,
      `The top level of an assessment must be a mapping of "key: value" (found ${found})`,
    ),
  // InputError texts (exit 2)
  notFound: (lang: Lang) => pick(lang, 'ファイルが見つかりません', 'File not found'),
  isDirectory: (lang: Lang) =>
    pick(
      lang,
      'ファイルではなくディレクトリです。評価書のファイルを指定してください',
      'This is a directory, not a file',
    ),
  notRegular: (lang: Lang) => pick(lang, '通常のファイルではありません', 'Not a regular file'),
  noPermission: (lang: Lang) => pick(lang, '読み取る権限がありません', 'Permission denied'),
  tooLarge: (size: number, max: number, lang: Lang) =>
    pick(
      lang,
      `ファイルが大きすぎます (${formatMb(size)}、上限 ${formatMb(max)})`,
      `File is too large (${formatMb(size)}, limit ${formatMb(max)})`,
    ),
  notUtf8: (hint: string | undefined, lang: Lang) =>
    pick(
      lang,
      `UTF-8 として読めません${hint ? ` (${hint})` : ''}。文字コードを UTF-8 にして保存し直してください`,
      `Not valid UTF-8${hint ? ` (${hint})` : ''}; save the file as UTF-8`,
    ),
  readFailed: (code: string, lang: Lang) =>
    pick(lang, `読み込めません (${code})`, `Cannot read the file (${code})`),
};

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** How a YAML/JSON value is named in messages. */
export function describeJsonType(v: unknown, lang: Lang): string {
  if (v === null || v === undefined) return pick(lang, '空の値', 'an empty value');
  if (Array.isArray(v)) return pick(lang, '配列', 'a sequence');
  switch (typeof v) {
    case 'string':
      return pick(lang, '文字列', 'a string');
    case 'number':
      return Number.isInteger(v) ? pick(lang, '整数', 'an integer') : pick(lang, '数値', 'a number');
    case 'boolean':
      return pick(lang, '真偽値 (true/false)', 'a boolean');
    case 'object':
      return pick(lang, '対応表 (マッピング)', 'a mapping');
    default:
      return typeof v;
  }
}
