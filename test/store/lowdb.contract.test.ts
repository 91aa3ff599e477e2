// The contract suite against the embedded lowdb backend: a new temp directory per store, and a real
// restart (close, then open the same files) for reopen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/index.ts';
import { describeStoreContract } from './contract/index.ts';

const dirs: string[] = [];

describeStoreContract('lowdb', {
  async create(options) {
    const dir = mkdtempSync(join(tmpdir(), 'pia-store-contract-'));
    dirs.push(dir);
    return openStore(join(dir, 'pia.json'), options);
  },
  async reopen(store: Store, options) {
    await store.close();
    return openStore(store.location, options);
  },
  async cleanup() {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  },
});
