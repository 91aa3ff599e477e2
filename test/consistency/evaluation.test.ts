// The evaluated applicability table and the rules that read the document by value (not by re-parsing
// pointers): what they read must be what the pointers they report point at, also for the second file of a
// document (a rule that mixed up file indices would pass every one-file test).
import { describe, expect, it } from 'vitest';
import {
  APPLICABILITY,
  evaluateApplicability,
  runConsistencyRules,
  type ApplicabilityHit,
} from '../../src/consistency/index.ts';
import { validateDocument } from '../../src/engine.ts';
import { loadDocument } from '../../src/load/index.ts';
import { findForm } from '../../src/schema/index.ts';
import { getAtPointer, parsePointer } from '../../src/pointer.ts';
import type { FormId, JsonObject } from '../../src/types.ts';
import { choiceAt, deleteAt, makeDocument, setAt } from '../fixtures/validate/make-document.ts';

type Form = 'juten-h30' | 'zenkomoku-h30';
const FORM_ID: Record<Form, FormId> = { 'juten-h30': 'juten', 'zenkomoku-h30': 'zenkomoku' };
const c = choiceAt;

/** A clean document of `form` with two files (Ⅰ3, Ⅱ and Ⅲ each name both). */
function twoFiles(form: Form): JsonObject {
  const d = makeDocument(form) as Record<string, any>;
  d.files.push(structuredClone(d.files[0]));
  d.risks.push(structuredClone(d.risks[0]));
  d.files[1].name = 'テスト2';
  d.risks[1].fileName = 'テスト2';
  d.basic.fileNames = [d.files[0].name, 'テスト2'];
  return d as JsonObject;
}

const findings = (doc: JsonObject) => validateDocument(doc).map((x) => [x.code, x.path]);

function checkHit(doc: unknown, h: ApplicabilityHit) {
  expect(h.scopeValue).toBe(getAtPointer(doc, h.scope));
  expect(h.value).toBe(getAtPointer(doc, h.decidePointer));
  expect(h.itemValues).toEqual(h.items.map((p) => getAtPointer(doc, p)));
  // indices: the list indices of the scope pattern's `*`s, in order.
  const pattern = parsePointer(h.row.scope);
  const concrete = parsePointer(h.scope);
  expect(h.indices).toEqual(concrete.filter((_, i) => pattern[i] === '*').map(Number));
}

describe('evaluateApplicability', () => {
  it.each(['juten-h30', 'zenkomoku-h30'] as const)(
    '%s: every hit carries the values its pointers point at',
    (form) => {
      const doc = twoFiles(form);
      setAt(doc, '/files/1/entrustment', { presence: c(form, '/files/1/entrustment/presence', 1) });
      const a = evaluateApplicability(doc, FORM_ID[form]);
      expect(a.notApplicable.length + a.required.length).toBeGreaterThan(4);
      for (const h of [...a.notApplicable, ...a.required]) checkHit(doc, h);
      expect(a.hitsOf('entrust-none').notApplicable.map((h) => h.indices)).toEqual([[1]]);
      expect(a.hitsOf('entrust-none').required.map((h) => h.indices)).toEqual([[0]]);
    },
  );

  it('the samples: hits match their pointers', async () => {
    let hits = 0;
    for (const name of ['kakuu-city-juki', 'kakuu-city-kaigo', 'kakuu-city-jidouteate']) {
      const loaded = await loadDocument(`assessments/${name}/assessment.yaml`);
      const a = evaluateApplicability(loaded.data, findForm(loaded.data)!.formId!);
      for (const h of [...a.notApplicable, ...a.required]) checkHit(loaded.data, h);
      hits += a.notApplicable.length + a.required.length;
    }
    expect(hits).toBeGreaterThan(10);
  });

  it('hitsOf and notApplicableFor select by row id and by blankRule, in document order', () => {
    const form = 'zenkomoku-h30';
    const doc = twoFiles(form);
    for (const i of [0, 1]) {
      setAt(doc, `/risks/${i}/network/notConnectedAcquisition`, true);
      setAt(doc, `/risks/${i}/network/notConnectedProvision`, true);
    }
    const a = evaluateApplicability(doc, 'zenkomoku');
    expect(a.notApplicableFor('network-blank').map((h) => [h.row.id, h.scope])).toEqual(
      a.notApplicable.filter((h) => h.row.blankRule === 'network-blank').map((h) => [h.row.id, h.scope]),
    );
    expect(a.notApplicableFor('network-blank').map((h) => h.scope)).toEqual([
      '/risks/0/network',
      '/risks/1/network',
      '/risks/0/network',
      '/risks/1/network',
    ]);
    expect(a.hitsOf('no-such-row')).toEqual({ notApplicable: [], required: [] });
    expect(a.notApplicableFor('no-such-rule')).toEqual([]);
  });

  it('isNotApplicable: the item itself and what lies inside it, not a longer sibling name', () => {
    const form = 'juten-h30';
    const doc = makeDocument(form);
    setAt(doc, '/files/0/entrustment/presence', c(form, '/files/0/entrustment/presence', 1));
    const a = evaluateApplicability(doc, 'juten');
    expect(a.isNotApplicable('/files/0/entrustment/count')).toBe(true);
    expect(a.isNotApplicable('/files/0/entrustment/items/3/content')).toBe(true);
    expect(a.isNotApplicable('/files/0/entrustment/countX')).toBe(false);
    expect(a.isNotApplicable('/files/0/entrustment/item')).toBe(false);
    expect(a.isNotApplicable('/files/0/entrustment')).toBe(false);
    expect(a.isNotApplicable('/files/1/entrustment/count')).toBe(false);
    expect(a.isNotApplicable('')).toBe(false);
    expect(
      evaluateApplicability(makeDocument(form), 'juten').isNotApplicable('/files/0/entrustment/count'),
    ).toBe(false);
  });

  it('no row has an empty item (isNotApplicable relies on it)', () => {
    for (const row of APPLICABILITY)
      for (const item of [...row.items, ...(row.requiredItems ?? [])]) expect(item).not.toBe('');
  });
});

describe('rules on the second file', () => {
  it.each(['juten-h30', 'zenkomoku-h30'] as const)('%s: two clean files are clean', (form) => {
    expect(findings(twoFiles(form))).toEqual([]);
  });

  it.each(['juten-h30', 'zenkomoku-h30'] as const)('%s: 委託 of file 2 against Ⅲ4 of file 2', (form) => {
    const doc = twoFiles(form);
    setAt(doc, '/files/1/entrustment', { presence: c(form, '/files/1/entrustment/presence', 1) });
    expect(findings(doc)).toEqual([['consistency/entrust-flag', '/risks/1/entrustment/notEntrusted']]);
    setAt(doc, '/risks/1/entrustment', { notEntrusted: true });
    expect(findings(doc)).toEqual([]);
    setAt(doc, '/risks/0/entrustment/notEntrusted', true);
    expect(findings(doc)).toEqual([
      ['consistency/entrust-flag', '/risks/0/entrustment/notEntrusted'],
      ['consistency/entrust-flag', '/risks/0/entrustment/otherRisks'],
      ['consistency/entrust-flag', '/risks/0/entrustment/risk'],
    ]);
  });

  it.each(['juten-h30', 'zenkomoku-h30'] as const)('%s: counts of file 2', (form) => {
    const doc = twoFiles(form);
    setAt(doc, '/files/1/entrustment/count', 2);
    setAt(doc, '/files/1/provision/transferCount', 5);
    expect(findings(doc)).toEqual([
      ['consistency/entrust-count', '/files/1/entrustment/count'],
      ['consistency/provision-count', '/files/1/provision/transferCount'],
    ]);
  });

  it.each(['juten-h30', 'zenkomoku-h30'] as const)('%s: 委託する without 委託事項 in file 2', (form) => {
    const doc = twoFiles(form);
    deleteAt(doc, '/files/1/entrustment/items');
    setAt(doc, '/files/1/entrustment/count', 0);
    expect(findings(doc)).toEqual([['consistency/entrust-items', '/files/1/entrustment/items']]);
  });

  it.each(['juten-h30', 'zenkomoku-h30'] as const)(
    '%s: 提供・移転 of file 2 against Ⅲ5 of file 2',
    (form) => {
      const doc = twoFiles(form);
      setAt(doc, '/risks/1/provision/notProvided', true);
      // File 2 provides (Ⅱ5), so the flag is wrong, and the Ⅲ5 body is filled although the flag says not.
      const body = form === 'juten-h30' ? ['otherRisks', 'risk'] : ['otherRisks', 'risk1', 'risk2', 'risk3'];
      expect(findings(doc)).toEqual([
        ['consistency/provision-blank', '/risks/1/provision/notProvided'],
        ...body.map((k) => ['consistency/provision-blank', `/risks/1/provision/${k}`]),
      ]);
    },
  );

  it.each(['juten-h30', 'zenkomoku-h30'] as const)('%s: 再委託 of file 2 against Ⅲ4 of file 2', (form) => {
    const doc = twoFiles(form);
    setAt(
      doc,
      '/risks/1/entrustment/risk/subcontractAssurance',
      c(form, '/risks/1/entrustment/risk/subcontractAssurance', 3),
    );
    deleteAt(doc, '/risks/1/entrustment/risk/subcontractAssuranceMethod');
    // File 2 still subcontracts: 再委託していない is wrong there, and only there.
    expect(findings(doc)).toEqual([
      ['consistency/subcontract-assurance', '/risks/1/entrustment/risk/subcontractAssurance'],
    ]);
    const rules = runConsistencyRules(doc, { form, formId: FORM_ID[form], only: ['subcontract-assurance'] });
    expect(rules[0].related).toEqual([{ path: '/files/1/entrustment/items/0/subcontract/presence' }]);
  });

  it.each(['juten-h30', 'zenkomoku-h30'] as const)(
    '%s: file names compare after NFKC and spacing',
    (form) => {
      const doc = twoFiles(form) as Record<string, any>;
      doc.basic.fileNames[1] = 'テスト 2';
      doc.risks[1].fileName = 'テスト２';
      expect(findings(doc)).toEqual([]);
      doc.risks[1].fileName = 'テスト3';
      expect(findings(doc)).toEqual([['consistency/file-names', '/risks/1/fileName']]);
      doc.files[1].name = 'テスト9';
      expect(findings(doc)).toEqual([
        ['consistency/file-names', '/files/1/name'],
        ['consistency/file-names', '/risks/1/fileName'],
      ]);
    },
  );

  it.each(['juten-h30', 'zenkomoku-h30'] as const)('%s: multi-select detail in file 2', (form) => {
    const doc = twoFiles(form) as Record<string, any>;
    const list = doc.files[1].acquisition.sources as { choice: string; detail?: string }[];
    list.push({ choice: list[0].choice, detail: 'あり' });
    const diags = validateDocument(doc).filter((d) => d.code === 'consistency/multi-detail');
    expect(diags.map((d) => d.path)).toEqual(['/files/1/acquisition/sources/1/detail']);
  });
});
