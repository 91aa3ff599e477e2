// `pia init`: a blank document for a form, every item present with its label and 選択肢 as YAML comments,
// so an officer (or an editor with the yaml-language-server) fills in the form without guessing keys.
// Reads the schema only; no label is repeated here.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT, SCHEMAS_DIR } from '../paths.ts';
import type { FormId } from '../types.ts';

type Node = { [k: string]: any };

const SCHEMA_FILES: Record<FormId, string> = {
  kiso: 'kiso-h30.schema.json',
  juten: 'juten-h30.schema.json',
  zenkomoku: 'zenkomoku-h30.schema.json',
};

function load(file: string): Node {
  return JSON.parse(readFileSync(join(SCHEMAS_DIR, file), 'utf8'));
}

function resolve(node: Node, defs: Node): Node {
  const r = node.$ref as string | undefined;
  if (!r) return node;
  const name = r.split('/').pop()!;
  const { $ref: _r, ...rest } = node;
  return { ...defs[name], ...rest };
}

const q = (s: string) => JSON.stringify(s);

/** The schema file of a form, e.g. `juten-h30.schema.json`. */
export function schemaFileOf(form: FormId): string {
  return SCHEMA_FILES[form];
}

/**
 * The `$schema` an editor (yaml-language-server) resolves from a document written to `outputFile`: a path
 * relative to the document when it is inside this project (it stays valid when the repository is cloned
 * elsewhere), else the schema's absolute file:// URL (valid on this machine wherever the document is).
 * Without an output file (stdout) the document is assumed to go where the README puts documents,
 * `assessments/<事務>/assessment.yaml`, when run inside the project.
 */
export function schemaRefFor(form: FormId, opts: { outputFile?: string; cwd: string }): string {
  const file = join(SCHEMAS_DIR, SCHEMA_FILES[form]);
  const inside = (p: string) => {
    const r = relative(PROJECT_ROOT, p);
    return r === '' || (!r.startsWith('..') && !isAbsolute(r));
  };
  if (opts.outputFile) {
    const dir = dirname(opts.outputFile);
    if (inside(dir)) return relative(dir, file).split(sep).join('/');
    return pathToFileURL(file).href;
  }
  if (inside(opts.cwd)) return `../../schemas/${SCHEMA_FILES[form]}`;
  return pathToFileURL(file).href;
}

export function scaffoldDocument(form: FormId, opts: { schemaPath?: string; organizationId?: string } = {}): string {
  const defs = load('defs.schema.json').$defs as Node;
  const schema = load(SCHEMA_FILES[form]);
  const out: string[] = [];
  const schemaPath = opts.schemaPath ?? `../../schemas/${SCHEMA_FILES[form]}`;
  out.push(`# yaml-language-server: $schema=${schemaPath}`);
  out.push(`# ${schema.title} ${schema['x-form-stamp']}`);

  const emit = (key: string, raw: Node, indent: string, required: boolean): void => {
    const node = resolve(raw, defs);
    const title = node.title ? `${node.title}${node['x-significant'] ? ' ※' : ''}` : '';
    const opt = required ? '' : ' (任意)';
    const kind = node['x-kind'];
    const comment = (extra = '') => (title || extra ? `  # ${[title + opt, extra].filter(Boolean).join(' ')}` : '');
    if (key === '$schema') return;
    if (node.const !== undefined) {
      out.push(`${indent}${key}: ${q(node.const)}${comment()}`);
      return;
    }
    if (kind === 'choice' || (node.enum && node.type === 'string')) {
      const choices = (node.enum as string[]).map((c, i) => `${i + 1}) ${c}`).join(' ');
      out.push(`${indent}${key}: ""${comment(`<選択肢> ${choices}`)}`);
      return;
    }
    if (kind === 'multi') {
      const choices = (node.items.properties.choice.enum as string[]).join(' / ');
      out.push(`${indent}${key}: []${comment(`複数選択 {choice, detail}: ${choices}`)}`);
      return;
    }
    if (kind === 'measure') {
      out.push(`${indent}${key}:${comment('措置ブロックの列')}`);
      out.push(`${indent}  - heading: ""  # 例: ○○システムにおける措置 (任意)`);
      out.push(`${indent}    parts: [""]`);
      return;
    }
    if (kind === 'period') {
      out.push(`${indent}${key}: { from: "", to: "" }${comment('YYYY-MM-DD')}`);
      return;
    }
    if (kind === 'date') {
      out.push(`${indent}${key}: ""${comment('YYYY-MM-DD')}`);
      return;
    }
    if (kind === 'count') {
      // The blank has one example entry per repeated block, so its count is 1 (the form's ( )件).
      out.push(`${indent}${key}: 1${comment()}`);
      return;
    }
    if (kind === 'flag') {
      out.push(`${indent}${key}: false${comment()}`);
      return;
    }
    if (kind === 'list' || kind === 'changeLog') {
      out.push(`${indent}${key}: []${comment()}`);
      return;
    }
    if (node.type === 'object' && node.properties) {
      out.push(`${indent}${key}:${comment()}`);
      emitProps(node, indent + '  ');
      return;
    }
    if (node.type === 'array' && node['x-item-label']) {
      out.push(`${indent}${key}:${comment(`${node['x-item-label']}1…N`)}`);
      const item = resolve(node.items, defs);
      out.push(`${indent}  -`);
      emitProps(item, indent + '    ');
      return;
    }
    if (node.type === 'array') {
      out.push(`${indent}${key}: []${comment()}`);
      return;
    }
    out.push(`${indent}${key}: ""${comment()}`);
  };

  const emitProps = (node: Node, indent: string): void => {
    const req = new Set<string>(node.required ?? []);
    for (const [k, v] of Object.entries(node.properties as Node)) {
      if (k === 'organization' && indent === '') {
        out.push(`organization:  # 評価実施機関の情報`);
        out.push(`  id: ${q(opts.organizationId ?? 'example-city')}  # 英小文字・数字・ハイフン。自機関の識別子に置き換える`);
        out.push(`  type: "地方公共団体等"  # 地方公共団体等 / 行政機関等`);
        continue;
      }
      if (k === 'status' && indent === '') {
        out.push(`status: "素案"  # 素案 / 案 / 提出 / 公表`);
        continue;
      }
      if ((k === 'nonPublic' || k === 'appendices') && indent === '') continue;
      emit(k, v as Node, indent, req.has(k));
    }
  };
  emitProps(schema, '');
  return out.join('\n') + '\n';
}
