import { defs } from './defs.ts';
import { juten } from './juten.ts';
import { kiso } from './kiso.ts';
import { liveSnapshot } from './live.ts';
import { zenkomoku } from './zenkomoku.ts';
import { VENDOR_KEYWORD_SCHEMAS } from '../../src/schema/vendor-keywords.ts';
import { VOCABULARY_COMMENT, type Schema } from './dsl.ts';

/** File name → schema, in a stable order. */
export function generateSchemas(): Record<string, Schema> {
  return {
    'defs.schema.json': {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'defs.schema.json',
      $comment: VOCABULARY_COMMENT,
      title: '特定個人情報保護評価書: 共通定義 (選択肢・措置ブロック・変更箇所)',
      $defs: defs,
    },
    'kiso-h30.schema.json': kiso,
    'juten-h30.schema.json': juten,
    'zenkomoku-h30.schema.json': zenkomoku,
    'live-snapshot.schema.json': liveSnapshot,
    // Not a *.schema.json: the registry does not load it; it is for validators and editors outside pia.
    'vocabulary.json': {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'vocabulary.json',
      title: 'pia の様式スキーマの独自キーワード (x-*)',
      description:
        'properties の各キーワードの値が満たすべきスキーマ。Ajv の strict モードでは ajv.addKeyword({ keyword, metaSchema }) で宣言する (README「スキーマを外部のツールで使う」)',
      type: 'object',
      properties: VENDOR_KEYWORD_SCHEMAS,
    },
  };
}
