// A tiny builder for the form schemas. The forms are written in TypeScript (scripts/schemas/*.ts) so that
// the same patterns (choice, multi-select, per-system measure blocks) are spelled once; the output is plain
// JSON Schema 2020-12 in schemas/, which is what validation, rendering and diff read at run time.
//
// Vendor keywords (read by src/schema/, render/, diff/):
//   x-kind         leaf kind: text | date | period | choice | multi | measure | count | list | flag | changeLog
//   x-significant  true on items marked ※ in the form (a change is a 重要な変更)
//   x-note         text printed beside a section title, e.g. 「※(7. ②を除く。)」
//   x-item-label   for a repeated block: the label of one entry, numbered from 1 (「システム」 → システム1)
//   x-detail       for multi-select: the choices printed with 「( … )」 and so allowed a `detail` text
//   x-unit         suffix printed after a count, e.g. 「件」
//   x-printed-with the sibling item in whose row the form prints this value (the 「( )件」 of 「委託の有無 ※」):
//                  the 変更箇所 names and classifies a change of the value as that row
//   x-printed-beside  with x-printed-with on a checkbox list: the choice the value is printed beside
//   x-unlabeled    an item the form prints without a label of its own (the (別添) diagram, record item list):
//                  its `title` names the data for editors and messages, the print shows the value alone
//   x-contents-title  on a form root: the heading of the form's 項目一覧 page
// The list and the allowed values are src/schema/vendor-keywords.ts (written to schemas/vocabulary.json).
//   x-layout       rendering hint: 'section' | 'subsection' | 'group'

export type Schema = { [key: string]: unknown };

export const DEFS = 'defs.schema.json';

/** Said at the top of every generated schema: the x-* keywords are declared in vocabulary.json. */
export const VOCABULARY_COMMENT =
  'x-* keywords (x-kind, x-significant, …) are this project\'s vocabulary, declared with the schema of each value in vocabulary.json next to this file; a validator in strict mode (Ajv) must declare them: README「スキーマを外部のツールで使う」';
export const ref = (name: string) => `${DEFS}#/$defs/${name}`;

export interface ItemOpts {
  sig?: boolean;
  optional?: boolean;
  description?: string;
  /** The form prints the value without this label (x-unlabeled). */
  unlabeled?: boolean;
}

function withOpts(s: Schema, o: ItemOpts = {}): Schema {
  // An untitled leaf is the value of its titled group (「⑤使用方法」 group: its own text + 「情報の突合」),
  // so its label path is the group's.
  if (s.title === '') delete s.title;
  if (o.sig) s['x-significant'] = true;
  if (o.unlabeled) s['x-unlabeled'] = true;
  if (o.optional) s['x-optional'] = true; // removed by obj(); only used to compute `required`
  if (o.description) s.description = o.description;
  return s;
}

export const text = (title: string, o?: ItemOpts): Schema =>
  withOpts({ title, type: 'string', 'x-kind': 'text' }, o);

export const date = (title: string, o?: ItemOpts): Schema =>
  withOpts({ title, type: 'string', format: 'date', 'x-kind': 'date' }, o);

export const count = (
  title: string,
  o?: ItemOpts & { unit?: string; printedWith?: string; printedBeside?: string },
): Schema =>
  withOpts(
    {
      title,
      type: 'integer',
      minimum: 0,
      'x-kind': 'count',
      ...(o?.unit ? { 'x-unit': o.unit } : {}),
      ...(o?.printedWith ? { 'x-printed-with': o.printedWith } : {}),
      ...(o?.printedBeside ? { 'x-printed-beside': o.printedBeside } : {}),
    },
    o,
  );

/** A checkbox that stands alone in the form, e.g. 「☐委託しない」. */
export const flag = (title: string, o?: ItemOpts): Schema =>
  withOpts({ title, type: 'boolean', 'x-kind': 'flag' }, o);

/** Single choice: the value is the verbatim 選択肢 label (enum in $defs). */
export const choice = (title: string, defName: string, o?: ItemOpts): Schema =>
  withOpts({ title, $ref: ref(defName), 'x-kind': 'choice' }, o);

/** Multi-select checkbox list: [{choice, detail?}], choices from $defs. */
export const multi = (title: string, defName: string, o?: ItemOpts): Schema =>
  withOpts({ title, $ref: ref(defName), 'x-kind': 'multi' }, o);

/** Risk measure text: per-system blocks, each a list of paragraphs / numbered parts. */
export const measure = (title: string, o?: ItemOpts): Schema =>
  withOpts({ title, $ref: ref('measure'), 'x-kind': 'measure' }, o);

/** A date range (意見聴取の実施日・期間): {from, to} as ISO dates, printed 「令和3年7月21日～令和3年8月20日(31日間)」. */
export const period = (title: string, o?: ItemOpts): Schema =>
  withOpts({ title, $ref: ref('period'), 'x-kind': 'period' }, o);

/** A list of plain strings (ファイル名, 記録項目, 備考 steps). */
export const list = (title: string, o?: ItemOpts): Schema =>
  withOpts({ title, type: 'array', items: { type: 'string' }, 'x-kind': 'list' }, o);

export function obj(
  title: string | undefined,
  properties: Record<string, Schema>,
  o: ItemOpts & { note?: string; layout?: string } = {},
): Schema {
  const required: string[] = [];
  const props: Record<string, Schema> = {};
  for (const [k, v] of Object.entries(properties)) {
    const { 'x-optional': optional, ...rest } = v;
    if (!optional) required.push(k);
    props[k] = rest;
  }
  const s: Schema = { ...(title ? { title } : {}), type: 'object', properties: props, additionalProperties: false };
  if (required.length) s.required = required;
  if (o.note) s['x-note'] = o.note;
  if (o.layout) s['x-layout'] = o.layout;
  return withOpts(s, o);
}

/** A repeated block (システム1…N, 委託事項1…N, 提供先1…N). */
export function repeated(title: string | undefined, itemLabel: string, item: Schema, o: ItemOpts & { min?: number } = {}): Schema {
  return withOpts(
    {
      ...(title ? { title } : {}),
      type: 'array',
      'x-item-label': itemLabel,
      ...(o.min !== undefined ? { minItems: o.min } : {}),
      items: item,
    },
    o,
  );
}

/** Mark every leaf item under `s` as ※, except object keys listed in `except` (matched anywhere below). */
export function markSignificant(s: Schema, except: readonly string[] = []): Schema {
  const walk = (node: Schema): void => {
    if (node['x-kind']) {
      node['x-significant'] = true;
      return;
    }
    if (node.properties) {
      for (const [k, child] of Object.entries(node.properties as Record<string, Schema>)) {
        if (except.includes(k)) continue;
        walk(child);
      }
    }
    if (node.items && typeof node.items === 'object') walk(node.items as Schema);
  };
  walk(s);
  return s;
}

/** Fields every form document has, whatever the form. */
export function documentHeader(formName: string, formVersion: string, formStamp: string): Record<string, Schema> {
  return {
    $schema: { type: 'string', description: 'エディタ補完用のスキーマ参照 (任意)', 'x-optional': true },
    form: { title: '様式', const: formName, description: `この評価書の様式 (${formStamp})` },
    formVersion: { title: '様式の版', const: formVersion, description: `様式の改正時期 (${formStamp})` },
    status: {
      title: '状態',
      $ref: ref('documentStatus'),
      description: '素案・案は下書き (未記載は警告)、提出・公表は完成版 (未記載はエラー)',
    },
    organization: {
      title: '評価実施機関の情報',
      $ref: ref('organization'),
    },
    nonPublic: {
      title: '非公表とする項目',
      $ref: ref('nonPublic'),
      'x-optional': true,
    },
    sourceGaps: {
      title: '元資料の欠落',
      $ref: ref('sourceGaps'),
      'x-optional': true,
    },
    appendices: {
      title: '付録',
      $ref: ref('appendices'),
      'x-optional': true,
    },
  };
}

/** (別添) 変更箇所: the six-column change table every form ends with. */
export const changeLog = (title: string): Schema => ({
  title,
  type: 'array',
  'x-kind': 'changeLog',
  items: { $ref: ref('changeRow') },
  'x-optional': true,
});

/** A whole form schema: its identity (file name, title, stamp) and its top-level items in form order. */
export function formSchema(
  meta: { id: string; title: string; description: string; form: string; stamp: string },
  properties: Record<string, Schema>,
): Schema {
  // Every form of 平成30年5月 opens with a 「項目一覧」 page; the heading is form text, so it lives here.
  const { title: _untitled, ...body } = obj(undefined, properties);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: meta.id,
    $comment: VOCABULARY_COMMENT,
    title: meta.title,
    description: meta.description,
    'x-form': meta.form,
    'x-form-stamp': meta.stamp,
    'x-contents-title': '項目一覧',
    ...body,
  };
}
