// The second half of verifyAudit, shared by every backend: the records checked against the audit entries
// that committed them. Each entry commits to what its change wrote: a version's document hash, ETag and
// number; a check run's version, summary and diagnostics hash; a status transition's from and to. So the
// chain also protects the records it describes: a document replaced together with its version record, a
// check run or review status rewritten behind the store's back, fail here even though each record still
// looks well-formed. The same holds for the current 変更箇所 judgements and the 見直し records (their last
// `judgement.set` / their `review.record` entry). `brokenAt: 0` means a record that has no audit entry.
import { canonicalJson } from './audit-chain.ts';
import type {
  AuditEntry,
  AuditVerification,
  ChangeJudgement,
  CheckRunInfo,
  ReviewRecord,
  ReviewStatus,
  StatusTransition,
  VersionInfo,
} from './types.ts';

export interface AuditedRecords {
  audit: readonly AuditEntry[];
  /** Version records (the status is not needed: it comes from `transitions`). */
  versions: readonly Omit<VersionInfo, 'status'>[];
  /** All transitions, oldest first. */
  transitions: readonly StatusTransition[];
  checkRuns: Iterable<CheckRunInfo>;
  /** The current judgement per (version, key). */
  judgements: readonly ChangeJudgement[];
  reviews: readonly ReviewRecord[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** `chain` is verifyAuditChain's result over `records.audit`; returned unchanged when the records match. */
export function verifyAuditedRecords(chain: AuditVerification, records: AuditedRecords): AuditVerification {
  if (!chain.ok) return chain;
  const broken = (e: AuditEntry | undefined, reason: string): AuditVerification => ({
    ok: false,
    count: chain.count,
    brokenAt: e?.seq ?? 0,
    reason,
  });
  const byTarget = new Map<string, AuditEntry[]>();
  for (const e of records.audit) {
    if (
      e.action === 'version.add' ||
      e.action === 'checkrun.add' ||
      e.action === 'status.transition' ||
      e.action === 'judgement.set' ||
      e.action === 'review.record'
    )
      push(byTarget, `${e.action} ${e.target}`, e);
  }
  const transitionsOf = new Map<string, StatusTransition[]>();
  for (const t of records.transitions) push(transitionsOf, t.versionId, t);
  for (const v of records.versions) {
    const adds = byTarget.get(`version.add version:${v.id}`);
    const e = adds?.[adds.length - 1];
    const after = (e?.after ?? {}) as Partial<VersionInfo> & { status?: ReviewStatus };
    if (
      !e ||
      after.docHash !== v.docHash ||
      after.etag !== v.etag ||
      after.number !== v.number ||
      after.assessmentId !== v.assessmentId
    ) {
      return broken(
        e,
        e
          ? `第 ${v.number} 版 (${v.id}) の記録が監査ログ ${e.seq} 件目の内容と一致しません (版の記録が改変されています)`
          : `第 ${v.number} 版 (${v.id}) に対応する監査ログがありません (版の記録が追加・改変されています)`,
      );
    }
    // The status history: the initial status is in version.add, every later one in status.transition.
    const history = transitionsOf.get(v.id) ?? [];
    const moves = byTarget.get(`status.transition version:${v.id}`) ?? [];
    const initial = history[0];
    if (!initial || initial.from !== null || (after.status !== undefined && initial.to !== after.status)) {
      return broken(
        e,
        `第 ${v.number} 版 (${v.id}) の最初の状態が監査ログ ${e.seq} 件目と一致しません (状態の記録が改変されています)`,
      );
    }
    for (let i = 0; i < Math.max(moves.length, history.length - 1); i++) {
      const t = history[i + 1];
      const m = moves[i];
      const before = (m?.before ?? {}) as { status?: unknown };
      const to = (m?.after ?? {}) as { status?: unknown };
      if (!t || !m || before.status !== t.from || to.status !== t.to) {
        return broken(
          m,
          `第 ${v.number} 版 (${v.id}) の状態の履歴が監査ログ${m ? ` ${m.seq} 件目` : ''}と一致しません (状態の記録が追加・削除・改変されています)`,
        );
      }
    }
  }
  for (const c of records.checkRuns) {
    const adds = byTarget.get(`checkrun.add checkrun:${c.id}`);
    const e = adds?.[adds.length - 1];
    const after = (e?.after ?? {}) as { versionId?: unknown; summary?: unknown; diagnosticsHash?: unknown };
    if (
      !e ||
      after.versionId !== c.versionId ||
      after.diagnosticsHash !== c.diagnosticsHash ||
      canonicalJson(after.summary) !== canonicalJson(c.summary)
    ) {
      return broken(
        e,
        e
          ? `照合記録 ${c.id} が監査ログ ${e.seq} 件目の内容と一致しません (照合記録が改変されています)`
          : `照合記録 ${c.id} に対応する監査ログがありません (照合記録が追加・改変されています)`,
      );
    }
  }
  for (const j of records.judgements) {
    const sets = byTarget.get(`judgement.set judgement:${j.id}`);
    const e = sets?.[sets.length - 1];
    const { versionId, key, exception, timing, reason, date } = j;
    if (!e || canonicalJson(e.after) !== canonicalJson({ versionId, key, exception, timing, reason, date })) {
      return broken(
        e,
        e
          ? `変更箇所の判断 ${j.id} (${j.key}) が監査ログ ${e.seq} 件目の内容と一致しません (判断の記録が改変されています)`
          : `変更箇所の判断 ${j.id} (${j.key}) に対応する監査ログがありません (判断の記録が追加・改変されています)`,
      );
    }
  }
  for (const r of records.reviews) {
    const adds = byTarget.get(`review.record review:${r.id}`);
    const e = adds?.[adds.length - 1];
    const { assessmentId, date, result, note } = r;
    if (!e || canonicalJson(e.after) !== canonicalJson({ assessmentId, date, result, note })) {
      return broken(
        e,
        e
          ? `見直しの記録 ${r.id} が監査ログ ${e.seq} 件目の内容と一致しません (見直しの記録が改変されています)`
          : `見直しの記録 ${r.id} に対応する監査ログがありません (見直しの記録が追加・改変されています)`,
      );
    }
  }
  return chain;
}
