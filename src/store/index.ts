// The store's public surface: import from here, not from the implementation files.
//
// Layout: types.ts (the Store contract), shared pieces every backend uses (errors, validate, audit-chain,
// audit-records, etag, tokens, clock), open.ts (location → backend), and one folder per backend:
// memory/ and lowdb/ share the in-memory engine in engine/; postgres/ is the backend for many
// organisations and several server processes on one database (tables, migrations, a shared pg.Pool).
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
export type { StoreOptions } from './clock.ts';
export { etagMatches } from './etag.ts';
export { createMemoryStore } from './memory/index.ts';
export { defaultStorePath, isStoreUrl, openStore, redactUrl } from './open.ts';
export type { SessionData } from './sessions.ts';
export { canonicalJson, verifyAuditChain } from './audit-chain.ts';
