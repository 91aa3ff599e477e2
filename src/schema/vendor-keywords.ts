// The vendor keywords our schemas use (see scripts/schemas/dsl.ts): THE list, with the meta-schema of each
// keyword's value. Ajv gets them here so that strict mode rejects a misspelt keyword (`x-signficant`) or a
// wrong value (`x-kind: choise`) when the schemas are compiled, instead of silently ignoring them.
// scripts/build-schemas.ts writes the same list to schemas/vocabulary.json, so that a validator outside this
// project (Ajv in strict mode, an editor) can declare them too (README「スキーマを外部のツールで使う」).
import type { KeywordDefinition } from 'ajv';

export const X_KINDS = [
  'text',
  'date',
  'period',
  'choice',
  'multi',
  'measure',
  'count',
  'list',
  'flag',
  'changeLog',
] as const;
export type XKind = (typeof X_KINDS)[number];

/** Keyword → the schema its value must match (with a description for people reading vocabulary.json). */
export const VENDOR_KEYWORD_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = {
  'x-kind': {
    description: '様式の項目の種類 (葉の項目だけに付く)。表示・変更箇所・未記載の判定が読む',
    enum: [...X_KINDS],
  },
  'x-significant': {
    description: '様式で ※ の付いた項目 (変更は重要な変更)',
    type: 'boolean',
  },
  'x-note': { description: '章の見出しの横に印字する注記 (例: ※(7. ②を除く。))', type: 'string' },
  'x-item-label': {
    description: '繰り返しのブロックの 1 件の名前。1 から番号を付けて印字する (システム → システム1)',
    type: 'string',
    minLength: 1,
  },
  'x-detail': {
    description: '複数選択で「( … )」の記載を伴う選択肢',
    type: 'array',
    items: { type: 'string' },
  },
  'x-unit': { description: '数の後に印字する単位 (例: 件)', type: 'string' },
  'x-printed-with': {
    description:
      'この値を印字する行の項目 (同じ階層の項目名)。例: 委託件数は「委託の有無 ※」の行に「( )件」として印字され、変更箇所ではその行として分類する',
    type: 'string',
    minLength: 1,
  },
  'x-printed-beside': {
    description: 'x-printed-with の項目が複数選択のとき、この値を横に印字する選択肢',
    type: 'string',
    minLength: 1,
  },
  'x-unlabeled': {
    description: '様式が項目名を印字しない項目 (別添の図・記録項目の一覧)。title はエディタと所見のための名前で、印字は値だけ',
    const: true,
  },
  'x-contents-title': { description: '様式の根に付く、項目一覧のページの見出し (項目一覧)', type: 'string', minLength: 1 },
  'x-layout': { description: '表示の配置の指定', enum: ['section', 'subsection', 'group'] },
  'x-form': { description: '様式の識別子', enum: ['kiso', 'juten', 'zenkomoku'] },
  'x-form-stamp': { description: '様式の版の表示 (例: [平成30年5月 様式3])', type: 'string' },
};

export const VENDOR_KEYWORDS: KeywordDefinition[] = Object.entries(VENDOR_KEYWORD_SCHEMAS).map(
  ([keyword, metaSchema]) => ({ keyword, metaSchema }),
);
