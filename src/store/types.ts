// The persistence contract of the server. Drivers (api, web, cli) see only this interface, so the lowdb
// file store (one organisation, one process) can be replaced by a real database when many organisations
// share one server. Rules that keep a database implementation honest:
// - every method is async and returns fresh plain JSON objects (callers may mutate them freely);
// - ids are opaque strings (UUIDs here); every record that belongs to an organisation carries `orgId`,
//   so authorisation and partitioning never need a join;
// - a write resolves only once it is durable (acknowledged); a write that throws changed nothing;
// - every mutating method appends its own audit entry in the same transaction, so the audit log cannot
//   miss a change or record one that did not happen (and callers cannot append the store's own actions).
import type { Diagnostic, FormId, Json, JsonObject } from '../types.ts';
import type { SessionData } from './sessions.ts';

export type { SessionData } from './sessions.ts';

export type Role = 'admin' | 'officer' | 'reviewer' | 'ci';
export const ROLES: readonly Role[] = ['admin', 'officer', 'reviewer', 'ci'];

/** Review status of a version, in procedural order. Which role may move it where is the API's rule. */
export type ReviewStatus = '下書き' | '意見聴取' | '第三者点検' | '提出' | '公表';
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['下書き', '意見聴取', '第三者点検', '提出', '公表'];
export const INITIAL_REVIEW_STATUS: ReviewStatus = '下書き';

/** Who did it, as recorded in the audit log: `user:<id>` for API calls, `cli:<os user>`, `system`. */
export type Actor = string;

export interface Organisation {
  id: string;
  name: string;
  /** 地方公共団体コード or another external code; free text, optional. */
  code: string | null;
  createdAt: string;
}

/** One assessment (評価書) per 事務. */
export interface Assessment {
  id: string;
  orgId: string;
  /** The 事務名, unique within the organisation among assessments that are not deleted. */
  title: string;
  form: FormId | null;
  /** 評価書番号 (the number in the 計画管理書), when assigned. */
  number: string | null;
  createdAt: string;
  createdBy: Actor;
  updatedAt: string;
  /** Soft delete: versions, comments and audit entries stay; the assessment disappears from lists. */
  deletedAt: string | null;
  /** Derived: the newest version, its ETag and review status; null before the first version. */
  latestVersionId: string | null;
  latestEtag: string | null;
  status: ReviewStatus | null;
  versionCount: number;
}

export interface AssessmentInput {
  orgId: string;
  title: string;
  form?: FormId | null;
  number?: string | null;
}
export type AssessmentPatch = Partial<Pick<Assessment, 'title' | 'form' | 'number'>>;

/** A version without its document (what lists return). Versions are never changed or deleted. */
export interface VersionInfo {
  id: string;
  assessmentId: string;
  orgId: string;
  /** 1, 2, 3… within the assessment, in the order the versions were acknowledged. */
  number: number;
  /** Strong HTTP entity tag including the quotes, e.g. `"3-5f2c…"`; send it as If-Match to update. */
  etag: string;
  author: Actor;
  createdAt: string;
  message: string | null;
  /** Current review status (the last transition's `to`). */
  status: ReviewStatus;
  /** SHA-256 (hex) of the stored document bytes; the document is verified against it on every read. */
  docHash: string;
  /** Size of the stored document in bytes. */
  size: number;
}
export interface Version extends VersionInfo {
  doc: JsonObject;
}

export interface AddVersionOptions {
  author: Actor;
  /** If-Match value (one or more entity tags, or `*`). Mismatch → PreconditionFailedError, nothing written. */
  ifMatch?: string;
  /** Change note (commit message). */
  message?: string;
  /** Initial review status (default 下書き), e.g. when importing an already published 評価書. */
  status?: ReviewStatus;
}

export interface StatusTransition {
  id: string;
  versionId: string;
  assessmentId: string;
  orgId: string;
  /** null for the initial status given when the version was added. */
  from: ReviewStatus | null;
  to: ReviewStatus;
  actor: Actor;
  at: string;
  note: string | null;
}
export interface TransitionInput {
  to: ReviewStatus;
  actor: Actor;
  note?: string;
  /** Optimistic check: the status the caller saw. Different current status → ConflictError (409). */
  expectedFrom?: ReviewStatus;
  /**
   * An audit entry of its own written in the same commit as the transition (e.g. the reason a 意見聴取
   * was shortened): a crash between two separate writes would leave a shortened 意見聴取 without its
   * reason, or a reason for a move that never happened. Same actor, target the version.
   */
  record?: { action: string; before?: Json; after?: Json };
}

/** A comment pinned to an item (JSON Pointer) of one version. Replies form a flat thread under a root. */
export interface Comment {
  id: string;
  versionId: string;
  assessmentId: string;
  orgId: string;
  pointer: string;
  /** null for a thread root; the root's id for a reply. */
  parentId: string | null;
  body: string;
  author: Actor;
  createdAt: string;
  /** Resolution is a property of the thread root; replies always read false. */
  resolved: boolean;
  resolvedAt: string | null;
  resolvedBy: Actor | null;
}

export interface CheckSummary {
  /** Not-waived findings per severity. */
  error: number;
  warning: number;
  info: number;
  /** Waived findings (any severity). */
  waived: number;
  total: number;
}
export interface CheckRunInfo {
  id: string;
  versionId: string;
  assessmentId: string;
  orgId: string;
  actor: Actor;
  createdAt: string;
  summary: CheckSummary;
  /** Free-form context: snapshot source, engine version, CI job URL… */
  meta: JsonObject | null;
  diagnosticsHash: string;
}
export interface CheckRun extends CheckRunInfo {
  diagnostics: Diagnostic[];
}

export interface User {
  id: string;
  name: string;
  role: Role;
  /** null only for a server-wide admin. */
  orgId: string | null;
  createdAt: string;
  disabledAt: string | null;
}

/** A token as listed: never the secret, never its hash. */
export interface TokenInfo {
  id: string;
  userId: string;
  label: string;
  createdAt: string;
  createdBy: Actor;
  expiresAt: string | null;
  revokedAt: string | null;
}

export type CreateTokenInput =
  /** A token for an existing user. */
  | { userId: string; label?: string; expiresAt?: string | null }
  /** A new user (e.g. a CI bot) and its first token in one step. */
  | { name: string; role: Role; orgId: string | null; label?: string; expiresAt?: string | null };

export interface CreatedToken {
  /** The plaintext token. Shown exactly once; the store keeps only its SHA-256. */
  token: string;
  info: TokenInfo;
  user: User;
}

/** Who a valid token belongs to. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  orgId: string | null;
  tokenId: string;
}

export interface AuditEntry {
  /** 1, 2, 3… without gaps. */
  seq: number;
  at: string;
  actor: Actor;
  /** e.g. `version.add`, `status.transition`, `token.create` (see AUDIT_ACTIONS), or the API's own. */
  action: string;
  /** `<kind>:<id>`, e.g. `version:…`, `assessment:…`. */
  target: string;
  orgId: string | null;
  before: Json;
  after: Json;
  /** `hash` of the previous entry; 64 zeros for the first. */
  prevHash: string;
  /** SHA-256 (hex) of the canonical JSON (sorted keys) of this entry without `hash` and `mac`. */
  hash: string;
  /** HMAC-SHA256 of `hash` under the audit key (audit-key.ts), when one was configured; absent otherwise. */
  mac?: string;
}
export interface AuditInput {
  actor: Actor;
  action: string;
  target: string;
  orgId?: string | null;
  before?: Json;
  after?: Json;
}
export interface AuditHead {
  seq: number;
  hash: string;
}
export type AuditVerification =
  | { ok: true; count: number; head: AuditHead }
  | { ok: false; count: number; brokenAt: number; reason: string };

/** Actions the store records by itself. The API adds its own (e.g. `auth.failed`, `pdf.export`). */
export const AUDIT_ACTIONS = [
  'organisation.create',
  'assessment.create',
  'assessment.update',
  'assessment.delete',
  'version.add',
  'status.transition',
  'comment.add',
  'comment.reply',
  'comment.resolve',
  'comment.reopen',
  'checkrun.add',
  'user.create',
  'user.disable',
  'token.create',
  'token.revoke',
  'judgement.set',
  'review.record',
] as const;

/**
 * The human judgement on one 変更箇所 row of a version (what an annotations file of `pia diff` holds, see
 * docs/diff.md): recorded in the browser, stored with the version, used by the 変更箇所 table, the PDF
 * and the API exactly as an annotations file entry would be. One current judgement per (version, key);
 * setting it again replaces it (the audit log keeps every earlier value).
 */
export interface ChangeJudgement {
  id: string;
  /** The newer version of the pair (the version whose 変更箇所 the row belongs to). */
  versionId: string;
  assessmentId: string;
  orgId: string;
  /** The annotations-file key: a JSON Pointer (rowDetails[].path) or the row's 項目 label. */
  key: string;
  /** 例外: リスクを明らかに軽減させる変更 / リスクを明らかに軽減させる方法 / 誤字脱字の修正 / 形式的な変更, or null. */
  exception: string | null;
  /** 提出時期: 事前 / 事後, or null (default 事前). */
  timing: '事前' | '事後' | null;
  /** 提出時期に係る説明の（理由）. */
  reason: string | null;
  /** 変更日 of the row (YYYY-MM-DD), or null. */
  date: string | null;
  actor: Actor;
  at: string;
}
export interface ChangeJudgementInput {
  key: string;
  exception?: string | null;
  timing?: '事前' | '事後' | null;
  reason?: string | null;
  date?: string | null;
  actor: Actor;
}

/** Result of a 見直し (the yearly review of a published 評価書, 努力義務). */
export type ReviewResult = '変更なし' | '修正' | '再実施が必要';
export const REVIEW_RESULTS: readonly ReviewResult[] = ['変更なし', '修正', '再実施が必要'];
/** 「見直しを実施した」: recorded per assessment, audited. */
export interface ReviewRecord {
  id: string;
  assessmentId: string;
  orgId: string;
  /** The day the 見直し was done (YYYY-MM-DD), as the officer states it. */
  date: string;
  result: ReviewResult;
  note: string | null;
  actor: Actor;
  /** When it was recorded. */
  at: string;
}
export interface ReviewRecordInput {
  date: string;
  result: ReviewResult;
  note?: string | null;
  actor: Actor;
}

/** Filters of listAssessments (every one optional; combined with AND). */
export interface AssessmentFilter {
  orgId?: string;
  includeDeleted?: boolean;
  /** 事務名 contains this text (case-insensitive). */
  title?: string;
  /** The latest version's review status. */
  status?: ReviewStatus;
  form?: FormId;
  /** At most this many, after skipping `offset` (in creation order). */
  limit?: number;
  offset?: number;
}

export interface Store {
  /** Where the data lives (file path, or `:memory:`), for messages. */
  readonly location: string;
  /** Waits for queued writes, then releases the file lock. Further calls throw. */
  close(): Promise<void>;

  // Organisations
  createOrganisation(
    input: { name: string; code?: string | null },
    ctx: { actor: Actor },
  ): Promise<Organisation>;
  getOrganisation(id: string): Promise<Organisation | null>;
  listOrganisations(): Promise<Organisation[]>;

  // Assessments
  createAssessment(input: AssessmentInput, ctx: { actor: Actor }): Promise<Assessment>;
  /** null if unknown, or deleted unless `includeDeleted`. */
  getAssessment(id: string, opts?: { includeDeleted?: boolean }): Promise<Assessment | null>;
  /** In creation order. */
  listAssessments(filter?: AssessmentFilter): Promise<Assessment[]>;
  updateAssessment(id: string, patch: AssessmentPatch, ctx: { actor: Actor }): Promise<Assessment>;
  /** Soft delete. */
  deleteAssessment(id: string, ctx: { actor: Actor }): Promise<Assessment>;

  // Versions (append-only)
  addVersion(assessmentId: string, doc: JsonObject, opts: AddVersionOptions): Promise<Version>;
  getVersion(versionId: string): Promise<Version | null>;
  /** A version's metadata and current status without its document (no document read: cheap per request). */
  getVersionInfo(versionId: string): Promise<VersionInfo | null>;
  /** Oldest first, without documents. */
  listVersions(assessmentId: string): Promise<VersionInfo[]>;
  latestVersion(assessmentId: string): Promise<Version | null>;

  // Review status (store only; which role may move it is the API's rule)
  transitionStatus(versionId: string, input: TransitionInput): Promise<StatusTransition>;
  /** Oldest first; the first entry is the initial status (from: null). */
  listStatusHistory(versionId: string): Promise<StatusTransition[]>;

  // Comments
  addComment(versionId: string, input: { pointer: string; body: string; author: Actor }): Promise<Comment>;
  /** Replying to a reply attaches to the same thread root. */
  replyComment(commentId: string, input: { body: string; author: Actor }): Promise<Comment>;
  /** Resolve (default) or reopen a thread; `commentId` must be the thread root. */
  resolveComment(commentId: string, input: { actor: Actor; resolved?: boolean }): Promise<Comment>;
  getComment(id: string): Promise<Comment | null>;
  /** In creation order; optionally only those pinned to exactly `pointer`. */
  listComments(versionId: string, filter?: { pointer?: string }): Promise<Comment[]>;

  // Check runs
  addCheckRun(
    versionId: string,
    input: { diagnostics: Diagnostic[]; actor: Actor; meta?: JsonObject | null },
  ): Promise<CheckRun>;
  getCheckRun(id: string): Promise<CheckRun | null>;
  /** Oldest first, without diagnostics. */
  listCheckRuns(versionId: string): Promise<CheckRunInfo[]>;
  latestCheckRun(versionId: string): Promise<CheckRun | null>;

  // 変更箇所 judgements (per version; the current one per key)
  /** Sets (or replaces) the judgement for `key` on a version. Audited as `judgement.set`. */
  setChangeJudgement(versionId: string, input: ChangeJudgementInput): Promise<ChangeJudgement>;
  /** The current judgement per key, sorted by key. */
  listChangeJudgements(versionId: string): Promise<ChangeJudgement[]>;

  // 見直し records (per assessment)
  /** Audited as `review.record`. */
  addReviewRecord(assessmentId: string, input: ReviewRecordInput): Promise<ReviewRecord>;
  /** Oldest first (by date, then by recording time). */
  listReviewRecords(assessmentId: string): Promise<ReviewRecord[]>;

  // Users and tokens
  createUser(input: { name: string; role: Role; orgId: string | null }, ctx: { actor: Actor }): Promise<User>;
  getUser(id: string): Promise<User | null>;
  listUsers(filter?: { orgId?: string }): Promise<User[]>;
  /** Disabled users' tokens stop authenticating. */
  disableUser(id: string, ctx: { actor: Actor }): Promise<User>;
  createToken(input: CreateTokenInput, ctx: { actor: Actor }): Promise<CreatedToken>;
  listTokens(filter?: { userId?: string }): Promise<TokenInfo[]>;
  revokeToken(tokenId: string, ctx: { actor: Actor }): Promise<TokenInfo>;
  /** The principal for a valid, unexpired, unrevoked token of an enabled user; otherwise null. */
  authenticate(token: string): Promise<Principal | null>;

  // Web sessions (any server process can open one; see sessions.ts). Not audited. `at` (ms) defaults to
  // the store's clock; the web layer passes its own so expiry and the recorded times use one clock.
  /** Stores only the hash of `id`; the token and CSRF value are sealed under `id`. */
  createSession(input: { id: string; token: string; csrf: string }, at?: number): Promise<SessionData>;
  /** null if unknown (or deleted, or pruned). */
  getSession(id: string): Promise<SessionData | null>;
  /** Records activity (lastSeen = at). Unknown ids are ignored. */
  touchSession(id: string, at?: number): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Removes sessions last seen before `lastSeenBefore` or created before `createdBefore`; returns how many. */
  pruneSessions(filter: { lastSeenBefore?: number; createdBefore?: number }): Promise<number>;

  // Audit log (append-only, hash-chained)
  appendAudit(input: AuditInput): Promise<AuditEntry>;
  /** Oldest first. */
  listAudit(filter?: {
    orgId?: string;
    target?: string;
    actor?: string;
    afterSeq?: number;
    limit?: number;
  }): Promise<AuditEntry[]>;
  /** The last entry's seq and hash; record it elsewhere (syslog, a ticket) to detect later truncation. */
  auditHead(): Promise<AuditHead>;
  /** Recomputes the chain. With `anchor` (an earlier auditHead()), also detects a truncated or rewritten log. */
  verifyAudit(opts?: { anchor?: AuditHead }): Promise<AuditVerification>;
}
