// The control catalog: schemas/control-catalog.yaml (product data: ids, Japanese descriptions, parameters,
// the snapshot facts each control reads). The evaluation of each control is code (controls/<id>.ts); a test
// keeps the two in step. The catalog ships with the package, so a broken catalog is our bug (InternalError),
// not the user's input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { InternalError } from '../errors.ts';
import { SCHEMAS_DIR } from '../paths.ts';
import { pick, type Lang } from '../schema/lang.ts';
import { getRegistry } from '../schema/registry.ts';
import type { Json } from '../types.ts';

export type ParamValue = string | number | boolean;

export interface ControlParamSpec {
  type: 'string' | 'integer' | 'number' | 'boolean';
  enum?: ParamValue[];
  default?: ParamValue;
  minimum?: number;
  description: string;
}

export interface ControlSpec {
  id: string;
  title: string;
  titleEn: string;
  description: string;
  descriptionEn: string;
  params: Record<string, ControlParamSpec>;
  /** Snapshot pointer patterns (`*` = any index) the control reads. */
  reads: string[];
}

export interface ControlCatalog {
  readonly controls: readonly ControlSpec[];
  get(id: string): ControlSpec | undefined;
}

const CATALOG_SCHEMA = {
  type: 'object',
  required: ['controls'],
  additionalProperties: false,
  properties: {
    controls: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'title', 'titleEn', 'description', 'descriptionEn', 'params', 'reads'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
          title: { type: 'string', minLength: 1 },
          titleEn: { type: 'string', minLength: 1 },
          description: { type: 'string', minLength: 1 },
          descriptionEn: { type: 'string', minLength: 1 },
          params: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['type', 'description'],
              additionalProperties: false,
              properties: {
                type: { enum: ['string', 'integer', 'number', 'boolean'] },
                enum: { type: 'array', items: { type: ['string', 'number', 'boolean'] } },
                default: { type: ['string', 'number', 'boolean'] },
                minimum: { type: 'number' },
                description: { type: 'string' },
              },
            },
          },
          reads: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^(/[^/]+)+$' } },
        },
      },
    },
  },
} as const;

export const CATALOG_PATH = join(SCHEMAS_DIR, 'control-catalog.yaml');

export function parseCatalog(text: string, source = CATALOG_PATH): ControlCatalog {
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new InternalError(`コントロールのカタログ (${source}) を読めません: ${(e as Error).message}`);
  }
  const validate = getRegistry().ajv.compile(CATALOG_SCHEMA);
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new InternalError(
      `コントロールのカタログ (${source}) が不正です: ${first?.instancePath ?? ''} ${first?.message ?? ''}`,
    );
  }
  const controls = (data as { controls: ControlSpec[] }).controls;
  const byId = new Map<string, ControlSpec>();
  for (const c of controls) {
    if (byId.has(c.id))
      throw new InternalError(`コントロールのカタログ (${source}) に ID ${c.id} が重複しています`);
    byId.set(c.id, c);
  }
  return { controls, get: (id) => byId.get(id) };
}

let cached: ControlCatalog | undefined;

export function getCatalog(): ControlCatalog {
  if (!cached) {
    let text: string;
    try {
      text = readFileSync(CATALOG_PATH, 'utf8');
    } catch (e) {
      throw new InternalError(
        `コントロールのカタログ (${CATALOG_PATH}) を読めません: ${(e as Error).message}`,
      );
    }
    cached = parseCatalog(text);
  }
  return cached;
}

export function controlTitle(spec: ControlSpec, lang: Lang): string {
  return pick(lang, spec.title, spec.titleEn);
}

/**
 * Parameters of one binding with the catalog's defaults filled in. Problems (an unknown parameter, a wrong
 * type, a value outside the enum or below the minimum) are returned as messages; the caller reports them.
 */
export function resolveParams(
  spec: ControlSpec,
  given: Record<string, Json>,
  lang: Lang,
): { params: Record<string, ParamValue>; problems: string[] } {
  const params: Record<string, ParamValue> = {};
  const problems: string[] = [];
  for (const [name, p] of Object.entries(spec.params)) if (p.default !== undefined) params[name] = p.default;
  for (const [name, value] of Object.entries(given)) {
    // The document names the parameter: own keys only (toString, valueOf… are not parameters).
    const p = Object.hasOwn(spec.params, name) ? spec.params[name] : undefined;
    if (!p) {
      const known = Object.keys(spec.params);
      problems.push(
        pick(
          lang,
          `パラメータ「${name}」はコントロール ${spec.id} にありません (${known.length ? `指定できるもの: ${known.join(', ')}` : 'パラメータはありません'})`,
          `Control ${spec.id} has no parameter "${name}" (${known.length ? `known: ${known.join(', ')}` : 'it takes none'})`,
        ),
      );
      continue;
    }
    const ok =
      (p.type === 'string' && typeof value === 'string') ||
      (p.type === 'boolean' && typeof value === 'boolean') ||
      (p.type === 'number' && typeof value === 'number') ||
      (p.type === 'integer' && typeof value === 'number' && Number.isInteger(value));
    if (!ok) {
      const ja = { string: '文字列', boolean: 'true または false', number: '数値', integer: '整数' }[p.type];
      problems.push(
        pick(
          lang,
          `パラメータ「${name}」は${ja}で指定してください (${JSON.stringify(value)} が指定されています)`,
          `Parameter "${name}" must be ${p.type} (found ${JSON.stringify(value)})`,
        ),
      );
      continue;
    }
    if (p.enum && !p.enum.includes(value as ParamValue)) {
      problems.push(
        pick(
          lang,
          `パラメータ「${name}」は ${p.enum.join(' / ')} のいずれかを指定してください (${JSON.stringify(value)} が指定されています)`,
          `Parameter "${name}" must be one of ${p.enum.join(' / ')} (found ${JSON.stringify(value)})`,
        ),
      );
      continue;
    }
    if (p.minimum !== undefined && typeof value === 'number' && value < p.minimum) {
      problems.push(
        pick(
          lang,
          `パラメータ「${name}」は ${p.minimum} 以上で指定してください (${value})`,
          `Parameter "${name}" must be ≥ ${p.minimum} (${value})`,
        ),
      );
      continue;
    }
    params[name] = value as ParamValue;
  }
  return { params, problems };
}
