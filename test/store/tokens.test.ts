import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError, openStore } from '../../src/store/index.ts';
import { ADMIN, journalOf, open, readJournalLines, seeded, tempDir } from './helpers.ts';
import { join } from 'node:path';

describe('users and API tokens', () => {
  it('stores only a hash: the plaintext token never reaches the file', async () => {
    const { store, org, path } = await seeded();
    const created = await store.createToken(
      { name: 'CI bot', role: 'ci', orgId: org.id, label: 'github' },
      ADMIN,
    );
    expect(created.token).toMatch(/^pia_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.user).toMatchObject({ name: 'CI bot', role: 'ci', orgId: org.id });
    expect(created.info).not.toHaveProperty('hash');
    const secret = created.token.slice(21);

    // Neither the index nor the journal (where the record is until the next checkpoint).
    for (const file of [readFileSync(path, 'utf8'), readFileSync(journalOf(path), 'utf8')]) {
      expect(file).not.toContain(created.token);
      expect(file).not.toContain(secret);
    }
    const rec = readJournalLines(path).find((l) => 'tokens' in l)!.tokens;
    expect(rec.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Nor in the audit log, nor anywhere returned by list calls.
    expect(JSON.stringify(await store.listAudit())).not.toContain(secret);
    expect(JSON.stringify(await store.listTokens())).not.toContain(rec.hash.slice(7));
  });

  it('authenticates a valid token and refuses wrong, altered, revoked, expired and disabled ones', async () => {
    const { store, org, path } = await seeded();
    const officer = await store.createUser({ name: '保護担当 山田', role: 'officer', orgId: org.id }, ADMIN);
    const t1 = await store.createToken({ userId: officer.id, label: 'laptop' }, ADMIN);
    const t2 = await store.createToken({ userId: officer.id }, ADMIN);
    await store.close();

    const s = await open(path);
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

    await s.disableUser(officer.id, ADMIN);
    expect(await s.authenticate(t2.token)).toBeNull();
    await expect(s.createToken({ userId: officer.id }, ADMIN)).rejects.toBeInstanceOf(ConflictError);
  });

  it('expired tokens stop authenticating', async () => {
    let now = new Date('2025-04-01T00:00:00Z');
    const path = join(tempDir(), 'pia.json');
    const store = await openStore(path, { now: () => now });
    try {
      const { token } = await store.createToken(
        { name: 'admin', role: 'admin', orgId: null, expiresAt: '2025-04-02T00:00:00+09:00' },
        { actor: 'system' },
      );
      expect((await store.authenticate(token))?.role).toBe('admin');
      now = new Date('2025-04-02T00:00:00Z');
      expect(await store.authenticate(token)).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('validates roles and organisations', async () => {
    const { store, org } = await seeded();
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
    const admin = await store.createUser({ name: '管理者', role: 'admin', orgId: null }, ADMIN);
    expect(admin.orgId).toBeNull();
    expect((await store.listUsers({ orgId: org.id })).length).toBe(0);
  });
});
