// What a 評価書 itself says about dates: 公表日, the しきい値判断 実施日, the 意見聴取 period and its 特段の理由,
// the 変更箇所 rows, and a 「【○年○月○日 終了】」 after the name. Only what is written is returned: a blank or
// malformed date is absent (and the obligation that needs it says so), never estimated.
import { getAtPointer } from '../pointer.ts';
import { findForm, formatLabelPath, labelPath, warekiToIso } from '../schema/index.ts';
import type { FormId, JsonObject } from '../types.ts';
import { isIsoDate } from './dates.ts';
import { isRealReason } from './reasons.ts';
import { SIGNIFICANT_EXPLANATION, type PublicationKind } from './rules.ts';
import type { VersionFacts } from './types.ts';

export const POINTERS = {
  publishedDate: '/cover/publishedDate',
  name: '/cover/name',
  kisoDate: '/procedure/kiso/date',
  period: '/procedure/publicComment/period',
  shorteningReason: '/procedure/publicComment/shorteningReason',
} as const;

export interface DocumentDates {
  formId: FormId | undefined;
  formKey: string | undefined;
  publishedDate: string | undefined;
  kisoDate: string | undefined;
  period: { from: string | undefined; to: string | undefined } | undefined;
  /** A real 特段の理由 (not 「—」 nor 「なし」: reasons.ts). */
  shorteningReason: string | undefined;
  /** 「【令和8年3月31日 終了】」 in the name: the date, or 'unreadable' when the mark has no readable date. */
  ended: string | 'unreadable' | undefined;
  changeRows: { date: string; item: string; explanation: string }[];
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
const date = (v: unknown): string | undefined => (isIsoDate(v) ? v : undefined);

export function readDocumentDates(doc: JsonObject): DocumentDates {
  const form = findForm(doc);
  const p = getAtPointer(doc, POINTERS.period) as { from?: unknown; to?: unknown } | undefined;
  const period =
    p && typeof p === 'object' && (date(p.from) || date(p.to))
      ? { from: date(p.from), to: date(p.to) }
      : undefined;
  const reason = str(getAtPointer(doc, POINTERS.shorteningReason));
  const name = str(getAtPointer(doc, POINTERS.name));
  let ended: DocumentDates['ended'];
  const mark = name ? /【([^】]*)終了】/.exec(name) : null;
  if (mark) {
    const t = mark[1].trim();
    ended = (isIsoDate(t) ? t : warekiToIso(t)) ?? 'unreadable';
    if (ended !== 'unreadable' && !isIsoDate(ended)) ended = 'unreadable';
  }
  const rows = getAtPointer(doc, '/changeLog');
  const changeRows = Array.isArray(rows)
    ? rows.flatMap((r) =>
        r && typeof r === 'object' && !Array.isArray(r)
          ? [
              {
                date: String(r.date ?? ''),
                item: String(r.item ?? ''),
                explanation: String(r.explanation ?? ''),
              },
            ]
          : [],
      )
    : [];
  return {
    formId: form?.formId,
    formKey: form?.key,
    publishedDate: date(getAtPointer(doc, POINTERS.publishedDate)),
    kisoDate: date(getAtPointer(doc, POINTERS.kisoDate)),
    period,
    shorteningReason: isRealReason(reason) ? reason : undefined,
    ended,
    changeRows,
  };
}

/** The form's own label for an item (「公表日」, 「②実施日・期間」), read from the schema. */
export function labelFor(dates: DocumentDates, pointer: string): string {
  if (dates.formKey) {
    try {
      const l = labelPath(dates.formKey, pointer);
      if (l.length) return formatLabelPath(l);
    } catch {
      // A pointer the form does not have: fall back to the pointer itself.
    }
  }
  return pointer;
}

/** Last label only (「公表日」), for short messages. */
export function shortLabel(dates: DocumentDates, pointer: string): string {
  const full = labelFor(dates, pointer);
  const parts = full.split(' › ');
  return parts[parts.length - 1];
}

export interface Publication {
  version: VersionFacts;
  dates: DocumentDates;
  kind: PublicationKind;
}

const rowKey = (r: { date: string; item: string; explanation: string }) =>
  `${r.date}\u0000${r.item}\u0000${r.explanation}`;

/** The published versions, oldest first, each classified as rules.ts describes. */
export function classifyPublications(versions: readonly VersionFacts[]): Publication[] {
  const out: Publication[] = [];
  for (const v of versions) {
    if (v.status !== '公表') continue;
    const dates = readDocumentDates(v.doc);
    const prev = out[out.length - 1];
    let kind: PublicationKind;
    if (!prev) kind = '初回';
    else {
      // Rows carried over from the previous version's 変更箇所 are not this version's changes.
      const old = new Set(prev.dates.changeRows.map(rowKey));
      const fresh = dates.changeRows.filter((r) => !old.has(rowKey(r)));
      const newer = (a: string | undefined, b: string | undefined) =>
        a !== undefined && (b === undefined || a > b);
      if (fresh.some((r) => r.explanation.trim().startsWith(SIGNIFICANT_EXPLANATION))) kind = '重要な変更';
      else if (
        newer(dates.kisoDate, prev.dates.kisoDate) ||
        newer(dates.period?.from, prev.dates.period?.from)
      )
        kind = '再実施';
      else kind = '修正';
    }
    out.push({ version: v, dates, kind });
  }
  return out;
}

/** The title the samples and the server use for an assessment: the 事務の名称, else the 評価書名. */
export function titleOf(doc: JsonObject, fallback: string): string {
  return (
    str(getAtPointer(doc, '/basic/jimu/name')) ??
    str(getAtPointer(doc, '/related/jimu/name')) ??
    str(getAtPointer(doc, '/cover/name')) ??
    fallback
  );
}
