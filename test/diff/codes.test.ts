// Every finding code the 変更箇所 judgement emits has a Japanese title in the engine's rule table (the
// history page and SARIF show it): scanned from the source so that a new code without a title fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRules } from '../../src/engine.ts';
import { PROJECT_ROOT } from '../../src/paths.ts';

const DIFF_DIR = join(PROJECT_ROOT, 'src', 'diff');

describe('diff/* codes in describeRules()', () => {
  const emitted = new Set<string>();
  for (const f of readdirSync(DIFF_DIR).filter((n) => n.endsWith('.ts'))) {
    for (const m of readFileSync(join(DIFF_DIR, f), 'utf8').matchAll(/code: '(diff\/[a-z-]+)'/g)) emitted.add(m[1]);
  }

  it('finds the codes it checks', () => {
    expect(emitted.size).toBeGreaterThanOrEqual(4);
  });

  it.each([...emitted].sort())('%s has a Japanese and an English title', (code) => {
    const rule = describeRules()[code];
    expect(rule?.ja).toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(rule?.en).toBeTruthy();
  });
});
