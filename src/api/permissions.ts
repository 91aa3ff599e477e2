// Who may do what: one table, read by the routes, the web pages, the OpenAPI document and the tests.
//
// Scope rule (applies on top of the table): admin sees every organisation; every other role sees only its
// own organisation. A resource of another organisation answers 404, exactly as a resource that does not
// exist, so a token never learns which ids exist elsewhere. 403 is reserved for "you can see it, but your
// role may not do this" — and a role check comes before any lookup, so a 403 never depends on existence.
import type { Principal, Role } from '../store/index.ts';
import { forbidden } from './http-error.ts';

export const ACTIONS = [
  'me.read',
  'organisation.read',
  'organisation.create',
  'token.create',
  'assessment.read',
  'assessment.create',
  'assessment.update',
  'assessment.delete',
  'version.read',
  'version.create',
  'validate',
  'threshold',
  'diff',
  'render',
  'check.run',
  'check.read',
  'comment.read',
  'comment.write',
  'comment.resolve',
  'review.record',
  'judgement.write',
  'status.read',
  'status.transition',
  'audit.read',
  'audit.verify',
] as const;
export type Action = (typeof ACTIONS)[number];

const ALL: readonly Role[] = ['admin', 'officer', 'reviewer', 'ci'];
const READERS: readonly Role[] = ['admin', 'officer', 'reviewer'];

/**
 * Roles allowed per action. `status.transition` is further restricted per transition by procedure.ts
 * (a reviewer may only record the 第三者点検 result; an officer may not).
 */
export const PERMISSIONS: Readonly<Record<Action, readonly Role[]>> = {
  'me.read': ALL,
  'organisation.read': READERS,
  'organisation.create': ['admin'],
  'token.create': ['admin'],
  'assessment.read': READERS,
  'assessment.create': ['admin', 'officer'],
  'assessment.update': ['admin', 'officer'],
  'assessment.delete': ['admin', 'officer'],
  'version.read': READERS,
  'version.create': ['admin', 'officer'],
  validate: READERS,
  threshold: READERS,
  diff: READERS,
  render: READERS,
  'check.run': ['admin', 'officer', 'ci'],
  'check.read': READERS,
  'comment.read': READERS,
  'comment.write': READERS,
  'comment.resolve': READERS,
  // 「見直しを実施した」 (the yearly review of the 評価書, calendar): those who keep the 評価書.
  'review.record': ['admin', 'officer'],
  // 変更箇所への判断 (例外・提出時期・理由) of a version: those who may write versions.
  'judgement.write': ['admin', 'officer'],
  'status.read': READERS,
  'status.transition': READERS,
  'audit.read': ['admin', 'officer'],
  'audit.verify': ['admin'],
};

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[action].includes(role);
}

/** Throws 403 unless the principal's role may perform `action`; the message names the roles that may. */
export function authorize(p: Principal, action: Action): void {
  if (can(p.role, action)) return;
  const allowed = PERMISSIONS[action].map((r) => ROLE_NAMES[r]);
  throw forbidden(
    `${ROLE_NAMES[p.role]}の権限では、この操作はできません (できるのは ${allowed.join('・')} です)。`,
  );
}

/** Whether the principal may see data of organisation `orgId`. */
export function canSeeOrg(p: Principal, orgId: string): boolean {
  return p.role === 'admin' || (p.orgId !== null && p.orgId === orgId);
}

/** The roles in the words of the README and the pages (個人情報保護担当者, 第三者点検 …). */
export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  admin: '管理者',
  officer: '個人情報保護担当者',
  reviewer: '第三者点検者',
  ci: '自動照合',
};
