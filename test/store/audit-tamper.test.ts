// Issue 9 item 6: an audit chain that can be recomputed proves nothing. Each attack below is done the way
// someone with write access to the data directory but WITHOUT the audit key would do it: edit the journal,
// recompute every hash after the edit (so the plain SHA-256 chain verifies again), and either drop the
// MACs or leave the old ones. With the key (`--audit-key`) or a signed checkpoint (`--checkpoint`) kept
// elsewhere, `pia audit verify` must answer 1 for every one of them; a test fails if detection breaks.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/store/audit-chain.ts';
import { newAuditKeyFile, readAuditKey, setProcessAuditKey } from '../../src/store/audit-key.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { verifyAuditChain } from '../../src/store/audit-chain.ts';
import { runInProcess } from '../cli/run.ts';
import { journalOf, open, readJournalLines, sampleDoc, seeded, tempDir } from './helpers.ts';

type Line = Record<string, any>;

let keyPath: string;

beforeEach(() => {
  // Outside the data directory (each store gets its own temp directory).
  keyPath = join(tempDir(), 'audit.key');
  writeFileSync(keyPath, newAuditKeyFile(), { mode: 0o600 });
  setProcessAuditKey(readAuditKey(keyPath));
});

afterEach(() => setProcessAuditKey(undefined));

/** A keyed store with history (versions, a comment, a token, an API action), closed; a checkpoint of its head. */
async function keyedStore() {
  const { store, asm, org, path } = await seeded();
  const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
  await store.transitionStatus(v1.id, { to: '意見聴取', actor: 'user:o' });
  await store.addComment(v1.id, { pointer: '/title', body: '確認しました', author: 'user:r' });
  await store.appendAudit({
    actor: 'user:o',
    action: 'pdf.export',
    target: `version:${v1.id}`,
    orgId: org.id,
  });
  await store.createToken({ name: '点検者', role: 'reviewer', orgId: org.id }, { actor: 'user:admin' });
  await store.appendAudit({
    actor: 'user:r',
    action: 'pdf.export',
    target: `version:${v1.id}`,
    orgId: org.id,
  });
  await store.addVersion(asm.id, sampleDoc(2), { author: 'user:o', ifMatch: v1.etag });
  await store.close();
  const checkpoint = join(tempDir(), 'checkpoint.json');
  const cp = await runInProcess([
    'audit',
    'checkpoint',
    '--db',
    path,
    '--audit-key',
    keyPath,
    '-o',
    checkpoint,
  ]);
  expect(cp.code, cp.stdout + cp.stderr).toBe(0);
  return { path, checkpoint, orgId: org.id };
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Rewrites the journal: `fn` edits the audit entries (in journal order, as objects), then every seq,
 * prevHash and hash is recomputed as an attacker without the key can. `macs`: drop them, or keep the old ones.
 */
function rechain(path: string, fn: (entries: Line[], lines: Line[]) => void, macs: 'drop' | 'keep'): void {
  const lines = readJournalLines(path);
  const entries = lines.filter((l) => 'audit' in l).map((l) => l.audit);
  fn(entries, lines);
  // Put the (edited, reordered) entries back into the audit slots, in order.
  const slots = lines.flatMap((l, i) => ('audit' in l ? [i] : []));
  const out = lines.filter((_, i) => !slots.includes(i) || slots.indexOf(i) < entries.length);
  let k = 0;
  for (let i = 0; i < out.length; i++) if ('audit' in out[i]) out[i] = { audit: entries[k++] };
  let prev = '0'.repeat(64);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    e.seq = i + 1;
    e.prevHash = prev;
    if (macs === 'drop') delete e.mac;
    const { hash: _h, mac: _m, ...rest } = e;
    e.hash = sha(canonicalJson(rest));
    prev = e.hash;
  }
  writeFileSync(journalOf(path), out.map((l) => JSON.stringify(l) + '\n').join(''));
  // A thorough attacker also makes the index's recorded head match (without the key: no MAC).
  lowerIndexHead(path);
}

/** The index's head set to match the journal as it now is (no MAC: the attacker has no key). */
function lowerIndexHead(path: string): void {
  const lines = readJournalLines(path);
  const commits = lines.filter((l) => 'commit' in l).map((l) => l.commit as number);
  const audit = lines.filter((l) => 'audit' in l).map((l) => l.audit);
  const last = audit[audit.length - 1];
  const index = JSON.parse(readFileSync(path, 'utf8'));
  const commit = commits[commits.length - 1];
  index.checkpoint = Math.min(index.checkpoint, commit);
  index.head = {
    commit,
    bytes: readFileSync(journalOf(path)).length,
    auditSeq: last.seq,
    auditHash: last.hash,
  };
  writeFileSync(path, JSON.stringify(index));
}

async function verify(path: string, extra: string[]) {
  return runInProcess(['audit', 'verify', '--db', path, ...extra]);
}

const withKey = () => ['--audit-key', keyPath];

/** What the chain says without any anchor: the attack really produced a consistent SHA-256 chain. */
async function plainChainOk(path: string): Promise<boolean> {
  setProcessAuditKey(null);
  try {
    const entries = readJournalLines(path)
      .filter((l) => 'audit' in l)
      .map((l) => l.audit);
    return verifyAuditChain(entries, undefined, null).ok;
  } finally {
    setProcessAuditKey(readAuditKey(keyPath));
  }
}

interface Attack {
  name: string;
  /** Whether a checkpoint taken before the attack also catches it (a forged append after it does not). */
  checkpointCatches: boolean;
  run(path: string, macs: 'drop' | 'keep'): void;
}

const ATTACKS: Attack[] = [
  {
    name: 'edit + re-chain (an API action’s target changed)',
    checkpointCatches: true,
    run: (path, macs) =>
      rechain(
        path,
        (es) => {
          es.find((e) => e.action === 'pdf.export')!.target = 'version:別の版';
        },
        macs,
      ),
  },
  {
    name: 'swap + re-chain (two entries exchanged)',
    checkpointCatches: true,
    run: (path, macs) =>
      rechain(
        path,
        (es) => {
          const i = es.findIndex((e) => e.action === 'comment.add');
          const j = es.findIndex((e) => e.action === 'pdf.export');
          [es[i], es[j]] = [es[j], es[i]];
        },
        macs,
      ),
  },
  {
    name: 'rewrite every actor + re-chain',
    checkpointCatches: true,
    run: (path, macs) =>
      rechain(
        path,
        (es) => {
          for (const e of es) e.actor = 'user:someone-else';
        },
        macs,
      ),
  },
  {
    name: 'delete + re-chain (the second pdf.export removed)',
    checkpointCatches: true,
    run: (path, macs) =>
      rechain(
        path,
        (es) => {
          const i = es.map((e) => e.action).lastIndexOf('pdf.export');
          es.splice(i, 1);
        },
        macs,
      ),
  },
  {
    name: 'reorder + re-chain (three entries rotated)',
    checkpointCatches: true,
    run: (path, macs) =>
      rechain(
        path,
        (es) => {
          const i = es.findIndex((e) => e.action === 'comment.add');
          es.splice(i, 3, es[i + 1], es[i + 2], es[i]);
        },
        macs,
      ),
  },
  {
    name: 'forged append of a token.create (with its commit line)',
    checkpointCatches: false,
    run: (path) => {
      const lines = readJournalLines(path);
      const audit = lines.filter((l) => 'audit' in l).map((l) => l.audit);
      const last = audit[audit.length - 1];
      const commit = Math.max(...lines.filter((l) => 'commit' in l).map((l) => l.commit as number));
      const body = {
        seq: last.seq + 1,
        at: new Date().toISOString(),
        actor: 'user:admin',
        action: 'token.create',
        target: 'token:forged',
        orgId: null,
        before: null,
        after: { userId: 'attacker', role: 'admin', label: '', expiresAt: null },
        prevHash: last.hash,
      };
      const forged = { ...body, hash: sha(canonicalJson(body)) };
      const text = [{ audit: forged }, { commit: commit + 1 }].map((l) => JSON.stringify(l) + '\n').join('');
      writeFileSync(journalOf(path), readFileSync(journalOf(path), 'utf8') + text);
      lowerIndexHead(path); // raised to the forged entry, without a MAC
    },
  },
  {
    name: 'truncate at a commit boundary, index head lowered to match',
    checkpointCatches: true,
    run: (path) => {
      const lines = readJournalLines(path);
      const commitAt = lines.flatMap((l, i) => ('commit' in l ? [i] : []));
      const cut = commitAt[commitAt.length - 3]; // drop the last two commits
      writeFileSync(
        journalOf(path),
        lines
          .slice(0, cut + 1)
          .map((l) => JSON.stringify(l) + '\n')
          .join(''),
      );
      lowerIndexHead(path);
    },
  },
];

describe('audit anchoring: every re-chained tampering is detected with the key or a checkpoint', () => {
  it('an untouched keyed store verifies (exit 0) with the key, with the checkpoint, and without either', async () => {
    const { path, checkpoint } = await keyedStore();
    const entries = readJournalLines(path).filter((l) => 'audit' in l);
    expect(entries.length).toBeGreaterThan(8);
    expect(entries.every((l) => typeof l.audit.mac === 'string')).toBe(true);
    const a = await verify(path, withKey());
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(a.stdout).toContain('MAC: 鍵');
    const b = await verify(path, ['--checkpoint', checkpoint]);
    expect(b.code, b.stdout + b.stderr).toBe(0);
    expect(b.stdout).toContain('チェックポイント: 第');
    const c = await verify(path, []);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('検証していません');
    const both = await verify(path, [...withKey(), '--checkpoint', checkpoint]);
    expect(both.code).toBe(0);
  });

  for (const attack of ATTACKS) {
    for (const macs of attack.name.startsWith('forged') || attack.name.startsWith('truncate')
      ? (['drop'] as const)
      : (['drop', 'keep'] as const)) {
      it(`${attack.name}${macs === 'keep' ? ' (old MACs left in place)' : ''}`, async () => {
        const { path, checkpoint } = await keyedStore();
        attack.run(path, macs);
        // The attack is real: without the key and without a checkpoint, the plain chain is consistent.
        expect(await plainChainOk(path)).toBe(true);
        const k = await verify(path, withKey());
        expect(k.code, k.stdout + k.stderr).toBe(1);
        expect(k.stdout).toMatch(/MAC|失われています|索引/);
        expect(k.stderr).not.toMatch(/\n\s+at /); // never a stack trace
        const c = await verify(path, ['--checkpoint', checkpoint]);
        if (attack.checkpointCatches) {
          expect(c.code, c.stdout + c.stderr).toBe(1);
        }
      });
    }
  }

  it('without the key and without a checkpoint, an edit that is re-chained passes (the documented limit)', async () => {
    const { path } = await keyedStore();
    ATTACKS[0].run(path, 'drop');
    setProcessAuditKey(null);
    const r = await runInProcess(['audit', 'verify', '--db', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('鍵のない連鎖は、ファイルを書き換えられる人なら作り直せます');
  });

  it('the truncation alone (index untouched) is refused at open and reported by verify even without the key', async () => {
    const { path } = await keyedStore();
    const lines = readJournalLines(path);
    const commitAt = lines.flatMap((l, i) => ('commit' in l ? [i] : []));
    const cut = commitAt[commitAt.length - 2];
    writeFileSync(
      journalOf(path),
      lines
        .slice(0, cut + 1)
        .map((l) => JSON.stringify(l) + '\n')
        .join(''),
    );
    setProcessAuditKey(null);
    await expect(open(path)).rejects.toThrow(/失われています/);
    const r = await runInProcess(['audit', 'verify', '--db', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('pia audit verify --db');
  });

  it('a forged or altered checkpoint is refused (exit 1), another key’s checkpoint too', async () => {
    const { path, checkpoint } = await keyedStore();
    const cp = JSON.parse(readFileSync(checkpoint, 'utf8'));
    writeFileSync(checkpoint, JSON.stringify({ ...cp, seq: cp.seq - 1 }));
    const r = await verify(path, ['--checkpoint', checkpoint]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('署名が正しくありません');
    const otherKey = join(tempDir(), 'other.key');
    writeFileSync(otherKey, newAuditKeyFile(), { mode: 0o600 });
    writeFileSync(checkpoint, JSON.stringify(cp));
    const o = await runInProcess([
      'audit',
      'verify',
      '--db',
      path,
      '--audit-key',
      otherKey,
      '--checkpoint',
      checkpoint,
    ]);
    expect(o.code).toBe(1);
    expect(o.stdout).toContain('別の鍵');
  });

  it('the key must live outside the data directory; a missing key file is exit 2', async () => {
    const { path } = await keyedStore();
    const inside = join(path, '..', 'audit.key');
    const made = await runInProcess(['audit', 'init-key', '-o', inside], { env: { PIA_DB: path } });
    expect(made.code).toBe(2);
    expect(made.stderr).toContain('データのディレクトリ');
    const missing = await verify(path, ['--audit-key', join(tempDir(), 'none.key')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ファイルがありません');
    const ok = await runInProcess(['audit', 'init-key', '-o', join(tempDir(), 'new.key')], {
      env: { PIA_DB: path },
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('指紋');
    const again = await runInProcess(['audit', 'init-key', '-o', keyPath], { env: { PIA_DB: path } });
    expect(again.code).toBe(2); // never overwrites a key
  });

  it('a process without the key may not append to a keyed lowdb log (it would break the chain)', async () => {
    const { path } = await keyedStore();
    setProcessAuditKey(null);
    const store = await open(path);
    await expect(store.createOrganisation({ name: '鍵なし' }, { actor: 'user:admin' })).rejects.toThrow(
      /鍵で保護されています/,
    );
    await store.close();
    setProcessAuditKey(readAuditKey(keyPath));
    expect((await verify(path, withKey())).code).toBe(0);
  });

  it('the memory backend MACs through the same shared chain (every backend built on makeAuditEntry does)', async () => {
    const store = createMemoryStore();
    const org = await store.createOrganisation({ name: '防府市' }, { actor: 'user:admin' });
    await store.createToken({ name: 'CI', role: 'ci', orgId: org.id }, { actor: 'user:admin' });
    const log = await store.listAudit();
    expect(log.every((e) => typeof e.mac === 'string')).toBe(true);
    expect(await store.verifyAudit()).toMatchObject({ ok: true });
    // Re-chained without the key: the in-memory log as an attacker would rebuild it.
    const forged = log.map((e) => ({ ...e }));
    forged[0].actor = 'user:x';
    let prev = '0'.repeat(64);
    for (const e of forged) {
      e.prevHash = prev;
      delete e.mac;
      const { hash: _h, mac: _m, ...rest } = e;
      e.hash = sha(canonicalJson(rest));
      prev = e.hash;
    }
    expect(verifyAuditChain(forged, undefined, null).ok).toBe(true);
    expect(verifyAuditChain(forged)).toMatchObject({ ok: false });
    await store.close();
  });
});
