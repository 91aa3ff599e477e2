// Counts the snapshot implies: persons (本人), users (使用者), handlers (取扱者), serious incidents. When the
// snapshot states a count (`counts`), that wins; otherwise it is computed from the facts, as a lower bound.
import type { At, CheckContext } from './context.ts';
import { minusYears } from './dates.ts';
import type { DeclaredFile } from './declared.ts';
import type { SnapshotIncident } from './snapshot-types.ts';

export interface Count {
  value: number;
  /** Snapshot pointers the count comes from. */
  from: string[];
}

function maxOf(entries: { value: number; pointer: string }[]): Count | undefined {
  if (entries.length === 0) return undefined;
  const best = entries.reduce((a, b) => (b.value > a.value ? b : a));
  return { value: best.value, from: [best.pointer] };
}

/**
 * 本人の数 of one file: the largest data store holding it. Stores of one file are copies or parts of the
 * same population (VRS and 健康管理システム both hold the vaccinated), so adding them would double-count.
 */
export function filePersons(ctx: CheckContext, file: DeclaredFile): Count | undefined {
  return maxOf(
    ctx
      .storesOf(file)
      .filter((d) => d.value.persons !== undefined)
      .map((d) => ({ value: d.value.persons as number, pointer: `${d.pointer}/persons` })),
  );
}

/** 対象人数 of the 事務. */
export function jimuPersons(ctx: CheckContext): Count | undefined {
  const stated = ctx.snapshot.counts?.persons;
  if (stated !== undefined) return { value: stated, from: ['/counts/persons'] };
  return maxOf(
    ctx.dataStores
      .filter((d) => d.value.persons !== undefined)
      .map((d) => ({ value: d.value.persons as number, pointer: `${d.pointer}/persons` })),
  );
}

/**
 * 使用者数 of a file: distinct enabled staff accounts on the systems holding it. Contractor staff are not
 * 使用者 (they are 委託先における取扱者). A system exported only as counts adds its enabled count.
 */
export function fileUsers(ctx: CheckContext, file: DeclaredFile): Count | undefined {
  const systems = ctx.systemsHolding(file);
  const ids = new Set<string>();
  let aggregated = 0;
  let known = false;
  const from: string[] = [];
  for (const s of systems) {
    if (s.value.accounts) {
      known = true;
      from.push(`${s.pointer}/accounts`);
      for (const a of s.value.accounts) if (a.disabled !== true && !a.contractor) ids.add(a.id);
    } else if (s.value.accountCounts) {
      known = true;
      from.push(`${s.pointer}/accountCounts/enabled`);
      aggregated += s.value.accountCounts.enabled;
    }
  }
  return known ? { value: ids.size + aggregated, from } : undefined;
}

/** 取扱者数 of the 事務: staff accounts plus the staff of contractors and subcontractors. */
export function jimuHandlers(ctx: CheckContext): Count | undefined {
  const stated = ctx.snapshot.counts?.handlers;
  if (stated !== undefined) return { value: stated, from: ['/counts/handlers'] };
  const ids = new Set<string>();
  let total = 0;
  let known = false;
  const from: string[] = [];
  for (const s of ctx.systems) {
    if (s.value.accounts) {
      known = true;
      for (const a of s.value.accounts) if (a.disabled !== true && !a.contractor) ids.add(a.id);
    } else if (s.value.accountCounts) {
      known = true;
      total += s.value.accountCounts.enabled;
    }
  }
  if (known) from.push('/systems');
  for (const c of ctx.contractors) {
    if (c.value.staff !== undefined) {
      known = true;
      total += c.value.staff;
      from.push(`${c.pointer}/staff`);
    }
    (c.value.subcontractors ?? []).forEach((s, i) => {
      if (s.staff !== undefined) {
        known = true;
        total += s.staff;
        from.push(`${c.pointer}/subcontractors/${i}/staff`);
      }
    });
  }
  return known ? { value: ids.size + total, from } : undefined;
}

/**
 * Serious incidents in the register within `years` before asOf (inclusive), not in the future. With
 * `specificOnly`, only those involving 特定個人情報 (the しきい値判断 input); incidents not attributable to
 * the body (配送事故 etc.) are not 重大事故 of the body (pia-domain.md §2.1).
 */
export function seriousIncidents(
  ctx: CheckContext,
  years: number,
  specificOnly: boolean,
): At<SnapshotIncident>[] {
  const since = minusYears(ctx.asOfDay, years);
  return (ctx.snapshot.incidents ?? [])
    .map((value, i) => ({ value, pointer: `/incidents/${i}` }))
    .filter(
      ({ value: x }) =>
        x.serious &&
        x.attributable !== false &&
        (!specificOnly || x.specificPersonalInfo) &&
        x.date >= since &&
        x.date <= ctx.asOfDay,
    );
}
