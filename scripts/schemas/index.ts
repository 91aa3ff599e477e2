import { defs } from './defs.ts';
import { juten } from './juten.ts';
import { kiso } from './kiso.ts';
import { liveSnapshot } from './live.ts';
import { zenkomoku } from './zenkomoku.ts';
import type { Schema } from './dsl.ts';

/** File name → schema, in a stable order. */
export function generateSchemas(): Record<string, Schema> {
  return {
    'defs.schema.json': {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'defs.schema.json',
      title: '特定個人情報保護評価書: 共通定義 (選択肢・措置ブロック・変更箇所)',
      $defs: defs,
    },
    'kiso-h30.schema.json': kiso,
    'juten-h30.schema.json': juten,
    'zenkomoku-h30.schema.json': zenkomoku,
    'live-snapshot.schema.json': liveSnapshot,
  };
}
