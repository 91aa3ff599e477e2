// The store's public surface: import from here, not from the implementation files.
export type * from './types.ts';
export { AUDIT_ACTIONS, INITIAL_REVIEW_STATUS, REVIEW_RESULTS, REVIEW_STATUSES, ROLES } from './types.ts';
export {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  PreconditionFailedError,
  StoreCorruptError,
  StoreError,
  StoreLockedError,
  StoreWriteError,
  httpStatusOf,
} from './errors.ts';
export {
  createMemoryStore,
  defaultStorePath,
  etagMatches,
  openStore,
  type StoreOptions,
} from './lowdb-store.ts';
export { canonicalJson, verifyAuditChain } from './audit-chain.ts';
