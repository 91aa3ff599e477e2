// Diagnostic codes of schema validation, with a one-line description each (SARIF rules, docs).
export const SCHEMA_CODES: Readonly<Record<string, { ja: string; en: string }>> = {
  'schema/unknown-form': { ja: '対応していない様式・版', en: 'Unsupported form or form version' },
  'schema/enum': { ja: '選択肢にない値', en: 'Value is not one of the choices' },
  'schema/const': { ja: '決まった値と異なる', en: 'Value differs from the fixed value' },
  'schema/additional-property': { ja: '様式にない項目', en: 'Item not in the form' },
  'schema/type': { ja: '値の種類 (文字列・数値・一覧など) が違う', en: 'Wrong value type' },
  'schema/format': { ja: '日付などの書式が違う', en: 'Wrong format (date, …)' },
  'schema/pattern': { ja: '書式が違う', en: 'Does not match the required pattern' },
  'schema/range': { ja: '数値の範囲外', en: 'Number out of range' },
  'schema/min-items': { ja: '件数が足りない', en: 'Too few entries' },
  'schema/max-items': { ja: '件数が多すぎる', en: 'Too many entries' },
  'schema/unique-items': { ja: '重複した記載', en: 'Duplicate entries' },
  'schema/length': { ja: '文字数が範囲外', en: 'Text length out of range' },
  'schema/invalid': { ja: '様式の規則に合わない', en: 'Does not satisfy the form' },
  'completeness/source-gap': {
    ja: '元資料の欠落 (sourceGaps; 未記載と同じ重大度)',
    en: 'Part missing from the source document (same severity as not filled in)',
  },
  'completeness/missing': {
    ja: '未記載 (素案・案は警告、提出・公表はエラー)',
    en: 'Not filled in (warning in drafts, error otherwise)',
  },
};
