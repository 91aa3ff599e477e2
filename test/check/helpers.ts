// Small in-memory 評価書 and snapshots for rule and control tables. Each test clones a base, changes one
// thing, and checks what one rule says. (The end-to-end tests use the real samples under assessments/.)
import { spawn } from 'node:child_process';
import { checkAssessment, CHECK_RULES, prepareAssessment } from '../../src/check/index.ts';
import { createContext, type CheckContext } from '../../src/check/context.ts';
import type { Snapshot } from '../../src/check/snapshot-types.ts';
import { fromValue, loadText } from '../../src/load/index.ts';
import type { Diagnostic, Json, JsonObject } from '../../src/types.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;

export function jutenDoc(): JsonObject {
  return {
    form: '重点項目評価書',
    formVersion: '平成30年5月',
    status: '公表',
    organization: { id: 'test-city', type: '地方公共団体等' },
    basic: {
      jimu: { name: 'テスト事務', content: 'テスト', persons: '1万人以上10万人未満' },
      systems: [
        {
          name: '業務システム',
          functions: '業務',
          connections: [{ choice: '宛名システム等' }, { choice: 'その他', detail: '連携サーバー' }],
        },
        {
          name: '宛名システム',
          functions: '宛名',
          connections: [{ choice: 'その他', detail: '業務システム' }],
        },
      ],
    },
    files: [
      {
        name: 'テストファイル',
        basics: {
          persons: '1万人以上10万人未満',
          mainItems: [{ choice: '個人番号' }, { choice: '4情報(氏名、性別、生年月日、住所)' }],
        },
        acquisition: { users: { departments: '市民部 市民課', userCount: '10人未満' } },
        entrustment: {
          presence: '委託する',
          items: [
            {
              content: '保守',
              contractor: '保守株式会社',
              handlerCount: '10人未満',
              subcontract: { presence: '再委託しない' },
            },
            {
              content: '入力',
              contractor: '入力株式会社',
              handlerCount: '10人以上50人未満',
              subcontract: { presence: '再委託する', method: 'あらかじめ市長の承諾を得る' },
            },
          ],
        },
        provision: {
          presence: [{ choice: '提供を行っている' }],
          provisions: [{ destination: '他市町村長' }],
        },
        storage: { location: '庁舎' },
        recordItems: { items: ['個人番号', '氏名', '住所(※)'] },
      },
    ],
    risks: [
      {
        fileName: 'テストファイル',
        use: {
          risk2: {
            userAuthentication: '行っている',
            userAuthenticationMethod: [
              { system: '業務システム', parts: ['二要素認証'], controls: [{ id: 'mfa-required' }] },
            ],
            sufficiency: '十分である',
          },
        },
        provision: { notProvided: false },
        storage: { risk: { seriousIncident: { occurred: '発生なし' } } },
        education: {
          level: '十分に行っている',
          method: [
            {
              parts: ['研修'],
              attestation: {
                by: '市民課長',
                date: '2026-01-10',
                evidence: '受講記録',
                expires: '2026-12-31',
              },
            },
          ],
        },
      },
    ],
    procedure: {
      kiso: {
        date: '2026-01-01',
        thresholdResult: '基礎項目評価の実施が義務付けられる(任意に重点項目評価を実施)',
      },
    },
  };
}

/** The same 事務 as a 全項目評価書 (adds 保管期間; Ⅲ 7 is リスク1). */
export function zenkomokuDoc(): JsonObject {
  const d = jutenDoc() as { [k: string]: any };
  d.form = '全項目評価書';
  d.procedure.kiso.thresholdResult = '基礎項目評価の実施が義務付けられる(任意に全項目評価を実施)';
  d.files[0].storage = { location: '庁舎', retention: { period: '5年', validity: '規則' }, erasure: '消去' };
  d.risks[0].storage = { risk1: { seriousIncident: { occurred: '発生なし' } } };
  return d;
}

export function kisoDoc(): JsonObject {
  return {
    form: '基礎項目評価書',
    formVersion: '平成30年5月',
    status: '公表',
    organization: { id: 'test-city', type: '地方公共団体等' },
    related: { jimu: { name: 'テスト事務', summary: 'テスト', systemNames: '業務システム、宛名システム' } },
    thresholdItems: {
      persons: { band: '1,000人以上1万人未満', asOf: '2026-04-01' },
      handlers: { band: '500人未満', asOf: '2026-04-01' },
      incident: { occurred: '発生なし' },
    },
    thresholdResult: { result: '基礎項目評価の実施が義務付けられる' },
    riskMeasures: {
      forms: { kinds: '基礎項目評価書' },
      entrustment: { notEntrusted: true },
      provision: { notProvided: true },
    },
  };
}

export function snapshot(): Snapshot & { [k: string]: any } {
  return {
    organization: 'test-city',
    asOf: '2026-06-01T09:00:00+09:00',
    counts: { persons: 50000 },
    systems: [
      {
        name: '業務システム',
        connections: [
          { to: '宛名システム', category: '宛名システム等', encrypted: true },
          { to: '連携サーバー', encrypted: true },
        ],
        accounts: [
          {
            id: 'u1',
            department: '市民課',
            canSeeIndividualNumber: true,
            mfa: true,
            lastLogin: '2026-05-30',
          },
          {
            id: 'u2',
            department: '市民課',
            canSeeIndividualNumber: false,
            mfa: true,
            lastLogin: '2026-05-29',
          },
        ],
      },
      { name: '宛名システム', connections: [{ to: '業務システム', encrypted: true }] },
    ],
    dataStores: [
      {
        name: 'DB',
        system: '業務システム',
        file: 'テストファイル',
        persons: 50000,
        fields: [
          { column: 'no', item: '個人番号', category: '個人番号' },
          { column: 'name', item: '氏名', category: '4情報(氏名、性別、生年月日、住所)' },
          { column: 'addr', item: '住所', category: '4情報(氏名、性別、生年月日、住所)' },
        ],
      },
    ],
    contractors: [
      { name: '保守株式会社', staff: 5 },
      { name: '入力株式会社', staff: 20 },
    ],
    provisions: [{ to: '他市町村長', kind: '提供' }],
    incidents: [],
  };
}

export function kisoSnapshot(): Snapshot & { [k: string]: any } {
  return {
    organization: 'test-city',
    asOf: '2026-06-01T09:00:00+09:00',
    counts: { persons: 5000, handlers: 40 },
    systems: [{ name: '業務システム' }, { name: '宛名システム' }],
    incidents: [],
  };
}

/** Run the check with only the named rules (all when omitted) on in-memory documents. */
export function check(doc: JsonObject, snap: object, rules?: string[], waivers?: object): Diagnostic[] {
  const selected = rules ? Object.fromEntries(rules.map((r) => [r, CHECK_RULES[r]])) : undefined;
  return checkAssessment({
    assessment: fromValue(doc, { source: 'assessment.yaml' }),
    snapshot: fromValue(snap as Json, { source: 'live.yaml' }),
    ...(waivers ? { waivers: loadText(JSON.stringify(waivers), { source: 'waivers.yaml' }) } : {}),
    ...(selected ? { rules: selected } : {}),
  }).diagnostics;
}

/** [code without `check/`, path, consequence] of each finding, for compact expectations. */
export function brief(diags: Diagnostic[]): [string, string, string | undefined][] {
  return diags.map((d) => [d.code.replace(/^check\//, ''), d.path, d.consequence]);
}

export function contextFor(doc: JsonObject, snap: object): CheckContext {
  return createContext(prepareAssessment(doc), snap as Snapshot, 'ja');
}

export interface PiaRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a user runs it (fresh process, project root as cwd). */
export function runPia(args: string[], cwd = ROOT): Promise<PiaRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${ROOT}src/cli/bin.ts`, ...args], {
      cwd,
      env: { ...process.env, PIA_DEBUG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
