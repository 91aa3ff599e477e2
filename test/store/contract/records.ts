// Review status, comments and check runs: the records attached to a version.
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../src/store/index.ts';
import type { Diagnostic } from '../../../src/types.ts';
import { sampleDoc, type Harness } from './harness.ts';

export function recordContract(h: Harness): void {
  describe('review status', () => {
    it('records transitions with history and optimistic checks; survives a restart', async () => {
      const { store, asm, v } = await h.withVersion();
      await store.transitionStatus(v.id, { to: '意見聴取', actor: 'user:o', note: '30日間' });
      const t2 = await store.transitionStatus(v.id, {
        to: '第三者点検',
        actor: 'user:o',
        expectedFrom: '意見聴取',
      });
      expect(t2).toMatchObject({ from: '意見聴取', to: '第三者点検', versionId: v.id, assessmentId: asm.id });
      await expect(
        store.transitionStatus(v.id, { to: '提出', actor: 'user:r', expectedFrom: '意見聴取' }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(
        store.transitionStatus(v.id, { to: '第三者点検', actor: 'user:r' }),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(
        store.transitionStatus(v.id, { to: '承認' as never, actor: 'user:r' }),
      ).rejects.toBeInstanceOf(InvalidInputError);
      await expect(store.transitionStatus('nope', { to: '提出', actor: 'user:r' })).rejects.toBeInstanceOf(
        NotFoundError,
      );

      const again = await h.reopen(store);
      expect((await again.getVersion(v.id))?.status).toBe('第三者点検');
      expect((await again.getVersionInfo(v.id))?.status).toBe('第三者点検');
      expect((await again.getAssessment(asm.id))?.status).toBe('第三者点検');
      expect((await again.listStatusHistory(v.id)).map((t) => [t.from, t.to, t.note])).toEqual([
        [null, '下書き', null],
        ['下書き', '意見聴取', '30日間'],
        ['意見聴取', '第三者点検', null],
      ]);
      // The ETag names the content, not the status: a transition does not make a held ETag stale.
      expect((await again.getVersion(v.id))?.etag).toBe(v.etag);
    });

    it('an initial status can be given (importing a published 評価書)', async () => {
      const { store, asm } = await h.seeded();
      const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'a', status: '公表' });
      expect(v.status).toBe('公表');
      expect(await store.listStatusHistory(v.id)).toMatchObject([{ from: null, to: '公表', actor: 'a' }]);
      await expect(
        store.addVersion(asm.id, sampleDoc(2), { author: 'a', status: '承認' as never }),
      ).rejects.toBeInstanceOf(InvalidInputError);
    });

    it('the status of a version of a deleted assessment can no longer change', async () => {
      const { store, asm, v } = await h.withVersion();
      await store.deleteAssessment(asm.id, { actor: 'a' });
      await expect(store.transitionStatus(v.id, { to: '意見聴取', actor: 'a' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });
  });

  describe('comments', () => {
    it('pins comments to an item, threads replies, resolves and reopens; survives a restart', async () => {
      const { store, v } = await h.withVersion();
      const c = await store.addComment(v.id, {
        pointer: '/systems/0/name',
        body: '名称が古い',
        author: 'user:r',
      });
      const r1 = await store.replyComment(c.id, { body: '修正します', author: 'user:o' });
      const r2 = await store.replyComment(r1.id, { body: '了解', author: 'user:r' }); // reply to a reply → same thread
      expect([r1.parentId, r2.parentId]).toEqual([c.id, c.id]);
      expect(r2.pointer).toBe('/systems/0/name');
      await store.addComment(v.id, { pointer: '', body: '全体について', author: 'user:r' });

      await expect(store.resolveComment(r1.id, { actor: 'user:r' })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      const res = await store.resolveComment(c.id, { actor: 'user:r' });
      expect(res).toMatchObject({ resolved: true, resolvedBy: 'user:r' });
      const again1 = await store.resolveComment(c.id, { actor: 'user:x' }); // idempotent
      expect(again1.resolvedBy).toBe('user:r');

      const again = await h.reopen(store);
      const list = await again.listComments(v.id);
      expect(list.map((x) => x.body)).toEqual(['名称が古い', '修正します', '了解', '全体について']);
      expect((await again.listComments(v.id, { pointer: '' })).map((x) => x.body)).toEqual(['全体について']);
      expect(await again.getComment(c.id)).toMatchObject({ resolved: true, resolvedBy: 'user:r' });
      const reopened = await again.resolveComment(c.id, { actor: 'user:o', resolved: false });
      expect(reopened).toMatchObject({ resolved: false, resolvedAt: null, resolvedBy: null });
      expect((await again.listAudit({ target: `comment:${c.id}` })).map((e) => e.action)).toEqual([
        'comment.add',
        'comment.resolve',
        'comment.reopen',
      ]);
      expect(await again.getComment('nope')).toBeNull();
      expect(await again.listComments('nope')).toEqual([]);
    });

    it('rejects invalid pointers, empty bodies and unknown versions or comments', async () => {
      const { store, v } = await h.withVersion();
      for (const pointer of ['systems', '/a~2b', '/a~']) {
        await expect(store.addComment(v.id, { pointer, body: 'x', author: 'u' })).rejects.toBeInstanceOf(
          InvalidInputError,
        );
      }
      await expect(
        store.addComment(v.id, { pointer: '/a~0b~1c', body: 'x', author: 'u' }),
      ).resolves.toBeTruthy();
      await expect(store.addComment('nope', { pointer: '', body: 'x', author: 'u' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(store.addComment(v.id, { pointer: '', body: '  ', author: 'u' })).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(store.replyComment('nope', { body: 'x', author: 'u' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(store.resolveComment('nope', { actor: 'u' })).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('check runs', () => {
    const diags: Diagnostic[] = [
      { code: 'schema/required', severity: 'error', message: '必須', path: '/a' },
      { code: 'check/mfa', severity: 'warning', message: 'MFA', path: '/b' },
      {
        code: 'check/log',
        severity: 'error',
        message: 'ログ',
        path: '/c',
        waived: { justification: 'j', approver: 'a', expires: '2030-01-01' },
      },
      { code: 'x/info', severity: 'info', message: '情報', path: '' },
    ];

    it('stores diagnostics with summary counts; lists and returns the latest; survives a restart', async () => {
      const { store, v } = await h.withVersion();
      const run1 = await store.addCheckRun(v.id, {
        diagnostics: diags,
        actor: 'user:ci',
        meta: { snapshot: 'live.yaml' },
      });
      expect(run1.summary).toEqual({ error: 1, warning: 1, info: 1, waived: 1, total: 4 });
      expect(run1.diagnostics).toEqual(diags);
      const run2 = await store.addCheckRun(v.id, { diagnostics: [], actor: 'user:ci' });
      expect(run2.summary.total).toBe(0);

      const again = await h.reopen(store);
      expect((await again.listCheckRuns(v.id)).map((r) => r.id)).toEqual([run1.id, run2.id]);
      expect((await again.listCheckRuns(v.id))[0]).not.toHaveProperty('diagnostics');
      expect((await again.latestCheckRun(v.id))?.id).toBe(run2.id);
      const got = await again.getCheckRun(run1.id);
      expect(got?.diagnostics).toEqual(diags);
      expect(got?.meta).toEqual({ snapshot: 'live.yaml' });
      await expect(
        again.addCheckRun(v.id, { diagnostics: [{ severity: 'fatal' }] as never, actor: 'u' }),
      ).rejects.toBeInstanceOf(InvalidInputError);
      await expect(again.addCheckRun('nope', { diagnostics: [], actor: 'u' })).rejects.toBeInstanceOf(
        NotFoundError,
      );
      expect(await again.latestCheckRun('nope')).toBeNull();
      expect(await again.getCheckRun('nope')).toBeNull();
      expect(await again.listCheckRuns('nope')).toEqual([]);
    });
  });
}
