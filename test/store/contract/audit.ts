import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, canonicalJson, verifyAuditChain } from '../../../src/store/index.ts';
import { newAuditKeyFile, parseAuditKey, setProcessAuditKey } from '../../../src/store/audit-key.ts';
import type { TransitionInput } from '../../../src/store/index.ts';
import { ADMIN, sampleDoc, type Harness } from './harness.ts';

export function auditContract(h: Harness): void {
  /** A store with a few audited changes. */
  async function withHistory() {
    const { store, asm, org } = await h.seeded();
    const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
    await store.transitionStatus(v1.id, { to: '意見聴取', actor: 'user:o' });
    await store.addComment(v1.id, { pointer: '/title', body: 'ok', author: 'user:r' });
    await store.appendAudit({
      actor: 'user:o',
      action: 'pdf.export',
      target: `version:${v1.id}`,
      orgId: org.id,
    });
    return { store, org, asm, v1, head: await store.auditHead() };
  }

  describe('audit log', () => {
    it('every mutation appends a chained entry that verifies after a restart', async () => {
      const { store, head } = await withHistory();
      const again = await h.reopen(store);
      const log = await again.listAudit();
      expect(log.map((e) => e.action)).toEqual([
        'organisation.create',
        'assessment.create',
        'version.add',
        'status.transition',
        'comment.add',
        'pdf.export',
      ]);
      expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(log[0].prevHash).toBe('0'.repeat(64));
      for (let i = 1; i < log.length; i++) expect(log[i].prevHash).toBe(log[i - 1].hash);
      expect(log[3]).toMatchObject({
        actor: 'user:o',
        before: { status: '下書き' },
        after: { status: '意見聴取' },
      });
      expect(head).toEqual({ seq: 6, hash: log[5].hash });
      expect(await again.verifyAudit()).toEqual({ ok: true, count: 6, head });
      expect(await again.verifyAudit({ anchor: head })).toMatchObject({ ok: true });
      // The same chain verifies offline (pia audit verify on an export).
      expect(verifyAuditChain(log, head)).toEqual({ ok: true, count: 6, head });
    });

    it('the hash is SHA-256 over the canonical JSON of the entry without its hash', async () => {
      const { store } = await withHistory();
      const entries = await store.listAudit();
      for (const { hash, ...rest } of entries) {
        expect(createHash('sha256').update(canonicalJson(rest)).digest('hex')).toBe(hash);
      }
      expect(canonicalJson({ b: 1, a: [{ d: null, c: '日本' }] })).toBe(
        '{"a":[{"c":"日本","d":null}],"b":1}',
      );
    });

    it('filters by organisation, target, actor, position and count', async () => {
      const { store, org, v1 } = await withHistory();
      const other = await store.createOrganisation({ name: '防府市' }, { actor: 'user:x' });
      expect(await store.listAudit({ afterSeq: 4 })).toHaveLength(3);
      expect(await store.listAudit({ afterSeq: 1, limit: 2 })).toMatchObject([{ seq: 2 }, { seq: 3 }]);
      expect((await store.listAudit({ target: `version:${v1.id}` })).map((e) => e.action)).toEqual([
        'version.add',
        'status.transition',
        'pdf.export',
      ]);
      expect((await store.listAudit({ actor: 'user:x' })).map((e) => e.target)).toEqual([
        `organisation:${other.id}`,
      ]);
      expect((await store.listAudit({ orgId: org.id })).every((e) => e.orgId === org.id)).toBe(true);
      expect(await store.listAudit({ orgId: other.id })).toHaveLength(1);
      // Every combination of filters, position and count against a plain filter of the whole log (the
      // embedded stores search their stored text first: row-log.ts).
      const all = await store.listAudit();
      const filters = [
        {},
        { orgId: org.id },
        { orgId: other.id, actor: 'user:x' },
        { target: `version:${v1.id}` },
        { actor: 'user:x' },
        { orgId: 'no-such-org' },
        { orgId: org.id, target: `version:${v1.id}`, actor: 'nobody' },
      ];
      for (const f of filters) {
        for (const afterSeq of [undefined, 0, 1, 3, 99]) {
          for (const limit of [undefined, 1, 2]) {
            const expected = all
              .filter(
                (e) =>
                  (afterSeq === undefined || e.seq > afterSeq) &&
                  (!('orgId' in f) || e.orgId === f.orgId) &&
                  (!('target' in f) || e.target === f.target) &&
                  (!('actor' in f) || e.actor === f.actor),
              )
              .slice(0, limit ?? Infinity);
            expect(await store.listAudit(Object.assign({}, f, { afterSeq, limit }))).toEqual(expected);
          }
        }
      }
    });

    it('a stale anchor (a longer or different chain recorded earlier) fails verification', async () => {
      const { store, head } = await withHistory();
      expect(await store.verifyAudit({ anchor: { seq: head.seq + 1, hash: head.hash } })).toMatchObject({
        ok: false,
      });
      expect(await store.verifyAudit({ anchor: { seq: head.seq, hash: '1'.repeat(64) } })).toMatchObject({
        ok: false,
        brokenAt: head.seq,
      });
    });

    it('keeps appending to a valid chain across restarts', async () => {
      const { store } = await withHistory();
      const s = await h.reopen(store);
      await s.createOrganisation({ name: '防府市' }, ADMIN);
      await s.appendAudit({
        actor: 'user:x',
        action: 'auth.failed',
        target: 'token:unknown',
        after: { ip: '192.0.2.1' },
      });
      const again = await h.reopen(s);
      expect(await again.verifyAudit()).toMatchObject({ ok: true, count: 8 });
      await expect(again.appendAudit({ actor: '', action: 'x', target: 'y' })).rejects.toMatchObject({
        httpStatus: 400,
      });
    });

    it('refuses to append the store’s own actions (they would vouch for changes that never happened)', async () => {
      const { store } = await h.seeded();
      for (const action of AUDIT_ACTIONS) {
        await expect(
          store.appendAudit({ actor: 'user:x', action, target: 'version:forged' }),
        ).rejects.toMatchObject({
          httpStatus: 400,
        });
      }
      expect((await store.auditHead()).seq).toBe(2);
    });

    it('a failed request writes no audit entry', async () => {
      const { store, asm } = await h.seeded();
      const head = await store.auditHead();
      await store.addVersion('nope', sampleDoc(1), { author: 'a' }).catch(() => undefined);
      await store.createAssessment({ orgId: asm.orgId, title: asm.title }, ADMIN).catch(() => undefined);
      await store
        .addReviewRecord(asm.id, { date: '2025-02-30', result: '変更なし', actor: 'a' })
        .catch(() => undefined);
      expect(await store.auditHead()).toEqual(head);
    });

    it('a transition and the entry recording it (a 期間短縮) commit together, or neither is written', async () => {
      const { store, org, v } = await h.withVersion();
      await store.transitionStatus(v.id, { to: '意見聴取', actor: 'user:o' });
      const shortening = {
        action: 'procedure.public-comment-shortened',
        after: { from: '意見聴取', to: '第三者点検', reason: '災害対応のため', elapsedDays: 3, minDays: 30 },
      };
      const head = await store.auditHead();
      // Refused moves write neither the transition nor the record: a stale status (409), a record that
      // names one of the store's own actions (400).
      const stale: TransitionInput = {
        to: '第三者点検',
        actor: 'user:o',
        expectedFrom: '下書き',
        record: shortening,
      };
      await expect(store.transitionStatus(v.id, stale)).rejects.toMatchObject({ httpStatus: 409 });
      const forged: TransitionInput = {
        to: '第三者点検',
        actor: 'user:o',
        record: { action: 'version.add', after: {} },
      };
      await expect(store.transitionStatus(v.id, forged)).rejects.toMatchObject({ httpStatus: 400 });
      expect(await store.auditHead()).toEqual(head);
      expect((await store.getVersionInfo(v.id))?.status).toBe('意見聴取');

      const move: TransitionInput = {
        to: '第三者点検',
        actor: 'user:o',
        expectedFrom: '意見聴取',
        record: shortening,
      };
      const t = await store.transitionStatus(v.id, move);
      const again = await h.reopen(store);
      const log = await again.listAudit({ afterSeq: head.seq });
      // One call, two adjacent entries: the transition, then the record of what it relied on.
      expect(log).toMatchObject([
        { seq: head.seq + 1, action: 'status.transition', after: { status: '第三者点検' } },
        {
          seq: head.seq + 2,
          action: 'procedure.public-comment-shortened',
          actor: 'user:o',
          target: `version:${v.id}`,
          orgId: org.id,
          at: t.at,
          before: null,
          after: shortening.after,
        },
      ]);
      expect(await again.verifyAudit()).toMatchObject({ ok: true, count: head.seq + 2 });
    });

    it('a process without the audit key may not append to a keyed log (it would break the chain)', async () => {
      const key = parseAuditKey(newAuditKeyFile(), 'contract.key');
      setProcessAuditKey(key);
      try {
        const { store, asm } = await h.seeded();
        const head = await store.auditHead();
        expect((await store.listAudit()).every((e) => typeof e.mac === 'string')).toBe(true);
        setProcessAuditKey(null);
        await expect(store.createOrganisation({ name: '鍵なし市' }, ADMIN)).rejects.toThrow(
          /鍵で保護されています/,
        );
        await expect(
          store.appendAudit({ actor: 'user:x', action: 'pdf.export', target: `assessment:${asm.id}` }),
        ).rejects.toThrow(/鍵で保護されています/);
        // Nothing of either was written: no entry, no organisation.
        expect(await store.auditHead()).toEqual(head);
        expect(await store.listOrganisations()).toHaveLength(1);
        // With the key, the log goes on and verifies (MACs checked).
        setProcessAuditKey(key);
        await store.appendAudit({ actor: 'user:x', action: 'pdf.export', target: `assessment:${asm.id}` });
        expect(await store.verifyAudit()).toMatchObject({ ok: true, count: head.seq + 1 });
      } finally {
        setProcessAuditKey(undefined);
      }
    });
  });
}
