// Real files in a fresh temp directory per test; never mocks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import type { JsonObject } from '../../src/types.ts';

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pia-store-'));
  dirs.push(d);
  return d;
}

/** Opens a store and closes it after the test (closing twice is harmless). */
export async function open(path: string): Promise<Store> {
  const s = await openStore(path);
  stores.push(s);
  return s;
}

export const ADMIN = { actor: 'user:admin' };

/** A store with one organisation and one assessment. */
export async function seeded(path = join(tempDir(), 'pia.json')) {
  const store = await open(path);
  const org = await store.createOrganisation({ name: '鹿児島市', code: '462012' }, ADMIN);
  const asm = await store.createAssessment(
    { orgId: org.id, title: '予防接種に関する事務', form: 'zenkomoku' },
    ADMIN,
  );
  return { store, org, asm, path };
}

export function sampleDoc(n: number): JsonObject {
  return {
    title: '予防接種に関する事務 全項目評価書',
    revision: n,
    systems: [{ name: `システム${n}`, users: n * 10 }],
  };
}
