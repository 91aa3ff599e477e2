import { describe, expect, it } from 'vitest';
import { NotFoundError, PreconditionFailedError, etagMatches } from '../../../src/store/index.ts';
import { sampleDoc, type Harness } from './harness.ts';

export function versionContract(h: Harness): void {
  describe('versions', () => {
    it('appends versions and never overwrites an earlier one; survives a restart', async () => {
      const { store, asm } = await h.seeded();
      const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:a', message: '初版' });
      const v2 = await store.addVersion(asm.id, sampleDoc(2), { author: 'user:b' });
      expect([v1.number, v2.number]).toEqual([1, 2]);
      expect(v1.etag).not.toBe(v2.etag);
      expect(v1.etag).toMatch(/^"1-[0-9a-f]{20}"$/);
      expect(v1.docHash).toMatch(/^[0-9a-f]{64}$/);
      expect(v1.status).toBe('下書き');
      expect(v2.doc).toEqual(sampleDoc(2));

      const again = await h.reopen(store);
      expect((await again.getVersion(v1.id))?.doc).toEqual(sampleDoc(1));
      expect((await again.getVersion(v2.id))?.doc).toEqual(sampleDoc(2));
      expect((await again.latestVersion(asm.id))?.id).toBe(v2.id);
      expect(await again.getVersionInfo(v1.id)).toMatchObject({ number: 1, etag: v1.etag, status: '下書き' });
      expect(await again.getVersionInfo(v1.id)).not.toHaveProperty('doc');
      const list = await again.listVersions(asm.id);
      expect(list.map((v) => [v.number, v.author, v.message])).toEqual([
        [1, 'user:a', '初版'],
        [2, 'user:b', null],
      ]);
      expect(list[0]).not.toHaveProperty('doc');
      expect(await again.getAssessment(asm.id)).toMatchObject({
        versionCount: 2,
        latestVersionId: v2.id,
        latestEtag: v2.etag,
        status: '下書き',
      });
    });

    it('returns copies: mutating a returned document changes nothing stored', async () => {
      const { store, asm } = await h.seeded();
      const doc = sampleDoc(1);
      const v = await store.addVersion(asm.id, doc, { author: 'user:a' });
      doc.revision = 99;
      v.doc.revision = 98;
      const got = await store.getVersion(v.id);
      expect(got?.doc.revision).toBe(1);
      got!.doc.revision = 97;
      expect((await store.getVersion(v.id))?.doc.revision).toBe(1);
    });

    it('If-Match: a current ETag succeeds; a stale one is 412 and writes nothing', async () => {
      const { store, asm } = await h.seeded();
      const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:a' });
      const v2 = await store.addVersion(asm.id, sampleDoc(2), { author: 'user:a', ifMatch: v1.etag });
      const headBefore = await store.auditHead();

      const err = await store
        .addVersion(asm.id, sampleDoc(3), { author: 'user:b', ifMatch: v1.etag })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PreconditionFailedError);
      expect((err as PreconditionFailedError).httpStatus).toBe(412);
      expect((err as PreconditionFailedError).currentEtag).toBe(v2.etag);
      expect((err as Error).message).toContain('他の人が更新しました');

      expect(await store.auditHead()).toEqual(headBefore);
      expect((await store.listVersions(asm.id)).map((v) => v.id)).toEqual([v1.id, v2.id]);
      expect((await store.getVersion(v1.id))?.doc).toEqual(sampleDoc(1));
      expect((await store.getVersion(v2.id))?.doc).toEqual(sampleDoc(2));
      expect((await store.getAssessment(asm.id))?.latestEtag).toBe(v2.etag);
    });

    it('If-Match before the first version: only an absent header succeeds', async () => {
      const { store, asm } = await h.seeded();
      await expect(
        store.addVersion(asm.id, sampleDoc(1), { author: 'a', ifMatch: '*' }),
      ).rejects.toBeInstanceOf(PreconditionFailedError);
      await expect(
        store.addVersion(asm.id, sampleDoc(1), { author: 'a', ifMatch: '"1-x"' }),
      ).rejects.toBeInstanceOf(PreconditionFailedError);
      const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
      expect(v1.number).toBe(1);
      await expect(
        store.addVersion(asm.id, sampleDoc(2), { author: 'a', ifMatch: '*' }),
      ).resolves.toMatchObject({
        number: 2,
      });
    });

    it('etagMatches follows RFC 9110 strong comparison', () => {
      const e = '"3-abc"';
      expect(etagMatches('"3-abc"', e)).toBe(true);
      expect(etagMatches(' "1-x" , "3-abc" ', e)).toBe(true);
      expect(etagMatches('3-abc', e)).toBe(true); // unquoted, for command lines
      expect(etagMatches('W/"3-abc"', e)).toBe(false);
      expect(etagMatches('"3-ab"', e)).toBe(false);
      expect(etagMatches('*', e)).toBe(true);
      expect(etagMatches('*', null)).toBe(false);
      expect(etagMatches('', e)).toBe(false);
    });

    it('the same content gives the same document hash; the ETag still differs by number', async () => {
      const { store, asm } = await h.seeded();
      const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
      const v2 = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
      expect(v2.docHash).toBe(v1.docHash);
      expect(v2.etag).not.toBe(v1.etag);
      expect(v2.size).toBe(v1.size);
    });

    it('50 concurrent addVersion calls are all kept, numbered in call order', async () => {
      const { store, asm } = await h.seeded();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.addVersion(asm.id, sampleDoc(i), { author: `user:${i}` })),
      );
      expect(results.map((v) => v.number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const again = await h.reopen(store);
      const list = await again.listVersions(asm.id);
      expect(list.map((v) => v.author)).toEqual(results.map((_, i) => `user:${i}`));
      for (const v of results) expect((await again.getVersion(v.id))?.doc).toEqual(sampleDoc(v.number - 1));
      expect((await again.verifyAudit()).ok).toBe(true);
    });

    it('concurrent writers with the same If-Match: exactly one wins', async () => {
      const { store, asm } = await h.seeded();
      const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          store.addVersion(asm.id, sampleDoc(10 + i), { author: `u${i}`, ifMatch: v1.etag }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(rejected).toHaveLength(9);
      for (const r of rejected) expect(r.reason).toBeInstanceOf(PreconditionFailedError);
      expect(await store.listVersions(asm.id)).toHaveLength(2);
    });

    it('rejects unknown or deleted assessments and non-object documents', async () => {
      const { store, asm } = await h.seeded();
      await expect(store.addVersion('nope', sampleDoc(1), { author: 'a' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(store.addVersion(asm.id, [] as never, { author: 'a' })).rejects.toMatchObject({
        httpStatus: 400,
      });
      await expect(store.addVersion(asm.id, sampleDoc(1), { author: '' })).rejects.toMatchObject({
        httpStatus: 400,
      });
      const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
      await store.deleteAssessment(asm.id, { actor: 'a' });
      await expect(store.addVersion(asm.id, sampleDoc(2), { author: 'a' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect((await store.getVersion(v.id))?.doc).toEqual(sampleDoc(1)); // history stays readable
      expect(await store.getVersion('nope')).toBeNull();
      expect(await store.getVersionInfo('nope')).toBeNull();
      expect(await store.latestVersion('nope')).toBeNull();
      expect(await store.listVersions('nope')).toEqual([]);
    });
  });
}
