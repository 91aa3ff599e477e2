// pia collect merge: partial snapshots joined by natural keys; provenance follows the facts to their new
// positions; a fact given twice with different values is an error naming both sources. Also 「自動確認なし」
// and 「確認できない」 on collected snapshots (issue item 6).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeSnapshots } from '../../src/collect/index.ts';
import { validateSnapshot } from '../../src/check/snapshot.ts';
import { AS_OF, JUKI, noStackTrace, runPia } from './helpers.ts';

type Rec = Record<string, unknown>;
const SYS = '住民記録システム';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pia-merge-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const base = (extra: Rec): Rec => ({ organization: 'kakuu-city', asOf: AS_OF, ...extra });
const prov = (pointer: string, kind: string, source: string, address?: string) => ({
  pointer,
  kind,
  source,
  ...(address ? { address } : {}),
  collectedAt: AS_OF,
});

describe('mergeSnapshots', () => {
  const tf = base({
    systems: [
      { name: '庁内連携システム', internetReachable: false },
      { name: SYS, encryption: { atRest: true }, internetReachable: false },
    ],
    provenance: [
      prov('/systems/0/internetReachable', 'terraform-state', 'tf.json', 'aws_security_group.app'),
      prov('/systems/1/encryption/atRest', 'terraform-state', 'tf.json', 'aws_db_instance.juki'),
    ],
  });
  const accounts = base({
    asOf: '2026-12-01T10:00:00+09:00',
    systems: [{ name: SYS, accounts: [{ id: 'a', canSeeIndividualNumber: true, mfa: true }] }],
    provenance: [prov('/systems/0/accounts', 'accounts-csv', 'a.csv')],
  });
  const pgSnap = base({
    systems: [{ name: SYS, encryption: { inTransit: true } }],
    dataStores: [{ name: 'db', file: 'f', system: SYS, fields: [{ column: 'x' }] }],
    provenance: [
      prov('/systems/0/encryption/inTransit', 'postgres', 'postgres://h/db', 'ssl'),
      prov('/dataStores/0', 'postgres', 'postgres://h/db', 'db.public.t'),
    ],
  });

  it('joins systems by name, merges objects field by field, moves provenance with the facts', () => {
    const m = mergeSnapshots([
      { source: 'tf.json', snapshot: tf },
      { source: 'acc.json', snapshot: accounts },
      { source: 'pg.json', snapshot: pgSnap },
    ]);
    expect(validateSnapshot(m, 'ja')).toEqual([]);
    expect(m.asOf).toBe('2026-12-01T10:00:00+09:00'); // the latest
    expect(m.systems).toEqual([
      { name: '庁内連携システム', internetReachable: false },
      {
        name: SYS,
        encryption: { atRest: true, inTransit: true },
        internetReachable: false,
        accounts: [{ id: 'a', canSeeIndividualNumber: true, mfa: true }],
      },
    ]);
    expect((m.provenance as Rec[]).map((p) => [p.pointer, p.source])).toEqual([
      ['/systems/0/internetReachable', 'tf.json'],
      ['/systems/1/encryption/atRest', 'tf.json'],
      ['/systems/1/accounts', 'a.csv'],
      ['/systems/1/encryption/inTransit', 'postgres://h/db'],
      ['/dataStores/0', 'postgres://h/db'],
    ]);
  });

  it('a fact given twice with different values is an error naming both sources', () => {
    const other = base({
      systems: [{ name: ' 住民記録システム ', encryption: { inTransit: false } }],
      provenance: [
        prov('/systems/0/encryption/inTransit', 'terraform-plan', 'plan.json', 'aws_lb_listener.http'),
      ],
    });
    expect(() =>
      mergeSnapshots([
        { source: 'pg.json', snapshot: pgSnap },
        { source: 'tf.json', snapshot: other },
      ]),
    ).toThrow(
      'ライブ構成を統合できません: システム「住民記録システム」.encryption.inTransit が pg.json (postgres, postgres://h/db, ssl) では true、tf.json (terraform-plan, plan.json, aws_lb_listener.http) では false です',
    );
  });

  it('the same account twice must agree; different organisations never merge', () => {
    const again = base({
      systems: [{ name: SYS, accounts: [{ id: 'a', canSeeIndividualNumber: false, mfa: true }] }],
    });
    expect(() =>
      mergeSnapshots([
        { source: 'x.json', snapshot: accounts },
        { source: 'y.json', snapshot: again },
      ]),
    ).toThrow(
      /アカウント|「a」.*canSeeIndividualNumber が x\.json \(accounts-csv, a\.csv\) では true、y\.json では false/,
    );
    expect(() =>
      mergeSnapshots([
        { source: 'x.json', snapshot: accounts },
        { source: 'z.json', snapshot: { ...accounts, organization: 'other' } },
      ]),
    ).toThrow('機関ID が x.json では「kakuu-city」、z.json では「other」です');
  });

  it('equal facts from two sources are fine, and their provenance is kept from both', () => {
    const m = mergeSnapshots([
      { source: 'a.json', snapshot: tf },
      { source: 'b.json', snapshot: tf },
    ]);
    expect((m.systems as Rec[]).length).toBe(2);
    expect((m.provenance as Rec[]).length).toBe(4);
  });
});

describe('collect → merge → check, end to end', () => {
  it(
    'terraform state + accounts CSV merged by the CLI; 確認できない stays, 自動確認なし listed',
    { timeout: 240_000 },
    async () => {
      const tfOut = join(dir, 'tf.json');
      const accOut = join(dir, 'acc.json');
      const csv = join(dir, 'acc.csv');
      writeFileSync(
        csv,
        'アカウントID,所属,個人番号参照,二要素認証,最終ログイン\nj1,市民生活部 市民窓口課,はい,いいえ,2026-11-30\n',
      );
      const common = ['--organization', 'kakuu-city', '--as-of', AS_OF];
      expect(
        (
          await runPia([
            'collect',
            'terraform',
            'test/collect/fixtures/terraform/state/aws_db_instance.storage_encrypted.json',
            ...common,
            '-o',
            tfOut,
          ])
        ).code,
      ).toBe(0);
      expect(
        (await runPia(['collect', 'accounts', csv, '--system', SYS, ...common, '-o', accOut])).code,
      ).toBe(0);
      const merged = join(dir, 'live.json');
      const m = await runPia(['collect', 'merge', tfOut, accOut, '-o', merged]);
      noStackTrace(m.stderr);
      expect(m.code).toBe(0);
      const snap = JSON.parse(readFileSync(merged, 'utf8')) as Rec;
      expect((snap.systems as Rec[])[0]).toMatchObject({
        name: SYS,
        encryption: { atRest: false },
        accounts: [{ id: 'j1', mfa: false }],
      });

      const r = await runPia(['check', JUKI, '--live', merged]);
      noStackTrace(r.stderr);
      expect(r.code).toBe(1);
      // Facts from the sources: violations.
      expect(r.stdout).toMatch(/at-rest-encrypted[^\n]*〈違反〉/);
      expect(r.stdout).toMatch(/mfa-required[^\n]*〈違反〉/);
      // A bound control no source gave facts for: 確認できない, not passed.
      expect(r.stdout).toMatch(
        /check\/control-unverifiable 措置「バックアップ」\(backup-recent\)[^\n]*確認できません/,
      );
      // Measures with no control: listed as 自動確認なし.
      expect(r.stdout).toMatch(/自動確認なし: コントロールを結び付けていない措置 2 件/);
      const md = await runPia(['check', JUKI, '--live', merged, '--format', 'md']);
      expect(md.stdout).toContain('### 自動確認なし');
      // JSON: the same list beside the findings (never a finding; the exit code is the findings').
      const json = await runPia(['check', JUKI, '--live', merged, '--format', 'json']);
      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout) as { uncheckedCount: number; diagnostics: { code: string }[] };
      expect(report.uncheckedCount).toBe(2);
      expect(report.diagnostics.some((d) => d.code === 'check/unchecked')).toBe(false);
    },
  );

  it('a conflicting merge through the CLI is exit 2 in Japanese', async () => {
    const a = join(dir, 'c1.json');
    const b = join(dir, 'c2.json');
    writeFileSync(a, JSON.stringify(base({ systems: [{ name: SYS, internetReachable: false }] })));
    writeFileSync(b, JSON.stringify(base({ systems: [{ name: SYS, internetReachable: true }] })));
    const r = await runPia(['collect', 'merge', a, b]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('internetReachable');
    expect(r.stderr).toContain('c1.json');
    expect(r.stderr).toContain('c2.json');
    noStackTrace(r.stderr);
  });
});
