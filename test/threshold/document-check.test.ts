// The recorded しきい値判断結果 of each form against its 対象人数 band (pia-domain.md §3.4).
import { describe, expect, it } from 'vitest';
import { checkThresholdResult } from '../../src/threshold/index.ts';
import { choiceAt, makeDocument, setAt } from '../fixtures/validate/make-document.ts';

type Case = [form: 'juten-h30' | 'zenkomoku-h30', persons: number, result: number, ok: boolean];

describe('重点/全項目: result choice vs 対象人数 band', () => {
  it.each<Case>([
    // 重点 Ⅴ1②: 0 = 基礎+重点 required, 1 = 基礎 (任意に重点), 2 = none (任意に重点)
    ['juten-h30', 0, 2, true],
    ['juten-h30', 0, 0, false],
    ['juten-h30', 1, 1, true],
    ['juten-h30', 1, 0, false],
    ['juten-h30', 2, 0, true], // P2 with 500人以上 or 重大事故 [M]
    ['juten-h30', 2, 1, true],
    ['juten-h30', 2, 2, false],
    ['juten-h30', 3, 0, true],
    ['juten-h30', 3, 1, false],
    // 全項目 Ⅵ1②: 0 = 全項目, 1 = 重点 (任意に全項目), 2 = 基礎 (任意に全項目), 3 = none (任意に全項目)
    ['zenkomoku-h30', 4, 0, true],
    ['zenkomoku-h30', 4, 1, false],
    ['zenkomoku-h30', 3, 0, true],
    ['zenkomoku-h30', 3, 1, true],
    ['zenkomoku-h30', 3, 2, false],
    ['zenkomoku-h30', 2, 0, false],
    ['zenkomoku-h30', 2, 1, true],
    ['zenkomoku-h30', 1, 2, true],
    ['zenkomoku-h30', 1, 1, false],
    ['zenkomoku-h30', 0, 3, true],
    ['zenkomoku-h30', 0, 2, false],
  ])('%s band %i result %i → ok %s', (form, persons, result, ok) => {
    const doc = makeDocument(form);
    setAt(doc, '/basic/jimu/persons', choiceAt(form, '/basic/jimu/persons', persons));
    setAt(doc, '/procedure/kiso/thresholdResult', choiceAt(form, '/procedure/kiso/thresholdResult', result));
    const findings = checkThresholdResult(doc, form, form === 'juten-h30' ? 'juten' : 'zenkomoku');
    expect(findings.length === 0).toBe(ok);
    if (!ok) {
      expect(findings[0].path).toBe('/procedure/kiso/thresholdResult');
      expect(findings[0].message).toContain('と合いません');
    }
  });

  it('suggests the right 「(任意に…を実施)」 choice when the band decides alone', () => {
    const form = 'juten-h30';
    const doc = makeDocument(form);
    setAt(doc, '/basic/jimu/persons', choiceAt(form, '/basic/jimu/persons', 1));
    setAt(doc, '/procedure/kiso/thresholdResult', choiceAt(form, '/procedure/kiso/thresholdResult', 0));
    const [f] = checkThresholdResult(doc, form, 'juten');
    expect(f.message).toBe(
      `しきい値判断結果『${choiceAt(form, '/procedure/kiso/thresholdResult', 0)}』は対象人数『${choiceAt(form, '/basic/jimu/persons', 1)}』と合いません。` +
        `この場合に義務付けられるのは「基礎項目評価」です。『${choiceAt(form, '/procedure/kiso/thresholdResult', 1)}』を選んでください。`,
    );
  });
});

describe('基礎: Ⅱ inputs decide exactly', () => {
  const form = 'kiso-h30';
  const P = '/thresholdItems/persons/band';
  const H = '/thresholdItems/handlers/band';
  const I = '/thresholdItems/incident/occurred';
  const R = '/thresholdResult/result';
  const S = '/riskMeasures/forms/kinds';
  // result index: 0 基礎, 1 基礎+重点, 2 基礎+全項目, 3 none; handlers 0 = 500人以上; incident 0 = 発生あり
  it.each([
    [3, 1, 1, 1, [], true],
    [3, 0, 1, 2, [], true],
    [3, 1, 0, 2, [], true],
    [3, 1, 1, 2, [R], false],
    [2, 0, 1, 1, [], true],
    [2, 1, 1, 0, [], true],
    [2, 1, 1, 1, [R], false],
    [0, 0, 0, 3, [], true],
    [1, 1, 1, 0, [], true],
  ])('persons %i handlers %i incident %i result %i', (persons, handlers, incident, result, paths) => {
    const doc = makeDocument(form);
    setAt(doc, P, choiceAt(form, P, persons));
    setAt(doc, H, choiceAt(form, H, handlers));
    setAt(doc, I, choiceAt(form, I, incident));
    setAt(doc, R, choiceAt(form, R, result));
    setAt(doc, S, choiceAt(form, S, 2));
    expect(checkThresholdResult(doc, form, 'kiso').map((f) => f.path)).toEqual(paths);
  });
  it('the forms submitted (Ⅳ1) must reach the result', () => {
    const doc = makeDocument(form); // 30万人以上 → 基礎+全項目
    setAt(doc, S, choiceAt(form, S, 1)); // 基礎項目評価書及び重点項目評価書
    const findings = checkThresholdResult(doc, form, 'kiso');
    expect(findings.map((f) => f.path)).toEqual([S]);
    expect(findings[0].message).toContain('に足りません');
  });
});
