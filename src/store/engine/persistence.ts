// What a backend built on the in-memory engine provides: where commits go. The memory backend keeps blobs
// in a Map; lowdb appends the journal, writes blob files and checkpoints the index.
import type { StoreState } from './tables.ts';
import type { Tx } from './tx.ts';

export interface Persistence {
  /** Makes the batch durable; throws if it is not (then nothing of it may be visible). */
  commit(tx: Tx, committed: StoreState): Promise<void>;
  /** Between batches, after a published commit: housekeeping (a checkpoint). Never throws. */
  idle(state: StoreState): Promise<void>;
  getBlob(hash: string): Promise<Buffer | null>;
  /** After the last commit. Never throws. */
  close(state: StoreState): Promise<void>;
}
