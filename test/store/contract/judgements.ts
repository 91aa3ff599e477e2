// 変更箇所 judgements (per version, one current per key) and 見直し records (per assessment).
import { describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError, REVIEW_RESULTS } from '../../../src/store/index.ts';
import { sampleDoc, type Harness } from './harness.ts';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

export function judgementContract(h: Harness): void {
  describe('変更箇所 judgements', () => {
    it('sets, replaces (same id) and lists the current judgement per key, sorted by key; survives a restart', async () => {
      const { store, asm, v } = await h.withVersion();
      const a = await store.setChangeJudgement(v.id, {
        key: '/sections/2/items/1',
        exception: '誤字脱字の修正',
        actor: 'user:o',
      });
      expect(a).toMatchObject({
        versionId: v.id,
        assessmentId: asm.id,
        orgId: asm.orgId,
        key: '/sections/2/items/1',
        exception: '誤字脱字の修正',
        timing: null,
        reason: null,
        date: null,
        actor: 'user:o',
      });
      const b = await store.setChangeJudgement(v.id, {
        key: 'Ⅱ 特定個人情報ファイルの概要 › 3. 特定個人情報の入手・使用',
        timing: '事後',
        reason: '法令改正に伴う形式的な変更のため',
        date: '2024-02-29',
        actor: 'user:o',
      });
      const a2 = await store.setChangeJudgement(v.id, {
        key: '/sections/2/items/1',
        exception: null,
        timing: '事前',
        actor: 'user:r',
      });
      expect(a2.id).toBe(a.id);
      expect(a2).toMatchObject({ exception: null, timing: '事前', actor: 'user:r' });

      const again = await h.reopen(store);
      const list = await again.listChangeJudgements(v.id);
      expect(list.map((j) => [j.key, j.id])).toEqual([
        ['/sections/2/items/1', a.id],
        ['Ⅱ 特定個人情報ファイルの概要 › 3. 特定個人情報の入手・使用', b.id],
      ]);
      expect(list[0]).toMatchObject({
        exception: null,
        timing: '事前',
        reason: null,
        date: null,
        actor: 'user:r',
      });
      expect(list[1]).toMatchObject({
        timing: '事後',
        reason: '法令改正に伴う形式的な変更のため',
        date: '2024-02-29',
      });
      // The audit log keeps every earlier value.
      const log = await again.listAudit({ target: `judgement:${a.id}` });
      expect(log.map((e) => [e.action, e.before, e.after])).toEqual([
        [
          'judgement.set',
          null,
          {
            versionId: v.id,
            key: '/sections/2/items/1',
            exception: '誤字脱字の修正',
            timing: null,
            reason: null,
            date: null,
          },
        ],
        [
          'judgement.set',
          { exception: '誤字脱字の修正', timing: null, reason: null, date: null },
          {
            versionId: v.id,
            key: '/sections/2/items/1',
            exception: null,
            timing: '事前',
            reason: null,
            date: null,
          },
        ],
      ]);
      expect(log[0].orgId).toBe(asm.orgId);
      expect(await again.verifyAudit()).toMatchObject({ ok: true });
    });

    it('judgements belong to one version; unknown versions list nothing', async () => {
      const { store, asm, v } = await h.withVersion();
      const v2 = await store.addVersion(asm.id, sampleDoc(2), { author: 'user:o' });
      await store.setChangeJudgement(v.id, { key: '/a', timing: '事前', actor: 'u' });
      await store.setChangeJudgement(v2.id, { key: '/a', timing: '事後', actor: 'u' });
      expect((await store.listChangeJudgements(v.id)).map((j) => j.timing)).toEqual(['事前']);
      expect((await store.listChangeJudgements(v2.id)).map((j) => j.timing)).toEqual(['事後']);
      expect(await store.listChangeJudgements('nope')).toEqual([]);
    });

    it('re-saving an unchanged judgement writes nothing; blank form fields mean no value', async () => {
      const { store, v } = await h.withVersion();
      const j = await store.setChangeJudgement(v.id, { key: '/a', exception: '形式的な変更', actor: 'u' });
      const head = await store.auditHead();
      const same = await store.setChangeJudgement(v.id, {
        key: '/a',
        exception: '形式的な変更',
        timing: '' as never,
        reason: '  ',
        date: '' as never,
        actor: 'other',
      });
      expect(same).toEqual(j);
      expect(await store.auditHead()).toEqual(head);
    });

    it('concurrent sets of one key keep one judgement: the last call wins', async () => {
      const { store, v } = await h.withVersion();
      const results = await Promise.all(
        (['事前', '事後', '事前'] as const).map((timing, i) =>
          store.setChangeJudgement(v.id, { key: '/a', timing, reason: `理由${i}`, actor: `u${i}` }),
        ),
      );
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(await store.listChangeJudgements(v.id)).toMatchObject([
        { timing: '事前', reason: '理由2', actor: 'u2' },
      ]);
    });

    it('rejects unknown versions, versions of deleted assessments and malformed input, in Japanese', async () => {
      const { store, asm, v } = await h.withVersion();
      await expect(store.setChangeJudgement('nope', { key: '/a', actor: 'u' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      const bad: Record<string, unknown>[] = [
        { key: '' },
        { key: '   ' },
        { key: undefined },
        { key: '/a', timing: '事中' },
        { key: '/a', exception: '軽微な変更' },
        { key: '/a', date: '2025-02-30' },
        { key: '/a', date: '2023-02-29' },
        { key: '/a', date: '2025/01/01' },
        { key: '/a', date: '2025-1-1' },
        { key: '/a', date: '2025-01-01T00:00:00Z' },
        { key: '/a', date: 20250101 },
        { key: '/a', reason: 42 },
        { key: '/a', actor: '' },
      ];
      for (const input of bad) {
        const err = await store
          .setChangeJudgement(v.id, { actor: 'u', ...input } as never)
          .catch((e: unknown) => e);
        expect(err, JSON.stringify(input)).toBeInstanceOf(InvalidInputError);
        expect((err as Error).message).toMatch(JAPANESE);
      }
      expect(await store.listChangeJudgements(v.id)).toEqual([]);
      await store.deleteAssessment(asm.id, { actor: 'u' });
      await expect(store.setChangeJudgement(v.id, { key: '/a', actor: 'u' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });
  });

  describe('見直し records', () => {
    it('records 見直し per assessment, listed by date then recording order; survives a restart', async () => {
      let now = new Date('2025-06-01T00:00:00Z');
      const { store, asm } = await h.seeded({ now: () => now });
      const r1 = await store.addReviewRecord(asm.id, {
        date: '2025-05-20',
        result: '変更なし',
        actor: 'user:o',
      });
      now = new Date('2025-06-02T00:00:00Z');
      const r2 = await store.addReviewRecord(asm.id, {
        date: '2024-05-20',
        result: '修正',
        note: '委託先の変更を反映',
        actor: 'user:o',
      });
      now = new Date('2025-06-03T00:00:00Z');
      const r3 = await store.addReviewRecord(asm.id, {
        date: '2025-05-20',
        result: '再実施が必要',
        actor: 'user:r',
      });
      expect(r1).toMatchObject({
        assessmentId: asm.id,
        orgId: asm.orgId,
        date: '2025-05-20',
        result: '変更なし',
        note: null,
        actor: 'user:o',
        at: '2025-06-01T00:00:00.000Z',
      });

      const again = await h.reopen(store, { now: () => now });
      expect((await again.listReviewRecords(asm.id)).map((r) => r.id)).toEqual([r2.id, r1.id, r3.id]);
      expect((await again.listReviewRecords(asm.id))[0]).toEqual(r2);
      const log = await again.listAudit({ target: `review:${r2.id}` });
      expect(log).toMatchObject([
        {
          action: 'review.record',
          actor: 'user:o',
          orgId: asm.orgId,
          after: { assessmentId: asm.id, date: '2024-05-20', result: '修正', note: '委託先の変更を反映' },
        },
      ]);
      expect(await again.listReviewRecords('nope')).toEqual([]);
      expect(await again.verifyAudit()).toMatchObject({ ok: true });
    });

    it('accepts every result of the contract', async () => {
      const { store, asm } = await h.seeded();
      for (const result of REVIEW_RESULTS)
        await store.addReviewRecord(asm.id, { date: '2025-01-31', result, actor: 'u' });
      expect((await store.listReviewRecords(asm.id)).map((r) => r.result)).toEqual([...REVIEW_RESULTS]);
    });

    it('rejects unknown or deleted assessments and malformed input, in Japanese', async () => {
      const { store, asm } = await h.seeded();
      await expect(
        store.addReviewRecord('nope', { date: '2025-01-01', result: '変更なし', actor: 'u' }),
      ).rejects.toBeInstanceOf(NotFoundError);
      const bad: Record<string, unknown>[] = [
        { date: '2025-02-30' },
        { date: '2025-13-01' },
        { date: '' },
        { date: undefined },
        { date: '令和7年1月1日' },
        { result: '問題なし' },
        { result: undefined },
        { note: 1 },
        { actor: ' ' },
      ];
      for (const input of bad) {
        const err = await store
          .addReviewRecord(asm.id, { date: '2025-01-01', result: '変更なし', actor: 'u', ...input } as never)
          .catch((e: unknown) => e);
        expect(err, JSON.stringify(input)).toBeInstanceOf(InvalidInputError);
        expect((err as Error).message).toMatch(JAPANESE);
      }
      expect(await store.listReviewRecords(asm.id)).toEqual([]);
      await store.deleteAssessment(asm.id, { actor: 'u' });
      await expect(
        store.addReviewRecord(asm.id, { date: '2025-01-01', result: '変更なし', actor: 'u' }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
