// What every backend writes for an operation, built once: the input checks, the records (version, status
// transition, check run, comment, judgement, 見直し, user, token) and the audit payload that commits each of
// them. verifyAudit (audit-records.ts) matches records against these payloads, so the backends must build
// them alike to the byte; here they cannot drift. Pure: input → record/payload. Only where the rows go (a
// draft in memory, SQL) is left to the engine (engine/engine-store.ts) and PostgreSQL (postgres/store.ts).
import type { Diagnostic, Json, JsonObject } from '../types.ts';
import { makeAuditEntry, sha256Hex } from './audit-chain.ts';
import { AUDIT_KEY_ENV, type AuditKey, processAuditKey } from './audit-key.ts';
import { ConflictError, InvalidInputError, PreconditionFailedError, StoreWriteError } from './errors.ts';
import { makeEtag } from './etag.ts';
import {
  AUDIT_ACTIONS,
  INITIAL_REVIEW_STATUS,
  type AddVersionOptions,
  type Assessment,
  type AssessmentInput,
  type AssessmentPatch,
  type AuditEntry,
  type AuditInput,
  type ChangeJudgement,
  type ChangeJudgementInput,
  type CreateTokenInput,
  type Organisation,
  type CheckRunInfo,
  type Comment,
  type ReviewRecord,
  type ReviewRecordInput,
  type ReviewStatus,
  type Role,
  type StatusTransition,
  type TokenInfo,
  type TransitionInput,
  type User,
  type VersionInfo,
} from './types.ts';
import {
  isPlainObject,
  optionalCalendarDate,
  optionalDate,
  optionalException,
  optionalForm,
  optionalNonBlankText,
  optionalText,
  optionalTiming,
  requireCalendarDate,
  requireReviewResult,
  requireStatus,
  requireText,
  summarise,
  toJsonText,
  validateNewUser,
} from './validate.ts';

/** Where a record belongs: the version or assessment it is attached to. */
interface Owner {
  assessmentId: string;
  orgId: string;
}

// ── the audit chain's next entry ──

/**
 * The entry that follows `last`, MAC'd with the process's key. A log protected by the audit key stays
 * protected: a process started without PIA_AUDIT_KEY_FILE would append a MAC-less entry, which `pia audit
 * verify` must (and does) report as broken — so the append is refused instead, by every backend alike.
 */
export function nextAuditEntry(
  input: AuditInput,
  last: Pick<AuditEntry, 'seq' | 'hash' | 'mac'> | undefined,
  at: string,
  key: AuditKey | null = processAuditKey(),
): AuditEntry {
  if (last?.mac !== undefined && !key) {
    throw new StoreWriteError(
      `監査ログは鍵で保護されていますが、このプロセスには鍵が設定されていません (環境変数 ${AUDIT_KEY_ENV})。この操作は保存されていません。`,
    );
  }
  return makeAuditEntry(input, last as AuditEntry | undefined, at, key);
}

/** A caller's own audit entry (appendAudit): checked, and its JSON normalised. */
export function parseAuditInput(input: AuditInput): AuditInput {
  const action = requireText(input?.action, '操作', 200);
  // The store's own actions are recorded by the store, with the change they describe; verifyAudit matches
  // records against them, so a caller may not add one without the change.
  if ((AUDIT_ACTIONS as readonly string[]).includes(action)) {
    throw new InvalidInputError(`操作「${action}」はストアが記録する操作です。別の名前を使ってください`);
  }
  return {
    actor: requireText(input.actor, '操作者', 200),
    action,
    target: requireText(input.target, '対象', 500),
    orgId: optionalText(input.orgId, '組織', 200),
    before: input.before === undefined ? null : (JSON.parse(toJsonText(input.before, 'before')) as Json),
    after: input.after === undefined ? null : (JSON.parse(toJsonText(input.after, 'after')) as Json),
  };
}

// ── organisations and assessments ──

export function parseOrganisationInput(
  input: { name: string; code?: string | null },
  ctx: { actor: string },
): { name: string; code: string | null; actor: string } {
  return {
    name: requireText(input?.name, '組織名', 200),
    code: optionalText(input?.code, '団体コード', 50),
    actor: requireText(ctx?.actor, '操作者', 200),
  };
}

export function newOrganisation(
  input: { name: string; code: string | null; actor: string },
  id: string,
  at: string,
): { organisation: Organisation; audit: AuditInput } {
  const { name, code, actor } = input;
  return {
    organisation: { id, name, code, createdAt: at },
    audit: {
      actor,
      action: 'organisation.create',
      target: `organisation:${id}`,
      orgId: id,
      after: { name, code },
    },
  };
}

/** An assessment's own fields, without what its versions derive (latest version, status, count). */
export type AssessmentFields = Omit<Assessment, 'latestVersionId' | 'latestEtag' | 'status' | 'versionCount'>;

export type ParsedAssessment = Pick<Assessment, 'orgId' | 'title' | 'form' | 'number'> & { actor: string };

export function parseAssessmentInput(input: AssessmentInput, ctx: { actor: string }): ParsedAssessment {
  return {
    orgId: requireText(input?.orgId, '組織', 200),
    title: requireText(input?.title, '事務名', 300),
    form: optionalForm(input?.form),
    number: optionalText(input?.number, '評価書番号', 50),
    actor: requireText(ctx?.actor, '操作者', 200),
  };
}

export function newAssessment(
  input: ParsedAssessment,
  id: string,
  at: string,
): { assessment: AssessmentFields; audit: AuditInput } {
  const { orgId, title, form, number, actor } = input;
  return {
    assessment: {
      id,
      orgId,
      title,
      form,
      number,
      createdAt: at,
      createdBy: actor,
      updatedAt: at,
      deletedAt: null,
    },
    audit: {
      actor,
      action: 'assessment.create',
      target: `assessment:${id}`,
      orgId,
      after: { title, form, number },
    },
  };
}

export function parseAssessmentPatch(
  patch: AssessmentPatch,
  ctx: { actor: string },
): { actor: string; next: AssessmentPatch } {
  const actor = requireText(ctx?.actor, '操作者', 200);
  const next: AssessmentPatch = {};
  if (patch?.title !== undefined) next.title = requireText(patch.title, '事務名', 300);
  if (patch?.form !== undefined) next.form = optionalForm(patch.form);
  if (patch?.number !== undefined) next.number = optionalText(patch.number, '評価書番号', 50);
  return { actor, next };
}

/** `row` with the fields of `next` that differ, or null when none does (nothing to write). */
export function updatedAssessment<T extends AssessmentFields>(
  row: T,
  next: AssessmentPatch,
  actor: string,
  now: () => string,
): { updated: T; audit: AuditInput; at: string } | null {
  const keys = (Object.keys(next) as (keyof AssessmentPatch)[]).filter((k) => next[k] !== row[k]);
  if (keys.length === 0) return null;
  const at = now();
  const before: JsonObject = {};
  const after: JsonObject = {};
  for (const k of keys) {
    before[k] = row[k];
    after[k] = next[k] ?? null;
  }
  return {
    at,
    updated: Object.assign({}, row, next, { updatedAt: at }),
    audit: {
      actor,
      action: 'assessment.update',
      target: `assessment:${row.id}`,
      orgId: row.orgId,
      before,
      after,
    },
  };
}

export function deletedAssessment<T extends AssessmentFields>(
  row: T,
  actor: string,
  at: string,
): { deleted: T; audit: AuditInput } {
  return {
    deleted: Object.assign({}, row, { deletedAt: at, updatedAt: at }),
    audit: {
      actor,
      action: 'assessment.delete',
      target: `assessment:${row.id}`,
      orgId: row.orgId,
      before: { title: row.title },
    },
  };
}

// ── versions ──

export interface VersionInput {
  author: string;
  message: string | null;
  initial: ReviewStatus;
  ifMatch: string | undefined;
  /** The document as stored: its canonical text, the same bytes hashed and written. */
  text: string;
  bytes: Buffer;
  normalised: JsonObject;
  docHash: string;
  size: number;
}

export function parseVersionInput(doc: JsonObject, opts: AddVersionOptions): VersionInput {
  const author = requireText(opts?.author, '作成者', 200);
  if (!isPlainObject(doc))
    throw new InvalidInputError('評価書の文書は JSON オブジェクトである必要があります');
  const message = optionalText(opts.message, '変更メモ', 2000);
  const initial = opts.status === undefined ? INITIAL_REVIEW_STATUS : requireStatus(opts.status, '初期状態');
  if (opts.ifMatch !== undefined && typeof opts.ifMatch !== 'string')
    throw new InvalidInputError('If-Match は文字列です');
  // Serialise and hash outside the write queue: for a large document this is the expensive part.
  const text = toJsonText(doc, '評価書の文書');
  const bytes = Buffer.from(text, 'utf8');
  return {
    author,
    message,
    initial,
    ifMatch: opts.ifMatch,
    text,
    bytes,
    normalised: JSON.parse(text) as JsonObject,
    docHash: sha256Hex(bytes),
    size: bytes.length,
  };
}

/** 412 when If-Match does not name the latest version (`latest` null: the assessment has none yet). */
export function preconditionFailed(
  ifMatch: string,
  latest: { number: number; etag: string } | null,
): PreconditionFailedError {
  return new PreconditionFailedError(
    latest
      ? `評価書は他の人が更新しました (最新は第 ${latest.number} 版 ${latest.etag}、指定は ${ifMatch})。最新版を取得して変更をやり直してください。`
      : `評価書にはまだ版がありません (指定された If-Match: ${ifMatch})`,
    latest?.etag ?? null,
  );
}

/** The version record, its initial status (from: null) and the audit payload committing both. */
export function newVersion(
  input: VersionInput,
  owner: Owner,
  latest: { id: string; number: number; etag: string } | null,
  ids: { version: string; transition: string },
  at: string,
): { version: Omit<VersionInfo, 'status'>; initial: StatusTransition; audit: AuditInput } {
  const { author, message, docHash, size, initial: status } = input;
  const number = (latest?.number ?? 0) + 1;
  const version = {
    id: ids.version,
    assessmentId: owner.assessmentId,
    orgId: owner.orgId,
    number,
    etag: makeEtag(number, docHash),
    author,
    createdAt: at,
    message,
    docHash,
    size,
  };
  return {
    version,
    initial: {
      id: ids.transition,
      versionId: version.id,
      assessmentId: owner.assessmentId,
      orgId: owner.orgId,
      from: null,
      to: status,
      actor: author,
      at,
      note: null,
    },
    audit: {
      actor: author,
      action: 'version.add',
      target: `version:${version.id}`,
      orgId: owner.orgId,
      before: latest ? { versionId: latest.id, etag: latest.etag } : null,
      after: { assessmentId: owner.assessmentId, number, etag: version.etag, docHash, size, status, message },
    },
  };
}

// ── review status ──

/** A transition's input, checked; `record` (TransitionInput) becomes an entry of the same commit. */
export interface ParsedTransition {
  to: ReviewStatus;
  expectedFrom: ReviewStatus | undefined;
  actor: string;
  note: string | null;
  record: { action: string; before: Json; after: Json } | null;
}

export function parseTransitionInput(input: TransitionInput): ParsedTransition {
  const to = requireStatus(input?.to);
  const expectedFrom =
    input.expectedFrom === undefined ? undefined : requireStatus(input.expectedFrom, '期待する状態');
  const actor = requireText(input.actor, '操作者', 200);
  const note = optionalText(input.note, 'メモ', 2000);
  let record: ParsedTransition['record'] = null;
  if (input.record !== undefined) {
    if (!isPlainObject(input.record))
      throw new InvalidInputError('record は JSON オブジェクトである必要があります');
    const { action, before, after } = parseAuditInput(
      Object.assign({}, input.record, { actor, target: 'version' }),
    );
    record = { action, before: before ?? null, after: after ?? null };
  }
  return { to, expectedFrom, actor, note, record };
}

/** The transition from `from` (the version's current status) and its audit payloads; 409 when it is none. */
export function newTransition(
  input: ParsedTransition,
  v: Owner & { id: string; number: number },
  from: ReviewStatus,
  id: string,
  now: () => string,
): { transition: StatusTransition; audits: AuditInput[]; at: string } {
  const { to, expectedFrom, actor, note, record } = input;
  if (expectedFrom !== undefined && from !== expectedFrom) {
    throw new ConflictError(
      `第 ${v.number} 版の状態は既に「${from}」です (期待した状態: 「${expectedFrom}」)`,
    );
  }
  if (from === to) throw new ConflictError(`第 ${v.number} 版は既に「${to}」です`);
  // The time is taken once the move is allowed (a refused one takes none).
  const at = now();
  return {
    at,
    transition: {
      id,
      versionId: v.id,
      assessmentId: v.assessmentId,
      orgId: v.orgId,
      from,
      to,
      actor,
      at,
      note,
    },
    // The transition's own entry first, then the caller's record of it: one commit, in this order.
    audits: [
      {
        actor,
        action: 'status.transition',
        target: `version:${v.id}`,
        orgId: v.orgId,
        before: { status: from },
        after: { status: to, note },
      },
      ...(record ? [{ actor, target: `version:${v.id}`, orgId: v.orgId, ...record }] : []),
    ],
  };
}

// ── comments ──

/** A new thread root on `v`, or a reply under `root` (which carries the version, item and organisation). */
export function newComment(
  at: string,
  id: string,
  input: { body: string; author: string },
  on: { version: Owner & { id: string }; pointer: string } | { root: Comment },
): { comment: Comment; audit: AuditInput } {
  const { body, author } = input;
  // A new comment, root or reply, starts unresolved (resolution belongs to the thread root).
  const written = { body, author, createdAt: at, resolved: false, resolvedAt: null, resolvedBy: null };
  if ('root' in on) {
    const { root } = on;
    return {
      comment: Object.assign({}, root, { id, parentId: root.id, ...written }),
      audit: {
        actor: author,
        action: 'comment.reply',
        target: `comment:${id}`,
        orgId: root.orgId,
        after: { parentId: root.id, body },
      },
    };
  }
  const { version: v, pointer } = on;
  return {
    comment: {
      id,
      versionId: v.id,
      assessmentId: v.assessmentId,
      orgId: v.orgId,
      pointer,
      parentId: null,
      ...written,
    },
    audit: {
      actor: author,
      action: 'comment.add',
      target: `comment:${id}`,
      orgId: v.orgId,
      after: { versionId: v.id, pointer, body },
    },
  };
}

/** The thread root `c` resolved or reopened by `actor`. */
export function resolvedComment(
  c: Comment,
  resolved: boolean,
  actor: string,
  at: string,
): { comment: Comment; audit: AuditInput } {
  return {
    comment: Object.assign({}, c, {
      resolved,
      resolvedAt: resolved ? at : null,
      resolvedBy: resolved ? actor : null,
    }),
    audit: {
      actor,
      action: resolved ? 'comment.resolve' : 'comment.reopen',
      target: `comment:${c.id}`,
      orgId: c.orgId,
      before: { resolved: c.resolved },
      after: { resolved },
    },
  };
}

// ── check runs ──

export interface CheckRunInput {
  actor: string;
  summary: CheckRunInfo['summary'];
  meta: JsonObject | null;
  /** meta's JSON text (null without meta), as PostgreSQL stores it. */
  metaText: string | null;
  diagnostics: Diagnostic[];
  /** The diagnostics' JSON text, the same bytes hashed and written. */
  text: string;
  bytes: Buffer;
  hash: string;
}

export function parseCheckRunInput(input: {
  diagnostics: Diagnostic[];
  actor: string;
  meta?: JsonObject | null;
}): CheckRunInput {
  const actor = requireText(input?.actor, '操作者', 200);
  if (!Array.isArray(input.diagnostics)) throw new InvalidInputError('診断結果は配列である必要があります');
  const summary = summarise(input.diagnostics);
  if (input.meta !== undefined && input.meta !== null && !isPlainObject(input.meta)) {
    throw new InvalidInputError('meta は JSON オブジェクトである必要があります');
  }
  const metaText = input.meta ? toJsonText(input.meta, 'meta') : null;
  const text = toJsonText(input.diagnostics, '診断結果');
  const bytes = Buffer.from(text, 'utf8');
  return {
    actor,
    summary,
    meta: metaText ? (JSON.parse(metaText) as JsonObject) : null,
    metaText,
    diagnostics: JSON.parse(text) as Diagnostic[],
    text,
    bytes,
    hash: sha256Hex(bytes),
  };
}

export function newCheckRun(
  input: CheckRunInput,
  v: Owner & { id: string },
  id: string,
  at: string,
): { checkRun: CheckRunInfo; audit: AuditInput } {
  const { actor, summary, meta, hash } = input;
  return {
    checkRun: {
      id,
      versionId: v.id,
      assessmentId: v.assessmentId,
      orgId: v.orgId,
      actor,
      createdAt: at,
      summary,
      meta,
      diagnosticsHash: hash,
    },
    audit: {
      actor,
      action: 'checkrun.add',
      target: `checkrun:${id}`,
      orgId: v.orgId,
      after: { versionId: v.id, summary: { ...summary }, diagnosticsHash: hash },
    },
  };
}

// ── 変更箇所 judgements ──

export type ParsedJudgement = Pick<
  ChangeJudgement,
  'key' | 'exception' | 'timing' | 'reason' | 'date' | 'actor'
>;

export function parseJudgementInput(input: ChangeJudgementInput): ParsedJudgement {
  return {
    key: requireText(input?.key, '変更箇所のキー (JSON Pointer または項目)', 2000),
    // Blank form fields mean "no judgement on this point", as an absent key in an annotations file.
    exception: optionalException(input.exception),
    timing: optionalTiming(input.timing),
    reason: optionalNonBlankText(input.reason, '理由', 2000),
    date: optionalCalendarDate(input.date, '変更日'),
    actor: requireText(input.actor, '操作者', 200),
  };
}

/**
 * The judgement on (version, key) after `input`, replacing `old` (same id: it names the judgement on that
 * point, not one value of it); null when `old` already says the same (re-saving a form writes nothing).
 */
export function nextJudgement(
  input: ParsedJudgement,
  v: Owner & { id: string },
  old: ChangeJudgement | undefined,
  newIdFor: () => string,
  now: () => string,
): { judgement: ChangeJudgement; audit: AuditInput; at: string } | null {
  const { key, exception, timing, reason, date, actor } = input;
  if (
    old &&
    old.exception === exception &&
    old.timing === timing &&
    old.reason === reason &&
    old.date === date
  ) {
    return null;
  }
  const at = now();
  const j: ChangeJudgement = {
    id: old?.id ?? newIdFor(),
    versionId: v.id,
    assessmentId: v.assessmentId,
    orgId: v.orgId,
    key,
    exception,
    timing,
    reason,
    date,
    actor,
    at,
  };
  return {
    at,
    judgement: j,
    audit: {
      actor,
      action: 'judgement.set',
      target: `judgement:${j.id}`,
      orgId: v.orgId,
      before: old
        ? { exception: old.exception, timing: old.timing, reason: old.reason, date: old.date }
        : null,
      after: { versionId: v.id, key, exception, timing, reason, date },
    },
  };
}

// ── 見直し records ──

export type ParsedReview = Pick<ReviewRecord, 'date' | 'result' | 'note' | 'actor'>;

export function parseReviewInput(input: ReviewRecordInput): ParsedReview {
  return {
    date: requireCalendarDate(input?.date, '見直しの実施日'),
    result: requireReviewResult(input.result),
    note: optionalText(input.note, 'メモ', 2000),
    actor: requireText(input.actor, '操作者', 200),
  };
}

export function newReview(
  input: ParsedReview,
  a: { id: string; orgId: string },
  id: string,
  at: string,
): { review: ReviewRecord; audit: AuditInput } {
  const { date, result, note, actor } = input;
  return {
    review: { id, assessmentId: a.id, orgId: a.orgId, date, result, note, actor, at },
    audit: {
      actor,
      action: 'review.record',
      target: `review:${id}`,
      orgId: a.orgId,
      after: { assessmentId: a.id, date, result, note },
    },
  };
}

// ── users and tokens ──

export function newUser(
  u: { name: string; role: Role; orgId: string | null },
  id: string,
  actor: string,
  at: string,
): { user: User; audit: AuditInput } {
  return {
    user: { id, ...u, createdAt: at, disabledAt: null },
    audit: {
      actor,
      action: 'user.create',
      target: `user:${id}`,
      orgId: u.orgId,
      after: { name: u.name, role: u.role, orgId: u.orgId },
    },
  };
}

export function disabledUser(user: User, actor: string, at: string): { user: User; audit: AuditInput } {
  return {
    user: Object.assign({}, user, { disabledAt: at }),
    audit: {
      actor,
      action: 'user.disable',
      target: `user:${user.id}`,
      orgId: user.orgId,
      after: { disabledAt: at },
    },
  };
}

export interface ParsedToken {
  actor: string;
  label: string;
  expiresAt: string | null;
  /** A new user to create with the token, or null for a token of `userId`. */
  newUser: { name: string; role: Role; orgId: string | null } | null;
  userId: string | null;
}

export function parseTokenInput(input: CreateTokenInput, ctx: { actor: string }): ParsedToken {
  const actor = requireText(ctx?.actor, '操作者', 200);
  if (!isPlainObject(input)) throw new InvalidInputError('トークンの作成内容を指定してください');
  return {
    actor,
    label: optionalText(input.label, 'トークン名', 200) ?? '',
    expiresAt: optionalDate(input.expiresAt, '有効期限'),
    newUser: 'userId' in input ? null : validateNewUser(input),
    userId: 'userId' in input ? requireText(input.userId, '利用者', 200) : null,
  };
}

export function newToken(
  input: ParsedToken,
  user: User,
  id: string,
  at: string,
): { info: TokenInfo; audit: AuditInput } {
  const { actor, label, expiresAt } = input;
  return {
    info: { id, userId: user.id, label, createdAt: at, createdBy: actor, expiresAt, revokedAt: null },
    audit: {
      actor,
      action: 'token.create',
      target: `token:${id}`,
      orgId: user.orgId,
      after: { userId: user.id, role: user.role, label, expiresAt },
    },
  };
}

/** `orgId`: the organisation of the token's user (null for a user of none, or one no longer there). */
export function revokedToken<T extends TokenInfo>(
  token: T,
  orgId: string | null,
  actor: string,
  at: string,
): { token: T; audit: AuditInput } {
  return {
    token: Object.assign({}, token, { revokedAt: at }),
    audit: { actor, action: 'token.revoke', target: `token:${token.id}`, orgId, after: { revokedAt: at } },
  };
}
