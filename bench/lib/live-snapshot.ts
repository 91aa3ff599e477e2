// A generated live snapshot for bench/check.ts: deterministic, with the shape of a large municipality's
// export (systems with connections and accounts, data stores with fields, contractors with subcontractors)
// and a sprinkling of drift so that rules and controls have findings to report.
const DECLARED_SYSTEMS = ['住民記録システム', '住民基本台帳ネットワークシステム', '団体内統合宛名システム', '中間サーバー', '証明書コンビニ交付システム'];
const DECLARED_CONTRACTORS = ['架空情報システム株式会社', '株式会社架空ビジネスサービス', '架空ネットワークサービス株式会社'];
const DEPARTMENTS = ['市民生活部 市民窓口課', '北支所', '南支所', '総務部 市民税課', '健康福祉部 介護保険課'];

function pad(n: number, w = 5): string {
  return String(n).padStart(w, '0');
}

/** A deterministic snapshot: `scale` 1 = 200 systems, 10,000 accounts, 50 contractors. */
export function generateSnapshot(scale: number): object {
  const nSystems = 200 * scale;
  const nAccounts = 10_000 * scale;
  const nContractors = 50 * scale;
  const names = Array.from({ length: nSystems }, (_, i) => (i < DECLARED_SYSTEMS.length ? DECLARED_SYSTEMS[i] : `業務システム${pad(i, 4)}`));
  const perSystem = Math.floor(nAccounts / nSystems);
  const systems = names.map((name, i) => ({
    name,
    connections: [
      { to: names[(i + 1) % nSystems], protocol: 'HTTPS', encrypted: true },
      { to: '庁内連携システム', encrypted: i % 17 !== 0 },
      { to: names[(i + 7) % nSystems], category: '宛名システム等', protocol: 'LGWAN', encrypted: true },
    ],
    internetReachable: i % 23 === 0,
    passwordPolicy: { minLength: i % 11 === 0 ? 8 : 12, maxAgeDays: 90, lockoutThreshold: 5, complexity: true },
    accessLog: { enabled: true, retentionDays: i % 13 === 0 ? 365 : 1826 },
    encryption: { atRest: i % 19 !== 0, inTransit: true },
    backup: { schedule: '毎日 02:00', lastSuccess: '2026-11-01T02:41:00+09:00', location: { country: 'JP' } },
    removableMedia: i % 9 === 0 ? 'allowed' : 'blocked',
    location: { country: 'JP', facility: 'ガバメントクラウド' },
    accounts: Array.from({ length: perSystem }, (_, j) => {
      const k = i * perSystem + j;
      return {
        id: `u${pad(k, 7)}`,
        department: DEPARTMENTS[k % DEPARTMENTS.length],
        ...(k % 41 === 0 ? { contractor: DECLARED_CONTRACTORS[k % 3] } : {}),
        canSeeIndividualNumber: k % 3 !== 0,
        mfa: k % 97 !== 0,
        lastLogin: k % 113 === 0 ? '2026-05-01' : '2026-10-28',
        ...(k % 59 === 0 ? { disabled: true, transferDate: '2026-04-01' } : {}),
        ...(k % 211 === 0 ? { transferDate: '2026-10-01' } : {}),
      };
    }),
  }));
  const dataStores = names.map((name, i) => ({
    name: `${name} DB`,
    system: name,
    file: i % 2 === 0 ? '住民基本台帳ファイル' : '本人確認情報ファイル',
    records: 1000 + i,
    persons: 300_000 + i,
    retentionDays: 54750,
    encryptedAtRest: true,
    fields: Array.from({ length: 20 }, (_, f) => ({
      column: `col_${f}`,
      item: f < 15 ? ['個人番号', '氏名', '生年月日', '性別', '住所', '住民票コード', '異動事由', '異動年月日'][f % 8] : `独自項目${f}`,
      category: f % 5 === 0 ? '個人番号' : '4情報(氏名、性別、生年月日、住所)',
    })),
  }));
  const contractors = Array.from({ length: nContractors }, (_, i) => ({
    name: i < DECLARED_CONTRACTORS.length ? DECLARED_CONTRACTORS[i] : `委託先${pad(i, 4)}株式会社`,
    scope: `業務${i}`,
    file: i % 2 === 0 ? '住民基本台帳ファイル' : '本人確認情報ファイル',
    staff: 5 + (i % 40),
    subcontractors: Array.from({ length: i % 3 }, (_, s) => ({ name: `再委託先${pad(i, 4)}-${s}`, staff: 3, ...(s === 0 ? { approval: `承諾${i}` } : {}) })),
  }));
  return {
    organization: 'kakuu-city',
    asOf: '2026-11-01T09:00:00+09:00',
    exporter: 'bench/check.ts (generated)',
    counts: { persons: 321_000 },
    systems,
    dataStores,
    contractors,
    provisions: Array.from({ length: 20 * scale }, (_, i) => ({ to: i % 2 ? '転入地市町村長' : `提供先${i}`, kind: i % 3 ? '提供' : '移転', file: '住民基本台帳ファイル' })),
    incidents: Array.from({ length: 10 * scale }, (_, i) => ({ date: `2026-0${1 + (i % 9)}-15`, specificPersonalInfo: i % 2 === 0, serious: i % 4 === 0 })),
  };
}

