import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../src/store/index.ts';
import { ADMIN, type Harness } from './harness.ts';

export function tokenContract(h: Harness): void {
  describe('users and API tokens', () => {
    it('hands out the plaintext token once; lists and the audit log never show the secret', async () => {
      const { store, org } = await h.seeded();
      const created = await store.createToken(
        { name: 'CI bot', role: 'ci', orgId: org.id, label: 'github' },
        ADMIN,
      );
      expect(created.token).toMatch(/^pia_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(created.user).toMatchObject({ name: 'CI bot', role: 'ci', orgId: org.id });
      expect(created.info).toMatchObject({ userId: created.user.id, label: 'github', revokedAt: null });
      expect(created.info).not.toHaveProperty('hash');
      const secret = created.token.slice(21);
      expect(JSON.stringify(await store.listAudit())).not.toContain(secret);
      expect(JSON.stringify(await store.listTokens())).not.toContain(secret);
      expect(await store.listTokens()).toHaveLength(1);
      expect((await store.listTokens())[0]).not.toHaveProperty('hash');
      expect(await store.getUser(created.user.id)).toMatchObject({ name: 'CI bot', role: 'ci' });
    });

    it('authenticates a valid token and refuses wrong, altered, revoked and disabled ones', async () => {
      const { store, org } = await h.seeded();
      const officer = await store.createUser(
        { name: '保護担当 山田', role: 'officer', orgId: org.id },
        ADMIN,
      );
      const t1 = await store.createToken({ userId: officer.id, label: 'laptop' }, ADMIN);
      const t2 = await store.createToken({ userId: officer.id }, ADMIN);

      const s = await h.reopen(store);
      expect(await s.authenticate(t1.token)).toEqual({
        userId: officer.id,
        name: '保護担当 山田',
        role: 'officer',
        orgId: org.id,
        tokenId: t1.info.id,
      });
      const last = t1.token.at(-1) === 'A' ? 'B' : 'A';
      for (const bad of [
        '',
        'pia_',
        t1.token.slice(0, -1) + last, // one character changed
        t1.token + 'x',
        `pia_${t1.info.id}_${t2.token.slice(21)}`, // id of one token, secret of another
        `pia_0000000000000000_${t1.token.slice(21)}`,
        `Bearer ${t1.token}`,
        undefined as unknown as string,
      ]) {
        expect(await s.authenticate(bad)).toBeNull();
      }

      await s.revokeToken(t1.info.id, ADMIN);
      expect(await s.authenticate(t1.token)).toBeNull();
      expect(await s.authenticate(t2.token)).not.toBeNull();
      expect((await s.listTokens({ userId: officer.id })).map((t) => t.revokedAt !== null)).toEqual([
        true,
        false,
      ]);
      const revokedAgain = await s.revokeToken(t1.info.id, ADMIN); // idempotent
      expect(revokedAgain.revokedAt).not.toBeNull();

      await s.disableUser(officer.id, ADMIN);
      expect(await s.authenticate(t2.token)).toBeNull();
      await expect(s.createToken({ userId: officer.id }, ADMIN)).rejects.toBeInstanceOf(ConflictError);
      expect((await s.getUser(officer.id))?.disabledAt).not.toBeNull();

      const again = await h.reopen(s);
      expect(await again.authenticate(t1.token)).toBeNull();
      expect(await again.authenticate(t2.token)).toBeNull();
    });

    it('expired tokens stop authenticating', async () => {
      let now = new Date('2025-04-01T00:00:00Z');
      const store = await h.create({ now: () => now });
      const { token, info } = await store.createToken(
        { name: 'admin', role: 'admin', orgId: null, expiresAt: '2025-04-02T00:00:00+09:00' },
        { actor: 'system' },
      );
      expect(info.expiresAt).toBe('2025-04-01T15:00:00.000Z');
      expect((await store.authenticate(token))?.role).toBe('admin');
      now = new Date('2025-04-02T00:00:00Z');
      expect(await store.authenticate(token)).toBeNull();
    });

    it('validates roles and organisations', async () => {
      const { store, org } = await h.seeded();
      await expect(
        store.createUser({ name: 'x', role: 'root' as never, orgId: org.id }, ADMIN),
      ).rejects.toBeInstanceOf(InvalidInputError);
      await expect(
        store.createUser({ name: 'x', role: 'reviewer', orgId: null }, ADMIN),
      ).rejects.toBeInstanceOf(InvalidInputError);
      await expect(
        store.createUser({ name: 'x', role: 'reviewer', orgId: 'nope' }, ADMIN),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.createToken({ userId: 'nope' }, ADMIN)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.createToken({ userId: 'x', expiresAt: 'someday' }, ADMIN)).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(store.revokeToken('nope', ADMIN)).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.disableUser('nope', ADMIN)).rejects.toBeInstanceOf(NotFoundError);
      const admin = await store.createUser({ name: '管理者', role: 'admin', orgId: null }, ADMIN);
      expect(admin.orgId).toBeNull();
      expect((await store.listUsers({ orgId: org.id })).length).toBe(0);
      expect((await store.listUsers()).map((u) => u.id)).toEqual([admin.id]);
    });
  });
}
