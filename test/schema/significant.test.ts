// ※ marks: the expected set is written from ../shared/docs/pia-domain.md §4.1 (and §3.2/§3.3), NOT from the
// schema, then compared with x-significant in the schema. Items the notes leave open (Ⅱ5 「(?)」) are not
// compared. Disagreements found so far are listed in KNOWN_DEVIATIONS (reported to the lead); any other
// difference fails.
import { describe, expect, it } from 'vitest';
import { listItems } from '../../src/schema/index.ts';

type Spec = {
  /** Pointer patterns (prefixes) of ※ items per the domain notes. */
  significant: string[];
  /** Prefixes excluded from ※ although under a ※ section (「※(7. ②を除く。)」). */
  except: string[];
  /** Prefixes the notes leave undetermined. */
  undetermined: string[];
  knownDeviations: string[];
};

const SPECS: Record<string, Spec> = {
  // §4.1 重点 [V-seed]: Ⅰ4; Ⅰ5; Ⅱ2 ①③主な記録項目; Ⅱ3 ①③; Ⅱ4 委託の有無, ④再委託の有無; Ⅱ6 保管場所 [I];
  // Ⅱ5 (?); all of Ⅲ except 7②.
  'juten-h30': {
    significant: [
      '/basic/numberUse',
      '/basic/networkLinkage',
      '/files/*/basics/fileType',
      '/files/*/basics/personsScope',
      '/files/*/basics/mainItems',
      '/files/*/acquisition/sources',
      '/files/*/acquisition/purpose',
      '/files/*/entrustment/presence',
      '/files/*/entrustment/items/*/subcontract/presence',
      '/files/*/storage/location',
      '/risks',
    ],
    except: ['/risks/*/storage/risk/seriousIncident'],
    undetermined: ['/files/*/provision'],
    // The schema leaves Ⅲ「1. 特定個人情報ファイル名」 unmarked (it only names the file); the notes say all of Ⅲ.
    knownDeviations: [],
  },
  // §4.1 全項目 [V-seed]: Ⅰ1②; Ⅰ5; Ⅰ6; Ⅱ2 ①③主な記録項目; Ⅱ3 ①⑥⑦使用部署 ⑧使用方法・突合・統計分析・決定;
  // Ⅱ4 委託の有無 [I], 委託事項② 対象となる本人の範囲, ⑦再委託の有無; Ⅱ5 (?); Ⅱ6 ①; all of Ⅲ except 7 リスク1⑨;
  // all of Ⅳ.
  'zenkomoku-h30': {
    significant: [
      '/basic/jimu/content',
      '/basic/numberUse',
      '/basic/networkLinkage',
      '/files/*/basics/fileType',
      '/files/*/basics/personsScope',
      '/files/*/basics/mainItems',
      '/files/*/acquisition/sources',
      '/files/*/acquisition/purpose/purpose',
      '/files/*/acquisition/users/departments',
      '/files/*/acquisition/usage/method',
      '/files/*/acquisition/usage/matching',
      '/files/*/acquisition/usage/statistics',
      '/files/*/acquisition/usage/decisions',
      '/files/*/entrustment/presence',
      '/files/*/entrustment/items/*/scope/personsScope',
      '/files/*/entrustment/items/*/subcontract/presence',
      '/files/*/storage/location',
      '/risks',
      '/otherRisks',
    ],
    except: ['/risks/*/storage/risk1/seriousIncident'],
    undetermined: ['/files/*/provision'],
    knownDeviations: [],
  },
  // §3.1: the 基礎 form has no ※ items [M].
  'kiso-h30': { significant: [], except: [], undetermined: [], knownDeviations: [] },
};

const under = (pointer: string, prefixes: readonly string[]) =>
  prefixes.some((p) => pointer === p || pointer.startsWith(p + '/'));

describe.each(Object.entries(SPECS))('※ marks of %s follow the domain notes', (form, spec) => {
  it('every ※ item carries x-significant and no other item does', () => {
    const deviations: string[] = [];
    for (const item of listItems(form)) {
      if (under(item.pointer, spec.undetermined)) continue;
      const expected = under(item.pointer, spec.significant) && !under(item.pointer, spec.except);
      if (expected && !item.significant) deviations.push(`${item.pointer} (expected ※, schema has none)`);
      if (!expected && item.significant) deviations.push(`${item.pointer} (schema has ※, not expected)`);
    }
    expect(deviations).toEqual(spec.knownDeviations);
  });
});
