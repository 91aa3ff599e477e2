import { describe, expect, it } from 'vitest';
import { checkCompleteness, evaluateApplicability, isBlank } from '../../src/consistency/index.ts';
import { validateDocument } from '../../src/engine.ts';
import { choiceAt, deleteAt, makeDocument, setAt } from '../fixtures/validate/make-document.ts';

const form = 'juten-h30';

describe('isBlank', () => {
  it.each([
    [undefined, true],
    [null, true],
    ['', true],
    [' \u3000\n', true],
    [[], true],
    [[''], true],
    [{}, true],
    [[{ parts: ['', ' '] }], true],
    [false, true],
    [0, false],
    ['-', false],
    [[{ parts: ['x'] }], false],
    [{ a: null, b: 'x' }, false],
  ])('%j → %s', (v, expected) => {
    expect(isBlank(v)).toBe(expected);
  });
});

describe('completeness', () => {
  it('missing and present-but-empty required items are 未記載', () => {
    const doc = makeDocument(form);
    deleteAt(doc, '/cover/name');
    setAt(doc, '/basic/jimu/content', '   ');
    setAt(doc, '/basic/fileNames', []);
    setAt(doc, '/risks/0/acquisition/risk/measures', [{ parts: [''] }]);
    const diags = validateDocument(doc).filter((d) => d.code === 'completeness/missing');
    expect(diags.map((d) => d.path)).toEqual([
      '/basic/fileNames',
      '/basic/jimu/content',
      '/cover/name',
      '/risks/0/acquisition/risk/measures',
    ]);
    expect(diags.find((d) => d.path === '/cover/name')?.message).toBe('未記載です: 表紙 › 評価書名');
  });

  it.each([
    [0, 'warning'],
    [1, 'warning'],
    [2, 'error'],
    [3, 'error'],
  ])('status index %i (素案・案・提出・公表) → %s', (i, severity) => {
    const doc = makeDocument(form);
    setAt(doc, '/status', choiceAt(form, '/status', i));
    deleteAt(doc, '/cover/name');
    expect(validateDocument(doc).map((d) => d.severity)).toEqual([severity]);
  });

  it('a placeholder entry `{}` (missing page) is one 未記載, not one per field', () => {
    const doc = makeDocument(form);
    setAt(doc, '/basic/systems', [{}, (doc as any).basic.systems[0]]);
    const diags = validateDocument(doc);
    expect(diags.map((d) => [d.code, d.path, d.label])).toEqual([
      [
        'completeness/missing',
        '/basic/systems/0',
        'Ⅰ 基本情報 › 2. 特定個人情報ファイルを取り扱う事務において使用するシステム › システム1',
      ],
    ]);
  });

  it('a whole blank required section is one finding', () => {
    const doc = makeDocument(form);
    setAt(doc, '/disclosure', {});
    expect(validateDocument(doc).map((d) => d.path)).toEqual(['/disclosure']);
  });

  it('items that do not apply are exempt (委託しない → no 委託事項 needed)', () => {
    const doc = makeDocument(form);
    setAt(doc, '/files/0/entrustment', { presence: choiceAt(form, '/files/0/entrustment/presence', 1) });
    setAt(doc, '/risks/0/entrustment', { notEntrusted: true });
    expect(validateDocument(doc)).toEqual([]);
    const applicability = evaluateApplicability(doc, 'juten');
    expect(applicability.isNotApplicable('/files/0/entrustment/items/0/content')).toBe(true);
    expect(checkCompleteness(doc, form, applicability)).toEqual([]);
  });

  it('情報連携 実施しない exempts the required 法令上の根拠', () => {
    const doc = makeDocument(form);
    setAt(doc, '/basic/networkLinkage', {
      implementation: choiceAt(form, '/basic/networkLinkage/implementation', 1),
    });
    setAt(doc, '/risks/0/network', { notConnectedAcquisition: true, notConnectedProvision: true });
    expect(validateDocument(doc)).toEqual([]);
  });

  it('no status at all counts as a finished document (errors)', () => {
    const doc = makeDocument(form);
    deleteAt(doc, '/status');
    const diags = validateDocument(doc);
    expect(diags.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['completeness/missing', 'error', '/status'],
    ]);
  });
});

describe('sourceGaps', () => {
  it('a gap is reported once, at the 未記載 severity, instead of the 未記載 items inside it', () => {
    const doc = makeDocument(form);
    setAt(doc, '/files/0/storage', {});
    setAt(doc, '/files/0/provision', {});
    setAt(doc, '/sourceGaps', [{ path: '/files/0/provision', note: '原本の頁が欠落' }]);
    const diags = validateDocument(doc);
    expect(diags.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['completeness/source-gap', 'error', '/files/0/provision'],
      ['completeness/missing', 'error', '/files/0/storage'],
    ]);
    expect(diags[0].message).toBe(
      '元資料に欠落があります: Ⅱ 特定個人情報ファイルの概要 › 特定個人情報ファイル1 › 5. 特定個人情報の提供・移転(委託に伴うものを除く。) (原本の頁が欠落)',
    );
  });
  it('in a draft the gap is a warning', () => {
    const doc = makeDocument(form);
    setAt(doc, '/status', choiceAt(form, '/status', 0));
    setAt(doc, '/sourceGaps', [{ path: '/files/0/provision', note: 'x' }]);
    expect(validateDocument(doc).map((d) => d.severity)).toEqual(['warning']);
  });
});
