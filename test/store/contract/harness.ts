// What the contract suite needs from a backend, and the per-test context built on it. A backend joins the
// suite with one small test file that calls describeStoreContract(name, factory) (see index.ts).
import { afterEach } from 'vitest';
import type { Store, StoreOptions } from '../../../src/store/index.ts';
import type { JsonObject } from '../../../src/types.ts';

export interface StoreFactory {
  /** A fresh, empty store (a new temp file, a new database or schema). Called once or more per test. */
  create(options?: StoreOptions): Promise<Store>;
  /**
   * Closes `store` and opens the same data again, as after a restart (a new process, a new pool). Omit it
   * for a backend that keeps nothing: the tests then go on with the same store.
   */
  reopen?(store: Store, options?: StoreOptions): Promise<Store>;
  /** Removes what create() made (temp directories, databases); after each test, once its stores are closed. */
  cleanup?(): Promise<void>;
  /**
   * Whether web sessions survive reopen(). Only a backend that several processes share needs them to
   * (PostgreSQL); the embedded ones keep sessions in the process, and a restart signs everyone out.
   */
  sessionsSurviveRestart?: boolean;
}

export const ADMIN = { actor: 'user:admin' };

export function sampleDoc(n: number): JsonObject {
  return {
    title: '予防接種に関する事務 全項目評価書',
    revision: n,
    systems: [{ name: `システム${n}`, users: n * 10 }],
  };
}

/** The per-test context: stores opened through it are closed after the test (closing twice is harmless). */
export class Harness {
  private readonly open: Store[] = [];

  constructor(
    readonly backend: string,
    private readonly factory: StoreFactory,
  ) {
    afterEach(async () => {
      for (const s of this.open.splice(0)) await s.close();
      await this.factory.cleanup?.();
    });
  }

  get sessionsSurviveRestart(): boolean {
    return this.factory.sessionsSurviveRestart === true;
  }

  /** Whether reopen() really restarts (the data survives close), rather than returning the same store. */
  get durable(): boolean {
    return this.factory.reopen !== undefined;
  }

  async create(options?: StoreOptions): Promise<Store> {
    const s = await this.factory.create(options);
    this.open.push(s);
    return s;
  }

  /** The same data after a restart; the same store for a backend that keeps nothing. */
  async reopen(store: Store, options?: StoreOptions): Promise<Store> {
    if (!this.factory.reopen) return store;
    const s = await this.factory.reopen(store, options);
    this.open.push(s);
    return s;
  }

  /** A store with one organisation and one assessment. */
  async seeded(options?: StoreOptions) {
    const store = await this.create(options);
    const org = await store.createOrganisation({ name: '鹿児島市', code: '462012' }, ADMIN);
    const asm = await store.createAssessment(
      { orgId: org.id, title: '予防接種に関する事務', form: 'zenkomoku' },
      ADMIN,
    );
    return { store, org, asm };
  }

  /** A seeded store with one version. */
  async withVersion(options?: StoreOptions) {
    const s = await this.seeded(options);
    const v = await s.store.addVersion(s.asm.id, sampleDoc(1), { author: 'user:o' });
    return { ...s, v };
  }
}
