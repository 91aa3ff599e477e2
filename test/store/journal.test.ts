// The journal: what a commit costs, what a torn or edited journal does on open, the checkpoint of the
// index, and the migration of a format-1 store (a real one, written by the previous implementation).
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StoreCorruptError, openStore } from '../../src/store/index.ts';
import {
  journalCommitLine,
  journalHeaderLine,
  journalRecordLine,
  JournalWriter,
  parseJournal,
  type JournalFile,
} from '../../src/store/lowdb/journal.ts';
import type { Diagnostic } from '../../src/types.ts';
import {
  ADMIN,
  JOURNAL_TABLE_NAMES,
  journalOf,
  open,
  readJournalLines,
  sampleDoc,
  seeded,
  tempDir,
} from './helpers.ts';

/** A format-1 store written by the previous implementation: its files (as text) and what it holds. */
const V1 = JSON.parse(
  readFileSync(fileURLToPath(new URL('./fixtures/v1-store.json', import.meta.url)), 'utf8'),
) as { expected: any; files: Record<string, string> };

const diag = (message: string): Diagnostic => ({
  code: 'check/x',
  severity: 'warning',
  message,
  path: '/a',
  source: 's',
});

/** The files of an open store copied as they are on disk now: what a crash at this instant leaves. */
function crashCopy(path: string): string {
  const to = join(tempDir(), 'pia.json');
  cpSync(path, to);
  cpSync(journalOf(path), journalOf(to));
  cpSync(`${path}.blobs`, `${to}.blobs`, { recursive: true });
  return to;
}

const commitLines = (path: string) => readJournalLines(path).filter((l) => 'commit' in l).length;

describe('commits append to the journal', () => {
  it('a check run appends its records; the index is not rewritten, whatever the history', async () => {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
    const index = readFileSync(path, 'utf8');
    const sizes: number[] = [];
    for (let i = 0; i < 300; i++) {
      await store.addCheckRun(v.id, { diagnostics: [diag('同じ所見')], actor: 'user:ci' });
      sizes.push(statSync(journalOf(path)).size);
    }
    expect(readFileSync(path, 'utf8')).toBe(index);
    // Every commit adds the same amount (its own records), not a copy of what came before.
    const growth = sizes.slice(1).map((s, i) => s - sizes[i]);
    expect(Math.max(...growth) - Math.min(...growth)).toBeLessThan(16); // digits of the commit number
    // The check run and its audit entry, in one commit.
    const tail = readJournalLines(path).slice(-3);
    expect(Object.keys(tail[0])).toEqual(['checkRuns']);
    expect(tail[1].audit).toMatchObject({
      action: 'checkrun.add',
      target: `checkrun:${tail[0].checkRuns.id}`,
    });
    expect(tail[2]).toEqual({ commit: expect.any(Number) });
  });

  it('concurrent writers share group commits: many records, one write and one fsync each', async () => {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
    const before = commitLines(path);
    const runs = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.addCheckRun(v.id, { diagnostics: [diag(`所見 ${i % 7}`)], actor: 'user:ci' }),
      ),
    );
    expect(new Set(runs.map((r) => r.id)).size).toBe(200);
    expect(commitLines(path) - before).toBeLessThanOrEqual(3);
    await store.close();
    const again = await open(path);
    expect(await again.listCheckRuns(v.id)).toHaveLength(200);
    expect((await again.latestCheckRun(v.id))?.id).toBe(runs[199].id);
    expect(await again.verifyAudit()).toMatchObject({ ok: true, count: 3 + 200 });
  });

  it('a crash without close replays the journal over the index', async () => {
    const { store, org, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
    await store.transitionStatus(v.id, { to: '意見聴取', actor: 'a' });
    const c = await store.addComment(v.id, { pointer: '/title', body: '確認', author: 'r' });
    await store.resolveComment(c.id, { actor: 'r' });
    await store.updateAssessment(asm.id, { title: '改名した事務' }, ADMIN);
    const t = await store.createToken({ name: 'CI', role: 'ci', orgId: org.id }, ADMIN);
    const head = await store.auditHead();
    const copy = crashCopy(path);
    // The index on disk is still the empty one written at creation: everything is in the journal.
    expect(JSON.parse(readFileSync(copy, 'utf8'))).toMatchObject({ checkpoint: 0, assessments: [] });

    const s = await open(copy);
    expect((await s.getAssessment(asm.id))?.title).toBe('改名した事務');
    expect((await s.getVersionInfo(v.id))?.status).toBe('意見聴取');
    expect(await s.getComment(c.id)).toMatchObject({ resolved: true, resolvedBy: 'r' });
    expect(await s.authenticate(t.token)).toMatchObject({ role: 'ci', orgId: org.id });
    expect(await s.verifyAudit({ anchor: head })).toMatchObject({ ok: true, head });
    // Reading is not writing: a session that only read leaves the index as it found it.
    const indexBefore = readFileSync(copy);
    await s.close();
    expect(readFileSync(copy)).toEqual(indexBefore);
  });

  it('checkpoints the index after many small-table records, and at close', async () => {
    const path = join(tempDir(), 'pia.json');
    const store = await open(path);
    await Promise.all(
      Array.from({ length: 1000 }, (_, i) => store.createOrganisation({ name: `組織${i}` }, ADMIN)),
    );
    await store.createOrganisation({ name: '最後の組織' }, ADMIN); // the checkpoint runs between batches
    const index = JSON.parse(readFileSync(path, 'utf8'));
    expect(index.organisations.length).toBeGreaterThanOrEqual(1000);
    expect(index.checkpoint).toBeGreaterThan(0);
    expect(index).not.toHaveProperty('audit');

    const copy = crashCopy(path); // replays only what came after the checkpoint
    const s = await open(copy);
    expect(await s.listOrganisations()).toHaveLength(1001);
    await s.close();

    await store.close();
    expect(JSON.parse(readFileSync(path, 'utf8')).organisations).toHaveLength(1001);
    const again = await open(path);
    expect(await again.listOrganisations()).toHaveLength(1001);
    expect(await again.verifyAudit()).toMatchObject({ ok: true, count: 1001 });
  });
});

describe('torn and edited journals', () => {
  async function storeWithRuns() {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
    const run = await store.addCheckRun(v.id, { diagnostics: [diag('一')], actor: 'user:ci' });
    await store.close();
    return { path, v, run };
  }

  it('ignores a torn last line and a batch without its commit line, and cuts them off', async () => {
    const { path, v, run } = await storeWithRuns();
    const committed = readFileSync(journalOf(path));
    const forged = { id: 'not-committed', versionId: v.id, summary: {}, diagnosticsHash: 'x' };
    // A complete record whose batch never got its commit line, then half a line.
    appendFileSync(journalOf(path), journalRecordLine('checkRuns', forged) + '{"audit":{"seq":4,"at":"2');
    const s = await open(path);
    expect(await s.getCheckRun('not-committed')).toBeNull();
    expect((await s.getCheckRun(run.id))?.diagnostics).toEqual([diag('一')]);
    expect(await s.verifyAudit()).toMatchObject({ ok: true, count: 4 });
    expect(readFileSync(journalOf(path))).toEqual(committed); // the tail was cut off on open
    // And the next commit follows the last acknowledged one.
    await s.addCheckRun(v.id, { diagnostics: [], actor: 'user:ci' });
    await s.close();
    const again = await open(path);
    expect(await again.listCheckRuns(v.id)).toHaveLength(2);
    expect(await again.verifyAudit()).toMatchObject({ ok: true, count: 5 });
  });

  it('treats damage inside the last batch as a torn write (zeros from a power loss)', async () => {
    const { path, run } = await storeWithRuns();
    const committed = readFileSync(journalOf(path));
    appendFileSync(
      journalOf(path),
      Buffer.concat([Buffer.alloc(40), Buffer.from('\n' + journalCommitLine(99))]),
    );
    const s = await open(path);
    expect(await s.getCheckRun(run.id)).not.toBeNull();
    expect(readFileSync(journalOf(path))).toEqual(committed);
  });

  it('refuses a journal damaged before its last commit, and leaves it untouched', async () => {
    const { path } = await storeWithRuns();
    const lines = readFileSync(journalOf(path), 'utf8').split('\n');
    lines[2] = lines[2].slice(0, 10); // a record in the middle cut short
    writeFileSync(journalOf(path), lines.join('\n'));
    const before = readFileSync(journalOf(path));
    const err = await openStore(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreCorruptError);
    expect((err as Error).message).toMatch(/ジャーナル .* が壊れています \(3 行目/);
    expect(readFileSync(journalOf(path))).toEqual(before);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('refuses an index without its journal, and a journal whose commits the index does not know', async () => {
    const { path } = await storeWithRuns();
    const journal = readFileSync(journalOf(path));
    cpSync(journalOf(path), `${path}.saved`);
    writeFileSync(journalOf(path), '');
    await expect(openStore(path)).rejects.toThrow(/見出し行がありません/);
    rmSync(journalOf(path));
    await expect(openStore(path)).rejects.toThrow(/ジャーナル .* がありません/);
    writeFileSync(journalOf(path), journal);
    rmSync(path);
    await expect(openStore(path)).rejects.toThrow(/索引ファイルがありませんが/);
    expect(existsSync(path)).toBe(false); // nothing was created over the orphaned journal
  });

  it('parses only what a commit line closes', () => {
    const tables = JOURNAL_TABLE_NAMES;
    const head = journalHeaderLine({ format: 'pia-journal', formatVersion: 2, createdAt: 't' });
    const a = journalRecordLine('audit', { seq: 1 });
    const text = head + a + journalCommitLine(1) + journalRecordLine('audit', { seq: 2 });
    for (let cut = head.length; cut <= text.length; cut++) {
      const j = parseJournal(Buffer.from(text.slice(0, cut)), 'j', tables);
      const complete = cut >= head.length + a.length + journalCommitLine(1).length;
      expect(j.lastCommit).toBe(complete ? 1 : 0);
      expect(j.commits.flatMap((c) => c.records)).toHaveLength(complete ? 1 : 0);
      expect(j.committedBytes).toBe(
        complete ? head.length + a.length + journalCommitLine(1).length : head.length,
      );
    }
    expect(() => parseJournal(Buffer.from('{"format":"pia-store"}\n'), 'j', tables)).toThrow(
      StoreCorruptError,
    );
    expect(() =>
      parseJournal(Buffer.from(head + journalCommitLine(2) + journalCommitLine(1)), 'j', tables),
    ).toThrow(/コミット番号/);
    expect(() =>
      parseJournal(
        Buffer.from(head + '{"secrets":{}}\n' + journalCommitLine(1) + journalCommitLine(2)),
        'j',
        tables,
      ),
    ).toThrow(/未知の記録/);
  });
});

describe('journal writer failures', () => {
  /** A file that fails the way a full or failing disk does; `sync`: it offers writeSync, as real files do. */
  function fakeFile(opts: { failWriteAt?: number; failTruncate?: boolean; sync?: boolean }) {
    let bytes = Buffer.alloc(0);
    let writes = 0;
    const write = (buffer: Uint8Array, offset: number, length: number, position: number): number => {
      writes++;
      if (writes === opts.failWriteAt) {
        // Half the data reaches the file, then ENOSPC.
        const half = buffer.subarray(offset, offset + (length >> 1));
        bytes = Buffer.concat([bytes.subarray(0, position), half]);
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      }
      bytes = Buffer.concat([bytes.subarray(0, position), buffer.subarray(offset, offset + length)]);
      return length;
    };
    const file: JournalFile = {
      async write(buffer, offset, length, position) {
        return { bytesWritten: write(buffer, offset, length, position) };
      },
      ...(opts.sync ? { writeSync: write } : {}),
      async datasync() {},
      async truncate(len) {
        if (opts.failTruncate) throw new Error('EIO');
        bytes = bytes.subarray(0, len);
      },
      async close() {},
    };
    return { file, bytes: () => bytes.toString() };
  }

  it.each([false, true])(
    'cuts a failed append back, so the next commit follows the last acknowledged one (sync write: %s)',
    async (sync) => {
      const f = fakeFile({ failWriteAt: 2, sync });
      const w = JournalWriter.over(f.file, 0);
      await w.append(Buffer.from('a\n'));
      await expect(w.append(Buffer.from('bbbb\n'))).rejects.toThrow(/no space/);
      expect(f.bytes()).toBe('a\n');
      await w.append(Buffer.from('c\n'));
      expect(f.bytes()).toBe('a\nc\n');
    },
  );

  it('refuses further appends when the failed one cannot be cut back', async () => {
    const f = fakeFile({ failWriteAt: 2, failTruncate: true, sync: true });
    const w = JournalWriter.over(f.file, 0);
    await w.append(Buffer.from('a\n'));
    await expect(w.append(Buffer.from('bbbb\n'))).rejects.toThrow(/no space/);
    await expect(w.append(Buffer.from('c\n'))).rejects.toThrow(/開き直してください/);
  });
});

describe('format 1 stores (everything in the index)', () => {
  const expected = V1.expected;

  function copyFixture(): string {
    const dir = tempDir();
    mkdirSync(join(dir, 'pia.json.blobs'));
    for (const [name, text] of Object.entries(V1.files)) writeFileSync(join(dir, name), text);
    return join(dir, 'pia.json');
  }

  async function expectFixtureData(path: string) {
    const s = await open(path);
    const [v1, v2] = expected.versionIds;
    expect((await s.getVersion(v1))?.doc).toMatchObject({ revision: 1 });
    expect(await s.getVersion(v2)).toMatchObject({
      status: '意見聴取',
      message: '第2版',
      doc: { revision: 2 },
    });
    expect(await s.getAssessment(expected.assessmentId)).toMatchObject({
      latestVersionId: v2,
      versionCount: 2,
      status: '意見聴取',
    });
    expect(await s.getComment(expected.commentId)).toMatchObject({ resolved: true });
    expect(await s.listComments(v2)).toHaveLength(2);
    expect((await s.getCheckRun(expected.checkRunId))?.diagnostics[0].message).toBe('差異');
    expect(await s.authenticate(expected.token)).toMatchObject({ role: 'ci', orgId: expected.orgId });
    expect(await s.verifyAudit({ anchor: expected.head })).toMatchObject({ ok: true });
    return s;
  }

  it('opens read-only without changing anything', async () => {
    const path = copyFixture();
    const before = readFileSync(path);
    const s = await expectFixtureData(path);
    await s.close();
    expect(readFileSync(path)).toEqual(before);
    expect(existsSync(journalOf(path))).toBe(false);
  });

  it('moves its records to the journal on the first write, and keeps the audit chain', async () => {
    const path = copyFixture();
    let s = await expectFixtureData(path);
    await s.addCheckRun(expected.versionIds[1], { diagnostics: [], actor: 'user:ci' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ formatVersion: 2, checkpoint: 1 });
    expect(JSON.parse(readFileSync(path, 'utf8'))).not.toHaveProperty('audit');
    const lines = readJournalLines(path);
    expect(lines[0].journal).toMatchObject({ format: 'pia-journal', migratedFrom: 1 });
    expect(lines.filter((l) => 'audit' in l)).toHaveLength(expected.head.seq + 1);
    await s.close();

    s = await expectFixtureData(path);
    expect(await s.listCheckRuns(expected.versionIds[1])).toHaveLength(2);
    expect(await s.auditHead()).toMatchObject({ seq: expected.head.seq + 1 });
  });

  it('redoes a migration a crash interrupted, and refuses a format-1 index older than its journal', async () => {
    const path = copyFixture();
    const v1Index = readFileSync(path);
    const s = await open(path);
    await s.addCheckRun(expected.versionIds[1], { diagnostics: [], actor: 'user:ci' });
    await s.close();
    const journal = readFileSync(journalOf(path), 'utf8');

    // Crash between the two steps of the migration: the new journal (commit 1 only) and the old index.
    writeFileSync(path, v1Index);
    writeFileSync(
      journalOf(path),
      journal.slice(0, journal.indexOf(journalCommitLine(1)) + journalCommitLine(1).length),
    );
    let again = await expectFixtureData(path);
    await again.addCheckRun(expected.versionIds[1], { diagnostics: [], actor: 'user:ci' });
    await again.close();
    again = await expectFixtureData(path);
    expect(await again.listCheckRuns(expected.versionIds[1])).toHaveLength(2);
    await again.close();

    // A format-1 backup restored over a store that has written since: refused, not silently merged.
    writeFileSync(path, v1Index);
    await expect(openStore(path)).rejects.toThrow(/旧形式ですが、ジャーナル .* には新しい記録があります/);
  });
});
