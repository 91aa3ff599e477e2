// What the lowdb backend puts on disk, beyond the Store contract (contract/, run by lowdb.contract.test.ts):
// documents content-addressed outside the index, the journal holding the ever-growing records, no secret in
// any file, a rejected write leaving every file as it was, the checkpoint at close.
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PreconditionFailedError, StoreCorruptError } from '../../src/store/index.ts';
import { ADMIN, journalOf, open, readJournalLines, sampleDoc, seeded, tempDir } from './helpers.ts';

describe('lowdb files', () => {
  it('creates missing directories; the index never holds a status on a version record', async () => {
    const path = join(tempDir(), 'nested', 'deeper', 'pia.json');
    const { store, asm } = await seeded(path);
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
    await store.transitionStatus(v.id, { to: '意見聴取', actor: 'user:o' });
    await store.close();
    // Only status moved: the stored version record is the one written at addVersion.
    const rec = JSON.parse(readFileSync(path, 'utf8')).versions[0];
    expect(rec.id).toBe(v.id);
    expect(rec).not.toHaveProperty('status');
  });

  it('a stale If-Match leaves the index and the journal byte for byte as they were', async () => {
    const { store, asm, path } = await seeded();
    const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:a' });
    await store.addVersion(asm.id, sampleDoc(2), { author: 'user:a', ifMatch: v1.etag });
    const fileBefore = readFileSync(path, 'utf8');
    const journalBefore = readFileSync(journalOf(path), 'utf8');
    await expect(
      store.addVersion(asm.id, sampleDoc(3), { author: 'user:b', ifMatch: v1.etag }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(readFileSync(path, 'utf8')).toBe(fileBefore);
    expect(readFileSync(journalOf(path), 'utf8')).toBe(journalBefore);
  });

  it('100 concurrent versions: close() folds the journal’s version records into the index', async () => {
    const { store, asm, path } = await seeded();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => store.addVersion(asm.id, sampleDoc(i), { author: `user:${i}` })),
    );
    expect(results.map((v) => v.number)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    await store.close();
    const onDisk = JSON.parse(readFileSync(path, 'utf8'));
    expect(onDisk.versions).toHaveLength(100);
    const again = await open(path);
    expect((await again.listVersions(asm.id)).map((v) => v.author)).toEqual(
      results.map((_, i) => `user:${i}`),
    );
    expect((await again.verifyAudit()).ok).toBe(true);
  });

  it('stores documents content-addressed outside the index and verifies them on read', async () => {
    const { store, asm, path } = await seeded();
    const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
    await store.addVersion(asm.id, sampleDoc(1), { author: 'a' }); // identical content: one file
    const blobDir = `${path}.blobs`;
    expect(readdirSync(blobDir)).toEqual([`${v1.docHash}.json`]);
    expect(readFileSync(path, 'utf8')).not.toContain('システム1');

    writeFileSync(join(blobDir, `${v1.docHash}.json`), JSON.stringify(sampleDoc(666)));
    const err = await store.getVersion(v1.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreCorruptError);
    expect((err as Error).message).toContain('ハッシュと一致しません');
  });

  it('after a reopen, writes no blob already on disk again, and writes back one that went missing', async () => {
    const { store, asm, path } = await seeded();
    const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
    const run = await store.addCheckRun(v1.id, { diagnostics: [], actor: 'a', meta: {} });
    await store.close();
    const blobDir = `${path}.blobs`;
    const docFile = join(blobDir, `${v1.docHash}.json`);
    const runFile = join(blobDir, `${run.diagnosticsHash}.json`);
    expect(readdirSync(blobDir).sort()).toEqual([`${v1.docHash}.json`, `${run.diagnosticsHash}.json`].sort());
    const docInode = statSync(docFile).ino;
    rmSync(runFile);

    const again = await open(path);
    await again.addVersion(asm.id, sampleDoc(1), { author: 'a' }); // same document: its file stays as it is
    await again.addCheckRun(v1.id, { diagnostics: [], actor: 'a', meta: {} }); // same diagnostics: written back
    expect(statSync(docFile).ino).toBe(docInode);
    expect(JSON.parse(readFileSync(runFile, 'utf8'))).toEqual([]);
    expect((await again.getCheckRun(run.id))?.diagnostics).toEqual([]);
    await again.close();
  });

  it('stores only a token’s hash: the plaintext never reaches the index or the journal', async () => {
    const { store, org, path } = await seeded();
    const created = await store.createToken(
      { name: 'CI bot', role: 'ci', orgId: org.id, label: 'github' },
      ADMIN,
    );
    const secret = created.token.slice(21);
    for (const file of [readFileSync(path, 'utf8'), readFileSync(journalOf(path), 'utf8')]) {
      expect(file).not.toContain(created.token);
      expect(file).not.toContain(secret);
    }
    const rec = readJournalLines(path).find((l) => 'tokens' in l)!.tokens;
    expect(rec.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(await store.listTokens())).not.toContain(rec.hash.slice(7));
    await store.close();
    expect(readFileSync(path, 'utf8')).not.toContain(secret); // nor after the checkpoint
  });

  it('keeps 変更箇所 judgements and 見直し records in the journal only, committed with their audit entries', async () => {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
    const j1 = await store.setChangeJudgement(v.id, {
      key: '/a',
      exception: '誤字脱字の修正',
      actor: 'user:o',
    });
    await store.setChangeJudgement(v.id, { key: '/a', timing: '事後', reason: '理由', actor: 'user:o' });
    const r = await store.addReviewRecord(asm.id, {
      date: '2025-05-20',
      result: '変更なし',
      actor: 'user:o',
    });

    // Not closed: a crash here loses nothing acknowledged. Each record shares its commit with its audit entry.
    const lines = readJournalLines(path);
    const commitOf = (i: number) => lines.slice(i).find((l) => 'commit' in l)!.commit;
    const js = lines.flatMap((l, i) => ('judgements' in l ? [i] : []));
    expect(js.map((i) => lines[i].judgements.id)).toEqual([j1.id, j1.id]);
    for (const i of js) {
      const audit = lines.findIndex((l, k) => k > i && 'audit' in l && l.audit.action === 'judgement.set');
      expect(commitOf(audit)).toBe(commitOf(i));
    }
    expect(lines.find((l) => 'reviews' in l)?.reviews.id).toBe(r.id);

    await store.close();
    const index = JSON.parse(readFileSync(path, 'utf8'));
    expect(index).not.toHaveProperty('judgements');
    expect(index).not.toHaveProperty('reviews');
    const again = await open(path);
    expect(await again.listChangeJudgements(v.id)).toMatchObject([
      { id: j1.id, exception: null, timing: '事後' },
    ]);
    expect((await again.listReviewRecords(asm.id)).map((x) => x.id)).toEqual([r.id]);
  });
});
