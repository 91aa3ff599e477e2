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
  'status.read': READERS,
  'status.transition': READERS,
  'audit.read': ['admin', 'officer'],
  'audit.verify': ['admin'],
};

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[action].includes(role);
}

/** Throws 403 unless the principal's role may perform `action`. */
export function authorize(p: Principal, action: Action): void {
  if (!can(p.role, action)) throw forbidden(`${ROLE_NAMES[p.role]}の権限では、この操作はできません。`);
}

/** Whether the principal may see data of organisation `orgId`. */
export function canSeeOrg(p: Principal, orgId: string): boolean {
  return p.role === 'admin' || (p.orgId !== null && p.orgId === orgId);
}

export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  admin: '管理者 (admin)',
  officer: '担当者 (officer)',
  reviewer: '点検者 (reviewer)',
  ci: 'CI (ci)',
};
