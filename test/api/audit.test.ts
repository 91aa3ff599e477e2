// The audit trail: every change made through the API is in the hash-chained log with who, what and the
// version ids; `GET /api/audit/verify` and `pia audit verify --db` accept the intact chain and name the
// entry that was edited afterwards. Also `pia token create` (printed once, works against the API).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { readSample, STACK_TRACE, startFixture, type Fixture } from './helpers.ts';

const pia = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pia-audit-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The journal of a closed store, one parsed object per line. */
function readJournal(db: string): Record<string, any>[] {
  return readFileSync(`${db}.journal.jsonl`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}
function writeJournal(db: string, lines: Record<string, any>[]): void {
  writeFileSync(`${db}.journal.jsonl`, lines.map((l) => JSON.stringify(l) + '\n').join(''));
}

describe('audit log', () => {
  let fx: Fixture;
  let db: string;
  let versionIds: string[] = [];

  beforeAll(async () => {
    db = join(dir, 'pia.json');
    fx = await startFixture({ store: await openStore(db) });
    const created = await fx.call('POST', '/api/assessments', {
      token: fx.tokens.officer,
      json: { title: '監査ログを確かめる事務' },
    });
    const base = `/api/assessments/${created.json.id}`;
    const doc = readSample('kakuu-city-kaigo');
    const v1 = await fx.call('POST', `${base}/versions`, { token: fx.tokens.officer, json: doc });
    const v2 = await fx.call('POST', `${base}/versions`, {
      token: fx.tokens.officer,
      json: { ...doc, cover: { ...(doc.cover as object), specialNotes: '改訂' } },
      headers: { 'if-match': v1.headers.get('etag') as string },
    });
    versionIds = [v1.json.id, v2.json.id];
    await fx.call('POST', `${base}/versions/latest/comments`, {
      token: fx.tokens.reviewer,
      json: { pointer: '/cover/name', body: '確認' },
    });
    await fx.call('POST', `${base}/versions/latest/status`, {
      token: fx.tokens.officer,
      json: { to: '提出' },
    });
  });
  afterAll(async () => {
    for (const b of fx.bodies) expect(b).not.toMatch(STACK_TRACE);
    expect(fx.logged).toEqual([]);
    await fx.close();
  });

  it('records every change with who, what and before/after version ids', async () => {
    const res = await fx.call('GET', '/api/audit?limit=1000', { token: fx.tokens.admin });
    const entries = res.json.entries as {
      seq: number;
      actor: string;
      action: string;
      target: string;
      before: unknown;
      after: unknown;
    }[];
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'assessment.create',
        'version.add',
        'comment.add',
        'status.transition',
        'token.create',
      ]),
    );
    const adds = entries.filter((e) => e.action === 'version.add');
    expect(adds.map((e) => e.target)).toEqual(versionIds.map((id) => `version:${id}`));
    expect(JSON.stringify(adds[1])).toContain(versionIds[0]);
    const me = await fx.call('GET', '/api/me', { token: fx.tokens.officer });
    expect(adds[0].actor).toBe(`user:${me.json.userId}`);
    // An officer sees only the own organisation's entries (no token creation by the admin, no other org).
    const officer = await fx.call('GET', '/api/audit?limit=1000', { token: fx.tokens.officer });
    expect(officer.json.entries.length).toBeGreaterThan(0);
    expect(officer.json.entries.every((e: { orgId: string }) => e.orgId === fx.orgA.id)).toBe(true);
    const verified = await fx.call('GET', '/api/audit/verify', { token: fx.tokens.admin });
    expect(verified.json).toMatchObject({ ok: true });
    expect(verified.json.count).toBe(entries.length);
  });

  it('verifies the chain with `pia audit verify` and names a tampered entry', async () => {
    await fx.close();
    const ok = pia(['audit', 'verify', '--db', db]);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('正しく検証できました');
    const head = pia(['audit', 'head', '--db', db]).stdout.trim();
    expect(head).toMatch(/^\d+:[0-9a-f]{64}$/);

    // Someone edits the journal (where the audit log is, one entry per line) to hide who added the second version.
    const lines = readJournal(db);
    const entry = lines.find(
      (l) => l.audit?.action === 'version.add' && l.audit.target === `version:${versionIds[1]}`,
    )!.audit;
    const seq = entry.seq;
    entry.actor = 'user:someone-else';
    writeJournal(db, lines);
    const bad = pia(['audit', 'verify', '--db', db]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`記録 ${seq} 番`);
    expect(bad.stdout).toContain('改変');
    expect(bad.stdout).not.toMatch(STACK_TRACE);

    // The API says the same.
    fx = await startFixture({ store: await openStore(db) });
    const res = await fx.call('GET', '/api/audit/verify', { token: fx.tokens.admin });
    expect(res.json).toMatchObject({ ok: false, brokenAt: seq });
  });

  it('detects a truncated log against an anchor recorded earlier', async () => {
    await fx.close();
    const db2 = join(dir, 'anchor.json');
    const store = await openStore(db2);
    for (let i = 0; i < 3; i++) await store.createOrganisation({ name: `組織${i}` }, { actor: 't' });
    await store.close();
    const head = pia(['audit', 'head', '--db', db2]).stdout.trim();
    const lines = readJournal(db2);
    lines.splice(
      lines.findLastIndex((l) => 'audit' in l),
      1,
    );
    writeJournal(db2, lines);
    // The index records the acknowledged head, so a cut journal is detected even without an anchor.
    expect(pia(['audit', 'verify', '--db', db2]).status).toBe(1);
    const anchored = pia(['audit', 'verify', '--db', db2, '--anchor', head]);
    expect(anchored.status).toBe(1);
    fx = await startFixture({ store: await openStore(join(dir, 'other.json')) });
  });

  it('refuses bad arguments with exit 2 and a Japanese message', () => {
    const r = pia(['audit', 'verify', '--anchor', 'nonsense', '--db', join(dir, 'x.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--anchor');
    const s = pia(['audit', 'frobnicate']);
    expect(s.status).toBe(2);
    // A mistyped path is an error, not a new empty (and trivially valid) store.
    const missing = pia(['audit', 'verify', '--db', join(dir, 'no-such-dir', 'pia.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('ありません');
  });
});

describe('pia token create', () => {
  it('prints a token once that authenticates with its role and organisation', async () => {
    const db = join(dir, 'tokens.json');
    const admin = pia(['token', 'create', '--role', 'admin', '--db', db]);
    expect(admin.status).toBe(0);
    expect(admin.stdout.trim()).toMatch(/^pia_/);
    const officer = pia([
      'token',
      'create',
      '--role',
      'officer',
      '--org',
      'kakuu-city',
      '--org-name',
      '架空市長',
      '--name',
      '担当者',
      '--db',
      db,
    ]);
    expect(officer.status).toBe(0);
    expect(officer.stderr).toContain('一度だけ');
    const token = officer.stdout.trim();
    const missingOrg = pia(['token', 'create', '--role', 'reviewer', '--org', 'nowhere', '--db', db]);
    expect(missingOrg.status).toBe(2);
    expect(missingOrg.stderr).toContain('kakuu-city');
    expect(pia(['token', 'create', '--role', 'reviewer', '--db', db]).status).toBe(2);
    expect(pia(['token', 'create', '--role', 'boss', '--db', db]).status).toBe(2);
    const list = pia(['token', 'list', '--db', db]);
    expect(list.stdout).toContain('担当者');
    expect(list.stdout).not.toContain(token);
    // Never stored in clear: not in the index, not in the journal.
    expect(readFileSync(db, 'utf8')).not.toContain(token);
    expect(readFileSync(`${db}.journal.jsonl`, 'utf8')).not.toContain(token);
    expect(readFileSync(`${db}.journal.jsonl`, 'utf8')).toContain('sha256:');

    const store = await openStore(db);
    const p = await store.authenticate(token);
    expect(p).toMatchObject({ role: 'officer', name: '担当者' });
    const org = (await store.listOrganisations()).find((o) => o.code === 'kakuu-city');
    expect(p?.orgId).toBe(org?.id);
    await store.close();
  });
});
