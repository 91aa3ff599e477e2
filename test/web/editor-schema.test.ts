// The editor's form is generated from the schema: for each of the three forms, a new blank document's edit
// page offers every item (verbatim title, in the form's order) and every 選択肢 (verbatim, in official
// order), so that a schema change can never leave the editor behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../api/helpers.ts';
import { formKeyOf, listEditorEntries } from '../../src/web/editor/schema-form.ts';
import { listItems } from '../../src/schema/index.ts';
import { signIn, textOf, type WebSession } from './web-helpers.ts';
import type { FormId } from '../../src/types.ts';

let fx: Fixture;
let officer: WebSession;

beforeAll(async () => {
  fx = await startFixture();
  officer = await signIn(fx.url, fx.tokens.officer);
});
afterAll(async () => {
  await fx?.close();
});

async function createBlank(form: FormId, title: string): Promise<string> {
  const body = new FormData();
  body.set('form', form);
  body.set('slug', `blank-${form}`);
  body.set('title', title);
  body.set('start', 'blank');
  const r = await officer.post('/assessments/new', body);
  expect(r.status, r.text.slice(0, 500)).toBe(303);
  const m = /\/assessments\/([^/]+)\/edit/.exec(r.headers.get('location') ?? '');
  expect(m).not.toBeNull();
  return m![1];
}

describe.each<FormId>(['kiso', 'juten', 'zenkomoku'])('the edit page of a blank %s document', (form) => {
  it('offers every item and every 選択肢 of the schema, verbatim and in order', async () => {
    const id = await createBlank(form, `空の${form}の事務`);
    const page = await officer.get(`/assessments/${id}/edit`);
    expect(page.status).toBe(200);
    const formHtml = page.text.slice(page.text.indexOf('<form method="post" action="/assessments/'));
    const text = textOf(formHtml);
    const entries = listEditorEntries(formKeyOf(form)!);
    expect(entries.length).toBeGreaterThan(form === 'kiso' ? 40 : 120);
    let pos = 0;
    let choices = 0;
    for (const e of entries) {
      if (e.title) {
        const at = text.indexOf(e.title, pos);
        expect(at, `item 「${e.title}」 (${e.pointer}) after position ${pos}`).toBeGreaterThanOrEqual(0);
        pos = at + e.title.length;
      }
      for (const c of e.choices) {
        // Each 選択肢 is an input whose value is the verbatim label, followed by the label text.
        const at = text.indexOf(c, pos);
        expect(at, `選択肢 「${c}」 of ${e.pointer}`).toBeGreaterThanOrEqual(0);
        pos = at + c.length;
        expect(formHtml).toContain(`value="${c.replace(/&/g, '&amp;')}"`);
        choices++;
      }
    }
    expect(choices).toBeGreaterThan(20);
    // Cross-checked with the schema module's own list of leaf items (independent of the editor's walk).
    for (const item of listItems(formKeyOf(form)!)) {
      if (
        item.pointer.startsWith('/changeLog') ||
        /^\/(nonPublic|sourceGaps|appendices|\$schema|form|formVersion)(\/|$)/.test(item.pointer)
      )
        continue;
      const label = item.labels[item.labels.length - 1];
      if (label) expect(text, item.pointer).toContain(label);
      let from = 0;
      for (const c of item.choices ?? []) {
        const at = text.indexOf(c, from);
        expect(at, `${item.pointer} 選択肢 ${c}`).toBeGreaterThanOrEqual(0);
        from = at;
      }
    }
    // ※ items carry the mark; the ※ count matches the schema's x-significant leaves shown.
    if (form !== 'kiso') expect(formHtml).toContain('<span class="mark">※</span>');
  });
});
