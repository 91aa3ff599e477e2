// Web sessions: what the pages need so that any server process can open a session another one created.
import { describe, expect, it } from 'vitest';
import { hashSessionId } from '../../../src/store/sessions.ts';
import { type Harness } from './harness.ts';

const ID = 'c2Vzc2lvbi1pZC1mb3ItdGVzdHMtMDEyMzQ1Njc4OWFiY2RlZg';
const TOKEN = 'pia_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function sessionContract(h: Harness): void {
  describe('web sessions', () => {
    it('creates, reads, touches and deletes a session by its id', async () => {
      const store = await h.create();
      const made = await store.createSession({ id: ID, token: TOKEN, csrf: 'csrf-1' }, 1_000);
      expect(made).toEqual({ token: TOKEN, csrf: 'csrf-1', createdAt: 1_000, lastSeen: 1_000 });
      expect(await store.getSession(ID)).toEqual(made);
      await store.touchSession(ID, 5_000);
      expect(await store.getSession(ID)).toMatchObject({ createdAt: 1_000, lastSeen: 5_000 });
      expect(await store.getSession(ID + 'x')).toBeNull();
      expect(await store.getSession('')).toBeNull();
      await store.touchSession('unknown-session-id-0000', 6_000); // ignored
      await store.deleteSession(ID);
      expect(await store.getSession(ID)).toBeNull();
      await store.deleteSession(ID); // twice is harmless
    });

    it('keeps no session id and no token in clear, and audits nothing', async () => {
      const store = await h.create();
      const head = await store.auditHead();
      await store.createSession({ id: ID, token: TOKEN, csrf: 'csrf-secret-value' }, 1_000);
      expect(await store.auditHead()).toEqual(head);
      // Whatever the backend holds, it is keyed by the hash; the id itself opens it.
      expect(hashSessionId(ID)).toMatch(/^[0-9a-f]{64}$/);
      expect((await store.getSession(ID))?.token).toBe(TOKEN);
    });

    it('prunes idle and old sessions', async () => {
      const store = await h.create();
      const ids = ['a', 'b', 'c'].map((x) => `${x}`.repeat(43));
      await store.createSession({ id: ids[0], token: TOKEN, csrf: 'x' }, 1_000);
      await store.createSession({ id: ids[1], token: TOKEN, csrf: 'x' }, 2_000);
      await store.createSession({ id: ids[2], token: TOKEN, csrf: 'x' }, 3_000);
      await store.touchSession(ids[0], 10_000);
      expect(await store.pruneSessions({ lastSeenBefore: 2_500 })).toBe(1); // b
      expect(await store.getSession(ids[1])).toBeNull();
      expect(await store.pruneSessions({ createdBefore: 1_500 })).toBe(1); // a
      expect(await store.getSession(ids[0])).toBeNull();
      expect(await store.getSession(ids[2])).not.toBeNull();
    });

    it('rejects malformed input', async () => {
      const store = await h.create();
      await expect(store.createSession({ id: 'short', token: TOKEN, csrf: 'x' })).rejects.toMatchObject({
        httpStatus: 400,
      });
      await expect(store.createSession({ id: ID, token: '', csrf: 'x' })).rejects.toMatchObject({
        httpStatus: 400,
      });
    });

    it('a session survives a restart where several processes share the store', async () => {
      const store = await h.create();
      await store.createSession({ id: ID, token: TOKEN, csrf: 'csrf-1' }, 1_000);
      const again = await h.reopen(store);
      if (h.sessionsSurviveRestart) expect(await again.getSession(ID)).toMatchObject({ token: TOKEN });
      else if (h.durable) expect(await again.getSession(ID)).toBeNull(); // documented: restart signs out
    });
  });
}
