// The edit form without JavaScript: add, remove and reorder repeated parts with submit buttons (nothing is
// saved until 保存), items that do not apply are greyed, a save round-trips the document unchanged, the
// import option creates a document from a published 評価書, and the new-document form refuses bad input.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAtPointer } from '../../src/pointer.ts';
import type { JsonObject } from '../../src/types.ts';
import { readSample, startFixture, type Fixture } from '../api/helpers.ts';
import { formFields, signIn, type WebSession } from './web-helpers.ts';
import { SEEDS_DIR } from '../helpers/seeds.ts';

let fx: Fixture;
let officer: WebSession;

beforeAll(async () => {
  fx = await startFixture();
  officer = await signIn(fx.url, fx.tokens.officer);
});
afterAll(async () => {
  expect(fx.logged).toEqual([]);
  await fx?.close();
});

describe('the edit form without JavaScript', () => {
  it.each([
    'kakuu-city-kaigo',
    'kakuu-city-juki',
    'kakuu-city-jidouteate',
    'hofu-covid-vaccination',
    'kagoshima-covid-vaccination',
  ])('saves %s unchanged when nothing was edited (the form covers every item)', async (name) => {
    const doc = readSample(name);
    const code = String(getAtPointer(doc, '/organization/id'));
    let org = (await fx.store.listOrganisations()).find((o) => o.code === code);
    org ??= await fx.store.createOrganisation({ name: code, code }, { actor: 'system' });
    const token = (
      await fx.store.createToken(
        { name: `担当 ${code}`, role: 'officer', orgId: org.id },
        { actor: 'system' },
      )
    ).token;
    const session = await signIn(fx.url, token);
    const assessment = await fx.store.createAssessment(
      { orgId: org.id, title: `往復 ${name}`, form: null },
      { actor: 'system' },
    );
    await fx.store.addVersion(assessment.id, doc, { author: 'system' });
    const page = await session.get(`/assessments/${assessment.id}/edit`);
    expect(page.status).toBe(200);
    const fields = formFields(page.text);
    fields.set('_action', 'save');
    const r = await session.post(`/assessments/${assessment.id}/edit`, fields);
    expect(r.status, r.text.slice(0, 300)).toBe(303);
    const versions = await fx.store.listVersions(assessment.id);
    expect(versions).toHaveLength(2);
    const saved = (await fx.store.getVersion(versions[1].id))!.doc;
    expect(saved).toEqual(doc);
  });

  it('adds, reorders and removes 委託事項 and measure parts with buttons, saving only on 保存', async () => {
    const { assessment } = await fx.newAssessment({ doc: readSample('kakuu-city-kaigo') });
    const url = `/assessments/${assessment.id}/edit`;
    let page = (await officer.get(url)).text;
    const items = '/files/0/entrustment/items';
    const before = Number(/name="n:\/files\/0\/entrustment\/items" value="(\d+)"/.exec(page)?.[1]);
    expect(before).toBeGreaterThanOrEqual(2);
    const op = async (value: string) => {
      const f = formFields(page);
      f.set('_op', value);
      const r = await officer.post(url, f);
      expect(r.status, r.text.slice(0, 300)).toBe(200);
      page = r.text;
    };
    await op(`add:${items}`);
    expect(page).toContain(`name="n:${items}" value="${before + 1}"`);
    expect(page).toContain(`委託事項${before + 1}`);
    expect(page).toContain('未保存の変更があります');
    const titleOf = (i: number) =>
      new RegExp(`name="v:${items}/${i}/title" rows="\\d+">([^<]*)<`).exec(page)?.[1];
    const first = titleOf(0);
    const second = titleOf(1);
    await op(`down:${items}/0`);
    expect([titleOf(0), titleOf(1)]).toEqual([second, first]);
    await op(`remove:${items}/${before}`);
    expect(page).toContain(`name="n:${items}" value="${before}"`);
    // A part of a measure block.
    const parts = '/risks/0/acquisition/risk/measures/0/parts';
    const n = Number(new RegExp(`name="n:${parts}" value="(\\d+)"`).exec(page)?.[1]);
    await op(`add:${parts}`);
    expect(page).toContain(`name="n:${parts}" value="${n + 1}"`);
    expect(await fx.store.listVersions(assessment.id)).toHaveLength(1);
    // Save: the reordered entries are stored; the empty new part is not.
    const f = formFields(page);
    f.set('_action', 'save');
    expect((await officer.post(url, f)).status).toBe(303);
    const versions = await fx.store.listVersions(assessment.id);
    const saved = (await fx.store.getVersion(versions[1].id))!.doc;
    expect(getAtPointer(saved, `${items}/0/title`)).toBe(second);
    expect(getAtPointer(saved, `${items}/1/title`)).toBe(first);
    expect((getAtPointer(saved, parts) as string[]).length).toBe(n);
  });

  it('greys items that do not apply, as the applicability table says', async () => {
    const doc = readSample('kakuu-city-kaigo') as JsonObject;
    const changed = structuredClone(doc);
    const ent = (changed.risks as JsonObject[])[0].entrustment as JsonObject;
    ent.notEntrusted = true;
    const { assessment } = await fx.newAssessment({ doc: changed });
    const page = (await officer.get(`/assessments/${assessment.id}/edit`)).text;
    expect(page).toMatch(/class="ed-group na" id="[^"]+" data-ptr="\/risks\/0\/entrustment\/risk"/);
    expect(page).toContain('「委託しない」がチェックされているため、該当しません (記入不要)。');
    expect(page).not.toMatch(/data-ptr="\/risks\/0\/acquisition\/risk" class="[^"]*na/);
  });

  it('refuses bad input on the new-document form and an upload of another form', async () => {
    const post = (o: Record<string, string>, file?: { name: string; data: string }) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(o)) body.set(k, v);
      if (file) body.set('file', new Blob([file.data]), file.name);
      return officer.post('/assessments/new', body);
    };
    const countBefore = (await fx.store.listAssessments({ orgId: fx.orgA.id })).length;
    const ok = { form: 'juten', slug: 'x-jimu', title: '事務X', start: 'upload' };
    expect((await post({ ...ok, slug: 'Bad Slug' })).text).toContain('識別子は英小文字');
    expect((await post(ok)).text).toContain('ファイルを選んでください');
    const kiso = readFileSync(
      join(import.meta.dirname, '../../assessments/kakuu-city-jidouteate/assessment.yaml'),
      'utf8',
    );
    const wrong = await post(ok, { name: 'kiso.yaml', data: kiso });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('選んだ様式');
    const broken = await post(ok, { name: 'broken.yaml', data: 'form: [\n' });
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('評価書として読めません');
    expect(await fx.store.listAssessments({ orgId: fx.orgA.id })).toHaveLength(countBefore);
  });

  it('imports a published 評価書 (the text of seed 001) and shows the import report', async () => {
    const seeds = SEEDS_DIR;
    const file = readdirSync(seeds).find((f) => f.startsWith('001_'))!;
    const b = await signIn(fx.url, fx.tokens.officerB);
    const body = new FormData();
    body.set('form', 'juten');
    body.set('slug', 'hofu-import');
    body.set('title', '取り込んだ予防接種事務');
    body.set('start', 'import');
    body.set('file', new Blob([readFileSync(join(seeds, file))]), file);
    const r = await b.post('/assessments/new', body);
    expect(r.status, r.text.slice(0, 500)).toBe(200);
    expect(r.text).toContain('取り込みの報告');
    expect(r.text).toContain('既存の評価書を取り込みました');
  }, 120_000);
});
