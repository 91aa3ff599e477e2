// The review status of a version follows the procedure of its form and kind of organisation
// (pia-domain.md §5). Pure: the route gathers the facts (history, document, validation result, clock).
//
//   基礎            下書き → 提出 → 公表
//   重点            下書き → [意見聴取] → [第三者点検] → 提出 → 公表      ([ ] 任意: may be skipped)
//   全項目 地方公共団体等  下書き → 意見聴取 (≥ 30 日) → 第三者点検 → 提出 → 公表
//   全項目 行政機関等    下書き → 意見聴取 (≥ 30 日) → 提出 (委員会の承認を求める) → 公表 (承認後)
//
// Going back to 下書き is allowed from 意見聴取 (取下げ・見直し), 第三者点検 (点検で修正が必要) and 提出
// (差戻し). 公表 is final for a version: a revision is a new version, which starts at 下書き.
import type { ReviewStatus, Role, StatusTransition } from '../store/index.ts';
import type { FormId, JsonObject } from '../types.ts';
import { parseUserDate } from '../load/user-dates.ts';
import { getAtPointer } from '../pointer.ts';
import { PUBLIC_COMMENT_MIN_DAYS } from '../calendar/constants.ts';
import { isRealReason, NON_REASONS } from '../calendar/reasons.ts';

export type OrgType = '地方公共団体等' | '行政機関等';
export const ORG_TYPES: readonly OrgType[] = ['地方公共団体等', '行政機関等'];

// 意見聴取 lasts at least this many days unless the document records a 特段の理由 (指針 第5の3). Defined once, in
// the calendar (below this module), which counts the same days.
export { PUBLIC_COMMENT_MIN_DAYS };
export const SHORTENING_REASON_POINTER = '/procedure/publicComment/shorteningReason';
export const PUBLIC_COMMENT_PERIOD_POINTER = '/procedure/publicComment/period';

// What counts as a 特段の理由 (not blank, 「なし」, dashes…) is decided once, in the calendar, which reads the same
// cell: the server then allows exactly the shortenings the calendar reports.
export { isRealReason, NON_REASONS };

type Kind = { formId: FormId; orgType: OrgType };

interface TransitionRule {
  from: ReviewStatus;
  to: ReviewStatus;
  roles: readonly Role[];
  applies: (k: Kind) => boolean;
  /** What the transition means, for the UI and the OpenAPI description. */
  meaning: string;
  /** The note must say this (the 点検 result, the 承認). */
  note?: string;
  /** Leaving 意見聴取 forward: at least 30 days unless a 特段の理由 is recorded (全項目 only). */
  minPublicComment?: boolean;
  /** The version must validate without errors. */
  clean?: boolean;
}

const OFFICERS: readonly Role[] = ['admin', 'officer'];
const REVIEWERS: readonly Role[] = ['admin', 'reviewer'];
const is =
  (...forms: FormId[]) =>
  (k: Kind) =>
    forms.includes(k.formId);
const zenkomokuOf = (t: OrgType) => (k: Kind) => k.formId === 'zenkomoku' && k.orgType === t;

export const TRANSITION_RULES: readonly TransitionRule[] = [
  {
    from: '下書き',
    to: '意見聴取',
    roles: OFFICERS,
    applies: is('juten', 'zenkomoku'),
    meaning: '評価書を公示し、意見聴取を始める',
  },
  {
    from: '下書き',
    to: '提出',
    roles: OFFICERS,
    applies: is('kiso', 'juten'),
    meaning: '個人情報保護委員会へ提出する',
    clean: true,
  },
  {
    from: '意見聴取',
    to: '第三者点検',
    roles: OFFICERS,
    applies: (k) => k.formId === 'juten' || zenkomokuOf('地方公共団体等')(k),
    meaning: '意見聴取を終え、第三者点検を依頼する',
    minPublicComment: true,
  },
  {
    from: '意見聴取',
    to: '提出',
    roles: OFFICERS,
    applies: (k) => k.formId === 'juten' || zenkomokuOf('行政機関等')(k),
    meaning: '意見聴取を終え、個人情報保護委員会へ提出する (行政機関等の全項目評価は承認を求める)',
    minPublicComment: true,
    clean: true,
  },
  {
    from: '意見聴取',
    to: '下書き',
    roles: OFFICERS,
    applies: is('juten', 'zenkomoku'),
    meaning: '意見聴取を取り下げ、下書きに戻す',
  },
  {
    from: '第三者点検',
    to: '提出',
    roles: REVIEWERS,
    applies: (k) => k.formId === 'juten' || zenkomokuOf('地方公共団体等')(k),
    meaning: '第三者点検の結果を記録し、提出へ進める',
    note: '第三者点検の結果',
    clean: true,
  },
  {
    from: '第三者点検',
    to: '下書き',
    roles: ['admin', 'officer', 'reviewer'],
    applies: (k) => k.formId === 'juten' || zenkomokuOf('地方公共団体等')(k),
    meaning: '第三者点検で修正が必要とされた (または取り下げた) ため、下書きに戻す',
    note: '理由 (点検での指摘など)',
  },
  {
    from: '提出',
    to: '公表',
    roles: OFFICERS,
    applies: (k) => !zenkomokuOf('行政機関等')(k),
    meaning: '評価書を公表する',
    clean: true,
  },
  {
    from: '提出',
    to: '公表',
    roles: OFFICERS,
    applies: zenkomokuOf('行政機関等'),
    meaning: '個人情報保護委員会の承認を得て公表する',
    note: '個人情報保護委員会の承認 (承認日など)',
    clean: true,
  },
  {
    from: '提出',
    to: '下書き',
    roles: OFFICERS,
    applies: () => true,
    meaning: '差し戻されたため、下書きに戻す',
  },
];

export interface TransitionFacts {
  formId: FormId | undefined;
  orgType: string | undefined;
  from: ReviewStatus;
  to: ReviewStatus;
  role: Role;
  note?: string | null;
  /** The version's status history (oldest first). */
  history: readonly StatusTransition[];
  doc: JsonObject;
  /** Validation errors (not warnings) of the version. */
  errors: number;
  now: Date;
  /** Label path of a pointer in the document's form, for messages (never retyped here). */
  labelOf: (pointer: string) => string;
}

export type TransitionVerdict =
  | {
      ok: true;
      meaning: string;
      /** 意見聴取 ends before 30 days on the document's 特段の理由: to be recorded in the audit log. */
      shortened?: { reason: string; elapsedDays: number; minDays: number };
    }
  /** 403: the role may not; 409: the procedure does not allow it now (or for this form); 400: note missing. */
  | { ok: false; status: 400 | 403 | 409; message: string };

function kindOf(f: Pick<TransitionFacts, 'formId' | 'orgType'>): Kind | undefined {
  if (!f.formId) return undefined;
  const orgType = ORG_TYPES.find((t) => t === f.orgType);
  // 基礎/重点 do not depend on the organisation type; 全項目 does.
  if (!orgType && f.formId === 'zenkomoku') return undefined;
  return { formId: f.formId, orgType: orgType ?? '地方公共団体等' };
}

/** Calendar days (JST) from the day of `from` to the day of `to`. */
export function daysBetween(from: Date, to: Date): number {
  const jstDay = (d: Date) => Math.floor((d.getTime() + 9 * 3600_000) / 86_400_000);
  return jstDay(to) - jstDay(from);
}

/** 2021-07-21 … 2021-08-20 → 31 (the forms count both ends: 「(31日間)」). */
function recordedPeriodDays(doc: JsonObject): { days: number; to: string } | undefined {
  const p = getAtPointer(doc, PUBLIC_COMMENT_PERIOD_POINTER) as { from?: unknown; to?: unknown } | undefined;
  if (!p || typeof p !== 'object' || typeof p.from !== 'string' || typeof p.to !== 'string') return undefined;
  // Real days in range only: a period 0001-01-01 … 2020-01-01 must not count as a finished 30 days.
  if ('problem' in parseUserDate(p.from, 'date') || 'problem' in parseUserDate(p.to, 'date'))
    return undefined;
  const a = Date.parse(`${p.from}T00:00:00Z`);
  const b = Date.parse(`${p.to}T00:00:00Z`);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a) return undefined;
  return { days: Math.round((b - a) / 86_400_000) + 1, to: p.to };
}

function jstToday(now: Date): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** Days since the version entered 意見聴取 (0 when unknown). */
function publicCommentElapsed(f: Pick<TransitionFacts, 'history' | 'now'>): number {
  const entered = [...f.history].reverse().find((t) => t.to === '意見聴取');
  return entered ? daysBetween(new Date(entered.at), f.now) : 0;
}

/** Why 意見聴取 may not end yet, or undefined when it may. */
function publicCommentShortfall(f: TransitionFacts): string | undefined {
  if (publicCommentShortening(f)) return undefined;
  // Done before the server knew the document: the period recorded in the document counts once it has ended.
  const recorded = recordedPeriodDays(f.doc);
  if (recorded && recorded.days >= PUBLIC_COMMENT_MIN_DAYS && recorded.to < jstToday(f.now)) return undefined;
  const entered = [...f.history].reverse().find((t) => t.to === '意見聴取');
  const elapsed = entered ? daysBetween(new Date(entered.at), f.now) : 0;
  if (elapsed >= PUBLIC_COMMENT_MIN_DAYS) return undefined;
  const since = entered
    ? `意見聴取の開始 (${jstToday(new Date(entered.at))}) から ${elapsed} 日`
    : '意見聴取の開始日が不明';
  const written = getAtPointer(f.doc, SHORTENING_REASON_POINTER);
  const notAReason =
    typeof written === 'string' && written.trim() !== ''
      ? `記載されている「${written.trim()}」は理由になっていません (空欄・「-」・「なし」などは理由として扱いません)。`
      : '';
  return (
    `意見聴取の期間は原則 ${PUBLIC_COMMENT_MIN_DAYS} 日以上必要です (${since})。` +
    `期間を短縮する場合は、評価書の「${f.labelOf(SHORTENING_REASON_POINTER)}」に特段の理由を記載してください。` +
    notAReason
  );
}

/**
 * The 特段の理由 this transition relies on to end 意見聴取 before 30 days, or undefined when the period
 * is complete (or the document has no real reason). The caller records a shortening in the audit log.
 */
function publicCommentShortening(f: TransitionFacts): { reason: string; elapsedDays: number } | undefined {
  const reason = getAtPointer(f.doc, SHORTENING_REASON_POINTER);
  if (!isRealReason(reason)) return undefined;
  const elapsedDays = publicCommentElapsed(f);
  if (elapsedDays >= PUBLIC_COMMENT_MIN_DAYS) return undefined;
  const recorded = recordedPeriodDays(f.doc);
  if (recorded && recorded.days >= PUBLIC_COMMENT_MIN_DAYS && recorded.to < jstToday(f.now)) return undefined;
  return { reason, elapsedDays };
}

export function evaluateTransition(f: TransitionFacts): TransitionVerdict {
  if (f.from === f.to) return { ok: false, status: 409, message: `この版は既に「${f.to}」です。` };
  const kind = kindOf(f);
  if (!kind) {
    return {
      ok: false,
      status: 409,
      message:
        '評価書の様式 (form / formVersion)、または全項目評価書の評価実施機関の種別 (organization.type) を判別できないため、手続を進められません。',
    };
  }
  const candidates = TRANSITION_RULES.filter((r) => r.from === f.from && r.to === f.to && r.applies(kind));
  if (candidates.length === 0) {
    const next = TRANSITION_RULES.filter((r) => r.from === f.from && r.applies(kind)).map(
      (r) => `「${r.to}」`,
    );
    return {
      ok: false,
      status: 409,
      message:
        `この評価書の手続では「${f.from}」から「${f.to}」へは進めません。` +
        (next.length
          ? `進められるのは ${[...new Set(next)].join('、')} です。`
          : '公表済みの版は変更できません。新しい版を登録してください。'),
    };
  }
  const rule = candidates[0];
  if (!rule.roles.includes(f.role)) {
    return {
      ok: false,
      status: 403,
      message: `「${f.from}」から「${f.to}」への変更は、この役割 (${f.role}) ではできません。`,
    };
  }
  if (rule.note && !(typeof f.note === 'string' && f.note.trim() !== '')) {
    return { ok: false, status: 400, message: `この変更には ${rule.note} を note に記載してください。` };
  }
  let shortened: { reason: string; elapsedDays: number; minDays: number } | undefined;
  if (rule.minPublicComment && kind.formId === 'zenkomoku') {
    const shortfall = publicCommentShortfall(f);
    if (shortfall) return { ok: false, status: 409, message: shortfall };
    const s = publicCommentShortening(f);
    if (s) shortened = Object.assign({}, s, { minDays: PUBLIC_COMMENT_MIN_DAYS });
  }
  if (rule.clean && f.errors > 0) {
    return {
      ok: false,
      status: 409,
      message: `この版には検証エラーが ${f.errors} 件あるため「${f.to}」へ進められません。エラーを直した版を登録してください。`,
    };
  }
  return { ok: true, meaning: rule.meaning, ...(shortened ? { shortened } : {}) };
}

export interface TransitionOption {
  to: ReviewStatus;
  meaning: string;
  allowed: boolean;
  /** Why not, when not allowed. */
  reason?: string;
  /** The note must say this. */
  note?: string;
}

/** The transitions of the procedure from the current status, each with whether this principal may take it now. */
export function listTransitions(f: Omit<TransitionFacts, 'to' | 'note'>): TransitionOption[] {
  const kind = kindOf(f);
  if (!kind) return [];
  return TRANSITION_RULES.filter((r) => r.from === f.from && r.applies(kind)).map((r) => {
    const v = evaluateTransition(Object.assign({}, f, { to: r.to, note: r.note ? '(記載あり)' : null }));
    return {
      to: r.to,
      meaning: r.meaning,
      allowed: v.ok,
      ...(v.ok ? {} : { reason: v.message }),
      ...(r.note ? { note: r.note } : {}),
    };
  });
}

/** The organisation type a document declares (`organization.type`). */
export function orgTypeOf(doc: JsonObject): string | undefined {
  const t = getAtPointer(doc, '/organization/type');
  return typeof t === 'string' ? t : undefined;
}
