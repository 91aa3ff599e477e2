// The store's state as plain tables, shared by the memory and lowdb backends (both keep the whole state in
// memory; lowdb also makes every commit durable). Rows are what the files hold: plain JSON, no derived
// fields, so a row written today reads back unchanged in any later version of pia. The two tables that
// grow with every check request (check runs and the audit log) are RowLogs, held off the JS heap
// (row-log.ts says why); the others are arrays of objects.
import type {
  Assessment,
  AuditEntry,
  ChangeJudgement,
  CheckRunInfo,
  Comment,
  Organisation,
  ReviewRecord,
  StatusTransition,
  TokenInfo,
  User,
  VersionInfo,
} from '../types.ts';
import { RowLog } from './row-log.ts';

export type AssessmentRecord = Omit<Assessment, 'latestVersionId' | 'latestEtag' | 'status' | 'versionCount'>;
/** Status is not stored on the version: versions are never rewritten; it is the last transition's `to`. */
export type VersionRecord = Omit<VersionInfo, 'status'>;
export type CheckRunRecord = CheckRunInfo;
export interface TokenRecord extends TokenInfo {
  hash: string;
}

export interface Tables {
  organisations: Organisation[];
  assessments: AssessmentRecord[];
  versions: VersionRecord[];
  transitions: StatusTransition[];
  comments: Comment[];
  checkRuns: RowLog<CheckRunRecord>;
  judgements: ChangeJudgement[];
  reviews: ReviewRecord[];
  users: User[];
  tokens: TokenRecord[];
  audit: RowLog<AuditEntry>;
}
export type TableName = keyof Tables;
/** A row of table `K`. */
export type RowOf<K extends TableName> =
  Tables[K] extends RowLog<infer R> ? R : Tables[K] extends readonly (infer R)[] ? R : never;
/** The tables held as RowLogs. */
export const LOG_TABLES = ['checkRuns', 'audit'] as const;
export type LogTable = (typeof LOG_TABLES)[number];
const LOG_TABLE_NAMES: ReadonlySet<string> = new Set(LOG_TABLES);
export const isLogTable = (t: TableName): t is LogTable => LOG_TABLE_NAMES.has(t);
/** An empty log for a RowLog table: check runs are found by id, the audit log only appended to. */
export function emptyLog<K extends LogTable>(t: K): Tables[K] {
  return new RowLog({ keyed: t === 'checkRuns' }) as Tables[K];
}
/**
 * Small tables whose rows change: copied on write inside a batch (and, in lowdb, checkpointed in the
 * index file).
 */
export const INDEX_TABLES = ['organisations', 'assessments', 'versions', 'users', 'tokens'] as const;
/**
 * Ever-growing tables: never copied; a batch appends its rows when published (in lowdb they live only in
 * the journal). Judgements are replaced per (version, key) but grow with every version, so they are here
 * with the comments, which are replaced the same way when resolved.
 */
export const JOURNAL_TABLES = [
  'transitions',
  'comments',
  'checkRuns',
  'judgements',
  'reviews',
  'audit',
] as const;
export type IndexTable = (typeof INDEX_TABLES)[number];
export type JournalTable = (typeof JOURNAL_TABLES)[number];
export const TABLES: readonly TableName[] = [...INDEX_TABLES, ...JOURNAL_TABLES];
export const TABLE_NAMES: ReadonlySet<string> = new Set(TABLES);
const JOURNAL_TABLE_NAMES: ReadonlySet<string> = new Set(JOURNAL_TABLES);
export const isJournalTable = (t: TableName): t is JournalTable => JOURNAL_TABLE_NAMES.has(t);

/** The whole state in memory: what the index and the journal hold together. */
export interface StoreState extends Tables {
  createdAt: string;
}

export function emptyState(at: string): StoreState {
  return {
    createdAt: at,
    organisations: [],
    assessments: [],
    versions: [],
    transitions: [],
    comments: [],
    checkRuns: emptyLog('checkRuns'),
    judgements: [],
    reviews: [],
    users: [],
    tokens: [],
    audit: emptyLog('audit'),
  };
}

// id → position, built incrementally per array. Arrays only grow, have rows replaced in place, or are
// replaced by copies, so the index is extended, never rebuilt; a rollback (pop) drops it.
const positions = new WeakMap<readonly { id: string }[], { n: number; map: Map<string, number> }>();

export function findById<T extends { id: string }>(
  arr: readonly T[],
  id: string,
): { row: T; index: number } | undefined {
  if (typeof id !== 'string') return undefined;
  let e = positions.get(arr);
  if (!e || e.n > arr.length) {
    e = { n: 0, map: new Map() };
    positions.set(arr, e);
  }
  for (; e.n < arr.length; e.n++) e.map.set(arr[e.n].id, e.n);
  const i = e.map.get(id);
  if (i === undefined || i >= arr.length || arr[i].id !== id) return undefined;
  return { row: arr[i], index: i };
}

/** Drops the id index of an array that shrank (a rolled-back insert). */
export function forgetPositions(arr: readonly { id: string }[]): void {
  positions.delete(arr);
}

/**
 * Insert or replace by id (the journal's records are whole rows); audit entries are only ever appended.
 * `json`: the row's JSON when the caller already has it (the journal line's).
 */
export function putRow(state: Tables, t: TableName, row: unknown, json?: string): void {
  if (isLogTable(t)) {
    (state[t] as RowLog<unknown>).put(row, json);
    return;
  }
  const arr = state[t] as unknown[];
  const found = findById(arr as { id: string }[], (row as { id: string }).id);
  if (found) arr[found.index] = row;
  else arr.push(row);
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
