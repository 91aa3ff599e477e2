// Issue 9 item 5: a journal cut short loses acknowledged versions. The index records the head the journal
// had when it was written (a lower bound: written after the journal, at checkpoints and at close), so a
// journal shorter than that is refused at start-up with a recovery command, and `pia audit verify` answers
// 1. A crash between a journal fsync and the next index write leaves a journal LONGER than the index says:
// that must open, with nothing lost. Missing and corrupt document files are found by verify too.
import { cpSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { expectNoStackTrace, runInProcess, runSpawned } from '../cli/run.ts';
import { journalOf, open, readJournalLines, sampleDoc, seeded, tempDir } from './helpers.ts';

/** A store with three versions acknowledged, closed cleanly (the index records the head). */
async function closedStore() {
  const { store, asm, path } = await seeded();
  let v = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
  v = await store.addVersion(asm.id, sampleDoc(2), { author: 'user:o', ifMatch: v.etag });
  await store.addVersion(asm.id, sampleDoc(3), { author: 'user:o', ifMatch: v.etag });
  await store.close();
  return { path, asmId: asm.id };
}

function cut(path: string, bytes: (size: number) => number): void {
  const size = readFileSync(journalOf(path)).length;
  truncateSync(journalOf(path), bytes(size));
}

const CUTS: [string, (size: number) => number][] = [
  ['37 bytes cut off the end', (size) => size - 37],
  ['half of the journal cut off', (size) => Math.floor(size / 2)],
];

describe('a journal cut short is refused at start-up and reported by pia audit verify', () => {
  for (const [name, to] of CUTS) {
    it(`${name}: open refuses with a Japanese message and a recovery command; nothing is modified`, async () => {
      const { path } = await closedStore();
      cut(path, to);
      const journalBefore = readFileSync(journalOf(path));
      const indexBefore = readFileSync(path);
      await expect(openStore(path)).rejects.toMatchObject({ name: 'StoreTruncatedError' });
      await expect(openStore(path)).rejects.toThrow(/確定して応答済みの記録が失われています/);
      await expect(openStore(path)).rejects.toThrow(/復旧: .*cp .*pia audit verify --db/s);
      // Refusing leaves every file as it was (the torn tail is not cut off, the index not rewritten).
      expect(readFileSync(journalOf(path)).equals(journalBefore)).toBe(true);
      expect(readFileSync(path).equals(indexBefore)).toBe(true);
      const r = await runInProcess(['audit', 'verify', '--db', path]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('失われています');
      expect(r.stdout).toContain('復旧');
    });
  }

  it('the real CLI: verify exits 1 and serve refuses to start, both without a stack trace', async () => {
    const { path } = await closedStore();
    cut(path, (size) => size - 37);
    const v = await runSpawned(['audit', 'verify', '--db', path]);
    expect(v.code).toBe(1);
    expectNoStackTrace(v);
    expect(v.stdout).toContain('失われています');
    const s = await runSpawned(['serve', '--db', path, '--port', '0']);
    expect(s.code).toBe(2);
    expectNoStackTrace(s);
    expect(s.stdout + s.stderr).toContain('失われています');
  });

  it('restoring the journal from a backup is the recovery: the store opens again with every version', async () => {
    const { path, asmId } = await closedStore();
    const backup = join(tempDir(), 'backup.jsonl');
    cpSync(journalOf(path), backup);
    cut(path, (size) => Math.floor(size / 2));
    await expect(openStore(path)).rejects.toThrow(/失われています/);
    cpSync(backup, journalOf(path));
    expect((await runInProcess(['audit', 'verify', '--db', path])).code).toBe(0);
    const store = await open(path);
    expect(await store.listVersions(asmId)).toHaveLength(3);
  });
});

describe('what is not a truncation', () => {
  it('a crash after the journal fsync and before the index write (journal longer than the index says)', async () => {
    const { store, asm, path } = await seeded();
    await store.close();
    const reopened = await open(path); // the index on disk now records the head at this point
    const v = await reopened.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
    await reopened.addVersion(asm.id, sampleDoc(2), { author: 'user:o', ifMatch: v.etag });
    // Copy the files while the store is open: what a kill -9 / power loss leaves (index behind the journal).
    const to = join(tempDir(), 'pia.json');
    cpSync(path, to);
    cpSync(journalOf(path), journalOf(to));
    cpSync(`${path}.blobs`, `${to}.blobs`, { recursive: true });
    const index = JSON.parse(readFileSync(to, 'utf8'));
    const commits = readJournalLines(to).filter((l) => 'commit' in l).length;
    expect(index.head.commit).toBeLessThan(commits);
    const copy = await open(to);
    expect(await copy.listVersions(asm.id)).toHaveLength(2);
    expect(await copy.verifyAudit()).toMatchObject({ ok: true });
  });

  it('a torn, unacknowledged tail after the last commit still opens (and is cut off)', async () => {
    const { path, asmId } = await closedStore();
    writeFileSync(journalOf(path), readFileSync(journalOf(path), 'utf8') + '{"audit":{"seq":99,"at":"2');
    const store = await open(path);
    expect(await store.listVersions(asmId)).toHaveLength(3);
  });

  it('an index written by an older pia (no head) opens and gets a head, so a later cut is caught', async () => {
    const { path } = await closedStore();
    const index = JSON.parse(readFileSync(path, 'utf8'));
    delete index.head;
    writeFileSync(path, JSON.stringify(index));
    const store = await open(path);
    await store.close();
    expect(JSON.parse(readFileSync(path, 'utf8')).head.commit).toBeGreaterThan(0);
    cut(path, (size) => size - 37);
    await expect(openStore(path)).rejects.toThrow(/失われています/);
  });
});

describe('pia audit verify reads every document back', () => {
  it('a missing document and a corrupt one are reported (exit 1) without opening those versions', async () => {
    const { path } = await closedStore();
    const blobs = readdirSync(`${path}.blobs`).sort();
    expect(blobs.length).toBe(3);
    rmSync(join(`${path}.blobs`, blobs[0]));
    writeFileSync(join(`${path}.blobs`, blobs[1]), '{"title":"差し替え"}');
    const r = await runInProcess(['audit', 'verify', '--db', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('文書の本体に問題があります (2 件)');
    expect(r.stdout).toContain(`${blobs[0]} がありません`);
    expect(r.stdout).toContain(`${blobs[1]} がハッシュと一致しません`);
  });

  it('intact documents are counted in the success message', async () => {
    const { path } = await closedStore();
    const r = await runInProcess(['audit', 'verify', '--db', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 版の文書と 0 件の照合結果を読み、ハッシュと一致しました');
  });
});
