// Input validation shared by every backend: a request is checked (and normalised) the same way whatever
// stores it, so the contract suite sees the same InvalidInputError messages from memory, lowdb and
// PostgreSQL. Validation runs before a write is queued: an invalid request never reaches a transaction.
import { EXCEPTIONS } from '../diff/types.ts';
import { parsePointer } from '../pointer.ts';
import { FORM_NAMES, type Diagnostic, type FormId, type JsonObject } from '../types.ts';
import { InvalidInputError } from './errors.ts';
import {
  REVIEW_RESULTS,
  REVIEW_STATUSES,
  ROLES,
  type CheckSummary,
  type ReviewResult,
  type ReviewStatus,
  type Role,
} from './types.ts';

export function requireText(value: unknown, what: string, max = 1000): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(`${what}を指定してください`);
  if (value.length > max) throw new InvalidInputError(`${what}が長すぎます (${max} 文字まで)`);
  return value;
}

export function optionalText(value: unknown, what: string, max = 1000): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidInputError(`${what}は文字列で指定してください`);
  if (value.length > max) throw new InvalidInputError(`${what}が長すぎます (${max} 文字まで)`);
  return value;
}

/** Like optionalText, but blank is "not given": a form field left empty means no value, not an empty one. */
export function optionalNonBlankText(value: unknown, what: string, max = 1000): string | null {
  const text = optionalText(value, what, max);
  return text === null || text.trim() === '' ? null : text;
}

export function requireStatus(value: unknown, what = '状態'): ReviewStatus {
  if (!REVIEW_STATUSES.includes(value as ReviewStatus)) {
    throw new InvalidInputError(`${what}「${String(value)}」は不正です (${REVIEW_STATUSES.join(' / ')})`);
  }
  return value as ReviewStatus;
}

export function requireRole(value: unknown): Role {
  if (!ROLES.includes(value as Role))
    throw new InvalidInputError(`ロール「${String(value)}」は不正です (${ROLES.join(' / ')})`);
  return value as Role;
}

export function optionalForm(value: unknown): FormId | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !Object.hasOwn(FORM_NAMES, value)) {
    throw new InvalidInputError(
      `様式「${String(value)}」は不正です (${Object.keys(FORM_NAMES).join(' / ')})`,
    );
  }
  return value as FormId;
}

/** A point in time (ISO 8601 with zone, or anything Date.parse reads), normalised to UTC ISO. */
export function optionalDate(value: unknown, what: string): string | null {
  if (value === undefined || value === null) return null;
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new InvalidInputError(`${what}「${String(value)}」は日時として読めません`);
  return new Date(t).toISOString();
}

/**
 * A calendar day written YYYY-MM-DD that exists (2025-02-30 does not). Days of 評価書 (変更日, 見直しの日)
 * are stated by people, not instants: they are kept as written, never shifted by a time zone.
 */
export function requireCalendarDate(value: unknown, what: string): string {
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d)
      return value as string;
  }
  throw new InvalidInputError(`${what}「${String(value)}」は YYYY-MM-DD の実在する日付で指定してください`);
}

export function optionalCalendarDate(value: unknown, what: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  return requireCalendarDate(value, what);
}

/** 変更箇所の例外: one of the wordings of the 指針 (diff/ owns the list, as annotation files use it). */
export function optionalException(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (!(EXCEPTIONS as readonly unknown[]).includes(value)) {
    throw new InvalidInputError(`例外「${String(value)}」は不正です (${EXCEPTIONS.join(' / ')})`);
  }
  return value as string;
}

export function optionalTiming(value: unknown): '事前' | '事後' | null {
  if (value === undefined || value === null || value === '') return null;
  if (value !== '事前' && value !== '事後')
    throw new InvalidInputError(`提出時期「${String(value)}」は不正です (事前 / 事後)`);
  return value;
}

export function requireReviewResult(value: unknown): ReviewResult {
  if (!REVIEW_RESULTS.includes(value as ReviewResult)) {
    throw new InvalidInputError(`見直しの結果「${String(value)}」は不正です (${REVIEW_RESULTS.join(' / ')})`);
  }
  return value as ReviewResult;
}

export function requirePointer(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidInputError('項目の JSON Pointer を指定してください');
  try {
    parsePointer(value);
  } catch (e) {
    throw new InvalidInputError((e as Error).message);
  }
  if (/~(?![01])/.test(value))
    throw new InvalidInputError(`JSON Pointer の ~ は ~0 か ~1 である必要があります: ${value}`);
  return value;
}

export function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Serialises a caller's value exactly as it will be stored; rejects what JSON cannot hold. */
export function toJsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new InvalidInputError(`${what}を JSON に変換できません (${(e as Error).message})`);
  }
  if (text === undefined) throw new InvalidInputError(`${what}を JSON に変換できません`);
  return text;
}

/** Counts per severity (waived apart); also the check that every diagnostic has a known severity. */
export function summarise(diagnostics: Diagnostic[]): CheckSummary {
  const s: CheckSummary = { error: 0, warning: 0, info: 0, waived: 0, total: diagnostics.length };
  diagnostics.forEach((d, i) => {
    if (d === null || typeof d !== 'object' || !['error', 'warning', 'info'].includes(d.severity)) {
      throw new InvalidInputError(`診断結果の ${i + 1} 件目の severity が不正です`);
    }
    if (d.waived) s.waived++;
    else s[d.severity]++;
  });
  return s;
}

/** The validated new-user fields (createUser, and createToken for a new user). */
export function validateNewUser(input: { name: unknown; role: unknown; orgId: unknown }): {
  name: string;
  role: Role;
  orgId: string | null;
} {
  const name = requireText(input?.name, '利用者名', 200);
  const role = requireRole(input.role);
  const orgId =
    input.orgId === null || input.orgId === undefined ? null : requireText(input.orgId, '組織', 200);
  if (orgId === null && role !== 'admin')
    throw new InvalidInputError(`ロール ${role} の利用者には組織が必要です`);
  return { name, role, orgId };
}
