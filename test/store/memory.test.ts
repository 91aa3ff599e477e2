import { describe, expect, it } from 'vitest';
import { PreconditionFailedError, createMemoryStore } from '../../src/store/index.ts';
import { ADMIN, sampleDoc } from './helpers.ts';

describe('createMemoryStore', () => {
  it('has the same semantics without a file (for other modules’ tests)', async () => {
    const store = createMemoryStore();
    expect(store.location).toBe(':memory:');
    const org = await store.createOrganisation({ name: '鹿児島市' }, ADMIN);
    const asm = await store.createAssessment({ orgId: org.id, title: '予防接種に関する事務' }, ADMIN);
    const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
    await store.addVersion(asm.id, sampleDoc(2), { author: 'a', ifMatch: v1.etag });
    await expect(
      store.addVersion(asm.id, sampleDoc(3), { author: 'a', ifMatch: v1.etag }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await store.getVersion(v1.id))?.doc).toEqual(sampleDoc(1));
    const { token } = await store.createToken({ name: 'r', role: 'reviewer', orgId: org.id }, ADMIN);
    expect((await store.authenticate(token))?.role).toBe('reviewer');
    expect(await store.verifyAudit()).toMatchObject({ ok: true, count: 6 });
    await store.close();
    await expect(store.createOrganisation({ name: 'x' }, ADMIN)).rejects.toThrow(/閉じられています/);
  });
});
