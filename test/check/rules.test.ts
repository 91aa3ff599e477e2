// Table tests: one row per situation, one rule at a time, on small in-memory documents (helpers.ts).
// The consequence column is what the schema's ※ marks make of the item the finding points at.
import { describe, expect, it } from 'vitest';
import { CHECK_RULES } from '../../src/check/index.ts';
import type { JsonObject } from '../../src/types.ts';
import { brief, check, jutenDoc, kisoDoc, kisoSnapshot, snapshot, zenkomokuDoc } from './helpers.ts';

type Any = { [k: string]: any };
type Row = {
  name: string;
  form?: 'juten' | 'zenkomoku' | 'kiso';
  change: (doc: Any, snap: Any) => void;
  expected: [string, string, string][];
};

function base(form: Row['form'] = 'juten'): { doc: Any; snap: Any } {
  if (form === 'kiso') return { doc: kisoDoc(), snap: kisoSnapshot() };
  const snap = snapshot() as Any;
  if (form === 'zenkomoku') {
    snap.dataStores[0].retentionDays = 1826;
    return { doc: zenkomokuDoc(), snap };
  }
  return { doc: jutenDoc(), snap };
}

function table(rule: string, rows: Row[]) {
  describe(rule, () => {
    it.each(rows)('$name', ({ form, change, expected }) => {
      const { doc, snap } = base(form);
      change(doc, snap);
      expect(brief(check(doc as JsonObject, snap, [rule]))).toEqual(expected);
    });
  });
}

const noop = () => {};

table('undeclared-system', [
  { name: 'every live system is listed', change: noop, expected: [] },
  {
    name: 'a new system',
    change: (_d, s) => s.systems.push({ name: '予約システム' }),
    expected: [['undeclared-system', '/basic/systems', '修正']],
  },
  {
    name: 'an alias matches the listed name',
    change: (d, s) => {
      d.basic.systems[1].name = '団体内統合宛名システム';
      s.systems[1].aliases = ['団体内統合宛名システム'];
    },
    expected: [],
  },
  {
    name: '「(以下「…」という。)」 in the listed name',
    change: (d) => (d.basic.systems[0].name = '業務システム(以下「業務シス」という。)'),
    expected: [],
  },
  {
    name: 'full-width brackets and spaces do not matter',
    change: (d, s) => {
      d.basic.systems[0].name = '業務システム（本庁）';
      s.systems[0].name = '業務 システム(本庁)';
    },
    expected: [],
  },
  { name: '基礎: named in Ⅰ1③', form: 'kiso', change: noop, expected: [] },
  {
    name: '基礎: not named in Ⅰ1③',
    form: 'kiso',
    change: (_d, s) => s.systems.push({ name: '電子申請システム' }),
    expected: [['undeclared-system', '/related/jimu/systemNames', '修正']],
  },
]);

table('declared-system-absent', [
  {
    name: 'a listed system is gone',
    change: (_d, s) => s.systems.splice(1, 1),
    expected: [['declared-system-absent', '/basic/systems/1', '修正']],
  },
  { name: 'no systems list in the export', change: (_d, s) => delete s.systems, expected: [] },
  { name: 'a missing page ({}) declares nothing', change: (d) => d.basic.systems.push({}), expected: [] },
]);

table('undeclared-connection', [
  {
    name: 'a connection to an unchecked category',
    change: (_d, s) => s.systems[0].connections.push({ to: '税務システム', encrypted: true }),
    expected: [['undeclared-connection', '/basic/systems/0/connections', '修正']],
  },
  {
    name: 'a name not in その他 ( )',
    change: (_d, s) => s.systems[0].connections.push({ to: '外部サービス', encrypted: true }),
    expected: [['undeclared-connection', '/basic/systems/0/connections', '修正']],
  },
  {
    name: 'a category other than その他 is not covered by its text',
    change: (_d, s) => (s.systems[0].connections[1].category = '庁内連携システム'),
    expected: [['undeclared-connection', '/basic/systems/0/connections', '修正']],
  },
  {
    name: 'connections not stated in the 評価書 (missing page) are not compared',
    change: (d, s) => {
      delete d.basic.systems[0].connections;
      s.systems[0].connections.push({ to: '外部サービス', encrypted: true });
    },
    expected: [],
  },
]);

table('declared-connection-absent', [
  {
    name: 'a checked category without a live connection',
    change: (_d, s) => s.systems[0].connections.splice(0, 1),
    expected: [['declared-connection-absent', '/basic/systems/0/connections/0', '修正']],
  },
  {
    name: 'その他 (…) without a live connection',
    change: (_d, s) => s.systems[0].connections.splice(1, 1),
    expected: [['declared-connection-absent', '/basic/systems/0/connections/1', '修正']],
  },
  { name: 'no connections in the export', change: (_d, s) => delete s.systems[0].connections, expected: [] },
]);

table('undeclared-contractor', [
  {
    name: 'a new contractor: a new 委託事項 carries ※ items (④再委託の有無)',
    change: (_d, s) => s.contractors.push({ name: '新株式会社', staff: 3 }),
    expected: [['undeclared-contractor', '/files/0/entrustment/items', '重要な変更']],
  },
  {
    name: '委託しない (※) but a contractor',
    change: (d) => {
      d.files[0].entrustment = { presence: '委託しない' };
    },
    expected: [
      ['undeclared-contractor', '/files/0/entrustment/presence', '重要な変更'],
      ['undeclared-contractor', '/files/0/entrustment/presence', '重要な変更'],
    ],
  },
  {
    name: '基礎 (no ※): 委託しない but a contractor',
    form: 'kiso',
    change: (_d, s) => (s.contractors = [{ name: '保守株式会社', staff: 2 }]),
    expected: [['undeclared-contractor', '/riskMeasures/entrustment/notEntrusted', '修正']],
  },
  {
    name: '基礎: 委託する names no contractor, nothing to compare',
    form: 'kiso',
    change: (d, s) => {
      d.riskMeasures.entrustment.notEntrusted = false;
      s.contractors = [{ name: '保守株式会社', staff: 2 }];
    },
    expected: [],
  },
]);

table('declared-contractor-absent', [
  {
    name: 'a declared contractor is gone',
    change: (_d, s) => s.contractors.splice(1, 1),
    expected: [['declared-contractor-absent', '/files/0/entrustment/items/1', '重要な変更']],
  },
  { name: 'no contractors list in the export', change: (_d, s) => delete s.contractors, expected: [] },
]);

table('undeclared-subcontractor', [
  {
    name: '再委託しない (※) but a subcontractor',
    change: (_d, s) => (s.contractors[0].subcontractors = [{ name: '下請株式会社', approval: 'X-1' }]),
    expected: [
      ['undeclared-subcontractor', '/files/0/entrustment/items/0/subcontract/presence', '重要な変更'],
    ],
  },
  {
    name: '再委託する with a subcontractor',
    change: (_d, s) => (s.contractors[1].subcontractors = [{ name: '下請株式会社', approval: 'X-1' }]),
    expected: [],
  },
  {
    name: '全項目 (⑦再委託の有無 ※)',
    form: 'zenkomoku',
    change: (_d, s) => (s.contractors[0].subcontractors = [{ name: '下請株式会社' }]),
    expected: [
      ['undeclared-subcontractor', '/files/0/entrustment/items/0/subcontract/presence', '重要な変更'],
    ],
  },
]);

table('subcontractor-unapproved', [
  {
    name: 'no approval record',
    change: (_d, s) => (s.contractors[1].subcontractors = [{ name: '下請株式会社' }]),
    expected: [['subcontractor-unapproved', '/files/0/entrustment/items/1/subcontract/method', '違反']],
  },
  {
    name: 'with approval record',
    change: (_d, s) => (s.contractors[1].subcontractors = [{ name: '下請株式会社', approval: '承諾第1号' }]),
    expected: [],
  },
]);

table('persons-out-of-band', [
  {
    name: '対象人数 in a higher band',
    change: (_d, s) => (s.counts.persons = 120000),
    expected: [['persons-out-of-band', '/basic/jimu/persons', '修正']],
  },
  {
    name: 'boundary 9,999 is 1,000人以上1万人未満',
    change: (_d, s) => (s.counts.persons = 9999),
    expected: [['persons-out-of-band', '/basic/jimu/persons', '修正']],
  },
  {
    name: 'boundary 10,000 is 1万人以上10万人未満',
    change: (_d, s) => (s.counts.persons = 10000),
    expected: [],
  },
  {
    name: 'without counts, the largest data store counts',
    change: (_d, s) => {
      delete s.counts;
      s.dataStores[0].persons = 100000;
    },
    expected: [
      ['persons-out-of-band', '/basic/jimu/persons', '修正'],
      ['persons-out-of-band', '/files/0/basics/persons', '修正'],
    ],
  },
  {
    name: '重点 has no 30万人以上 choice',
    change: (_d, s) => (s.counts.persons = 300000),
    expected: [['persons-out-of-band', '/basic/jimu/persons', '修正']],
  },
  {
    name: '基礎 Ⅱ1 (「(任意実施)」 label)',
    form: 'kiso',
    change: (_d, s) => (s.counts.persons = 999),
    expected: [['persons-out-of-band', '/thresholdItems/persons/band', '修正']],
  },
  {
    name: 'no counts and no stores: nothing to compare',
    change: (_d, s) => ((s.counts = {}), (s.dataStores = [])),
    expected: [],
  },
]);

table('users-out-of-band', [
  {
    name: 'more enabled staff accounts than the band',
    change: (_d, s) => {
      for (let i = 3; i <= 12; i++)
        s.systems[0].accounts.push({ id: `u${i}`, canSeeIndividualNumber: false, mfa: true });
    },
    expected: [['users-out-of-band', '/files/0/acquisition/users/userCount', '修正']],
  },
  {
    name: 'disabled and contractor accounts are not users',
    change: (_d, s) => {
      for (let i = 3; i <= 12; i++)
        s.systems[0].accounts.push({
          id: `u${i}`,
          canSeeIndividualNumber: false,
          mfa: true,
          disabled: i % 2 === 0,
        });
      for (let i = 0; i < 5; i++)
        s.systems[0].accounts.push({
          id: `c${i}`,
          contractor: '保守株式会社',
          canSeeIndividualNumber: true,
          mfa: true,
        });
    },
    expected: [],
  },
  {
    name: 'aggregated counts',
    change: (_d, s) => {
      delete s.systems[0].accounts;
      s.systems[0].accountCounts = { total: 60, enabled: 55 };
    },
    expected: [['users-out-of-band', '/files/0/acquisition/users/userCount', '修正']],
  },
]);

table('handlers-out-of-band', [
  {
    name: '委託先における取扱者数 above the band',
    change: (_d, s) => (s.contractors[0].staff = 10),
    expected: [['handlers-out-of-band', '/files/0/entrustment/items/0/handlerCount', '修正']],
  },
  { name: 'boundary 9 is 10人未満', change: (_d, s) => (s.contractors[0].staff = 9), expected: [] },
  {
    name: '基礎 取扱者数 500 is 500人以上',
    form: 'kiso',
    change: (_d, s) => (s.counts.handlers = 500),
    expected: [['handlers-out-of-band', '/thresholdItems/handlers/band', '修正']],
  },
  { name: '基礎 取扱者数 499', form: 'kiso', change: (_d, s) => (s.counts.handlers = 499), expected: [] },
]);

table('threshold-escalation', [
  {
    name: '10万人以上 with 500 handlers now requires 全項目',
    change: (_d, s) => {
      s.counts.persons = 150000;
      s.counts.handlers = 500;
    },
    expected: [['threshold-escalation', '/procedure/kiso/thresholdResult', '要再評価']],
  },
  {
    name: '10万人以上 without handlers or incident requires 重点: this 重点 suffices',
    change: (_d, s) => (s.counts.persons = 150000),
    expected: [],
  },
  {
    name: 'a serious incident within one year of asOf',
    change: (_d, s) => {
      s.counts.persons = 150000;
      s.incidents = [{ date: '2025-06-01', specificPersonalInfo: true, serious: true }];
    },
    expected: [['threshold-escalation', '/procedure/kiso/thresholdResult', '要再評価']],
  },
  {
    name: 'an incident just over a year before asOf does not count',
    change: (_d, s) => {
      s.counts.persons = 150000;
      s.incidents = [{ date: '2025-05-31', specificPersonalInfo: true, serious: true }];
    },
    expected: [],
  },
  {
    name: 'an incident not attributable to the body does not count',
    change: (_d, s) => {
      s.counts.persons = 150000;
      s.incidents = [{ date: '2026-01-01', specificPersonalInfo: true, serious: true, attributable: false }];
    },
    expected: [],
  },
  {
    name: '全項目 cannot be exceeded',
    form: 'zenkomoku',
    change: (_d, s) => (s.counts = { persons: 500000, handlers: 900 }),
    expected: [],
  },
  {
    name: '基礎: 1万人以上 with 500 handlers requires 重点',
    form: 'kiso',
    change: (_d, s) => (s.counts = { persons: 20000, handlers: 600 }),
    expected: [['threshold-escalation', '/thresholdResult/result', '要再評価']],
  },
]);

table('incident-undeclared', [
  {
    name: '重点 Ⅲ7② (not ※): a serious incident within three years',
    change: (_d, s) => (s.incidents = [{ date: '2024-01-01', specificPersonalInfo: false, serious: true }]),
    expected: [['incident-undeclared', '/risks/0/storage/risk/seriousIncident/occurred', '修正']],
  },
  {
    name: 'a minor incident is not 重大事故',
    change: (_d, s) => (s.incidents = [{ date: '2026-01-01', specificPersonalInfo: true, serious: false }]),
    expected: [],
  },
  {
    name: '基礎 Ⅱ3: 特定個人情報 within one year',
    form: 'kiso',
    change: (_d, s) => (s.incidents = [{ date: '2026-03-01', specificPersonalInfo: true, serious: true }]),
    expected: [['incident-undeclared', '/thresholdItems/incident/occurred', '修正']],
  },
  {
    name: '基礎 Ⅱ3 counts only 特定個人情報',
    form: 'kiso',
    change: (_d, s) => (s.incidents = [{ date: '2026-03-01', specificPersonalInfo: false, serious: true }]),
    expected: [],
  },
]);

table('retention-mismatch', [
  {
    name: '5年 = 1,825–1,830 days',
    form: 'zenkomoku',
    change: (_d, s) => (s.dataStores[0].retentionDays = 1825),
    expected: [],
  },
  {
    name: 'longer',
    form: 'zenkomoku',
    change: (_d, s) => (s.dataStores[0].retentionDays = 3650),
    expected: [['retention-mismatch', '/files/0/storage/retention/period', '修正']],
  },
  {
    name: 'shorter',
    form: 'zenkomoku',
    change: (_d, s) => (s.dataStores[0].retentionDays = 365),
    expected: [['retention-mismatch', '/files/0/storage/retention/period', '修正']],
  },
  {
    name: 'indefinite against a fixed period',
    form: 'zenkomoku',
    change: (_d, s) => (s.dataStores[0].retentionDays = 'indefinite'),
    expected: [['retention-mismatch', '/files/0/storage/retention/period', '修正']],
  },
  {
    name: '定められていない accepts any setting',
    form: 'zenkomoku',
    change: (d, s) => {
      d.files[0].storage.retention.period = '定められていない';
      s.dataStores[0].retentionDays = 'indefinite';
    },
    expected: [],
  },
  { name: '重点 has no 保管期間', change: (_d, s) => (s.dataStores[0].retentionDays = 1), expected: [] },
]);

table('undeclared-record-item', [
  {
    name: 'a field not among the 記録項目',
    change: (_d, s) => s.dataStores[0].fields.push({ column: 'mail' }),
    expected: [['undeclared-record-item', '/files/0/recordItems/items', '修正']],
  },
  {
    name: 'a category not checked among 主な記録項目 (※)',
    change: (_d, s) =>
      s.dataStores[0].fields.push({ column: 'tel', item: '住所', category: '連絡先(電話番号等)' }),
    expected: [['undeclared-record-item', '/files/0/basics/mainItems', '重要な変更']],
  },
  {
    name: 'list markers and (※) notes of the 記録項目 do not matter',
    change: (d) => (d.files[0].recordItems.items = ['・個人番号', '1. 氏名', '住所(※)']),
    expected: [],
  },
]);

table('undeclared-provision', [
  {
    name: 'a destination not listed',
    change: (_d, s) => s.provisions.push({ to: '民間事業者', kind: '提供' }),
    expected: [['undeclared-provision', '/files/0/provision/provisions', '修正']],
  },
  {
    name: 'a transfer while only 提供 is declared',
    change: (_d, s) => s.provisions.push({ to: '税務課', kind: '移転' }),
    expected: [['undeclared-provision', '/files/0/provision/presence', '修正']],
  },
  {
    name: 'Ⅲ5 提供・移転しない is ※',
    change: (d, s) => {
      d.files[0].provision = { presence: [{ choice: '行っていない' }] };
      d.risks[0].provision.notProvided = true;
      s.provisions = [{ to: '他市町村長', kind: '提供' }];
    },
    expected: [['undeclared-provision', '/files/0/provision/presence', '重要な変更']],
  },
  {
    name: 'Ⅱ5 not stated (missing page): nothing to compare',
    change: (d, s) => {
      delete d.files[0].provision;
      s.provisions.push({ to: '民間事業者', kind: '提供' });
    },
    expected: [],
  },
  {
    name: '基礎 (no ※): 提供・移転しない',
    form: 'kiso',
    change: (_d, s) => (s.provisions = [{ to: '他市町村長', kind: '提供' }]),
    expected: [['undeclared-provision', '/riskMeasures/provision/notProvided', '修正']],
  },
]);

table('control-violated', [
  { name: 'satisfied', change: noop, expected: [] },
  {
    name: 'contradicted',
    change: (_d, s) => (s.systems[0].accounts[0].mfa = false),
    expected: [['control-violated', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0', '違反']],
  },
  {
    name: 'a binding without system applies to the systems holding the file',
    change: (d, s) => {
      delete d.risks[0].use.risk2.userAuthenticationMethod[0].system;
      s.systems[0].accounts[1].mfa = false;
      s.systems[1].accounts = [{ id: 'x', canSeeIndividualNumber: false, mfa: false }];
    },
    expected: [['control-violated', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0', '違反']],
  },
]);

table('control-unverifiable', [
  {
    name: 'the facts are missing',
    change: (_d, s) => delete s.systems[0].accounts,
    expected: [['control-unverifiable', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0', '情報']],
  },
  {
    name: 'the system is missing',
    change: (_d, s) => s.systems.splice(0, 1),
    expected: [['control-unverifiable', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0', '情報']],
  },
]);

table('unknown-control', [
  {
    name: 'an id not in the catalog',
    change: (d) => (d.risks[0].use.risk2.userAuthenticationMethod[0].controls[0].id = 'mfa-requried'),
    expected: [['unknown-control', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0/id', '修正']],
  },
]);

table('invalid-control-params', [
  {
    name: 'an unknown parameter',
    change: (d) => (d.risks[0].use.risk2.userAuthenticationMethod[0].controls[0].params = { days: 3 }),
    expected: [
      ['invalid-control-params', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0/params', '修正'],
    ],
  },
  {
    name: 'a value outside the enum',
    change: (d) => (d.risks[0].use.risk2.userAuthenticationMethod[0].controls[0].params = { scope: 'some' }),
    expected: [
      ['invalid-control-params', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0/params', '修正'],
    ],
  },
  {
    name: 'a valid parameter',
    change: (d) =>
      (d.risks[0].use.risk2.userAuthenticationMethod[0].controls[0].params = { scope: 'individual-number' }),
    expected: [],
  },
]);

table('attestation-expired', [
  {
    name: 'valid through its expiry day',
    change: (_d, s) => (s.asOf = '2026-12-31T23:59:59+09:00'),
    expected: [],
  },
  {
    name: 'expired the next day (JST)',
    change: (_d, s) => (s.asOf = '2026-12-31T15:00:00Z'),
    expected: [['attestation-expired', '/risks/0/education/method/0/attestation/expires', '違反']],
  },
]);

describe('registry', () => {
  it('every rule id is its file name and its code is check/<id>', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(new URL('../../src/check/rules/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && !['index.ts', 'connections.ts', 'entrustment.ts'].includes(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(CHECK_RULES).sort()).toEqual(files);
    for (const [id, rule] of Object.entries(CHECK_RULES)) expect(rule.id).toBe(id);
  });

  it('every finding carries code, severity, Japanese message, both pointers and a consequence', () => {
    const doc = jutenDoc() as Any;
    const snap = snapshot() as Any;
    snap.systems.push({ name: '予約システム' });
    snap.systems[0].accounts[0].mfa = false;
    const diags = check(doc, snap);
    expect(diags.length).toBe(2);
    for (const d of diags) {
      expect(d.code).toMatch(/^check\//);
      expect(d.message).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(d.label).toBeTruthy();
      expect(d.consequence).toBeTruthy();
      expect(d.related?.[0]).toMatchObject({ source: 'live.yaml' });
    }
  });
});
