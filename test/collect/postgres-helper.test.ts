import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { existsSync } from 'node:fs';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';

describe('test/helpers/postgres.ts', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres({ database: 'piatest' });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('starts a real PostgreSQL 15 reachable at url, with fsync off by default', async () => {
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    const v = await c.query('show server_version');
    expect(v.rows[0].server_version).toMatch(/^15\./);
    const f = await c.query('show fsync');
    expect(f.rows[0].fsync).toBe('off');
    expect((await c.query('select current_database() as d')).rows[0].d).toBe('piatest');
    await c.end();
  });

  it('survives crash() + start() with fsync on and stop() removes the directory', async () => {
    const d = await startPostgres({ fsync: true });
    const c = new pg.Client({ connectionString: d.url });
    await c.connect();
    expect((await c.query('show fsync')).rows[0].fsync).toBe('on');
    await c.query('create table t(x int); insert into t values (1)');
    await c.end().catch(() => {});
    d.crash();
    await d.start();
    const c2 = new pg.Client({ connectionString: d.url });
    await c2.connect();
    expect((await c2.query('select count(*)::int as n from t')).rows[0].n).toBe(1);
    await c2.end();
    await d.stop();
    await d.stop();
    expect(existsSync(d.dir)).toBe(false);
  });

  it('throws with the server log when the server cannot start (never skips)', async () => {
    await expect(startPostgres({ settings: { shared_buffers: 'nonsense' } })).rejects.toThrow(
      /PostgreSQL を起動できませんでした[\s\S]*shared_buffers/,
    );
  });
});
