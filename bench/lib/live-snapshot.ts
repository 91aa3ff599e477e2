// A generated scenario for bench/check.ts: a large live snapshot and a 評価書 that declares it, so that the
// run looks like a real CI run — mostly compliant, with a sprinkling of drift (about 1 in 100 facts) for
// the rules and controls to report. Deterministic (no randomness).
//
// The 評価書 is the fictional 全項目評価書 assessments/kakuu-city-juki, extended with the generated systems
// (and their connections) and 委託事項 so that the snapshot's names are declared. Its controls stay bound to
// the real systems: 住民記録システム (the core system, which holds a fifth of the accounts) and the others.
import type { JsonObject } from '../../src/types.ts';

const DEPARTMENTS = ['市民生活部 市民窓口課', '北支所', '南支所'];
const SIZE_BANDS: [number, string][] = [
  [10, '10人未満'],
  [50, '10人以上50人未満'],
  [100, '50人以上100人未満'],
  [500, '100人以上500人未満'],
  [1000, '500人以上1,000人未満'],
  [Infinity, '1,000人以上'],
];
const band = (n: number) => SIZE_BANDS.find(([max]) => n < max)![1];
const pad = (n: number, w = 5) => String(n).padStart(w, '0');

interface Scenario {
  assessment: JsonObject;
  snapshot: JsonObject;
}

/**
 * `scale` 1 = 200 systems, 10,000 accounts, 50 contractors. `base` is the parsed juki 評価書. With
 * `drift: false` the snapshot matches the 評価書 exactly (a clean CI run).
 */
export function generateScenario(scale: number, base: JsonObject, opts: { drift?: boolean } = {}): Scenario {
  const drift = opts.drift !== false;
  const doc = structuredClone(base) as { [k: string]: any };
  const nSystems = 200 * scale;
  const nAccounts = 10_000 * scale;
  const nContractors = 50 * scale;
  const declared: { name: string }[] = doc.basic.systems;
  const names = declared.map((s) => s.name);
  for (let i = names.length; i < nSystems; i++) names.push(`業務システム${pad(i, 4)}`);

  // Connections: each generated system talks to the next one and to 庁内連携システム (declared as such).
  const connectionsOf = (i: number) => [
    { to: names[(i + 1) % nSystems], protocol: 'HTTPS', encrypted: true },
    { to: '庁内連携システム', protocol: 'HTTPS', encrypted: i % 150 !== 7 },
  ];
  for (let i = declared.length; i < nSystems; i++) {
    declared.push({
      name: names[i],
      functions: `${names[i]}の業務処理`,
      connections: [{ choice: '庁内連携システム' }, { choice: 'その他', detail: names[(i + 1) % nSystems] }],
    } as { name: string });
  }

  // Accounts: a fifth on the core system, the rest spread evenly.
  const coreAccounts = Math.floor(nAccounts / 5);
  const perOther = Math.floor((nAccounts - coreAccounts) / (nSystems - 1));
  let k = 0;
  const accountsFor = (count: number) =>
    Array.from({ length: count }, () => {
      const n = k++;
      return {
        id: `u${pad(n, 7)}`,
        department: DEPARTMENTS[n % DEPARTMENTS.length],
        canSeeIndividualNumber: n % 3 !== 0,
        mfa: !drift || n % 997 !== 5,
        lastLogin: drift && n % 1009 === 11 ? '2026-05-01' : '2026-10-28',
        ...(n % 59 === 0 ? { disabled: true, transferDate: '2026-04-01' } : {}),
      };
    });

  const realCount = (base as { [k: string]: any }).basic.systems.length as number;
  const systems = names.map((name, i) => {
    const real = i < realCount;
    return {
      name,
      connections: real ? realConnections(name) : connectionsOf(i),
      internetReachable: false,
      passwordPolicy: { minLength: 12, maxAgeDays: 90, lockoutThreshold: 5, complexity: true },
      accessLog: { enabled: true, retentionDays: 2557 },
      encryption: { atRest: true, inTransit: true },
      backup: {
        schedule: '毎日 02:00',
        lastSuccess: '2026-11-01T02:41:00+09:00',
        location: { country: 'JP' },
      },
      removableMedia: 'blocked',
      location: { country: 'JP', facility: real ? 'ガバメントクラウド' : '庁舎サーバ室' },
      accounts: accountsFor(i === 0 ? coreAccounts : perOther),
    };
  });

  // Data stores: the core and CS hold the two files; every other system holds a part of file 1.
  const recordItems: string[] = doc.files[0].recordItems.items;
  const dataStores = names.map((name, i) => ({
    name: `${name} DB`,
    system: name,
    file: i === 1 ? '本人確認情報ファイル' : '住民基本台帳ファイル',
    records: 400_000 + i,
    persons: 352_000,
    retentionDays: 54750,
    encryptedAtRest: true,
    fields: Array.from({ length: 20 }, (_, f) => ({
      column: `col_${f}`,
      item:
        i === 1
          ? ['住民票コード', '個人番号', '氏名', '生年月日', '性別', '住所', '異動事由', '異動年月日'][f % 8]
          : recordItems[(i + f) % recordItems.length],
      ...(f === 0 ? { category: '個人番号' } : {}),
    })),
  }));
  // One store in a hundred records a column the 評価書 does not list.
  if (drift)
    for (let i = 3; i < dataStores.length; i += 100)
      dataStores[i].fields.push({ column: 'mail', item: 'メールアドレス' });

  // Contractors: the three declared ones plus generated 委託事項 (declared with matching bands).
  const contractors: { [k: string]: unknown }[] = [
    {
      name: '架空情報システム株式会社',
      scope: '住民記録システム(標準準拠システム)の運用保守業務',
      file: '住民基本台帳ファイル',
      staff: 24,
      subcontractors: [{ name: '架空クラウドオペレーション株式会社', staff: 6, approval: '承諾 2026-0315' }],
    },
    {
      name: '株式会社架空ビジネスサービス',
      scope: '住民異動届等の受付補助及び入力業務',
      file: '住民基本台帳ファイル',
      staff: 62,
    },
    {
      name: '架空ネットワークサービス株式会社',
      scope: '市町村CSの運用保守業務',
      file: '本人確認情報ファイル',
      staff: 4,
    },
  ];
  const items: { [k: string]: unknown }[] = doc.files[0].entrustment.items;
  for (let i = contractors.length; i < nContractors; i++) {
    const staff = 3 + (i % 60);
    const subs =
      i % 4 === 0
        ? [
            {
              name: `再委託先${pad(i, 4)}`,
              staff: 2,
              ...(drift && i % 40 === 0 ? {} : { approval: `承諾${i}` }),
            },
          ]
        : [];
    contractors.push({
      name: `委託先${pad(i, 4)}株式会社`,
      scope: `業務${i}`,
      file: '住民基本台帳ファイル',
      staff,
      subcontractors: subs,
    });
    items.push({
      title: `業務${i}`,
      content: `業務${i}を委託する。`,
      scope: {
        range: '特定個人情報ファイルの一部',
        persons: '10万人以上100万人未満',
        personsScope: '住民',
        validity: '業務に必要',
      },
      handlerCount: band(drift && i % 25 === 0 ? staff + 100 : staff),
      methods: [{ choice: '専用線' }],
      contractorCheck: '契約書',
      contractor: `委託先${pad(i, 4)}株式会社`,
      subcontract: subs.length
        ? { presence: '再委託する', method: '市長の書面による承諾' }
        : { presence: '再委託しない' },
    });
  }
  doc.files[0].entrustment.count = items.length;
  doc.files[0].acquisition.users.userCount = band(nAccounts);

  const snapshot = {
    organization: 'kakuu-city',
    asOf: '2026-11-01T09:00:00+09:00',
    exporter: 'bench/lib/live-snapshot.ts (generated)',
    counts: { persons: 352_000 },
    systems,
    dataStores,
    contractors,
    provisions: [
      { to: '情報照会者', kind: '提供', file: '住民基本台帳ファイル' },
      { to: '転入地市町村長', kind: '提供', file: '住民基本台帳ファイル' },
      { to: '市民税課', kind: '移転', file: '住民基本台帳ファイル' },
      { to: '架空県知事', kind: '提供', file: '本人確認情報ファイル' },
    ],
    incidents: Array.from({ length: 10 * scale }, (_, i) => ({
      date: `2026-0${1 + (i % 9)}-15`,
      specificPersonalInfo: false,
      serious: false,
    })),
  };
  return { assessment: doc as JsonObject, snapshot: snapshot as JsonObject };
}

/** The connections the juki 評価書 declares for its five real systems (as in its live.yaml). */
function realConnections(
  name: string,
): { to: string; category?: string; protocol?: string; encrypted: boolean }[] {
  switch (name) {
    case '住民記録システム':
      return [
        { to: '庁内連携システム', encrypted: true },
        { to: '住民基本台帳ネットワークシステム', encrypted: true },
        { to: '団体内統合宛名システム', category: '宛名システム等', encrypted: true },
        { to: '証明書コンビニ交付システム', encrypted: true },
        { to: '戸籍システム', encrypted: true },
      ];
    case '住民基本台帳ネットワークシステム':
      return [{ to: '住民記録システム', category: '既存住民基本台帳システム', encrypted: true }];
    case '団体内統合宛名システム':
      return [
        { to: '庁内連携システム', encrypted: true },
        { to: '住民記録システム', category: '既存住民基本台帳システム', encrypted: true },
        { to: '税務システム', encrypted: true },
        { to: '中間サーバー', encrypted: true },
      ];
    case '中間サーバー':
      return [
        { to: '情報提供ネットワークシステム', encrypted: true },
        { to: '団体内統合宛名システム', category: '宛名システム等', encrypted: true },
      ];
    default:
      return [
        { to: '住民記録システム', category: '既存住民基本台帳システム', encrypted: true },
        { to: '証明書交付センターシステム', encrypted: true },
      ];
  }
}
