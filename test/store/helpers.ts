// Real files in a fresh temp directory per test; never mocks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export const journalOf = (path: string): string => `${path}.journal.jsonl`;

/** The record kinds a journal may hold (for parseJournal in tests). */
export const JOURNAL_TABLE_NAMES: ReadonlySet<string> = new Set([
  'organisations',
  'assessments',
  'versions',
  'users',
  'tokens',
  'transitions',
  'comments',
  'checkRuns',
  'judgements',
  'reviews',
  'audit',
]);

/** The journal's lines, parsed (one `{ table: row }` or `{ commit: n }` object per line). */
export function readJournalLines(path: string): Record<string, any>[] {
  return readFileSync(journalOf(path), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

/**
 * Edits the journal of a closed store the way someone with access to the disk could: `fn` gets the parsed
 * lines and the positions of the audit entries among them, and may change, remove, insert or reorder lines.
 */
export function editJournal(path: string, fn: (lines: Record<string, any>[], audit: number[]) => void): void {
  const lines = readJournalLines(path);
  const audit = lines.flatMap((l, i) => ('audit' in l ? [i] : []));
  fn(lines, audit);
  writeFileSync(journalOf(path), lines.map((l) => JSON.stringify(l) + '\n').join(''));
}
