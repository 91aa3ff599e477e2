// Each control evaluator on one system's facts: pass, fail (with the pointers of the contradicting facts),
// or unknown (facts missing — never a pass). Plus: the catalog and the evaluators match one to one.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateBindings } from '../../src/check/bindings.ts';
import { getCatalog, parseCatalog, resolveParams } from '../../src/check/catalog.ts';
import { MemoKey } from '../../src/check/context.ts';
import { CONTROL_EVALUATORS } from '../../src/check/controls/index.ts';
import { SNAPSHOT_SCHEMA_ID } from '../../src/check/snapshot.ts';
import { InternalError } from '../../src/errors.ts';
import { getRegistry } from '../../src/schema/registry.ts';
import { contextFor, jutenDoc, snapshot } from './helpers.ts';

type Any = { [k: string]: any };
type Row = {
  name: string;
  system: Any;
  stores?: Any[];
  params?: Any;
  status: 'pass' | 'fail' | 'unknown';
  pointers?: string[];
  /** Text the failure message contains (numbers are printed grouped: 「1,825 日」). */
  detail?: string;
};

const ACC = (id: string, extra: Any = {}) => ({
  id,
  department: '市民課',
  canSeeIndividualNumber: true,
  mfa: true,
  lastLogin: '2026-05-30',
  ...extra,
});

function evaluate(id: string, row: Row) {
  const snap = snapshot() as Any;
  snap.systems = [{ name: '業務システム', ...row.system }];
  snap.dataStores = (row.stores ?? []).map((s) => ({
    name: 'DB',
    system: '業務システム',
    file: 'テストファイル',
    ...s,
  }));
  const ctx = contextFor(jutenDoc(), snap);
  const spec = getCatalog().get(id)!;
  const { params, problems } = resolveParams(spec, row.params ?? {}, 'ja');
  expect(problems).toEqual([]);
  const target = { system: ctx.systems[0], stores: ctx.dataStores, file: ctx.declared.files[0] };
  return CONTROL_EVALUATORS[id].evaluate(target, params, ctx);
}

function table(id: string, rows: Row[]) {
  describe(id, () => {
    it.each(rows)('$name → $status', (row) => {
      const r = evaluate(id, row);
      expect(r.status).toBe(row.status);
      if (r.status === 'fail') {
        expect(r.details.join('')).toMatch(/[ぁ-ん]/);
        if (row.pointers) expect(r.pointers).toEqual(row.pointers);
        if (row.detail) expect(r.details.join('\n')).toContain(row.detail);
      }
      if (r.status === 'unknown') expect(r.missing).not.toBe('');
    });
  });
}

table('mfa-required', [
  {
    name: 'all enabled accounts',
    system: { accounts: [ACC('a'), ACC('b', { mfa: false, disabled: true })] },
    status: 'pass',
  },
  {
    name: 'one without',
    system: { accounts: [ACC('a'), ACC('b', { mfa: false })] },
    status: 'fail',
    pointers: ['/systems/0/accounts/1/mfa'],
  },
  {
    name: 'scope individual-number ignores others',
    system: { accounts: [ACC('a'), ACC('b', { mfa: false, canSeeIndividualNumber: false })] },
    params: { scope: 'individual-number' },
    status: 'pass',
  },
  {
    name: 'aggregated 0',
    system: { accountCounts: { total: 3, enabled: 3, enabledWithoutMfa: 0 } },
    status: 'pass',
  },
  {
    name: 'aggregated 2',
    system: { accountCounts: { total: 3, enabled: 3, enabledWithoutMfa: 2 } },
    status: 'fail',
  },
  { name: 'no facts', system: {}, status: 'unknown' },
]);

table('individual-number-access-restricted', [
  {
    name: 'only the 使用部署',
    system: { accounts: [ACC('a'), ACC('b', { department: '市民部 市民課' })] },
    status: 'pass',
  },
  {
    name: 'another department',
    system: { accounts: [ACC('a'), ACC('b', { department: '税務課' })] },
    status: 'fail',
    pointers: ['/systems/0/accounts/1/canSeeIndividualNumber'],
  },
  {
    name: 'a declared contractor',
    system: { accounts: [ACC('a', { department: undefined, contractor: '保守株式会社' })] },
    status: 'pass',
  },
  {
    name: 'an undeclared contractor',
    system: { accounts: [ACC('a', { department: undefined, contractor: '別会社' })] },
    status: 'fail',
  },
  {
    name: 'departments parameter',
    system: { accounts: [ACC('a', { department: '税務課' })] },
    params: { departments: '税務課、市民課' },
    status: 'pass',
  },
  {
    name: 'maxAccounts',
    system: { accounts: [ACC('a'), ACC('b')] },
    params: { maxAccounts: 1 },
    status: 'fail',
    pointers: ['/systems/0/accounts'],
  },
  {
    name: 'aggregated with maxAccounts',
    system: { accountCounts: { total: 9, enabled: 9, canSeeIndividualNumber: 3 } },
    params: { maxAccounts: 5 },
    status: 'pass',
  },
  {
    name: 'aggregated without maxAccounts',
    system: { accountCounts: { total: 9, enabled: 9, canSeeIndividualNumber: 3 } },
    status: 'unknown',
  },
]);

table('access-log-retained', [
  { name: 'long enough', system: { accessLog: { enabled: true, retentionDays: 365 } }, status: 'pass' },
  {
    name: 'too short',
    system: { accessLog: { enabled: true, retentionDays: 364 } },
    status: 'fail',
    pointers: ['/systems/0/accessLog/retentionDays'],
  },
  {
    name: 'parameter',
    system: { accessLog: { enabled: true, retentionDays: 1000 } },
    params: { days: 1825 },
    status: 'fail',
    detail: '操作ログの保存日数が 1,000 日で、1,825 日に足りません',
  },
  {
    name: 'disabled',
    system: { accessLog: { enabled: false } },
    status: 'fail',
    pointers: ['/systems/0/accessLog/enabled'],
  },
  { name: 'no retention', system: { accessLog: { enabled: true } }, status: 'unknown' },
  { name: 'no facts', system: {}, status: 'unknown' },
]);

table('transport-encrypted', [
  { name: 'all encrypted', system: { connections: [{ to: 'x', encrypted: true }] }, status: 'pass' },
  {
    name: 'one plain',
    system: {
      connections: [
        { to: 'x', encrypted: true },
        { to: 'y', encrypted: false },
      ],
    },
    status: 'fail',
    pointers: ['/systems/0/connections/1/encrypted'],
  },
  { name: 'inTransit off', system: { encryption: { inTransit: false } }, status: 'fail' },
  { name: 'no connections at all', system: { connections: [] }, status: 'pass' },
  { name: 'no facts', system: {}, status: 'unknown' },
]);

table('at-rest-encrypted', [
  { name: 'system', system: { encryption: { atRest: true } }, status: 'pass' },
  { name: 'system off', system: { encryption: { atRest: false } }, status: 'fail' },
  {
    name: 'a store off',
    system: { encryption: { atRest: true } },
    stores: [{ encryptedAtRest: false }],
    status: 'fail',
    pointers: ['/dataStores/0/encryptedAtRest'],
  },
  { name: 'stores only', system: {}, stores: [{ encryptedAtRest: true }], status: 'pass' },
  { name: 'no facts', system: {}, status: 'unknown' },
]);

table('no-internet-exposure', [
  { name: 'closed', system: { internetReachable: false }, status: 'pass' },
  {
    name: 'open',
    system: { internetReachable: true },
    status: 'fail',
    pointers: ['/systems/0/internetReachable'],
  },
  { name: 'no facts', system: {}, status: 'unknown' },
]);

table('removable-media-blocked', [
  { name: 'blocked', system: { removableMedia: 'blocked' }, status: 'pass' },
  {
    name: 'registered only (not allowed by default)',
    system: { removableMedia: 'registered-only' },
    status: 'fail',
  },
  {
    name: 'registered only (allowRegistered)',
    system: { removableMedia: 'registered-only' },
    params: { allowRegistered: true },
    status: 'pass',
  },
  {
    name: 'allowed',
    system: { removableMedia: 'allowed' },
    params: { allowRegistered: true },
    status: 'fail',
  },
  { name: 'no facts', system: {}, status: 'unknown' },
]);

table('stale-accounts-disabled', [
  { name: 'recent logins', system: { accounts: [ACC('a', { lastLogin: '2026-03-04' })] }, status: 'pass' },
  {
    name: '89 days idle',
    system: { accounts: [ACC('a', { lastLogin: '2026-03-04T09:00:00+09:00' })] },
    status: 'pass',
  },
  {
    name: '90 days idle',
    system: { accounts: [ACC('a', { lastLogin: '2026-03-03T09:00:00+09:00' })] },
    status: 'fail',
    pointers: ['/systems/0/accounts/0/lastLogin'],
  },
  {
    name: 'idle but disabled',
    system: { accounts: [ACC('a', { lastLogin: '2025-01-01', disabled: true })] },
    status: 'pass',
  },
  {
    name: 'transferred, still enabled',
    system: { accounts: [ACC('a', { transferDate: '2026-04-01' })] },
    status: 'fail',
    pointers: ['/systems/0/accounts/0/transferDate'],
  },
  {
    name: 'transfer in the future',
    system: { accounts: [ACC('a', { transferDate: '2026-07-01' })] },
    status: 'pass',
  },
  {
    name: 'parameter',
    system: { accounts: [ACC('a', { lastLogin: '2026-04-01' })] },
    params: { days: 30 },
    status: 'fail',
  },
  {
    name: 'counts for the same period',
    system: {
      accountCounts: { total: 5, enabled: 5, staleEnabled: { days: 90, count: 0 }, enabledAfterTransfer: 0 },
    },
    status: 'pass',
  },
  {
    name: 'none idle ≥ 60 ⇒ none ≥ 90',
    system: { accountCounts: { total: 5, enabled: 5, staleEnabled: { days: 60, count: 0 } } },
    status: 'pass',
  },
  {
    name: 'some idle ≥ 120 ⇒ some ≥ 90',
    system: { accountCounts: { total: 5, enabled: 5, staleEnabled: { days: 120, count: 1 } } },
    status: 'fail',
  },
  {
    name: 'some idle ≥ 60: undecided',
    system: { accountCounts: { total: 5, enabled: 5, staleEnabled: { days: 60, count: 1 } } },
    status: 'unknown',
  },
  {
    name: 'transferred (counts)',
    system: { accountCounts: { total: 5, enabled: 5, enabledAfterTransfer: 1 } },
    status: 'fail',
  },
]);

table('backup-recent', [
  { name: 'within 24 h', system: { backup: { lastSuccess: '2026-05-31T10:00:00+09:00' } }, status: 'pass' },
  {
    name: '25 h',
    system: { backup: { lastSuccess: '2026-05-31T08:00:00+09:00' } },
    status: 'fail',
    pointers: ['/systems/0/backup/lastSuccess'],
  },
  {
    name: 'parameter',
    system: { backup: { lastSuccess: '2026-05-31T08:00:00+09:00' } },
    params: { hours: 48 },
    status: 'pass',
  },
  { name: 'no facts', system: { backup: { schedule: '毎日' } }, status: 'unknown' },
]);

table('data-in-japan', [
  { name: 'JP', system: { location: { country: 'JP' } }, status: 'pass' },
  {
    name: 'backup abroad',
    system: { location: { country: 'JP' }, backup: { location: { country: 'SG' } } },
    status: 'fail',
    pointers: ['/systems/0/backup/location/country'],
  },
  {
    name: 'a store abroad',
    system: { location: { country: 'JP' } },
    stores: [{ location: { country: 'US' } }],
    status: 'fail',
  },
  { name: 'no location', system: {}, status: 'unknown' },
]);

table('password-policy', [
  { name: 'defaults', system: { passwordPolicy: { minLength: 8, lockoutThreshold: 10 } }, status: 'pass' },
  {
    name: 'short',
    system: { passwordPolicy: { minLength: 6, lockoutThreshold: 5 } },
    status: 'fail',
    pointers: ['/systems/0/passwordPolicy/minLength'],
  },
  {
    name: 'parameters',
    system: { passwordPolicy: { minLength: 10, lockoutThreshold: 5 } },
    params: { minLength: 12, lockoutThreshold: 3 },
    status: 'fail',
  },
  { name: 'no lockout setting', system: { passwordPolicy: { minLength: 12 } }, status: 'unknown' },
]);

describe('catalog', () => {
  it('catalog ids, evaluators and controls/<id>.ts files match one to one', () => {
    const ids = getCatalog()
      .controls.map((c) => c.id)
      .sort();
    expect(Object.keys(CONTROL_EVALUATORS).sort()).toEqual(ids);
    const files = readdirSync(new URL('../../src/check/controls/', import.meta.url))
      .filter((f) => f.endsWith('.ts') && !['index.ts', 'control.ts'].includes(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(files).toEqual(ids);
    for (const [id, e] of Object.entries(CONTROL_EVALUATORS)) expect(e.id).toBe(id);
  });

  it('has at least the controls the issue names', () => {
    const ids = getCatalog().controls.map((c) => c.id);
    for (const id of [
      'mfa-required',
      'individual-number-access-restricted',
      'access-log-retained',
      'transport-encrypted',
      'at-rest-encrypted',
      'no-internet-exposure',
      'removable-media-blocked',
      'stale-accounts-disabled',
      'backup-recent',
      'data-in-japan',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('every fact a control reads exists in the snapshot schema', () => {
    const registry = getRegistry();
    const root = registry.schema(SNAPSHOT_SCHEMA_ID)!;
    const defs = root.$defs as Any;
    const resolve = (node: Any): Any =>
      typeof node?.$ref === 'string' ? defs[node.$ref.split('/').pop() as string] : node;
    for (const c of getCatalog().controls) {
      for (const pattern of c.reads) {
        let node: Any = root;
        for (const t of pattern.split('/').slice(1)) {
          node = resolve(node);
          node = t === '*' ? resolve(node.items) : resolve(node.properties?.[t]);
          expect(node, `${c.id}: ${pattern} (${t})`).toBeTruthy();
        }
      }
    }
  });

  it('defaults satisfy their own parameter types', () => {
    for (const c of getCatalog().controls) expect(resolveParams(c, {}, 'ja').problems).toEqual([]);
  });

  it('a broken catalog is our bug, not user input', () => {
    expect(() => parseCatalog('controls: [{id: x}]')).toThrow(InternalError);
    expect(() => parseCatalog('controls: [')).toThrow(InternalError);
  });
});

describe('CheckContext.memo', () => {
  it('computes once per context and key (undefined and falsy results included), never across contexts', () => {
    const a = contextFor(jutenDoc(), snapshot());
    const b = contextFor(jutenDoc(), snapshot());
    const LIST = new MemoKey<number[]>('list');
    const NOTHING = new MemoKey<undefined>('nothing');
    let calls = 0;
    const first = a.memo(LIST, () => [++calls]);
    expect(a.memo(LIST, () => [++calls])).toBe(first);
    expect(b.memo(LIST, () => [++calls])).toEqual([2]);
    expect(a.memo(NOTHING, () => void calls++)).toBeUndefined();
    expect(a.memo(NOTHING, () => void calls++)).toBeUndefined();
    expect(calls).toBe(3);
    // The shared rule results are memoised the same way: one object per check.
    expect(evaluateBindings(a)).toBe(evaluateBindings(a));
    expect(evaluateBindings(b)).not.toBe(evaluateBindings(a));
  });
});
