import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/store/index.ts';
import type { Diagnostic } from '../../src/types.ts';
import { ADMIN, open, sampleDoc, seeded, tempDir } from './helpers.ts';

describe('organisations and assessments', () => {
  it('creates, lists, updates and soft-deletes; survives reopening', async () => {
    const path = join(tempDir(), 'nested', 'deeper', 'pia.json'); // missing directories are created
    const { store, org, asm } = await seeded(path);
    const other = await store.createOrganisation({ name: '防府市' }, ADMIN);
    const asm2 = await store.createAssessment({ orgId: other.id, title: '住民基本台帳に関する事務' }, ADMIN);
    expect((await store.listOrganisations()).map((o) => o.name)).toEqual(['鹿児島市', '防府市']);
    expect((await store.listAssessments({ orgId: org.id })).map((a) => a.id)).toEqual([asm.id]);
    expect((await store.listAssessments()).map((a) => a.id)).toEqual([asm.id, asm2.id]);
    expect(asm).toMatchObject({
      orgId: org.id,
      form: 'zenkomoku',
      versionCount: 0,
      latestVersionId: null,
      status: null,
    });

    const up = await store.updateAssessment(
      asm.id,
      { title: '予防接種事務', number: '12' },
      { actor: 'user:o' },
    );
    expect(up).toMatchObject({ title: '予防接種事務', number: '12', form: 'zenkomoku' });
    const del = await store.deleteAssessment(asm2.id, { actor: 'user:o' });
    expect(del.deletedAt).not.toBeNull();
    await store.close();

    const again = await open(path);
    expect(await again.getAssessment(asm2.id)).toBeNull();
    expect((await again.getAssessment(asm2.id, { includeDeleted: true }))?.deletedAt).toBe(del.deletedAt);
    expect((await again.listAssessments()).map((a) => a.title)).toEqual(['予防接種事務']);
    expect(await again.listAssessments({ includeDeleted: true })).toHaveLength(2);
    await expect(again.updateAssessment(asm2.id, { title: 'x' }, ADMIN)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('one assessment per 事務 within an organisation; a deleted one frees the name', async () => {
    const { store, org, asm } = await seeded();
    await expect(store.createAssessment({ orgId: org.id, title: asm.title }, ADMIN)).rejects.toBeInstanceOf(
      ConflictError,
    );
    const b = await store.createAssessment({ orgId: org.id, title: '別の事務' }, ADMIN);
    await expect(store.updateAssessment(b.id, { title: asm.title }, ADMIN)).rejects.toMatchObject({
      httpStatus: 409,
    });
    await store.deleteAssessment(asm.id, ADMIN);
    await expect(store.createAssessment({ orgId: org.id, title: asm.title }, ADMIN)).resolves.toMatchObject({
      title: asm.title,
    });
    await expect(store.createAssessment({ orgId: 'nope', title: 'x' }, ADMIN)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      store.createAssessment({ orgId: org.id, title: 'y', form: 'bogus' as never }, ADMIN),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('review status', () => {
  it('records transitions with history; the version itself is never rewritten', async () => {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
    await store.transitionStatus(v.id, { to: '意見聴取', actor: 'user:o', note: '30日間' });
    const t2 = await store.transitionStatus(v.id, {
      to: '第三者点検',
      actor: 'user:o',
      expectedFrom: '意見聴取',
    });
    expect(t2).toMatchObject({ from: '意見聴取', to: '第三者点検' });
    await expect(
      store.transitionStatus(v.id, { to: '提出', actor: 'user:r', expectedFrom: '意見聴取' }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(store.transitionStatus(v.id, { to: '第三者点検', actor: 'user:r' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(
      store.transitionStatus(v.id, { to: '承認' as never, actor: 'user:r' }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(store.transitionStatus('nope', { to: '提出', actor: 'user:r' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await store.close();

    const again = await open(path);
    expect((await again.getVersion(v.id))?.status).toBe('第三者点検');
    expect((await again.getAssessment(asm.id))?.status).toBe('第三者点検');
    expect((await again.listStatusHistory(v.id)).map((t) => [t.from, t.to, t.note])).toEqual([
      [null, '下書き', null],
      ['下書き', '意見聴取', '30日間'],
      ['意見聴取', '第三者点検', null],
    ]);
    // Only status moved: the stored version record is the one written at addVersion.
    const { readFileSync } = await import('node:fs');
    const rec = JSON.parse(readFileSync(path, 'utf8')).versions[0];
    expect(rec).not.toHaveProperty('status');
  });
});

describe('comments', () => {
  it('pins comments to an item, threads replies, resolves and reopens', async () => {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
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

    await expect(store.resolveComment(r1.id, { actor: 'user:r' })).rejects.toBeInstanceOf(InvalidInputError);
    const res = await store.resolveComment(c.id, { actor: 'user:r' });
    expect(res).toMatchObject({ resolved: true, resolvedBy: 'user:r' });
    const again1 = await store.resolveComment(c.id, { actor: 'user:x' }); // idempotent
    expect(again1.resolvedBy).toBe('user:r');
    await store.close();

    const again = await open(path);
    const list = await again.listComments(v.id);
    expect(list.map((x) => x.body)).toEqual(['名称が古い', '修正します', '了解', '全体について']);
    expect((await again.listComments(v.id, { pointer: '' })).map((x) => x.body)).toEqual(['全体について']);
    const reopened = await again.resolveComment(c.id, { actor: 'user:o', resolved: false });
    expect(reopened).toMatchObject({ resolved: false, resolvedAt: null, resolvedBy: null });
    expect((await again.listAudit({ target: `comment:${c.id}` })).map((e) => e.action)).toEqual([
      'comment.add',
      'comment.resolve',
      'comment.reopen',
    ]);
  });

  it('rejects invalid pointers and unknown versions', async () => {
    const { store, asm } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
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

  it('stores diagnostics with summary counts; lists and returns the latest', async () => {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
    const run1 = await store.addCheckRun(v.id, {
      diagnostics: diags,
      actor: 'user:ci',
      meta: { snapshot: 'live.yaml' },
    });
    expect(run1.summary).toEqual({ error: 1, warning: 1, info: 1, waived: 1, total: 4 });
    const run2 = await store.addCheckRun(v.id, { diagnostics: [], actor: 'user:ci' });
    expect(run2.summary.total).toBe(0);
    await store.close();

    const again = await open(path);
    expect((await again.listCheckRuns(v.id)).map((r) => r.id)).toEqual([run1.id, run2.id]);
    expect((await again.listCheckRuns(v.id))[0]).not.toHaveProperty('diagnostics');
    expect((await again.latestCheckRun(v.id))?.id).toBe(run2.id);
    const got = await again.getCheckRun(run1.id);
    expect(got?.diagnostics).toEqual(diags);
    expect(got?.meta).toEqual({ snapshot: 'live.yaml' });
    await expect(
      again.addCheckRun(v.id, { diagnostics: [{ severity: 'fatal' }] as never, actor: 'u' }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(await again.latestCheckRun('nope')).toBeNull();
  });
});
