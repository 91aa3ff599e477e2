import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  containsSignificant,
  defNameAt,
  formatLabelPath,
  getRegistry,
  isSignificant,
  labelPath,
  listItems,
  resolveSchemaAt,
  SchemaRegistry,
} from '../../src/schema/index.ts';
import { SCHEMAS_DIR } from '../../src/paths.ts';

describe('labelPath', () => {
  it.each([
    [
      'juten-h30',
      '/basic/systems/1/name',
      'Ⅰ 基本情報 › 2. 特定個人情報ファイルを取り扱う事務において使用するシステム › システム2 › ①システムの名称',
    ],
    [
      'juten-h30',
      '/files/0/entrustment/items/0/content',
      'Ⅱ 特定個人情報ファイルの概要 › 特定個人情報ファイル1 › 4. 特定個人情報ファイルの取扱いの委託 › 委託事項1 › ①委託内容',
    ],
    // An untitled repeated block is named by its item label when the pointer ends at it.
    [
      'juten-h30',
      '/files/0/entrustment/items',
      'Ⅱ 特定個人情報ファイルの概要 › 特定個人情報ファイル1 › 4. 特定個人情報ファイルの取扱いの委託 › 委託事項',
    ],
    // An untitled leaf (⑤使用方法's own text) takes its group's label.
    [
      'juten-h30',
      '/files/0/acquisition/usage/method',
      'Ⅱ 特定個人情報ファイルの概要 › 特定個人情報ファイル1 › 3. 特定個人情報の入手・使用 › ⑤使用方法',
    ],
    // Inside a measure: the item's label (parts have none).
    [
      'zenkomoku-h30',
      '/risks/0/use/risk2/userAuthenticationMethod/0/parts/1',
      'Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策 › 特定個人情報ファイル1 › 3. 特定個人情報の使用 › リスク2: 権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク › 具体的な管理方法',
    ],
    // Past the end of the form: the known part.
    ['kiso-h30', '/related/jimu/nosuchkey', 'Ⅰ 関連情報 › 1. 特定個人情報ファイルを取り扱う事務'],
    ['kiso-h30', '', ''],
  ])('%s %s', (form, pointer, expected) => {
    expect(formatLabelPath(labelPath(form, pointer))).toBe(expected);
  });
});

describe('resolveSchemaAt / defNameAt', () => {
  it('follows $ref into defs and keeps the referencing title', () => {
    const n = resolveSchemaAt('juten-h30', '/files/3/entrustment/presence');
    expect(n?.title).toBe('委託の有無');
    expect(n?.enum).toEqual(getRegistry().def('entrust')?.enum);
    expect(n?.['x-significant']).toBe(true);
    expect(defNameAt('juten-h30', '/files/3/entrustment/presence')).toBe('entrust');
  });
  it('walks into a measure block through the defs-local $ref', () => {
    const n = resolveSchemaAt('juten-h30', '/risks/0/acquisition/risk/measures/0');
    expect(n?.required).toEqual(['parts']);
  });
  it('is undefined off the form', () => {
    expect(resolveSchemaAt('juten-h30', '/basic/nosuch')).toBeUndefined();
    expect(resolveSchemaAt('juten-h30', '/basic/systems/x')).toBeUndefined();
  });
});

describe('isSignificant / containsSignificant', () => {
  it.each([
    ['juten-h30', '/basic/numberUse/legalBasis', true],
    ['juten-h30', '/basic/jimu/name', false],
    ['juten-h30', '/risks/0/acquisition/risk/measures/0/parts/3', true],
    ['juten-h30', '/risks/0/storage/risk/seriousIncident/occurred', false],
    ['zenkomoku-h30', '/otherRisks/audit/selfCheck/level', true],
    ['kiso-h30', '/thresholdResult/result', false],
  ])('%s %s → %s', (form, pointer, expected) => {
    expect(isSignificant(form, pointer)).toBe(expected);
  });
  it('a block containing a ※ item', () => {
    expect(isSignificant('juten-h30', '/files/0/entrustment/items/1')).toBe(false);
    expect(containsSignificant('juten-h30', '/files/0/entrustment/items/1')).toBe(true);
    expect(containsSignificant('juten-h30', '/basic/systems/0')).toBe(false);
  });
});

describe('listItems', () => {
  it('lists every leaf with a pattern, labels, kind and 選択肢', () => {
    const items = listItems('juten-h30');
    const persons = items.find((i) => i.pointer === '/basic/jimu/persons');
    expect(persons).toMatchObject({ kind: 'choice', significant: false, optional: false, def: 'persons4' });
    expect(persons?.choices).toHaveLength(4);
    const sys = items.find((i) => i.pointer === '/basic/systems/*/name');
    expect(sys?.labels.at(-2)).toBe('システムN');
    expect(items.every((i) => i.pointer === '' || i.pointer.startsWith('/'))).toBe(true);
    // No measure internals: a measure is one item.
    expect(items.some((i) => i.pointer.includes('/parts'))).toBe(false);
  });
  it('is cached per form', () => {
    expect(listItems('kiso-h30')).toBe(listItems('kiso-h30'));
  });
});

describe('SchemaRegistry', () => {
  it('finds forms by form + formVersion', () => {
    const r = getRegistry();
    expect(
      r
        .forms()
        .map((f) => f.key)
        .sort(),
    ).toEqual(['juten-h30', 'kiso-h30', 'zenkomoku-h30']);
    expect(r.findForm('重点項目評価書', '平成30年5月')?.formId).toBe('juten');
    expect(r.findForm('重点項目評価書', '令和6年10月')).toBeUndefined();
  });
  it('compiles a form once and reuses it', () => {
    const r = new SchemaRegistry();
    expect(r.validator('kiso-h30')).toBe(r.validator('kiso-h30'));
  });
  it('rejects a misspelt vendor keyword when compiling (strict mode)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pia-schemas-'));
    writeFileSync(join(dir, 'defs.schema.json'), readFileSync(join(SCHEMAS_DIR, 'defs.schema.json')));
    const kiso = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'kiso-h30.schema.json'), 'utf8'));
    kiso.properties.cover.properties.name['x-signficant'] = true;
    writeFileSync(join(dir, 'kiso-h30.schema.json'), JSON.stringify(kiso));
    const r = new SchemaRegistry(dir);
    expect(() => r.validator('kiso-h30')).toThrow(/x-signficant/);
  });
  it('rejects a wrong x-kind value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pia-schemas-'));
    writeFileSync(join(dir, 'defs.schema.json'), readFileSync(join(SCHEMAS_DIR, 'defs.schema.json')));
    const kiso = JSON.parse(readFileSync(join(SCHEMAS_DIR, 'kiso-h30.schema.json'), 'utf8'));
    kiso.properties.cover.properties.name['x-kind'] = 'txet';
    writeFileSync(join(dir, 'kiso-h30.schema.json'), JSON.stringify(kiso));
    expect(() => new SchemaRegistry(dir).validator('kiso-h30')).toThrow();
  });
});

describe('SchemaRegistry.validatorFor', () => {
  it('compiles a non-form schema or a fragment with the same instance', () => {
    const r = new SchemaRegistry();
    const row = r.validatorFor('defs.schema.json#/$defs/changeRow');
    expect(
      row({ date: '2022-07-07', item: 'x', before: 'a', after: 'b', timing: '事前', explanation: 'e' }),
    ).toBe(true);
    expect(row({ date: '2022-07-07' })).toBe(false);
    expect(r.validatorFor('defs.schema.json#/$defs/changeRow')).toBe(row);
  });
});
