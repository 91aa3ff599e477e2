// Schema registry: every schema in schemas/ is read once, added to the one Ajv instance, and compiled
// lazily per form on first use. Forms are found by the document's own `form` + `formVersion` (the
// `const` values in each form schema), so adding a form version is adding a schema file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchemaObject, ValidateFunction } from 'ajv';
import { InternalError } from '../errors.ts';
import { SCHEMAS_DIR } from '../paths.ts';
import type { FormId } from '../types.ts';
import { createAjv } from './ajv.ts';
import { withFilledKeyword } from './filled-keyword.ts';

export type SchemaNode = { [key: string]: unknown };

export interface FormInfo {
  /** File name without `.schema.json`, e.g. `juten-h30`. The handle every helper takes. */
  key: string;
  /** `$id` of the schema (its file name). */
  id: string;
  /** `form` const, e.g. 重点項目評価書. */
  form: string;
  /** `formVersion` const, e.g. 平成30年5月. */
  formVersion: string;
  /** `x-form`: kiso | juten | zenkomoku. */
  formId: FormId | undefined;
  /** `x-form-stamp`, e.g. [平成30年5月 様式3]. */
  stamp: string | undefined;
  title: string | undefined;
}

export class SchemaRegistry {
  readonly ajv: Ajv2020;
  private readonly schemas = new Map<string, SchemaNode>(); // by $id
  private readonly formList: FormInfo[] = [];
  private readonly validators = new Map<string, ValidateFunction>();
  /** $ids already given to Ajv: schemas are added only when a form that needs them is compiled. */
  private readonly added = new Set<string>();

  constructor(readonly dir: string = SCHEMAS_DIR) {
    this.ajv = createAjv();
    let files: string[];
    try {
      files = readdirSync(dir)
        .filter((f) => f.endsWith('.schema.json'))
        .sort();
    } catch {
      throw new InternalError(`スキーマのディレクトリを読めません: ${dir}`);
    }
    for (const file of files) {
      let schema: SchemaNode;
      try {
        schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as SchemaNode;
      } catch (e) {
        throw new InternalError(`スキーマ ${file} を読めません: ${(e as Error).message}`);
      }
      // A schema without $id is known by its file name, so that `defs.schema.json#/$defs/x` refs resolve.
      if (typeof schema.$id !== 'string') schema = { $id: file, ...schema };
      const id = schema.$id as string;
      this.schemas.set(id, schema);
      const props = schema.properties as Record<string, SchemaNode> | undefined;
      const form = props?.form?.const;
      const formVersion = props?.formVersion?.const;
      if (typeof form === 'string' && typeof formVersion === 'string') {
        this.formList.push({
          key: file.replace(/\.schema\.json$/, ''),
          id,
          form,
          formVersion,
          formId: schema['x-form'] as FormId | undefined,
          stamp: schema['x-form-stamp'] as string | undefined,
          title: schema.title as string | undefined,
        });
      }
    }
  }

  forms(): readonly FormInfo[] {
    return this.formList;
  }

  // Plain loops (no callback per call): both run on every validation.
  form(key: string): FormInfo {
    for (const f of this.formList) if (f.key === key || f.id === key) return f;
    throw new InternalError(`様式のスキーマがありません: ${key}`);
  }

  /** The form a document claims to be, or undefined. */
  findForm(form: unknown, formVersion: unknown): FormInfo | undefined {
    for (const f of this.formList) if (f.form === form && f.formVersion === formVersion) return f;
    return undefined;
  }

  /** The schema with this `$id`. */
  schema(id: string): SchemaNode | undefined {
    return this.schemas.get(id);
  }

  /** `$defs/<name>` of the shared definitions (or of any schema that has it). */
  def(name: string): SchemaNode | undefined {
    for (const s of this.schemas.values()) {
      const d = (s.$defs as Record<string, SchemaNode> | undefined)?.[name];
      if (d) return d;
    }
    return undefined;
  }

  /** Compiled validator of a form; compiled on first use and kept. */
  validator(key: string): ValidateFunction {
    const info = this.form(key);
    let v = this.validators.get(info.id);
    if (!v) {
      let got: ValidateFunction | undefined;
      try {
        this.ensureAdded(info.id);
        got = this.ajv.getSchema(info.id);
      } catch (e) {
        // A schema bug (misspelt vendor keyword, bad $ref) — the lead's to fix, never the user's.
        throw new InternalError(`スキーマ ${info.id} をコンパイルできません: ${(e as Error).message}`);
      }
      if (!got) throw new InternalError(`スキーマをコンパイルできません: ${info.id}`);
      v = got;
      this.validators.set(info.id, v);
    }
    return v;
  }

  /**
   * Compiled validator for any schema in schemas/ or a fragment of one (`live-snapshot.schema.json`,
   * `defs.schema.json#/$defs/changeRow`), with the same Ajv instance, vendor keywords and 未記載 keyword.
   * Cached by Ajv. For forms prefer validator(formKey).
   */
  validatorFor(ref: string): ValidateFunction {
    const id = ref.split('#')[0];
    let got: ValidateFunction | undefined;
    try {
      this.ensureAdded(id);
      got = this.ajv.getSchema(ref) as ValidateFunction | undefined;
    } catch (e) {
      throw new InternalError(`スキーマ ${ref} をコンパイルできません: ${(e as Error).message}`);
    }
    if (!got) throw new InternalError(`スキーマ ${ref} がありません`);
    return got;
  }

  /**
   * Give Ajv the schema `id` and every schema it references, once. Ajv gets a copy with the derived
   * 未記載 keyword (filled-keyword.ts); navigation reads the schema as written. Adding lazily keeps a cold
   * `pia validate` from validating every schema in schemas/ against the meta-schema.
   */
  ensureAdded(id: string): void {
    if (this.added.has(id)) return;
    const schema = this.schemas.get(id);
    if (!schema) return;
    this.added.add(id);
    this.ajv.addSchema(withFilledKeyword(schema) as AnySchemaObject);
    const refs = new Set<string>();
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        for (const [k, v] of Object.entries(n)) {
          if (k === '$ref' && typeof v === 'string') {
            const uri = v.split('#')[0];
            if (uri) refs.add(new URL(uri, `pia:///${id}`).pathname.replace(/^\//, ''));
          } else walk(v);
        }
      }
    };
    walk(schema);
    for (const r of refs) this.ensureAdded(r);
  }
}

let defaultRegistry: SchemaRegistry | undefined;

/** The process-wide registry over schemas/ (created on first use). */
export function getRegistry(): SchemaRegistry {
  defaultRegistry ??= new SchemaRegistry();
  return defaultRegistry;
}
