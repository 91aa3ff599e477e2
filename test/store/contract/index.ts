// The Store contract suite: the behaviour every backend must have, run against each of them from one small
// test file per backend (memory.contract.test.ts, lowdb.contract.test.ts, and a PostgreSQL one). What
// only one backend has (files on disk, the journal, the lock, crash safety) is tested in its own files.
import { describe } from 'vitest';
import { auditContract } from './audit.ts';
import { Harness, type StoreFactory } from './harness.ts';
import { judgementContract } from './judgements.ts';
import { organisationContract } from './organisations.ts';
import { recordContract } from './records.ts';
import { sessionContract } from './sessions.ts';
import { tokenContract } from './tokens.ts';
import { versionContract } from './versions.ts';

export type { StoreFactory } from './harness.ts';

export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    const h = new Harness(name, factory);
    organisationContract(h);
    versionContract(h);
    recordContract(h);
    judgementContract(h);
    tokenContract(h);
    auditContract(h);
    sessionContract(h);
  });
}
