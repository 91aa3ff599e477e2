// Diagnostic codes the loader emits, with a one-line description each (SARIF rules, docs).
export const LOAD_CODES: Readonly<Record<string, { ja: string; en: string }>> = {
  'load/syntax': { ja: 'YAML/JSON の構文エラー', en: 'YAML/JSON syntax error' },
  'load/yaml-warning': { ja: 'YAML の注意 (解釈できないタグなど)', en: 'YAML warning (unresolved tag, …)' },
  'load/empty': { ja: 'ファイルが空', en: 'Empty file' },
  'load/not-mapping': { ja: '最上位が「項目名: 値」の対応表でない', en: 'Top level is not a mapping' },
  'load/too-deep': { ja: '入れ子が深すぎる', en: 'Nesting too deep' },
  'load/alias-limit': { ja: 'エイリアスの展開が多すぎる', en: 'Alias expansion too large' },
  'load/control-char': {
    ja: '制御文字 (NUL など。タブ・改行を除く) を含む記載',
    en: 'Control character (NUL, …; tab and newline excepted)',
  },
  'load/timeout': { ja: '読み込みの時間の上限を超えた (サーバー)', en: 'Parsing took too long (server)' },
  'load/resource-limit': {
    ja: '読み込みのメモリの上限を超えた (サーバー)',
    en: 'Parsing needed too much memory (server)',
  },
  'load/alias-cycle': { ja: 'エイリアスの循環参照', en: 'Cyclic alias' },
  'load/duplicate-key': { ja: '同じ項目名が同じ階層に複数ある', en: 'Duplicate key' },
  'load/forbidden-key': { ja: '使用できない項目名 (__proto__ など)', en: 'Forbidden key (__proto__, …)' },
  'load/complex-key': { ja: '項目名に配列や対応表が使われている', en: 'Non-scalar key' },
  'load/non-json-value': {
    ja: '文字列・数値・真偽値以外の値',
    en: 'Value that is not a string, number or boolean',
  },
};
