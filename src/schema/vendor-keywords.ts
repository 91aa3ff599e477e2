// The vendor keywords our schemas use (see scripts/schemas/dsl.ts). Each is declared to Ajv with a
// meta-schema so that Ajv's strict mode rejects a misspelt keyword (`x-signficant`) or a wrong value
// (`x-kind: choise`) when the schemas are compiled, instead of silently ignoring them.
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

export const VENDOR_KEYWORDS: KeywordDefinition[] = [
  { keyword: 'x-kind', metaSchema: { enum: [...X_KINDS] } },
  { keyword: 'x-significant', metaSchema: { type: 'boolean' } },
  { keyword: 'x-note', metaSchema: { type: 'string' } },
  { keyword: 'x-item-label', metaSchema: { type: 'string', minLength: 1 } },
  { keyword: 'x-detail', metaSchema: { type: 'array', items: { type: 'string' } } },
  { keyword: 'x-unit', metaSchema: { type: 'string' } },
  { keyword: 'x-layout', metaSchema: { enum: ['section', 'subsection', 'group'] } },
  { keyword: 'x-form', metaSchema: { enum: ['kiso', 'juten', 'zenkomoku'] } },
  { keyword: 'x-form-stamp', metaSchema: { type: 'string' } },
];
