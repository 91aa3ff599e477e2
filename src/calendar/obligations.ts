// An assessment and its history → its obligations, each dated and judged against an explicit as-of day.
// Pure: the same history and as-of day give the same list, byte for byte.
import { PUBLIC_COMMENT_MIN_DAYS } from './constants.ts';
import { addDays, addYears, daysBetween, isIsoDate, jstDay, wareki } from './dates.ts';
import {
  classifyPublications,
  labelFor,
  POINTERS,
  readDocumentDates,
  shortLabel,
  type Publication,
} from './facts.ts';
import {
  ANNUAL_REVIEW_RESET_BY_PUBLICATION,
  ENDED_DROPS_PERIODIC,
  FIVE_YEARS,
  PUBLICATION_RESETS,
  PUBLISHED_AFTER_END_YEARS,
  REVIEW_INTERVAL_YEARS,
  RULES,
  type ObligationRule,
} from './rules.ts';
import {
  UNDETERMINABLE,
  type AssessmentHistory,
  type Obligation,
  type ObligationState,
  type ObligationType,
  type PublicCommentWindow,
  type VersionFacts,
} from './types.ts';

/** The state of a dated obligation on `asOf`: the due day itself is still 期限間近, the day after is 期限超過. */
export function stateOn(dueDate: string, asOf: string, leadDays: number, done: boolean): ObligationState {
  if (done) return '完了';
  const left = daysBetween(asOf, dueDate);
  if (left < 0) return '期限超過';
  if (left <= leadDays) return '期限間近';
  return '予定';
}

/** The recorded time of a day-only fact: midnight JST of that day. */
const dayStart = (iso: string) => `${iso}T00:00:00+09:00`;
const toInstant = (s: string) => new Date(Date.parse(s)).toISOString();
const laterOf = (a: string, b: string) => (toInstant(a) > toInstant(b) ? a : b);

/** When a version was published in the procedure (the 公表 transition), else when it was recorded. */
function publishedAt(v: VersionFacts, fallbackDay: string | undefined): string {
  const t = [...(v.transitions ?? [])].reverse().find((x) => x.to === '公表');
  return toInstant(t?.at ?? v.createdAt ?? dayStart(fallbackDay ?? '1970-01-01'));
}

interface Base {
  history: AssessmentHistory;
  asOf: string;
}

function make(
  b: Base,
  type: ObligationType,
  rule: ObligationRule,
  fields: {
    idSuffix?: string;
    title?: string;
    dueDate: string | null;
    done?: boolean;
    state?: ObligationState;
    explanation: string;
    window?: PublicCommentWindow;
    sequence: number;
    modifiedAt: string;
  },
): Obligation {
  const h = b.history;
  const state: ObligationState =
    fields.state ??
    (fields.dueDate === null ? '判定不能' : stateOn(fields.dueDate, b.asOf, rule.leadDays, !!fields.done));
  return {
    id: `${h.id}/${type}${fields.idSuffix ?? ''}`,
    type,
    assessmentId: h.id,
    assessmentTitle: h.title,
    orgId: h.orgId ?? null,
    orgName: h.orgName ?? null,
    kind: rule.kind,
    basis: rule.basis,
    title: fields.title ?? rule.title,
    dueDate: fields.dueDate,
    dueDateWareki: wareki(fields.dueDate),
    daysLeft: fields.dueDate === null ? null : daysBetween(b.asOf, fields.dueDate),
    state,
    explanation: fields.explanation,
    ...(fields.window ? { window: fields.window } : {}),
    revision: { sequence: fields.sequence, modifiedAt: toInstant(fields.modifiedAt) },
  };
}

const versionName = (v: VersionFacts) => `第${v.number}版`;

// ───────────── 見直し (yearly) ─────────────

function annualReview(b: Base, pubs: Publication[]): Obligation | undefined {
  const latest = pubs[pubs.length - 1];
  if (!latest) return undefined;
  if (!latest.dates.publishedDate) {
    return make(b, 'annual-review', RULES.annualReview, {
      dueDate: null,
      explanation: `${UNDETERMINABLE} (${versionName(latest.version)}の「${labelFor(latest.dates, POINTERS.publishedDate)}」)。`,
      sequence: pubs.length - 1,
      modifiedAt: publishedAt(latest.version, undefined),
    });
  }
  type Anchor = { day: string; at: string; what: string };
  const anchors: Anchor[] = [];
  if (ANNUAL_REVIEW_RESET_BY_PUBLICATION) {
    for (const p of pubs)
      if (p.dates.publishedDate)
        anchors.push({
          day: p.dates.publishedDate,
          at: publishedAt(p.version, p.dates.publishedDate),
          what: `${versionName(p.version)}の${shortLabel(p.dates, POINTERS.publishedDate)}`,
        });
  }
  for (const r of b.history.reviews ?? [])
    if (isIsoDate(r.date))
      anchors.push({
        day: r.date,
        at: toInstant(r.at ?? dayStart(r.date)),
        what: `見直し (結果: ${r.result})`,
      });
  // Latest day wins; on the same day the later record (its explanation names the 見直し).
  anchors.sort((x, y) => x.day.localeCompare(y.day) || x.at.localeCompare(y.at));
  const anchor = anchors[anchors.length - 1];
  const due = addYears(anchor.day, REVIEW_INTERVAL_YEARS);
  return make(b, 'annual-review', RULES.annualReview, {
    dueDate: due,
    explanation: `${anchor.what} (${wareki(anchor.day)}) から${REVIEW_INTERVAL_YEARS}年以内に見直してください。`,
    sequence: anchors.length - 1,
    modifiedAt: anchors.reduce((m, a) => (a.at > m ? a.at : m), anchor.at),
  });
}

// ───────────── 5年経過前の再実施 ─────────────

function fiveYear(b: Base, pubs: Publication[]): Obligation | undefined {
  const resetting = pubs.filter((p) => PUBLICATION_RESETS[p.kind]);
  const r = resetting[resetting.length - 1];
  if (!r) return undefined;
  const later = pubs.slice(pubs.indexOf(r) + 1);
  const notReset = later.length
    ? `その後の${later.map((p) => `${versionName(p.version)} (${p.kind})`).join('、')}では起算し直していません (重要な変更の再実施・修正が起算点を改めるかは未確認のため、早い方の期限で示します)。`
    : '';
  if (!r.dates.publishedDate) {
    return make(b, 'five-year', RULES.fiveYear, {
      dueDate: null,
      explanation: `${UNDETERMINABLE} (${versionName(r.version)}の「${labelFor(r.dates, POINTERS.publishedDate)}」)。${notReset}`,
      sequence: resetting.length - 1,
      modifiedAt: publishedAt(r.version, undefined),
    });
  }
  const due = addYears(r.dates.publishedDate, FIVE_YEARS);
  return make(b, 'five-year', RULES.fiveYear, {
    dueDate: due,
    explanation:
      `${versionName(r.version)} (${r.kind === '初回' ? '記録にある最初の公表' : r.kind}) の${shortLabel(r.dates, POINTERS.publishedDate)} (${wareki(r.dates.publishedDate)}) から` +
      `${FIVE_YEARS}年を経過する前に評価を再実施してください。${notReset}`,
    sequence: resetting.length - 1,
    modifiedAt: publishedAt(r.version, r.dates.publishedDate),
  });
}

// ───────────── 意見聴取 ─────────────

/**
 * The 意見聴取 of a version: from the procedure recorded on the server when there is one (the day it entered
 * 意見聴取, the day it left), else from the period written in the 評価書. Days are counted as the procedure
 * rule counts them (src/api/procedure.ts): the move on is allowed from start + 30 days, and a recorded period
 * counts both ends (「(31日間)」).
 */
export function publicCommentWindow(v: VersionFacts, asOf: string): PublicCommentWindow | undefined {
  const dates = readDocumentDates(v.doc);
  const shortened = dates.shorteningReason !== undefined;
  const reason = dates.shorteningReason ?? null;
  const ts = v.transitions ?? [];
  let enteredIdx = -1;
  for (let i = ts.length - 1; i >= 0; i--)
    if (ts[i].to === '意見聴取' && ts[i].from !== null) {
      enteredIdx = i;
      break;
    }
  if (enteredIdx >= 0) {
    const start = jstDay(ts[enteredIdx].at) as string;
    const left = ts.slice(enteredIdx + 1).find((t) => t.from === '意見聴取');
    const end = left ? (jstDay(left.at) as string) : null;
    // Withdrawn to 下書き: the window no longer counts.
    if (left && left.to === '下書き') return undefined;
    return {
      versionNumber: v.number,
      source: '手続の記録',
      start,
      end,
      ongoing: !left,
      daysElapsed: daysBetween(start, end ?? asOf),
      earliestNext: shortened ? start : addDays(start, PUBLIC_COMMENT_MIN_DAYS),
      shortened,
      reason,
    };
  }
  const p = dates.period;
  if (p) {
    const start = p.from ?? null;
    const end = p.to ?? null;
    const finished = end !== null && end < asOf;
    return {
      versionNumber: v.number,
      source: '評価書の記載',
      start,
      end,
      ongoing: !finished && v.status === '意見聴取',
      daysElapsed:
        start === null
          ? null
          : finished && end !== null
            ? daysBetween(start, end) + 1
            : Math.max(0, daysBetween(start, asOf)),
      earliestNext: start === null ? null : shortened ? start : addDays(start, PUBLIC_COMMENT_MIN_DAYS),
      shortened,
      reason,
    };
  }
  if (v.status === '意見聴取') {
    // Added already in 意見聴取 (an import) and no period written: the start is not known.
    return {
      versionNumber: v.number,
      source: '評価書の記載',
      start: null,
      end: null,
      ongoing: true,
      daysElapsed: null,
      earliestNext: null,
      shortened,
      reason,
    };
  }
  return undefined;
}

function publicComment(b: Base): Obligation | undefined {
  const v = b.history.versions[b.history.versions.length - 1];
  if (!v) return undefined;
  const dates = readDocumentDates(v.doc);
  // 重点: 任意 (no obligation); 基礎: none. The procedure panel still shows a 重点 window.
  if (dates.formId !== 'zenkomoku') return undefined;
  const w = publicCommentWindow(v, b.asOf);
  const periodLabel = labelFor(dates, POINTERS.period);
  const reasonLabel = shortLabel(dates, POINTERS.shorteningReason);
  const modifiedAt =
    [...(v.transitions ?? [])].reverse().find((t) => t.to === '意見聴取' && t.from !== null)?.at ??
    v.createdAt ??
    dayStart(w?.start ?? b.asOf);
  const suffix = `/v${v.number}`;
  if (!w) {
    // Past 意見聴取 with nothing recorded: the 30-day rule cannot be checked.
    if (v.status === '下書き') return undefined;
    return make(b, 'public-comment', RULES.publicComment, {
      idSuffix: suffix,
      dueDate: null,
      explanation: `${UNDETERMINABLE} (${versionName(v)}の「${periodLabel}」)。`,
      sequence: 0,
      modifiedAt,
    });
  }
  if (w.start === null || w.earliestNext === null) {
    return make(b, 'public-comment', RULES.publicComment, {
      idSuffix: suffix,
      dueDate: null,
      window: w,
      explanation: `${UNDETERMINABLE} (${versionName(v)}の意見聴取の開始日。「${periodLabel}」を記載してください)。`,
      sequence: 0,
      modifiedAt,
    });
  }
  const shortNote = w.shortened ? ` 期間を短縮しています (${reasonLabel}: ${w.reason})。` : '';
  const finished = !w.ongoing && w.end !== null && (w.source === '手続の記録' || w.end < b.asOf);
  if (finished) {
    const length =
      w.source === '手続の記録' ? (w.daysElapsed ?? 0) : daysBetween(w.start, w.end as string) + 1;
    const ok = w.shortened || length >= PUBLIC_COMMENT_MIN_DAYS;
    return make(b, 'public-comment', RULES.publicComment, {
      idSuffix: suffix,
      dueDate: w.earliestNext,
      ...(ok ? { done: true } : { state: '期限超過' as const }),
      window: w,
      explanation: ok
        ? `意見聴取 ${wareki(w.start)}～${wareki(w.end)} (${length}日${w.source === '手続の記録' ? '経過後に次の手続へ' : '間'})。${shortNote}`
        : `意見聴取が ${length}日で終わっています (原則${PUBLIC_COMMENT_MIN_DAYS}日以上)。短縮した場合は評価書の「${reasonLabel}」に特段の理由を記載してください。`,
      sequence: 0,
      modifiedAt,
    });
  }
  const elapsed = Math.max(0, daysBetween(w.start, b.asOf));
  const canMove = b.asOf >= w.earliestNext;
  return make(b, 'public-comment', RULES.publicComment, {
    idSuffix: suffix,
    dueDate: w.earliestNext,
    ...(canMove ? { done: true } : {}),
    window: w,
    explanation:
      (b.asOf < w.start
        ? `意見聴取は ${wareki(w.start)} に始まる予定です。`
        : `意見聴取 ${wareki(w.start)} から ${elapsed}日経過。`) +
      (canMove ? '次の手続に進めます。' : `${wareki(w.earliestNext)} から次の手続に進めます。`) +
      (w.end ? ` 記載の期間の終わり: ${wareki(w.end)}。` : '') +
      shortNote,
    sequence: 0,
    modifiedAt,
  });
}

// ───────────── re-assessment required by a check run or a 見直し ─────────────

/** A later publication that re-did the assessment (or, for a 修正, any later publication) on or after `day`. */
function resolvedBy(
  pubs: Publication[],
  day: string,
  afterVersion: number,
  anyPublication: boolean,
): Publication | undefined {
  return pubs.find(
    (p) =>
      p.version.number > afterVersion &&
      p.dates.publishedDate !== undefined &&
      p.dates.publishedDate >= day &&
      (anyPublication || p.kind !== '修正'),
  );
}

function fromCheckRuns(b: Base, pubs: Publication[]): Obligation[] {
  const runs = [...(b.history.checkRuns ?? [])].sort((x, y) => x.createdAt.localeCompare(y.createdAt));
  const run = runs[runs.length - 1];
  if (!run?.diagnostics) return [];
  const day = jstDay(run.createdAt) as string;
  const versionNumber = b.history.versions.find((v) => v.id === run.versionId)?.number ?? 0;
  const live = run.diagnostics.filter((d) => !d.waived);
  const out: Obligation[] = [];
  const groups: [ObligationType, ObligationRule, string][] = [
    ['significant-change', RULES.significantChange, '重要な変更'],
    ['threshold-escalation', RULES.thresholdEscalation, '要再評価'],
  ];
  for (const [type, rule, consequence] of groups) {
    const found = live.filter((d) => d.consequence === consequence);
    if (!found.length) continue;
    const by = resolvedBy(pubs, day, versionNumber, false);
    const sample = found
      .slice(0, 3)
      .map((d) => `・${d.message}`)
      .join('\n');
    out.push(
      make(b, type, rule, {
        title:
          type === 'significant-change'
            ? `${rule.title}: 重要な変更に当たる相違 ${found.length} 件`
            : `${rule.title}`,
        dueDate: day,
        done: by !== undefined,
        explanation:
          (by
            ? `${versionName(by.version)} の公表 (${wareki(by.dates.publishedDate as string)}) で対応済み。`
            : `ライブ構成との照合 (${wareki(day)}) で見つかりました。` +
              (type === 'significant-change'
                ? '重要な変更は変更の前に評価を再実施する必要があります。稼働中の構成であれば期限を過ぎています。'
                : '上位の評価を速やかに実施してください。')) +
          `\n${sample}${found.length > 3 ? `\n・ほか ${found.length - 3} 件` : ''}`,
        // Resolution is a revision too: the event changes from open to 完了.
        sequence: runs.length - 1 + (by ? 1 : 0),
        modifiedAt: by
          ? laterOf(run.createdAt, publishedAt(by.version, by.dates.publishedDate))
          : run.createdAt,
      }),
    );
  }
  return out;
}

function fromReviews(b: Base, pubs: Publication[]): Obligation[] {
  const reviews = [...(b.history.reviews ?? [])]
    .filter((r) => isIsoDate(r.date))
    .sort((x, y) => x.date.localeCompare(y.date) || (x.at ?? '').localeCompare(y.at ?? ''));
  const last = reviews[reviews.length - 1];
  if (!last || last.result === '変更なし') return [];
  const reassess = last.result === '再実施が必要';
  const type: ObligationType = reassess ? 'review-reassessment' : 'review-correction';
  const rule = reassess ? RULES.reviewReassessment : RULES.reviewCorrection;
  const by = resolvedBy(pubs, last.date, 0, !reassess);
  return [
    make(b, type, rule, {
      dueDate: last.date,
      done: by !== undefined,
      explanation:
        (by
          ? `${versionName(by.version)} の公表 (${wareki(by.dates.publishedDate as string)}) で対応済み。`
          : `${wareki(last.date)} の見直しの結果「${last.result}」。` +
            (reassess
              ? '評価を再実施してください (重要な変更であれば変更の前に)。'
              : '評価書を速やかに修正し、提出・公表してください。')) +
        (last.note ? `メモ: ${last.note}` : ''),
      sequence: reviews.length - 1 + (by ? 1 : 0),
      modifiedAt: by
        ? laterOf(last.at ?? dayStart(last.date), publishedAt(by.version, by.dates.publishedDate))
        : (last.at ?? dayStart(last.date)),
    }),
  ];
}

// ───────────── 事務の終了 ─────────────

function afterEnd(b: Base, latest: VersionFacts | undefined): Obligation | undefined {
  if (!latest) return undefined;
  const dates = readDocumentDates(latest.doc);
  if (!dates.ended) return undefined;
  const modifiedAt = latest.createdAt ?? dayStart(dates.ended === 'unreadable' ? b.asOf : dates.ended);
  if (dates.ended === 'unreadable') {
    return make(b, 'publication-after-end', RULES.publicationAfterEnd, {
      dueDate: null,
      explanation: `${UNDETERMINABLE} (「${labelFor(dates, POINTERS.name)}」の「【…終了】」に読める日付がありません)。`,
      sequence: 0,
      modifiedAt,
    });
  }
  const due = addYears(dates.ended, PUBLISHED_AFTER_END_YEARS);
  return make(b, 'publication-after-end', RULES.publicationAfterEnd, {
    dueDate: due,
    done: b.asOf >= due,
    explanation:
      `事務は ${wareki(dates.ended)} に終了しました。${wareki(due)} までは評価書を公表し続けてください ` +
      `(委員会への通知は終了後遅滞なく)。見直しと5年経過前の再実施は不要になります。`,
    sequence: 0,
    modifiedAt,
  });
}

/** Every obligation of one assessment on `asOf`, in a fixed order (the caller sorts across assessments). */
export function computeObligations(history: AssessmentHistory, opts: { asOf: string }): Obligation[] {
  if (!isIsoDate(opts.asOf)) throw new RangeError(`as-of must be YYYY-MM-DD: ${opts.asOf}`);
  const b: Base = { history, asOf: opts.asOf };
  const pubs = classifyPublications(history.versions);
  const latest = history.versions[history.versions.length - 1];
  const ended = afterEnd(b, latest);
  const periodic = ended && ENDED_DROPS_PERIODIC ? [] : [annualReview(b, pubs), fiveYear(b, pubs)];
  return [ended, ...periodic, publicComment(b), ...fromCheckRuns(b, pubs), ...fromReviews(b, pubs)].filter(
    (o): o is Obligation => o !== undefined,
  );
}
