import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../src/store/index.ts';
import { ADMIN, type Harness } from './harness.ts';

export function organisationContract(h: Harness): void {
  describe('organisations and assessments', () => {
    it('creates, lists, updates and soft-deletes; survives a restart', async () => {
      const { store, org, asm } = await h.seeded();
      const other = await store.createOrganisation({ name: '防府市' }, ADMIN);
      const asm2 = await store.createAssessment(
        { orgId: other.id, title: '住民基本台帳に関する事務' },
        ADMIN,
      );
      expect((await store.listOrganisations()).map((o) => o.name)).toEqual(['鹿児島市', '防府市']);
      expect(await store.getOrganisation(org.id)).toMatchObject({ name: '鹿児島市', code: '462012' });
      expect(await store.getOrganisation('nope')).toBeNull();
      expect((await store.listAssessments({ orgId: org.id })).map((a) => a.id)).toEqual([asm.id]);
      expect((await store.listAssessments()).map((a) => a.id)).toEqual([asm.id, asm2.id]);
      expect(asm).toMatchObject({
        orgId: org.id,
        form: 'zenkomoku',
        versionCount: 0,
        latestVersionId: null,
        latestEtag: null,
        status: null,
        deletedAt: null,
      });

      const up = await store.updateAssessment(
        asm.id,
        { title: '予防接種事務', number: '12' },
        { actor: 'user:o' },
      );
      expect(up).toMatchObject({ title: '予防接種事務', number: '12', form: 'zenkomoku' });
      const del = await store.deleteAssessment(asm2.id, { actor: 'user:o' });
      expect(del.deletedAt).not.toBeNull();

      const again = await h.reopen(store);
      expect(await again.getAssessment(asm2.id)).toBeNull();
      expect((await again.getAssessment(asm2.id, { includeDeleted: true }))?.deletedAt).toBe(del.deletedAt);
      expect((await again.listAssessments()).map((a) => a.title)).toEqual(['予防接種事務']);
      expect(await again.listAssessments({ includeDeleted: true })).toHaveLength(2);
      await expect(again.updateAssessment(asm2.id, { title: 'x' }, ADMIN)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(again.deleteAssessment('nope', ADMIN)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('one assessment per 事務 within an organisation; a deleted one frees the name', async () => {
      const { store, org, asm } = await h.seeded();
      await expect(store.createAssessment({ orgId: org.id, title: asm.title }, ADMIN)).rejects.toBeInstanceOf(
        ConflictError,
      );
      const b = await store.createAssessment({ orgId: org.id, title: '別の事務' }, ADMIN);
      await expect(store.updateAssessment(b.id, { title: asm.title }, ADMIN)).rejects.toMatchObject({
        httpStatus: 409,
      });
      await store.deleteAssessment(asm.id, ADMIN);
      await expect(store.createAssessment({ orgId: org.id, title: asm.title }, ADMIN)).resolves.toMatchObject(
        {
          title: asm.title,
        },
      );
      await expect(store.createAssessment({ orgId: 'nope', title: 'x' }, ADMIN)).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(
        store.createAssessment({ orgId: org.id, title: 'y', form: 'bogus' as never }, ADMIN),
      ).rejects.toBeInstanceOf(InvalidInputError);
      await expect(store.createAssessment({ orgId: org.id, title: '  ' }, ADMIN)).rejects.toBeInstanceOf(
        InvalidInputError,
      );
      await expect(store.createOrganisation({ name: '' }, ADMIN)).rejects.toMatchObject({ httpStatus: 400 });
    });

    it('returns copies: mutating a returned record changes nothing stored', async () => {
      const { store, org, asm } = await h.seeded();
      (await store.getOrganisation(org.id))!.name = 'x';
      (await store.getAssessment(asm.id))!.title = 'x';
      expect((await store.getOrganisation(org.id))?.name).toBe('鹿児島市');
      expect((await store.getAssessment(asm.id))?.title).toBe('予防接種に関する事務');
    });
  });

  describe('lifecycle', () => {
    it('a closed store refuses further calls; closing twice is harmless', async () => {
      const store = await h.create();
      await store.close();
      await store.close();
      await expect(store.createOrganisation({ name: 'x' }, ADMIN)).rejects.toThrow(/閉じられています/);
    });
  });
}
