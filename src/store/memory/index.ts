// The in-memory backend: the shared engine with nothing durable behind it. Same semantics as the file
// store (group commits, rollback, audit chain, verified blobs), for other modules' tests, demos and
// `pia serve` without --db.
import { clockOf, type StoreOptions } from '../clock.ts';
import { EngineStore } from '../engine/engine-store.ts';
import type { Persistence } from '../engine/persistence.ts';
import { emptyState } from '../engine/tables.ts';
import type { Tx } from '../engine/tx.ts';
import type { Store } from '../types.ts';

class MemoryPersistence implements Persistence {
  private readonly blobs = new Map<string, Buffer>();
  async commit(tx: Tx): Promise<void> {
    for (const [h, t] of tx.blobs) this.blobs.set(h, t);
  }
  async idle(): Promise<void> {}
  async getBlob(hash: string): Promise<Buffer | null> {
    return this.blobs.get(hash) ?? null;
  }
  async close(): Promise<void> {}
}

/** A store that lives only in memory (tests of other modules, demos). Same semantics, no durability. */
export function createMemoryStore(options: StoreOptions = {}): Store {
  const at = clockOf(options)().toISOString();
  return new EngineStore(emptyState(at), new MemoryPersistence(), ':memory:', () => undefined, options);
}
