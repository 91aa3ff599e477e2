// The contract suite against PostgreSQL: one throwaway cluster for this file (test/helpers/postgres.ts; it
// throws, never skips, if the server cannot start), a fresh database per store, and a real restart (the
// pool closed, a new one opened on the same database) for reopen.
import pg from 'pg';
import { afterAll } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
import { describeStoreContract } from './contract/index.ts';

// Each test's database is a copy of one migrated template: CREATE DATABASE … TEMPLATE is a file copy,
// much cheaper than running the migrations again for every test.
let cluster: Promise<PostgresCluster> | undefined;
const getCluster = (): Promise<PostgresCluster> =>
  (cluster ??= (async () => {
    const c = await startPostgres();
    const tpl = new pg.Client({ connectionString: c.url });
    await tpl.connect();
    await tpl.query('CREATE DATABASE pia_template');
    await tpl.end();
    const store = await openStore(c.url.replace(/\/postgres$/, '/pia_template'), { migrate: true });
    await store.close();
    return c;
  })());
afterAll(async () => {
  await (await cluster)?.stop();
});

let n = 0;
const urls = new Map<Store, string>();
const created: string[] = [];

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: (await getCluster()).url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describeStoreContract('postgres', {
  async create(options) {
    const pgc = await getCluster();
    const db = `contract_${process.pid}_${++n}`;
    await admin((c) => c.query(`CREATE DATABASE ${db} TEMPLATE pia_template`));
    created.push(db);
    const url = pgc.url.replace(/\/postgres$/, `/${db}`);
    const store = await openStore(url, options);
    urls.set(store, url);
    return store;
  },
  async reopen(store: Store, options) {
    const url = urls.get(store)!;
    await store.close();
    const again = await openStore(url, options);
    urls.set(again, url);
    return again;
  },
  async cleanup() {
    const dbs = created.splice(0);
    if (dbs.length === 0) return;
    await admin(async (c) => {
      for (const db of dbs) await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    });
  },
  sessionsSurviveRestart: true,
});
