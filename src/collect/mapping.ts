// The mapping file (`--map`): what the sources cannot say themselves — which system a Terraform resource
// belongs to when it has no `pia:system` tag, which 記録項目 a database column holds, how to count the
// persons. YAML or JSON; documented in docs/collect.md.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../errors.ts';

export interface TerraformMapping {
  /** system name → resource address patterns (`*` matches any run of characters). */
  systems?: Record<string, string[]>;
  /** Region when neither the resource nor the provider configuration says (state files lack the latter). */
  region?: string;
  /** Ports whose traffic is TLS (default: 443, 636, 993, 995, 8443, 22). */
  tlsPorts?: number[];
}

export interface PostgresTableMapping {
  /** column → 記録項目 (as the 評価書 writes it); a column mapped to null is ignored. */
  columns?: Record<string, string | null>;
  /** column → 主な記録項目の区分. */
  categories?: Record<string, string>;
  /** A query returning one number: the persons recorded (e.g. select count(distinct kojin_bango) from t). */
  persons?: string;
  /** 特定個人情報ファイル of this table (default: the mapping's `file`). */
  file?: string;
}

export interface PostgresMapping {
  system?: string;
  /** Data store name (default: the database name). */
  dataStore?: string;
  /** 特定個人情報ファイル name as the 評価書 writes it. */
  file?: string;
  /** Schemas to read (default: every schema except pg_catalog and information_schema). */
  schemas?: string[];
  /** schema.table (or table, for public) → mapping. Tables not listed are read too, by column comments. */
  tables?: Record<string, PostgresTableMapping>;
  /** Only the listed tables (default false: every table of the schemas). */
  onlyListed?: boolean;
  /** A query returning one number for counts.persons (対象となる本人の数 of the 事務). */
  persons?: string;
  location?: { country: string; region?: string; facility?: string; provider?: string };
}

export interface CollectMapping {
  organization?: string;
  terraform?: TerraformMapping;
  postgres?: PostgresMapping;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function readMapping(path: string, cwd: string): CollectMapping {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (e) {
    throw new InputError(
      `マッピングファイルを読めません (${(e as NodeJS.ErrnoException).code ?? 'エラー'}): ${path}`,
      path,
    );
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (e) {
    throw new InputError(
      `マッピングファイルの YAML/JSON が正しくありません: ${(e as Error).message.split('\n')[0]}`,
      path,
    );
  }
  if (data === null || data === undefined) return {};
  if (!isObject(data)) throw new InputError('マッピングファイルの最上位はオブジェクトにしてください', path);
  const t = data.terraform;
  if (t !== undefined && !isObject(t))
    throw new InputError('マッピングファイルの terraform はオブジェクトにしてください', path);
  if (isObject(t) && t.systems !== undefined) {
    if (!isObject(t.systems))
      throw new InputError('terraform.systems は「システム名: [リソースアドレス…]」にしてください', path);
    for (const [name, list] of Object.entries(t.systems)) {
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))
        throw new InputError(`terraform.systems.${name} はリソースアドレスの配列にしてください`, path);
    }
  }
  const p = data.postgres;
  if (p !== undefined && !isObject(p))
    throw new InputError('マッピングファイルの postgres はオブジェクトにしてください', path);
  return data as CollectMapping;
}

/** `*` matches any run of characters, everything else literally. */
export function addressMatches(pattern: string, address: string): boolean {
  if (!pattern.includes('*')) return pattern === address;
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  return re.test(address);
}
