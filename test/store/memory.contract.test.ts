// The contract suite against the in-memory backend (nothing survives close: reopen is omitted).
import { createMemoryStore } from '../../src/store/index.ts';
import { describeStoreContract } from './contract/index.ts';

describeStoreContract('memory', { create: async (options) => createMemoryStore(options) });
