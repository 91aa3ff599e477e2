// pia collect accounts: CSV (Japanese and English headers, Shift_JIS), LDIF, cloud-directory JSON; 10,000
// accounts generated here; header-less files and duplicate ids are clear Japanese errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectAccounts } from '../../src/collect/index.ts';
import { validateSnapshot } from '../../src/check/snapshot.ts';
import { InputError } from '../../src/errors.ts';
import { AS_OF, noStackTrace, runPia } from './helpers.ts';

const SYS = '住民記録システム';
type Rec = Record<string, unknown>;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pia-accounts-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const collect = (
  text: string | Uint8Array,
  source: string,
  extra: Partial<Parameters<typeof collectAccounts>[1]> = {},
) => {
  const r = collectAccounts(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, {
    source,
    system: SYS,
    organization: 'kakuu-city',
    asOf: AS_OF,
    ...extra,
  });
  expect(validateSnapshot(r.snapshot, 'ja')).toEqual([]);
  return r;
};
const accountsOf = (snap: Rec) => ((snap.systems as Rec[])[0].accounts ?? []) as Rec[];

/** 10,000 accounts with Japanese headers; every 7th disabled, every 11th without MFA. */
export function generateAccountsCsv(n: number): string {
  const rows = ['アカウントID,所属,役割,個人番号参照,二要素認証,最終ログイン,状態,異動・退職日'];
  const depts = ['市民生活部 市民窓口課', '北支所', '南支所', '総務部 情報政策課'];
  for (let i = 1; i <= n; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    rows.push(
      [
        `u${String(i).padStart(5, '0')}`,
        depts[i % depts.length],
        i % 50 === 0 ? '管理者' : '窓口担当',
        i % 3 === 0 ? 'いいえ' : 'はい',
        i % 11 === 0 ? '無' : '有',
        `2026/11/${day} 08:30`,
        i % 7 === 0 ? '無効' : '有効',
        i % 97 === 0 ? '2026/04/01' : '',
      ].join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

describe('CSV', () => {
  it('10,000 accounts with Japanese headers: every field read, dates normalised, provenance once', () => {
    const r = collect(generateAccountsCsv(10_000), 'accounts.csv');
    expect(r.count).toBe(10_000);
    const list = accountsOf(r.snapshot);
    expect(list[0]).toEqual({
      id: 'u00001',
      department: '北支所',
      role: '窓口担当',
      canSeeIndividualNumber: true,
      mfa: true,
      lastLogin: '2026-11-02T08:30:00+09:00',
      disabled: false,
    });
    expect(list[6]).toMatchObject({ id: 'u00007', disabled: true });
    expect(list[10]).toMatchObject({ id: 'u00011', mfa: false });
    expect(list[96]).toMatchObject({ id: 'u00097', transferDate: '2026-04-01' });
    expect(r.snapshot.provenance).toEqual([
      {
        pointer: '/systems/0/accounts',
        kind: 'accounts-csv',
        source: 'accounts.csv',
        value: '10000 件',
        collectedAt: AS_OF,
      },
    ]);
  });

  it('English headers (and a BOM) mean the same', () => {
    const r = collect(
      '\uFEFFid,department,canSeeIndividualNumber,mfa,lastLogin,disabled,transferDate,contractor\n' +
        'a1,北支所,true,false,2026-10-01,false,,\n' +
        'a2,,yes,yes,2026-10-02T10:00:00Z,true,2026-09-30,架空システムサービス株式会社\n',
      'en.csv',
    );
    expect(accountsOf(r.snapshot)).toEqual([
      {
        id: 'a1',
        department: '北支所',
        canSeeIndividualNumber: true,
        mfa: false,
        lastLogin: '2026-10-01',
        disabled: false,
      },
      {
        id: 'a2',
        contractor: '架空システムサービス株式会社',
        canSeeIndividualNumber: true,
        mfa: true,
        lastLogin: '2026-10-02T10:00:00Z',
        transferDate: '2026-09-30',
        disabled: true,
      },
    ]);
  });

  it('Shift_JIS (Excel) is detected and converted, with a message', async () => {
    const sjis = iconv.encode('アカウントID,所属,個人番号参照,二要素認証\nk1,市民窓口課,○,×\n', 'cp932');
    const r = collect(sjis, 'sjis.csv');
    expect(r.notes).toEqual([
      'sjis.csv: UTF-8 ではないため Shift_JIS (CP932) として読み込み、UTF-8 に変換しました',
    ]);
    expect(accountsOf(r.snapshot)).toEqual([
      { id: 'k1', department: '市民窓口課', canSeeIndividualNumber: true, mfa: false },
    ]);
    const file = join(dir, 'sjis.csv');
    writeFileSync(file, sjis);
    const cli = await runPia(['collect', 'accounts', file, '--system', SYS, '--organization', 'kakuu-city']);
    expect(cli.code).toBe(0);
    expect(cli.stderr).toContain('Shift_JIS (CP932) として読み込み');
    expect((JSON.parse(cli.stdout) as Rec).systems).toEqual([
      {
        name: SYS,
        accounts: [{ id: 'k1', department: '市民窓口課', canSeeIndividualNumber: true, mfa: false }],
      },
    ]);
  });

  it('a header-less CSV is refused with a clear Japanese error (exit 2)', async () => {
    expect(() => collect('u1,北支所,はい,はい\nu2,南支所,いいえ,はい\n', 'noheader.csv')).toThrow(
      /noheader\.csv: 1 行目が見出し行ではありません \(「u1,北支所,はい」\)/,
    );
    const file = join(dir, 'noheader.csv');
    writeFileSync(file, 'u1,北支所,はい,はい\n');
    const r = await runPia(['collect', 'accounts', file, '--system', SYS, '--organization', 'kakuu-city']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('1 行目が見出し行ではありません');
    noStackTrace(r.stderr);
  });

  it('a duplicate account id names both lines', () => {
    expect(() =>
      collect(
        'アカウントID,個人番号参照,二要素認証\nx1,はい,はい\nx2,はい,はい\nx1,いいえ,はい\n',
        'dup.csv',
      ),
    ).toThrow('dup.csv: アカウントID「x1」が重複しています (2 行目 と 4 行目)');
  });

  it('unreadable values, missing required columns and ragged rows are errors with the line', () => {
    expect(() => collect('id,canSeeIndividualNumber,mfa\nx,maybe,true\n', 'bad.csv')).toThrow(
      /bad\.csv: 2 行目: 個人番号参照 \(canSeeIndividualNumber\) の値「maybe」/,
    );
    expect(() => collect('id,mfa\nx,true\n', 'nocol.csv')).toThrow(
      /アカウント x の 個人番号参照 \(canSeeIndividualNumber\) がありません/,
    );
    expect(() =>
      collect('id,canSeeIndividualNumber,mfa,lastLogin\nx,true,true,yesterday\n', 'date.csv'),
    ).toThrow(/最終ログイン \(lastLogin\) の値「yesterday」を日付/);
    expect(() => collect('id,canSeeIndividualNumber,mfa\nx,true\n', 'ragged.csv')).toThrow(
      /ragged\.csv: CSV として読めません/,
    );
    expect(() => collect(new Uint8Array([0x82, 0xa0, 0xff, 0xfe, 0x00, 0x81]), 'bin.csv')).toThrow(
      InputError,
    );
  });
});

describe('LDIF', () => {
  it('reads uid, department, groups for 個人番号 and MFA, locks and folded lines', () => {
    const ldif = [
      'version: 1',
      '',
      'dn: uid=ldap1,ou=people,dc=city,dc=example',
      'uid: ldap1',
      'departmentNumber: 市民窓口課',
      'memberOf: cn=mynumber-readers,ou=groups,dc=city,dc=example',
      'memberOf: cn=mfa-enrolled,ou=groups,dc=city,dc=example',
      'authTimestamp: 20261029093000Z',
      '',
      'dn: uid=ldap2,ou=people,dc=city,dc=example',
      'ou:: ' + Buffer.from('北支所', 'utf8').toString('base64'),
      'memberOf: cn=mfa-enrolled,ou=groups,dc=city,dc=',
      ' example',
      'pwdAccountLockedTime: 20260101000000Z',
      '',
    ].join('\n');
    const r = collect(ldif, 'people.ldif', { numberGroup: 'mynumber-readers', mfaGroup: 'mfa-enrolled' });
    expect(r.format).toBe('ldif');
    expect(accountsOf(r.snapshot)).toEqual([
      {
        id: 'ldap1',
        department: '市民窓口課',
        canSeeIndividualNumber: true,
        mfa: true,
        lastLogin: '2026-10-29T09:30:00Z',
      },
      { id: 'ldap2', department: '北支所', canSeeIndividualNumber: false, mfa: true, disabled: true },
    ]);
    expect((r.snapshot.provenance as Rec[])[0].kind).toBe('accounts-ldif');
  });

  it('without a way to know MFA it says which account and how to fix it', () => {
    expect(() => collect('dn: uid=z,dc=x\nuid: z\n', 'z.ldif', { numberGroup: 'g' })).toThrow(
      /dn: uid=z,dc=x: アカウント z の 二要素認証 \(mfa\) がありません \(.*--mfa-group/,
    );
  });

  it('Active Directory userAccountControl bit 2 is disabled', () => {
    const r = collect(
      'dn: cn=ad1,dc=x\nsAMAccountName: ad1\nuserAccountControl: 514\nmfa: TRUE\nmyNumberAccess: TRUE\n',
      'ad.ldif',
    );
    expect(accountsOf(r.snapshot)).toEqual([
      { id: 'ad1', canSeeIndividualNumber: true, mfa: true, disabled: true },
    ]);
  });
});

describe('cloud directory JSON', () => {
  it('Microsoft Graph users (value[], accountEnabled, signInActivity, employeeLeaveDateTime)', () => {
    const graph = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
      value: [
        {
          id: '0001',
          userPrincipalName: 'sato@city.example.jp',
          department: '市民窓口課',
          accountEnabled: true,
          signInActivity: { lastSignInDateTime: '2026-11-20T01:02:03Z' },
          employeeLeaveDateTime: null,
          memberOf: [{ displayName: 'PIA-MyNumber' }, { displayName: 'MFA-Registered' }],
        },
        {
          id: '0002',
          userPrincipalName: 'suzuki@city.example.jp',
          accountEnabled: false,
          employeeLeaveDateTime: '2026-03-31T00:00:00Z',
          memberOf: [],
        },
      ],
    };
    const r = collect(JSON.stringify(graph), 'users.json', {
      numberGroup: 'PIA-MyNumber',
      mfaGroup: 'MFA-Registered',
    });
    expect(accountsOf(r.snapshot)).toEqual([
      {
        id: '0001',
        department: '市民窓口課',
        canSeeIndividualNumber: true,
        mfa: true,
        lastLogin: '2026-11-20T01:02:03Z',
        disabled: false,
      },
      { id: '0002', canSeeIndividualNumber: false, mfa: false, transferDate: '2026-03-31', disabled: true },
    ]);
  });

  it('Google Workspace users (primaryEmail, suspended, isEnrolledIn2Sv, lastLoginTime)', () => {
    const google = {
      kind: 'admin#directory#users',
      users: [
        {
          primaryEmail: 'a@city.example.jp',
          suspended: false,
          isEnrolledIn2Sv: true,
          lastLoginTime: '2026-11-01T00:00:00.000Z',
          orgUnitPath: '/北支所',
          individualNumber: true,
        },
      ],
    };
    const r = collect(JSON.stringify(google), 'google.json');
    expect(accountsOf(r.snapshot)).toEqual([
      {
        id: 'a@city.example.jp',
        department: '/北支所',
        canSeeIndividualNumber: true,
        mfa: true,
        lastLogin: '2026-11-01T00:00:00Z',
        disabled: false,
      },
    ]);
  });

  it('a JSON without a user list is a clear error', () => {
    expect(() => collect('{"foo": 1}', 'x.json')).toThrow(/ユーザーの一覧がありません/);
  });
});

describe('CLI', () => {
  it('--system is required; the output validates; -o writes the file', async () => {
    const file = join(dir, 'ok.csv');
    writeFileSync(file, 'id,canSeeIndividualNumber,mfa\nq,true,true\n');
    const no = await runPia(['collect', 'accounts', file, '--organization', 'kakuu-city']);
    expect(no.code).toBe(2);
    expect(no.stderr).toContain('--system');
    const out = join(dir, 'out.json');
    const r = await runPia([
      'collect',
      'accounts',
      file,
      '--system',
      SYS,
      '--organization',
      'kakuu-city',
      '--as-of',
      AS_OF,
      '-o',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('アカウント 1 件');
  });
});
