// Shared by the diff tests: the sample documents, a CLI runner that spawns the real entry point, and
// small builders for edited copies of a document.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDocument } from '../../src/load/index.ts';
import { getAtPointer, parsePointer } from '../../src/pointer.ts';
import { resolveSchemaAt } from '../../src/schema/index.ts';
import { PROJECT_ROOT } from '../../src/paths.ts';
import type { Json, JsonObject } from '../../src/types.ts';

export const ROOT = PROJECT_ROOT;
export const HOFU = 'assessments/hofu-covid-vaccination';
export const KAGOSHIMA = 'assessments/kagoshima-covid-vaccination/assessment.yaml';
export const KISO = 'assessments/kakuu-city-jidouteate/assessment.yaml';
export const JUTEN = `${HOFU}/assessment.yaml`;

export async function load(path: string): Promise<JsonObject> {
  const d = await loadDocument(path, { cwd: ROOT });
  if (!d.data) throw new Error(`cannot load ${path}`);
  return d.data;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runPia(args: string[]): CliRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PIA_DEBUG: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pia-diff-'));
}

/** Write a document (as JSON, which the loader reads like YAML) and return its path. */
export function writeDoc(dir: string, name: string, doc: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return p;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Set `v` at `pointer`, creating objects on the way. */
export function setAt(doc: JsonObject, pointer: string, v: Json): void {
  const t = parsePointer(pointer);
  let cur: any = doc;
  for (const k of t.slice(0, -1)) {
    if (cur[k] === undefined || cur[k] === null) cur[k] = {};
    cur = cur[k];
  }
  cur[t[t.length - 1]] = v;
}

/** A different valid value for the item at `pointer`: another 選択肢, or the text with something added. */
export function editedValue(form: string, doc: JsonObject, pointer: string): Json {
  const node = resolveSchemaAt(form, pointer);
  const cur = getAtPointer(doc, pointer) as Json | undefined;
  const kind = node?.['x-kind'];
  if (kind === 'choice' && Array.isArray(node?.enum)) return (node.enum as string[]).find((c) => c !== cur) ?? '';
  if (kind === 'measure') return [...((cur as Json[]) ?? []), { parts: ['・追加した措置'] }];
  if (kind === 'multi') return [...((cur as Json[]) ?? []).filter((x: any) => x.choice !== 'その他'), { choice: 'その他', detail: '追加したシステム' }];
  return `${typeof cur === 'string' ? cur : ''}（変更）`;
}

