// The document page shows the document as printed (the render's view model): heading rows of repeated
// entries with their names, 「( )件」 counts inside the row they belong to, flags in caption rows, ※ marks;
// never the data as JSON. Its header dates are in 和暦 like the history page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/store/index.ts';
import { readSample, startFixture, type Fixture } from '../api/helpers.ts';
import { signIn, textOf } from './web-helpers.ts';

let fx: Fixture;
let assessment: Assessment;
let html: string;

beforeAll(async () => {
  fx = await startFixture();
  assessment = await fx.store.createAssessment(
    { orgId: fx.orgA.id, title: '鹿児島市 予防接種事務', form: 'zenkomoku' },
    { actor: 'system' },
  );
  await fx.store.addVersion(assessment.id, readSample('kagoshima-covid-vaccination'), {
    author: 'system',
  });
  const officer = await signIn(fx.url, fx.tokens.officer);
  const r = await officer.get(`/assessments/${assessment.id}`);
  expect(r.status).toBe(200);
  html = r.text;
});
afterAll(async () => {
  expect(fx.logged).toEqual([]);
  await fx?.close();
});

/** The visible text of the first table row whose id is the item's pointer. */
function rowText(pointer: string): string {
  const m = new RegExp(`<tr id="i${pointer.replace(/[/]/g, '\\/')}"[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  return m ? textOf(m[1]).trim() : '';
}

describe('the document page (as printed)', () => {
  it('shows a 委託事項 heading row with its name', () => {
    const heading = rowText('/files/0/entrustment/items/2/title');
    expect(heading).toContain('委託事項3');
    expect(heading).toContain('住民台帳システム保守業務委託');
    expect(html).toMatch(/<tr id="i\/files\/0\/entrustment\/items\/2\/title" class="heading/);
  });

  it('prints the 「( )件」 count in the 委託の有無 row, not as a row of its own', () => {
    expect(rowText('/files/0/entrustment/presence')).toMatch(/委託の有無.*\(\s*\)件/);
    expect(html).not.toContain('id="i/files/0/entrustment/count"');
  });

  it('shows caption flags and ※ as the form prints them, and no JSON', () => {
    // 「[ ] 委託しない」 (Ⅲ 4.) sits in its caption row.
    expect(textOf(html)).toMatch(/\[ \] 委託しない/);
    expect(html).toContain('<span class="mark">※</span>');
    const text = textOf(html);
    expect(text).not.toMatch(/\{\s*"|":\s*[[{"]|\[object Object\]/);
  });

  it('dates the header in 和暦', () => {
    const head = /<div class="doc-head">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
    expect(textOf(head)).toMatch(/第1版 \(令和\d+年\d+月\d+日 \d\d:\d\d/);
    expect(textOf(head)).not.toMatch(/\d{4}-\d\d-\d\d/);
  });
});
