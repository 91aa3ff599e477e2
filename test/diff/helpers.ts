// Shared by the diff tests: the sample documents, a CLI runner that spawns the real entry point, and
// small builders for edited copies of a document.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDocument } from '../../src/load/index.ts';
import { PROJECT_ROOT } from '../../src/paths.ts';
import type { JsonObject } from '../../src/types.ts';

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
