// Table-driven: start from a clean document of the form, apply one change, expect exactly these findings.
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/engine.ts';
import { runConsistencyRules } from '../../src/consistency/index.ts';
import type { JsonObject } from '../../src/types.ts';
import { choiceAt, deleteAt, makeDocument, setAt } from '../fixtures/validate/make-document.ts';

type Form = 'juten-h30' | 'zenkomoku-h30' | 'kiso-h30';
type Case = {
  name: string;
  form: Form;
  change: (doc: JsonObject, form: Form) => void;
  /** [code, path] of every finding validateDocument reports. */
  expect: [string, string][];
  message?: RegExp;
};

const c = choiceAt;
const both = (f: (form: Form) => Omit<Case, 'form'>): Case[] =>
  (['juten-h30', 'zenkomoku-h30'] as const).map((form) => ({ ...f(form), form }));

const CASES: Case[] = [
  // 委託しない ⇒ no 委託事項 / 委託件数 (and Ⅲ4 委託しない checked, Ⅲ4 blank)
  ...both((form) => ({
    name: '委託しない but 委託事項 written',
    change: (d) => {
      setAt(d, '/files/0/entrustment/presence', c(form, '/files/0/entrustment/presence', 1));
      setAt(d, '/risks/0/entrustment', { notEntrusted: true });
    },
    expect: [
      ['consistency/entrust-items', '/files/0/entrustment/count'],
      ['consistency/entrust-items', '/files/0/entrustment/items'],
    ],
    message: /「委託の有無」が『委託しない』であるため、「(委託件数|委託事項)」は記載しません/,
  })),
  ...both((form) => ({
    name: '委託しない, clean',
    change: (d) => {
      setAt(d, '/files/0/entrustment', { presence: c(form, '/files/0/entrustment/presence', 1) });
      setAt(d, '/risks/0/entrustment', { notEntrusted: true });
      // All subcontracting gone with the 委託事項.
    },
    expect: [],
  })),
  ...both(() => ({
    name: '委託する but no 委託事項',
    change: (d) => {
      deleteAt(d, '/files/0/entrustment/items');
      setAt(d, '/files/0/entrustment/count', 0);
    },
    expect: [['consistency/entrust-items', '/files/0/entrustment/items']],
    message: /「委託の有無」が『委託する』ですが、「委託事項」が 1 件もありません/,
  })),
  ...both(() => ({
    name: '( )件 differs from the number of 委託事項',
    change: (d) => setAt(d, '/files/0/entrustment/count', 3),
    expect: [['consistency/entrust-count', '/files/0/entrustment/count']],
    message: /「委託件数」は 3 件ですが、「委託事項」は 1 件記載されています/,
  })),
  ...both(() => ({
    name: '委託する: 委託件数 missing is 未記載',
    change: (d) => deleteAt(d, '/files/0/entrustment/count'),
    expect: [['completeness/missing', '/files/0/entrustment/count']],
  })),
  ...both((form) => ({
    name: 'Ⅱ4 委託しない but Ⅲ4 委託しない unchecked',
    change: (d) => {
      setAt(d, '/files/0/entrustment', { presence: c(form, '/files/0/entrustment/presence', 1) });
      // Ⅲ4 still filled in and unchecked.
    },
    expect: [['consistency/entrust-flag', '/risks/0/entrustment/notEntrusted']],
  })),
  ...both(() => ({
    name: 'Ⅲ4 委託しない checked while 委託する, and Ⅲ4 filled',
    change: (d) => setAt(d, '/risks/0/entrustment/notEntrusted', true),
    expect: [
      ['consistency/entrust-flag', '/risks/0/entrustment/notEntrusted'],
      ['consistency/entrust-flag', '/risks/0/entrustment/otherRisks'],
      ['consistency/entrust-flag', '/risks/0/entrustment/risk'],
    ],
  })),
  // 再委託しない ⇒ no 許諾方法 / 再委託事項; Ⅲ4 should then be 再委託していない
  ...both((form) => ({
    name: '再委託しない but 許諾方法・再委託事項 written',
    change: (d) =>
      setAt(
        d,
        '/files/0/entrustment/items/0/subcontract/presence',
        c(form, '/files/0/entrustment/items/0/subcontract/presence', 1),
      ),
    expect: [
      ['consistency/subcontract-blank', '/files/0/entrustment/items/0/subcontract/items'],
      ['consistency/subcontract-blank', '/files/0/entrustment/items/0/subcontract/method'],
      ['consistency/subcontract-assurance', '/risks/0/entrustment/risk/subcontractAssurance'],
    ],
  })),
  ...both((form) => ({
    name: '再委託しない everywhere ⇒ 再委託していない (clean)',
    change: (d) => {
      setAt(d, '/files/0/entrustment/items/0/subcontract', {
        presence: c(form, '/files/0/entrustment/items/0/subcontract/presence', 1),
      });
      setAt(
        d,
        '/risks/0/entrustment/risk/subcontractAssurance',
        c(form, '/risks/0/entrustment/risk/subcontractAssurance', 3),
      );
      deleteAt(d, '/risks/0/entrustment/risk/subcontractAssuranceMethod');
    },
    expect: [],
  })),
  ...both((form) => ({
    name: '再委託する but Ⅲ4 says 再委託していない',
    change: (d) => {
      setAt(
        d,
        '/risks/0/entrustment/risk/subcontractAssurance',
        c(form, '/risks/0/entrustment/risk/subcontractAssurance', 3),
      );
      deleteAt(d, '/risks/0/entrustment/risk/subcontractAssuranceMethod');
    },
    expect: [['consistency/subcontract-assurance', '/risks/0/entrustment/risk/subcontractAssurance']],
  })),
  ...both(() => ({
    name: '再委託する: 許諾方法 missing is 未記載',
    change: (d) => deleteAt(d, '/files/0/entrustment/items/0/subcontract/method'),
    expect: [['completeness/missing', '/files/0/entrustment/items/0/subcontract/method']],
  })),
  // 接続しない ⇒ no Ⅲ6 risk text
  {
    name: '接続しない(入手) with Ⅲ6 リスク1 written',
    form: 'juten-h30',
    change: (d) => {
      setAt(d, '/risks/0/network/notConnectedAcquisition', true);
    },
    expect: [['consistency/network-blank', '/risks/0/network/risk1']],
    message:
      /「接続しない\(入手\)」にチェックがあるため、「リスク1: 目的外の入手が行われるリスク」は記載しません/,
  },
  {
    name: '接続しない(提供) with リスク5–7 written',
    form: 'zenkomoku-h30',
    change: (d) => setAt(d, '/risks/0/network/notConnectedProvision', true),
    expect: [
      ['consistency/network-blank', '/risks/0/network/risk5'],
      ['consistency/network-blank', '/risks/0/network/risk6'],
      ['consistency/network-blank', '/risks/0/network/risk7'],
    ],
  },
  {
    name: '接続しない(入手) with リスク1–4 removed (clean)',
    form: 'zenkomoku-h30',
    change: (d) => {
      setAt(d, '/risks/0/network/notConnectedAcquisition', true);
      for (const r of ['risk1', 'risk2', 'risk3', 'risk4']) deleteAt(d, `/risks/0/network/${r}`);
    },
    expect: [],
  },
  {
    name: 'connected: Ⅲ6 risks are required',
    form: 'zenkomoku-h30',
    change: (d) => deleteAt(d, '/risks/0/network/risk5'),
    expect: [['completeness/missing', '/risks/0/network/risk5']],
  },
  // 重大事故 発生なし ⇒ no 内容 / 再発防止策 (a dash counts as blank)
  {
    name: '発生なし with その内容・再発防止策 written',
    form: 'juten-h30',
    change: (d, form) =>
      setAt(
        d,
        '/risks/0/storage/risk/seriousIncident/occurred',
        c(form, '/risks/0/storage/risk/seriousIncident/occurred', 1),
      ),
    expect: [
      ['consistency/incident-blank', '/risks/0/storage/risk/seriousIncident/content'],
      ['consistency/incident-blank', '/risks/0/storage/risk/seriousIncident/prevention'],
    ],
  },
  {
    name: '発生なし with 「-」 (clean)',
    form: 'zenkomoku-h30',
    change: (d, form) => {
      setAt(d, '/risks/0/storage/risk1/seriousIncident', {
        occurred: c(form, '/risks/0/storage/risk1/seriousIncident/occurred', 1),
        content: '-',
        prevention: '―',
      });
    },
    expect: [],
  },
  {
    name: '発生あり without その内容',
    form: 'zenkomoku-h30',
    change: (d) => deleteAt(d, '/risks/0/storage/risk1/seriousIncident/content'),
    expect: [['completeness/missing', '/risks/0/storage/risk1/seriousIncident/content']],
  },
  // 死者の個人番号 保管していない ⇒ no 具体的な保管方法
  {
    name: '保管していない with 具体的な保管方法',
    form: 'zenkomoku-h30',
    change: (d, form) =>
      setAt(
        d,
        '/risks/0/storage/risk1/deceased/stored',
        c(form, '/risks/0/storage/risk1/deceased/stored', 1),
      ),
    expect: [['consistency/deceased-blank', '/risks/0/storage/risk1/deceased/method']],
  },
  // 情報連携 実施しない ⇒ no 法令上の根拠 (+ info about Ⅲ6)
  ...both((form) => ({
    name: '実施しない with 法令上の根拠',
    change: (d) =>
      setAt(d, '/basic/networkLinkage/implementation', c(form, '/basic/networkLinkage/implementation', 1)),
    expect: [
      ['consistency/linkage-basis', '/basic/networkLinkage/legalBasis'],
      ['consistency/linkage-basis', '/risks/0/network'],
    ],
  })),
  // ファイル名 Ⅰ3 / Ⅱ1 / Ⅲ1 — seed 000's 「…事務情報ファイル」 vs 「…情報ファイル」
  ...both(() => ({
    name: 'Ⅰ3 and Ⅱ1 file names differ',
    change: (d) => {
      setAt(d, '/basic/fileNames', ['新型コロナウイルス感染症対策に係る予防接種事務情報ファイル']);
      setAt(d, '/files/0/name', '新型コロナウイルス感染症対策に係る予防接種情報ファイル');
      setAt(d, '/risks/0/fileName', '新型コロナウイルス感染症対策に係る予防接種情報ファイル');
    },
    expect: [['consistency/file-names', '/files/0/name']],
    message:
      /ファイル名 『新型コロナウイルス感染症対策に係る予防接種情報ファイル』 が「Ⅰ 基本情報 › 3\. 特定個人情報ファイル名」の 『新型コロナウイルス感染症対策に係る予防接種事務情報ファイル』 と一致しません/,
  })),
  ...both(() => ({
    name: 'Ⅲ1 file name differs from Ⅱ1',
    change: (d) => setAt(d, '/risks/0/fileName', '別のファイル'),
    expect: [['consistency/file-names', '/risks/0/fileName']],
  })),
  ...both(() => ({
    name: 'a file listed in Ⅰ3 has no Ⅱ',
    change: (d) => setAt(d, '/basic/fileNames', ['テスト', '二つ目のファイル']),
    expect: [['consistency/file-names', '/basic/fileNames/1']],
  })),
  ...both(() => ({
    name: 'full-width/half-width differences are not a mismatch',
    change: (d) => {
      setAt(d, '/basic/fileNames', ['ファイル（Ａ）']);
      setAt(d, '/files/0/name', 'ファイル(A)');
      setAt(d, '/risks/0/fileName', 'ファイル (A)');
    },
    expect: [],
  })),
  // 提供・移転
  ...both(() => ({
    name: '提供件数 differs from 提供先',
    change: (d) => setAt(d, '/files/0/provision/provisionCount', 2),
    expect: [['consistency/provision-count', '/files/0/provision/provisionCount']],
  })),
  ...both((form) => ({
    name: '行っていない with 提供先・移転先 written',
    change: (d) =>
      setAt(d, '/files/0/provision/presence', [
        { choice: c(form, '/files/0/provision/presence/0/choice', 2) },
      ]),
    expect: [
      ['consistency/provision-blank', '/files/0/provision/provisionCount'],
      ['consistency/provision-blank', '/files/0/provision/provisions'],
      ['consistency/provision-blank', '/files/0/provision/transferCount'],
      ['consistency/provision-blank', '/files/0/provision/transfers'],
      ['consistency/provision-blank', '/risks/0/provision/notProvided'],
    ],
  })),
  {
    name: 'Ⅲ5 提供・移転しない while Ⅱ5 provides, and Ⅲ5 filled',
    form: 'juten-h30',
    change: (d) => setAt(d, '/risks/0/provision/notProvided', true),
    expect: [
      ['consistency/provision-blank', '/risks/0/provision/notProvided'],
      ['consistency/provision-blank', '/risks/0/provision/otherRisks'],
      ['consistency/provision-blank', '/risks/0/provision/risk'],
    ],
  },
  {
    name: 'Ⅲ5 提供・移転しない while Ⅱ5 provides, and Ⅲ5 filled',
    form: 'zenkomoku-h30',
    change: (d) => setAt(d, '/risks/0/provision/notProvided', true),
    expect: [
      ['consistency/provision-blank', '/risks/0/provision/notProvided'],
      ['consistency/provision-blank', '/risks/0/provision/otherRisks'],
      ['consistency/provision-blank', '/risks/0/provision/risk1'],
      ['consistency/provision-blank', '/risks/0/provision/risk2'],
      ['consistency/provision-blank', '/risks/0/provision/risk3'],
    ],
  },
  // 全項目 Ⅴ: ファイル簿 行っていない ⇒ no ファイル名 / 公表場所 (「-」 allowed)
  {
    name: 'ファイル簿 行っていない with ファイル名',
    form: 'zenkomoku-h30',
    change: (d, form) => {
      setAt(
        d,
        '/disclosure/request/fileRegister/published',
        c(form, '/disclosure/request/fileRegister/published', 1),
      );
      setAt(d, '/disclosure/request/fileRegister/place', '-');
    },
    expect: [['consistency/not-applicable-filled', '/disclosure/request/fileRegister/fileName']],
  },
  // しきい値判断結果
  {
    name: '重点 with 1,000人以上1万人未満 recorded as 重点 required',
    form: 'juten-h30',
    change: (d, form) => setAt(d, '/basic/jimu/persons', c(form, '/basic/jimu/persons', 1)),
    expect: [['consistency/threshold-result', '/procedure/kiso/thresholdResult']],
  },
  {
    name: '全項目 recorded as required for 1万人以上10万人未満',
    form: 'zenkomoku-h30',
    change: (d, form) => setAt(d, '/basic/jimu/persons', c(form, '/basic/jimu/persons', 2)),
    expect: [['consistency/threshold-result', '/procedure/kiso/thresholdResult']],
  },
  {
    name: '基礎: 500人未満・発生なし・30万人未満 recorded as 全項目',
    form: 'kiso-h30',
    change: (d, form) => {
      setAt(d, '/thresholdItems/persons/band', c(form, '/thresholdItems/persons/band', 3));
      setAt(d, '/thresholdItems/handlers/band', c(form, '/thresholdItems/handlers/band', 1));
      setAt(d, '/thresholdItems/incident/occurred', c(form, '/thresholdItems/incident/occurred', 1));
    },
    expect: [['consistency/threshold-result', '/thresholdResult/result']],
  },
  // 基礎 Ⅳ flags
  {
    name: '基礎 Ⅳ4 委託しない with 十分か answered',
    form: 'kiso-h30',
    change: (d) => setAt(d, '/riskMeasures/entrustment/notEntrusted', true),
    expect: [['consistency/entrust-flag', '/riskMeasures/entrustment/sufficiency']],
  },
  {
    name: '基礎 Ⅳ6 接続しない(提供) without 十分か (clean)',
    form: 'kiso-h30',
    change: (d) => {
      setAt(d, '/riskMeasures/network/notConnectedProvision', true);
      deleteAt(d, '/riskMeasures/network/provision');
    },
    expect: [],
  },
  {
    name: '基礎 規則第9条第2項 適用しない with 理由',
    form: 'kiso-h30',
    change: (d, form) => setAt(d, '/related/rule9/applied', c(form, '/related/rule9/applied', 1)),
    expect: [['consistency/not-applicable-filled', '/related/rule9/reason']],
  },
  // multi-select detail
  ...both((form) => ({
    name: 'その他 without its ( ) text, and a detail where there is no ( )',
    change: (d) => {
      setAt(d, '/basic/systems/0/connections', [
        { choice: c(form, '/basic/systems/0/connections/0/choice', 6) },
        { choice: c(form, '/basic/systems/0/connections/0/choice', 0), detail: 'x' },
      ]);
    },
    expect: [
      ['consistency/multi-detail', '/basic/systems/0/connections/0'],
      ['consistency/multi-detail', '/basic/systems/0/connections/1/detail'],
    ],
  })),
];

describe.each(CASES.map((x) => [`${x.form}: ${x.name}`, x] as const))('%s', (_name, tc) => {
  it('finds exactly the expected findings', () => {
    const doc = makeDocument(tc.form);
    tc.change(doc, tc.form);
    const diags = validateDocument(doc);
    expect(diags.map((d) => [d.code, d.path])).toEqual(tc.expect);
    if (tc.message)
      expect(
        diags.some((d) => tc.message!.test(d.message)),
        diags.map((d) => d.message).join('\n'),
      ).toBe(true);
    for (const d of diags) expect(d.label).toBeTruthy();
  });
});

describe('runConsistencyRules', () => {
  it('adds code, severity and label; rules only return findings', () => {
    const form = 'juten-h30';
    const doc = makeDocument(form);
    setAt(doc, '/files/0/entrustment/count', 5);
    const [d] = runConsistencyRules(doc, { form, formId: 'juten', only: ['entrust-count'] });
    expect(d).toMatchObject({
      code: 'consistency/entrust-count',
      severity: 'error',
      path: '/files/0/entrustment/count',
    });
    expect(d.label).toBe(
      'Ⅱ 特定個人情報ファイルの概要 › 特定個人情報ファイル1 › 4. 特定個人情報ファイルの取扱いの委託 › 委託件数',
    );
    expect(d.related).toEqual([{ path: '/files/0/entrustment/items' }]);
  });
  it('speaks English', () => {
    const form = 'juten-h30';
    const doc = makeDocument(form);
    setAt(doc, '/files/0/entrustment/count', 5);
    const [d] = runConsistencyRules(doc, { form, formId: 'juten', lang: 'en', only: ['entrust-count'] });
    expect(d.message).toBe('"委託件数" says 5 but 1 "委託事項" are written');
  });
});
