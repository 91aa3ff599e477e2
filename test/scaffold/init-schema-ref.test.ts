// Issue 16 item 12: `pia init -o` writes a $schema reference that resolves from where the file is written,
// inside the project (relative, survives a clone) and outside it (file:// URL).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { schemaRefFor } from '../../src/scaffold/scaffold-document.ts';

const runPia = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });

/** Where yaml-language-server looks for the schema named on the first line of `file`. */
function resolvedSchema(file: string): string {
  const first = readFileSync(file, 'utf8').split('\n')[0];
  const m = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
  if (!m) throw new Error(`no modeline: ${first}`);
  return m[1].startsWith('file://') ? fileURLToPath(m[1]) : resolve(dirname(file), m[1]);
}

describe('pia init -o: the $schema resolves from the written file', () => {
  const outside = mkdtempSync(join(tmpdir(), 'pia-init-'));
  const inside = mkdtempSync(join(PROJECT_ROOT, 'test', '.tmp-init-'));
  afterAll(() => {
    rmSync(outside, { recursive: true, force: true });
    rmSync(inside, { recursive: true, force: true });
  });

  it('outside the project: an absolute file:// URL of the schema', () => {
    const out = join(outside, 'somewhere', '..', 'else.yaml');
    const r = runPia(['init', '--form', 'juten', '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    const first = readFileSync(out, 'utf8').split('\n')[0];
    expect(first).toMatch(/\$schema=file:\/\//);
    const target = resolvedSchema(out);
    expect(existsSync(target)).toBe(true);
    expect(target).toBe(join(PROJECT_ROOT, 'schemas', 'juten-h30.schema.json'));
  });

  it('inside the project: a path relative to the file', () => {
    const out = join(inside, 'a', 'assessment.yaml');
    runPia(['init', '--form', 'kiso', '-o', join(inside, 'placeholder.yaml')]);
    const rel = schemaRefFor('kiso', { outputFile: out, cwd: PROJECT_ROOT });
    expect(rel.startsWith('file:')).toBe(false);
    expect(resolve(dirname(out), rel)).toBe(join(PROJECT_ROOT, 'schemas', 'kiso-h30.schema.json'));
    const written = join(inside, 'placeholder.yaml');
    expect(existsSync(resolvedSchema(written))).toBe(true);
    expect(readFileSync(written, 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../schemas/kiso-h30.schema.json',
    );
  });

  it('stdout inside the project keeps the documented assessments/<事務>/ layout', () => {
    expect(schemaRefFor('zenkomoku', { cwd: PROJECT_ROOT })).toBe('../../schemas/zenkomoku-h30.schema.json');
    expect(schemaRefFor('zenkomoku', { cwd: tmpdir() })).toMatch(/^file:\/\/.*zenkomoku-h30\.schema\.json$/);
  });
});
