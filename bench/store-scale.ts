// National-scale store benchmark (issue 10): a generated data set of 1,800 organisations and 250,000
// version documents in PostgreSQL; list, search and open-latest p50/p99 at 20 concurrent clients and
// append-version throughput, each against bare `pg` queries doing the same reads and writes in the same
// run (the figure that matters is the ratio); then the same figures for the embedded lowdb store at
// growing sizes, to say where to move to PostgreSQL. Not run by CI (minutes, and a few GB of disk).
//
//   npx tsx bench/store-scale.ts                         # throwaway cluster (fsync on), full size
//   npx tsx bench/store-scale.ts --docs 20000 --orgs 200 # quicker
//   npx tsx bench/store-scale.ts --db postgres://…/empty_db   # an existing (empty) database
//   options: --versions 5 (per assessment) --clients 20 --ops 4000 (per read measurement)
//            --append-ops 2000 --lowdb-sizes 5000,25000,50000 (0 to skip) --skip-pg
//
// Data: each assessment has --versions versions; documents are small but shaped like 評価書 (≈1 KB JSON:
// organisation, systems, files, entrustment, measures). The audit chain is generated for real (every
// organisation, assessment and version has its audit entry), so `pia audit verify --db` passes on it.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { makeAuditEntry, sha256Hex } from '../src/store/audit-chain.ts';
import { makeEtag } from '../src/store/etag.ts';
import { openStore, REVIEW_STATUSES, type AuditEntry, type Store } from '../src/store/index.ts';
import { createPgPool } from '../src/store/postgres/pool.ts';
import { AUDIT_LOCK } from '../src/store/postgres/store.ts';
import { startPostgres, type PostgresCluster } from '../test/helpers/postgres.ts';
import type { JsonObject } from '../src/types.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    orgs: { type: 'string' },
    docs: { type: 'string' },
    versions: { type: 'string' },
    clients: { type: 'string' },
    ops: { type: 'string' },
    'append-ops': { type: 'string' },
    'lowdb-sizes': { type: 'string' },
    'skip-pg': { type: 'boolean' },
  },
});
const ORGS = Number(values.orgs ?? 1800);
const DOCS = Number(values.docs ?? 250_000);
const PER = Number(values.versions ?? 5);
const CLIENTS = Number(values.clients ?? 20);
const OPS = Number(values.ops ?? 4000);
const APPEND_OPS = Number(values['append-ops'] ?? 2000);
const LOWDB_SIZES = (values['lowdb-sizes'] ?? '5000,25000,50000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);

const WORDS = ['住民基本台帳', '予防接種', '児童手当', '介護保険', '国民健康保険', '地方税', '生活保護', '障害者福祉', '就学援助', '母子保健'];
const log = (s: string) => process.stdout.write(s + '\n');

function makeDoc(org: { code: string; name: string }, title: string, rev: number): JsonObject {
  return {
    title: `${title} 全項目評価書`,
    organization: { id: org.code, name: org.name },
    revision: rev,
    systems: [1, 2, 3].map((i) => ({
      name: `${title}システム${i}`,
      functions: ['照会', '更新', '帳票出力'],
      connectedTo: ['中間サーバー', '宛名システム'],
    })),
    files: [{ name: `${title}ファイル`, persons: 10_000 + rev * 7, fields: ['個人番号', '氏名', '住所', '生年月日'] }],
    entrustment: [{ contractor: '株式会社サンプル情報', subcontracting: rev % 2 === 0, staff: 5 + (rev % 4) }],
    measures: [{ risk: '目的外の入手', measure: `入手元を限定し、照会記録を ${rev} 年保存する。` }],
  };
}

// ── percentiles and concurrent clients ──

interface Figures {
  p50: number;
  p99: number;
  opsPerSec: number;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function measure(total: number, fn: (i: number) => Promise<unknown>, clients = CLIENTS): Promise<Figures> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        lat.push(performance.now() - t);
      }
    }),
  );
  const wall = performance.now() - t0;
  lat.sort((a, b) => a - b);
  return { p50: pct(lat, 50), p99: pct(lat, 99), opsPerSec: (total / wall) * 1000 };
}

const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);
function row(name: string, store: Figures, bare?: Figures): string {
  const base = `${name.padEnd(16)} p50 ${ms(store.p50).padStart(7)} ms  p99 ${ms(store.p99).padStart(7)} ms  ${store.opsPerSec.toFixed(0).padStart(6)} ops/s`;
  if (!bare) return base;
  return (
    base +
    `   | bare pg p50 ${ms(bare.p50)} ms p99 ${ms(bare.p99)} ms ${bare.opsPerSec.toFixed(0)} ops/s` +
    `   | ratio p50 ×${(store.p50 / bare.p50).toFixed(2)} p99 ×${(store.p99 / bare.p99).toFixed(2)} throughput ×${(store.opsPerSec / bare.opsPerSec).toFixed(2)}`
  );
}

// ── generation in PostgreSQL (multi-row INSERT … SELECT FROM unnest) ──

async function insertRows(client: pg.PoolClient, table: string, cols: string[], types: string[], rows: unknown[][]) {
  if (rows.length === 0) return;
  const arrays = cols.map((_, c) => rows.map((r) => r[c]));
  const sql = `INSERT INTO ${table} (${cols.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;
  await client.query(sql, arrays);
}

interface Generated {
  orgIds: string[];
  assessmentIds: string[];
}

async function generatePg(pool: pg.Pool): Promise<Generated> {
  const client = await pool.connect();
  const at = new Date('2025-04-01T00:00:00Z').toISOString();
  let last: AuditEntry | undefined;
  const audit: unknown[][] = [];
  const pushAudit = (e: Parameters<typeof makeAuditEntry>[0]) => {
    last = makeAuditEntry(e, last, at);
    audit.push([last.seq, last.at, last.actor, last.action, last.target, last.orgId, JSON.stringify(last.before), JSON.stringify(last.after), last.prevHash, last.hash, last.mac ?? null]);
  };
  const flushAudit = async () => {
    await insertRows(client, 'pia_audit', ['seq', 'at', 'actor', 'action', 'target', 'org_id', 'before', 'after', 'prev_hash', 'hash', 'mac'], ['bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'], audit.splice(0));
  };
  try {
    const orgs = Array.from({ length: ORGS }, (_, i) => ({ id: randomUUID(), name: `市町村${i + 1}`, code: String(10000 + i) }));
    await insertRows(client, 'pia_organisations', ['id', 'name', 'code', 'created_at'], ['text', 'text', 'text', 'text'], orgs.map((o) => [o.id, o.name, o.code, at]));
    for (const o of orgs) pushAudit({ actor: 'system', action: 'organisation.create', target: `organisation:${o.id}`, orgId: o.id, after: { name: o.name, code: o.code } });
    await flushAudit();
    const nAsm = Math.ceil(DOCS / PER);
    const assessmentIds: string[] = [];
    const CHUNK = 2000;
    for (let start = 0; start < nAsm; start += CHUNK) {
      const asmRows: unknown[][] = [];
      const docRows: unknown[][] = [];
      const verRows: unknown[][] = [];
      const trRows: unknown[][] = [];
      for (let k = start; k < Math.min(nAsm, start + CHUNK); k++) {
        const org = orgs[k % ORGS];
        const title = `${WORDS[k % WORDS.length]}に関する事務 ${k}`;
        const id = randomUUID();
        assessmentIds.push(id);
        const form = ['zenkomoku', 'juten', 'kiso'][k % 3];
        pushAudit({ actor: 'system', action: 'assessment.create', target: `assessment:${id}`, orgId: org.id, after: { title, form, number: null } });
        let prev: { id: string; etag: string } | null = null;
        let status = '下書き';
        for (let n = 1; n <= PER; n++) {
          const text = JSON.stringify(makeDoc(org, title, k * PER + n));
          const docHash = sha256Hex(Buffer.from(text, 'utf8'));
          const size = Buffer.byteLength(text);
          const vid = randomUUID();
          const etag = makeEtag(n, docHash);
          status = n === PER ? REVIEW_STATUSES[k % REVIEW_STATUSES.length] : '公表';
          docRows.push([docHash, text]);
          verRows.push([vid, id, org.id, n, etag, 'system', at, null, docHash, size, status]);
          trRows.push([randomUUID(), vid, id, org.id, status, 'system', at]);
          pushAudit({ actor: 'system', action: 'version.add', target: `version:${vid}`, orgId: org.id, before: prev ? { versionId: prev.id, etag: prev.etag } : null, after: { assessmentId: id, number: n, etag, docHash, size, status, message: null } });
          prev = { id: vid, etag };
        }
        asmRows.push([id, org.id, title, form, at, 'system', at, prev!.id, prev!.etag, status, PER]);
      }
      await client.query('BEGIN');
      await insertRows(client, 'pia_assessments', ['id', 'org_id', 'title', 'form', 'created_at', 'created_by', 'updated_at', 'latest_version_id', 'latest_etag', 'status', 'version_count'], ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'int'], asmRows);
      await client.query(`INSERT INTO pia_documents (hash, body) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, [docRows.map((r) => r[0]), docRows.map((r) => r[1])]);
      await insertRows(client, 'pia_versions', ['id', 'assessment_id', 'org_id', 'number', 'etag', 'author', 'created_at', 'message', 'doc_hash', 'size', 'status'], ['text', 'text', 'text', 'int', 'text', 'text', 'text', 'text', 'text', 'int', 'text'], verRows);
      await insertRows(client, 'pia_transitions', ['id', 'version_id', 'assessment_id', 'org_id', 'to_status', 'actor', 'at'], ['text', 'text', 'text', 'text', 'text', 'text', 'text'], trRows);
      await flushAudit();
      await client.query('COMMIT');
      if ((start / CHUNK) % 10 === 0) log(`  … ${Math.min(nAsm, start + CHUNK)} / ${nAsm} 件の評価書 (${Math.min(nAsm, start + CHUNK) * PER} 版)`);
    }
    await client.query('ANALYZE');
    return { orgIds: orgs.map((o) => o.id), assessmentIds };
  } finally {
    client.release();
  }
}

// ── the measurements ──

const LIST_SQL = `SELECT id, org_id, title, form, number, created_at, created_by, updated_at, deleted_at, latest_version_id, latest_etag, status, version_count FROM pia_assessments WHERE org_id = $1 AND deleted_at IS NULL ORDER BY ord`;
const SEARCH_SQL = `SELECT id, org_id, title, form, number, created_at, created_by, updated_at, deleted_at, latest_version_id, latest_etag, status, version_count FROM pia_assessments WHERE deleted_at IS NULL AND status = $1 AND lower(title) LIKE $2 ORDER BY ord LIMIT 50`;
const LATEST_SQL = `SELECT v.id, v.assessment_id, v.org_id, v.number, v.etag, v.author, v.created_at, v.message, v.doc_hash, v.size, v.status, d.body FROM pia_assessments a JOIN pia_versions v ON v.id = a.latest_version_id LEFT JOIN pia_documents d ON d.hash = v.doc_hash WHERE a.id = $1`;

const pick = <T>(arr: T[], i: number): T => arr[(i * 7919) % arr.length];

async function measureStore(store: Store, gen: Generated, label: string) {
  const list = await measure(OPS, (i) => store.listAssessments({ orgId: pick(gen.orgIds, i) }));
  const search = await measure(OPS, (i) =>
    store.listAssessments({ status: REVIEW_STATUSES[i % REVIEW_STATUSES.length], title: WORDS[i % WORDS.length], limit: 50 }),
  );
  const open = await measure(OPS, (i) => store.latestVersion(pick(gen.assessmentIds, i)));
  log(`  ${label}`);
  return { list, search, open };
}

async function appendStore(store: Store, gen: Generated): Promise<Figures> {
  return measure(APPEND_OPS, async (i) => {
    const id = pick(gen.assessmentIds, i + 13);
    for (;;) {
      const a = await store.getAssessment(id);
      try {
        await store.addVersion(id, { title: 'bench', revision: i, body: 'x'.repeat(600) }, { author: 'bench', ifMatch: a!.latestEtag ?? '*' });
        return;
      } catch (e) {
        if ((e as { httpStatus?: number }).httpStatus !== 412) throw e;
      }
    }
  });
}

async function bareAppendRun(pool: pg.Pool, gen: Generated, audited: boolean): Promise<Figures> {
  return measure(APPEND_OPS, async (i) => {
    const id = pick(gen.assessmentIds, i + 17);
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      let prev: AuditEntry | undefined;
      if (audited) {
        await c.query({ name: 'b_alock', text: 'SELECT pg_advisory_xact_lock($1)', values: [AUDIT_LOCK] });
        const h = (await c.query({ name: 'b_head', text: 'SELECT seq, hash FROM pia_audit ORDER BY seq DESC LIMIT 1' })).rows[0];
        prev = h ? ({ seq: Number(h.seq), hash: h.hash } as AuditEntry) : undefined;
      }
      const a = (await c.query({ name: 'b_lock', text: 'SELECT org_id, version_count, latest_version_id, latest_etag FROM pia_assessments WHERE id = $1 FOR UPDATE', values: [id] })).rows[0];
      const text = JSON.stringify({ title: 'bare', revision: i, body: 'y'.repeat(600) });
      const hash = sha256Hex(Buffer.from(text));
      const n = Number(a.version_count) + 1;
      const vid = randomUUID();
      const now = new Date().toISOString();
      const etag = makeEtag(n, hash);
      await c.query({ name: 'b_doc', text: 'INSERT INTO pia_documents (hash, body) VALUES ($1, $2) ON CONFLICT DO NOTHING', values: [hash, text] });
      await c.query({ name: 'b_ver', text: 'INSERT INTO pia_versions (id, assessment_id, org_id, number, etag, author, created_at, doc_hash, size, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', values: [vid, id, a.org_id, n, etag, 'bare', now, hash, text.length, '下書き'] });
      await c.query({ name: 'b_tr', text: 'INSERT INTO pia_transitions (id, version_id, assessment_id, org_id, to_status, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7)', values: [randomUUID(), vid, id, a.org_id, '下書き', 'bare', now] });
      if (audited) {
        const e = makeAuditEntry({ actor: 'bare', action: 'version.add', target: `version:${vid}`, orgId: a.org_id, before: { versionId: a.latest_version_id, etag: a.latest_etag }, after: { assessmentId: id, number: n, etag, docHash: hash, size: text.length, status: '下書き', message: null } }, prev, now);
        await c.query({ name: 'b_audit', text: 'INSERT INTO pia_audit (seq, at, actor, action, target, org_id, before, after, prev_hash, hash, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)', values: [e.seq, e.at, e.actor, e.action, e.target, e.orgId, JSON.stringify(e.before), JSON.stringify(e.after), e.prevHash, e.hash, e.mac ?? null] });
      }
      await c.query({ name: 'b_upd', text: 'UPDATE pia_assessments SET latest_version_id = $2, latest_etag = $3, version_count = $4, status = $5, updated_at = $6 WHERE id = $1', values: [id, vid, etag, n, '下書き', now] });
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  });
}

async function benchPostgres(): Promise<void> {
  let cluster: PostgresCluster | undefined;
  let url = values.db;
  if (!url) {
    log('PostgreSQL: 使い捨てのクラスタを起動します (fsync on)…');
    cluster = await startPostgres({ fsync: true, settings: { shared_buffers: '256MB', max_connections: '100' } });
    url = cluster.url;
  }
  try {
    const migrated = await openStore(url, { migrate: true });
    await migrated.close();
    const pool = createPgPool(url, { max: CLIENTS + 2 });
    log(`生成: 組織 ${ORGS}、評価書 ${Math.ceil(DOCS / PER)}、版 (文書) ${DOCS}…`);
    let t = performance.now();
    const gen = await generatePg(pool);
    const size = (await pool.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`)).rows[0].s;
    log(`生成: ${((performance.now() - t) / 1000).toFixed(0)} 秒、データベース ${size}`);

    const store = await openStore(url, { poolSize: CLIENTS });
    // Warm-up: both sides run each query a few hundred times first (plans, caches, prepared statements).
    await measure(400, (i) => store.latestVersion(pick(gen.assessmentIds, i)));
    await measure(400, (i) => pool.query(LATEST_SQL, [pick(gen.assessmentIds, i)]));

    const bareList = await measure(OPS, (i) => pool.query({ name: 'b_list', text: LIST_SQL, values: [pick(gen.orgIds, i)] }));
    const bareSearch = await measure(OPS, (i) =>
      pool.query({ name: 'b_search', text: SEARCH_SQL, values: [REVIEW_STATUSES[i % REVIEW_STATUSES.length], `%${WORDS[i % WORDS.length].toLowerCase()}%`] }),
    );
    const bareOpen = await measure(OPS, async (i) => {
      const r = await pool.query({ name: 'b_latest', text: LATEST_SQL, values: [pick(gen.assessmentIds, i)] });
      JSON.parse(r.rows[0].body as string);
    });
    const s = await measureStore(store, gen, 'PostgresStore');

    const append = await appendStore(store, gen);
    // The chain over the whole data set (before the bare appends below, which write versions without
    // audit entries — verifyAudit would rightly report them).
    t = performance.now();
    const verified = await store.verifyAudit();
    const verifyS = (performance.now() - t) / 1000;
    // Appends: the store (If-Match check under a row lock, document, version, transition, audit entry
    // chained under the audit lock, group commit) against bare pg doing the same rows without the audit
    // chain in one transaction per version.
    const bareAppend = await bareAppendRun(pool, gen, false);
    // The same rows plus the audit entry, chained under the same advisory lock: the writes the store does.
    const bareAudit = await bareAppendRun(pool, gen, true);
    log('');
    log(`## PostgreSQL (組織 ${ORGS}、評価書 ${gen.assessmentIds.length}、版 ${DOCS}; ${CLIENTS} クライアント同時; ${cpus().length} コア, loadavg ${loadavg()[0].toFixed(1)})`);
    log(row('list (org)', s.list, bareList));
    log(row('search', s.search, bareSearch));
    log(row('open-latest', s.open, bareOpen));
    log(row('append-version', append, bareAudit) + '   (bare = 同じ行 + 監査ログ、同じロック)');
    log(row('append (no audit)', append, bareAppend) + '   (bare = 監査ログなし、並列)');
    log(`verifyAudit (${verified.count} 件): ${verified.ok ? 'ok' : 'NG ' + JSON.stringify(verified)} ${verifyS.toFixed(1)} 秒`);
    await store.close();
    await pool.end();
  } finally {
    await cluster?.stop();
  }
}

async function benchLowdb(): Promise<void> {
  for (const docs of LOWDB_SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'pia-bench-lowdb-'));
    try {
      const file = join(dir, 'pia.json');
      let store = await openStore(file);
      const orgCount = Math.max(1, Math.round((ORGS * docs) / DOCS));
      const orgIds: string[] = [];
      for (let i = 0; i < orgCount; i++) orgIds.push((await store.createOrganisation({ name: `市町村${i}`, code: String(i) }, { actor: 'system' })).id);
      const nAsm = Math.ceil(docs / PER);
      const assessmentIds: string[] = [];
      let t = performance.now();
      // Through the store's API, many at once (group commits), as an import would.
      for (let start = 0; start < nAsm; start += 500) {
        const batch = Array.from({ length: Math.min(500, nAsm - start) }, (_, j) => start + j);
        await Promise.all(
          batch.map(async (k) => {
            const org = orgIds[k % orgCount];
            const title = `${WORDS[k % WORDS.length]}に関する事務 ${k}`;
            const a = await store.createAssessment({ orgId: org, title, form: (['zenkomoku', 'juten', 'kiso'] as const)[k % 3] }, { actor: 'system' });
            assessmentIds.push(a.id);
            for (let n = 1; n <= PER; n++) {
              await store.addVersion(a.id, makeDoc({ code: String(k % orgCount), name: '' }, title, k * PER + n), {
                author: 'system',
                status: n === PER ? REVIEW_STATUSES[k % REVIEW_STATUSES.length] : '公表',
              });
            }
          }),
        );
      }
      const buildS = (performance.now() - t) / 1000;
      await store.close();
      t = performance.now();
      store = await openStore(file);
      const openS = (performance.now() - t) / 1000;
      const gen = { orgIds, assessmentIds };
      await measure(200, (i) => store.latestVersion(pick(assessmentIds, i)));
      const s = await measureStore(store, gen, `lowdb ${docs} 版`);
      const append = await appendStore(store, gen);
      log('');
      log(`## lowdb (組織 ${orgCount}、評価書 ${nAsm}、版 ${docs}; 作成 ${buildS.toFixed(0)} 秒、起動 ${openS.toFixed(1)} 秒)`);
      log(row('list (org)', s.list));
      log(row('search', s.search));
      log(row('open-latest', s.open));
      log(row('append-version', append));
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (!values['skip-pg']) await benchPostgres();
await benchLowdb();
