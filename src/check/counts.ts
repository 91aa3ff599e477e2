// Counts the snapshot implies: persons (本人), users (使用者), handlers (取扱者), serious incidents. When the
// snapshot states a count (`counts`), that wins; otherwise it is computed from the facts, as a lower bound.
import { MemoKey, type At, type CheckContext } from './context.ts';
import { minusYears } from './dates.ts';
import type { DeclaredFile } from './declared.ts';
import type { SnapshotIncident, SnapshotSystem } from './snapshot-types.ts';

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

/** Each enabled staff account id of a system (contractor staff are not 使用者). */
function eachStaffId(s: At<SnapshotSystem>, each: (id: string) => void): void {
  for (const a of s.value.accounts ?? []) if (a.disabled !== true && !a.contractor) each(a.id);
}

interface AllStaff {
  /** Distinct enabled staff ids over the listing systems. */
  size: number;
  listing: At<SnapshotSystem>[];
  /** Enabled staff accounts of each listing system. */
  counts: Map<At<SnapshotSystem>, number>;
  /** No id is on two accounts: the distinct ids of some systems are the sum of their counts. */
  distinct: boolean;
}

/**
 * Enabled staff accounts over every system that lists its accounts, and whether any id is on two accounts
 * (the same person on two systems is one 使用者), computed once per check. Hashing the ids into a Set was
 * the largest part of counting them (~10 µs for the API bench's 200 accounts, a tenth of a check), so the
 * usual export is recognised without it: when each system's ids are in strictly ascending order and the
 * systems' id ranges do not overlap, every id is on one account. Otherwise the ids are hashed.
 */
const ALL_STAFF = new MemoKey<AllStaff>('all staff');

function allStaff(ctx: CheckContext): AllStaff {
  return ctx.memo(ALL_STAFF, () => allStaffOf(ctx));
}

function allStaffOf(ctx: CheckContext): AllStaff {
  const listing = ctx.systems.filter((s) => s.value.accounts);
  const counts = new Map<At<SnapshotSystem>, number>();
  const ranges: { first: string; last: string }[] = [];
  let total = 0;
  let ascending = true;
  for (const s of listing) {
    let n = 0;
    let first: string | undefined;
    let last: string | undefined;
    for (const a of s.value.accounts ?? []) {
      if (a.disabled === true || a.contractor) continue;
      if (last === undefined) first = a.id;
      else if (!(last < a.id)) ascending = false;
      last = a.id;
      n++;
    }
    counts.set(s, n);
    total += n;
    if (first !== undefined && last !== undefined) ranges.push({ first, last });
  }
  if (ascending) {
    ranges.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    for (let i = 1; i < ranges.length && ascending; i++) ascending = ranges[i - 1].last < ranges[i].first;
  }
  if (ascending) return { size: total, listing, counts, distinct: true };
  const ids = new Set<string>();
  for (const s of listing) eachStaffId(s, (id) => ids.add(id));
  return { size: ids.size, listing, counts, distinct: ids.size === total };
}

/** Distinct enabled staff ids on the given systems. */
function distinctStaff(ctx: CheckContext, systems: ReadonlySet<At<SnapshotSystem>>): number {
  const { size, listing, counts, distinct } = allStaff(ctx);
  if (distinct) {
    let n = 0;
    for (const s of systems) n += counts.get(s) ?? 0;
    return n;
  }
  const inside = listing.filter((s) => systems.has(s));
  const outside = listing.filter((s) => !systems.has(s));
  if (outside.length === 0) return size;
  const accountsOf = (list: At<SnapshotSystem>[]) =>
    list.reduce((n, s) => n + (s.value.accounts?.length ?? 0), 0);
  if (accountsOf(outside) < accountsOf(inside)) {
    // A file is usually held by most systems: every id, minus those found only on the systems left out.
    const onlyOutside = new Set<string>();
    for (const s of outside) eachStaffId(s, (id) => onlyOutside.add(id));
    for (const s of inside) {
      if (onlyOutside.size === 0) break;
      eachStaffId(s, (id) => onlyOutside.delete(id));
    }
    return size - onlyOutside.size;
  }
  const seen = new Set<string>();
  for (const s of inside) eachStaffId(s, (id) => seen.add(id));
  return seen.size;
}

/**
 * 使用者数 of a file: distinct enabled staff accounts on the systems holding it. Contractor staff are not
 * 使用者 (they are 委託先における取扱者). A system exported only as counts adds its enabled count.
 */
export function fileUsers(ctx: CheckContext, file: DeclaredFile): Count | undefined {
  const systems = ctx.systemsHolding(file);
  const listed = new Set<At<SnapshotSystem>>();
  let aggregated = 0;
  let known = false;
  const from: string[] = [];
  for (const s of systems) {
    if (s.value.accounts) {
      known = true;
      from.push(`${s.pointer}/accounts`);
      listed.add(s);
    } else if (s.value.accountCounts) {
      known = true;
      from.push(`${s.pointer}/accountCounts/enabled`);
      aggregated += s.value.accountCounts.enabled;
    }
  }
  return known ? { value: distinctStaff(ctx, listed) + aggregated, from } : undefined;
}

/** 取扱者数 of the 事務: staff accounts plus the staff of contractors and subcontractors. */
export function jimuHandlers(ctx: CheckContext): Count | undefined {
  const stated = ctx.snapshot.counts?.handlers;
  if (stated !== undefined) return { value: stated, from: ['/counts/handlers'] };
  let total = 0;
  let known = false;
  const from: string[] = [];
  for (const s of ctx.systems) {
    if (s.value.accounts) known = true;
    else if (s.value.accountCounts) {
      known = true;
      total += s.value.accountCounts.enabled;
    }
  }
  const staff = known ? allStaff(ctx).size : 0;
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
  return known ? { value: staff + total, from } : undefined;
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
  const incidents = ctx.snapshot.incidents;
  // Most registers are empty: no date arithmetic for them (three calls per check).
  if (!incidents?.length) return [];
  const since = minusYears(ctx.asOfDay, years);
  return incidents
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
