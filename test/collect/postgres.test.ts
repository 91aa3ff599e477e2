// pia collect postgres against a REAL PostgreSQL 15 that this test starts (test/helpers/postgres.ts; never
// skipped): tables with 個人番号・氏名・電話番号 columns, row counts, a count(distinct …) for persons, server
// settings, a column nobody declared → `pia check` reports the undeclared 記録項目 with its consequence. Also:
// credentials never come from argv and never appear in output, files or errors; the connection is read only.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPostgres } from '../../src/collect/index.ts';
import { validateSnapshot } from '../../src/check/snapshot.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { AS_OF, JUKI, noStackTrace, runPia } from './helpers.ts';

const SYS = '住民記録システム';
const SECRET = 'Tr0ub4dor-&-3-hidden';
type Rec = Record<string, unknown>;

let cluster: PostgresCluster;
let dir: string;
let readerUrl: string;

beforeAll(async () => {
  cluster = await startPostgres({
    database: 'juki',
    settings: { log_statement: 'mod', log_connections: 'on' },
  });
  dir = mkdtempSync(join(tmpdir(), 'pia-pgcollect-'));
  const c = new pg.Client({ connectionString: cluster.url });
  await c.connect();
  await c.query(`
    create table public.jumin (
      id serial primary key,
      kojin_bango char(12) not null,
      shimei text not null,
      tel text,
      shumi text
    );
    comment on column public.jumin.tel is '記録項目: 電話番号(届出人の連絡先)';
    insert into public.jumin (kojin_bango, shimei, tel, shumi) values
      ('123456789018', '架空 太郎', '099-000-0001', '釣り'),
      ('123456789018', '架空 太郎', '099-000-0001', '囲碁'),
      ('234567890123', '架空 花子', null, null),
      ('345678901234', '架空 次郎', '099-000-0003', null),
      ('345678901234', '架空 次郎', '099-000-0003', '読書');
    create schema audit;
    create table audit.login_log (at timestamptz, who text);
    create role reader login password '${SECRET}';
    grant usage on schema audit to reader;
    grant select on all tables in schema public, audit to reader;
  `);
  // Password authentication for the reader (everyone else keeps trust), so a wrong password really fails.
  const hba = join(cluster.dir, 'data', 'pg_hba.conf');
  writeFileSync(
    hba,
    `host all reader 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\nlocal all all trust\n`,
  );
  await c.query('select pg_reload_conf()');
  await c.end();
  readerUrl = `postgres://reader@127.0.0.1:${cluster.port}/juki`;
  writeFileSync(
    join(dir, 'map.yaml'),
    [
      'organization: kakuu-city',
      'postgres:',
      '  file: 住民基本台帳ファイル',
      '  dataStore: 住民記録DB',
      '  schemas: [public]',
      '  persons: select count(distinct kojin_bango) from public.jumin',
      '  location: {country: JP, region: 東京リージョン}',
      '  tables:',
      '    jumin:',
      '      columns: {id: null, kojin_bango: 個人番号, shimei: 氏名}',
      '      categories: {kojin_bango: 個人番号}',
      '      persons: select count(distinct kojin_bango) from public.jumin',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'pw'), `${SECRET}\n`);
});

afterAll(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const noSecret = (...texts: string[]) => {
  for (const t of texts) expect(t).not.toContain(SECRET);
};

describe('pia collect postgres (real server)', () => {
  let snap: Rec;
  let out: string;

  beforeAll(async () => {
    out = join(dir, 'pg.json');
    const r = await runPia(
      [
        'collect',
        'postgres',
        readerUrl,
        '--system',
        SYS,
        '--map',
        join(dir, 'map.yaml'),
        '--as-of',
        AS_OF,
        '-o',
        out,
      ],
      { env: { PGPASSWORD: SECRET } },
    );
    noStackTrace(r.stderr);
    expect(r.stderr).toContain('テーブル 1 件');
    expect(r.code).toBe(0);
    snap = JSON.parse(readFileSync(out, 'utf8')) as Rec;
    noSecret(r.stdout, r.stderr, readFileSync(out, 'utf8'));
  });

  it('tables and columns become a data store with 記録項目 (mapping, comment, or the bare column)', () => {
    expect(validateSnapshot(snap, 'ja')).toEqual([]);
    const [store] = snap.dataStores as Rec[];
    expect(store).toMatchObject({
      name: '住民記録DB (public.jumin)',
      system: SYS,
      file: '住民基本台帳ファイル',
      records: 5,
      persons: 3,
      location: { country: 'JP', region: '東京リージョン' },
    });
    expect(store.fields).toEqual([
      { column: 'kojin_bango', item: '個人番号', category: '個人番号' },
      { column: 'shimei', item: '氏名' },
      { column: 'tel', item: '電話番号(届出人の連絡先)' },
      { column: 'shumi' },
    ]);
    expect(snap.counts).toEqual({ persons: 3 });
  });

  it('server settings: ssl → inTransit, log_* → accessLog, all recorded on the data store', () => {
    const [system] = snap.systems as Rec[];
    expect(system).toMatchObject({
      name: SYS,
      encryption: { inTransit: false },
      accessLog: { enabled: true },
    });
    const settings = (snap.dataStores as Rec[])[0].serverSettings as Rec;
    expect(settings).toMatchObject({
      ssl: 'off',
      log_statement: 'mod',
      log_connections: 'on',
      password_encryption: 'scram-sha-256',
    });
  });

  it('provenance: kind postgres, the URL without user or password, the table, the time', () => {
    const prov = snap.provenance as Rec[];
    const source = `postgres://127.0.0.1:${cluster.port}/juki`;
    expect(prov.find((p) => p.pointer === '/dataStores/0/records')).toEqual({
      pointer: '/dataStores/0/records',
      kind: 'postgres',
      source,
      address: 'juki.public.jumin',
      value: 'count(*)',
      collectedAt: AS_OF,
    });
    expect(prov.find((p) => p.pointer === '/systems/0/encryption/inTransit')).toMatchObject({
      address: 'ssl',
      value: 'off',
    });
    expect(prov.every((p) => p.source === source)).toBe(true);
  });

  it('pia check on the collected snapshot reports the undeclared 記録項目 with its consequence', async () => {
    const r = await runPia(['check', JUKI, '--live', out, '--format', 'json']);
    noStackTrace(r.stderr);
    expect(r.code).toBe(1);
    const diags = (
      JSON.parse(r.stdout) as { diagnostics: { code: string; consequence?: string; message: string }[] }
    ).diagnostics;
    const undeclared = diags.filter((d) => d.code === 'check/undeclared-record-item');
    expect(undeclared).toHaveLength(1);
    expect(undeclared[0].message).toContain('shumi');
    expect(undeclared[0].message).not.toContain('shimei');
    expect(['重要な変更', '修正']).toContain(undeclared[0].consequence);
    // Declared columns (個人番号, 氏名, 電話番号 via the comment) are not reported.
    expect(undeclared[0].message).not.toMatch(/個人番号|電話番号/);
  });

  it('the password file works as well as PGPASSWORD; a wrong password fails without echoing it', async () => {
    const ok = await runPia(
      [
        'collect',
        'postgres',
        readerUrl,
        '--system',
        SYS,
        '--map',
        join(dir, 'map.yaml'),
        '--password-file',
        join(dir, 'pw'),
      ],
      {
        env: { PGPASSWORD: '' },
      },
    );
    expect(ok.code).toBe(0);
    noSecret(ok.stdout, ok.stderr);
    const wrong = `${SECRET}-wrong`;
    const bad = await runPia(
      ['collect', 'postgres', readerUrl, '--system', SYS, '--organization', 'kakuu-city'],
      { env: { PGPASSWORD: wrong } },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PostgreSQL に接続できません');
    expect(bad.stderr).toContain(`postgres://127.0.0.1:${cluster.port}/juki`);
    expect(bad.stderr).not.toContain(wrong);
    noStackTrace(bad.stderr);
  });

  it('a password on the command line is refused, and not repeated back', async () => {
    const url = `postgres://reader:${encodeURIComponent(SECRET)}@127.0.0.1:${cluster.port}/juki`;
    const r = await runPia(['collect', 'postgres', url, '--system', SYS, '--organization', 'kakuu-city']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('パスワードを書かないでください');
    noSecret(r.stderr, r.stdout);
    expect(r.stderr).not.toContain(encodeURIComponent(SECRET));
    // From the environment the same URL is accepted, and still never shown.
    const env = await runPia(['collect', 'postgres', '--system', SYS, '--map', join(dir, 'map.yaml')], {
      env: { PIA_PG_URL: url },
    });
    expect(env.code).toBe(0);
    noSecret(env.stdout, env.stderr);
    expect(env.stdout).not.toContain(encodeURIComponent(SECRET));
  });

  it('reads in a READ ONLY transaction: a mapping query that writes is refused and nothing changes', async () => {
    await expect(
      collectPostgres({
        url: cluster.url,
        system: SYS,
        organization: 'kakuu-city',
        asOf: AS_OF,
        mapping: { persons: 'delete from public.jumin returning 1' },
      }),
    ).rejects.toThrow(/persons の問い合わせが失敗しました .*read-only transaction/);
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    expect((await c.query('select count(*)::int as n from public.jumin')).rows[0].n).toBe(5);
    await c.end();
  });

  it('every schema by default; a mapped table that does not exist is an error', async () => {
    const all = await collectPostgres({
      url: cluster.url,
      system: SYS,
      organization: 'kakuu-city',
      asOf: AS_OF,
    });
    expect((all.snapshot.dataStores as Rec[]).map((d) => d.name)).toEqual([
      'juki.audit.login_log',
      'juki.public.jumin',
    ]);
    await expect(
      collectPostgres({
        url: cluster.url,
        system: SYS,
        organization: 'kakuu-city',
        asOf: AS_OF,
        mapping: { tables: { nosuch: {} } },
      }),
    ).rejects.toThrow(/マッピングのテーブル nosuch がデータベース juki/);
  });

  it('an unreachable server is exit 2 in Japanese', async () => {
    const r = await runPia([
      'collect',
      'postgres',
      'postgres://reader@127.0.0.1:1/juki',
      '--system',
      SYS,
      '--organization',
      'kakuu-city',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PostgreSQL に接続できません (postgres://127.0.0.1:1/juki)');
    noStackTrace(r.stderr);
  });
});
