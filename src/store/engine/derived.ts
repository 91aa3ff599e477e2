// What readers ask for often, kept up to date as commits are published (never from a draft), so that no
// read scans the growing tables: the newest version and version count of each assessment, the review
// status and history of each version, each version's check runs and current 変更箇所 judgements, and each
// assessment's 見直し records.
import type { ChangeJudgement, ReviewRecord, ReviewStatus, StatusTransition } from '../types.ts';
import { push, type CheckRunRecord, type TableName, type Tables, type VersionRecord } from './tables.ts';

export class Derived {
  readonly latest = new Map<string, VersionRecord>();
  readonly count = new Map<string, number>();
  readonly status = new Map<string, ReviewStatus>();
  readonly transitionsOf = new Map<string, StatusTransition[]>();
  /** versionId → its check runs' ids, oldest first (the rows are in the RowLog). */
  readonly checkRunsOf = new Map<string, string[]>();
  /** versionId → key → the current judgement. */
  readonly judgementsOf = new Map<string, Map<string, ChangeJudgement>>();
  readonly reviewsOf = new Map<string, ReviewRecord[]>();

  static of(state: Tables): Derived {
    const d = new Derived();
    for (const v of state.versions) d.published('versions', v, true);
    for (const t of state.transitions) d.published('transitions', t, true);
    for (const c of state.checkRuns) d.published('checkRuns', c, true);
    for (const j of state.judgements) d.published('judgements', j, true);
    for (const r of state.reviews) d.published('reviews', r, true);
    return d;
  }

  /**
   * A row was published: `added` for a new row, otherwise a new state of an existing one. Versions,
   * transitions, check runs and reviews are never replaced; a judgement is replaced per (version, key).
   */
  published(t: TableName, row: unknown, added: boolean): void {
    if (t === 'judgements') {
      const j = row as ChangeJudgement;
      let byKey = this.judgementsOf.get(j.versionId);
      if (!byKey) this.judgementsOf.set(j.versionId, (byKey = new Map()));
      byKey.set(j.key, j);
      return;
    }
    if (!added) return;
    if (t === 'versions') {
      const v = row as VersionRecord;
      this.latest.set(v.assessmentId, v);
      this.count.set(v.assessmentId, (this.count.get(v.assessmentId) ?? 0) + 1);
    } else if (t === 'transitions') {
      const s = row as StatusTransition;
      this.status.set(s.versionId, s.to);
      push(this.transitionsOf, s.versionId, s);
    } else if (t === 'checkRuns') {
      const c = row as CheckRunRecord;
      push(this.checkRunsOf, c.versionId, c.id);
    } else if (t === 'reviews') {
      const r = row as ReviewRecord;
      push(this.reviewsOf, r.assessmentId, r);
    }
  }
}
