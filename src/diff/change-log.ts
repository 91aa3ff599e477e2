// buildChangeLog(old, new): diff → rows → classification → consequences, the one call drivers make.
import { getAtPointer } from '../pointer.ts';
import { groupDigits } from '../report/number.ts';
import { getRegistry, pick, type Lang } from '../schema/index.ts';
import type { JsonObject } from '../types.ts';
import { classifyRows } from './classify.ts';
import { summarize } from './consequences.ts';
import { assertSameOrganization, diffDocuments, formOfPair } from './diff-documents.ts';
import { buildRows } from './rows.ts';
import type { Annotations, ChangeLogResult } from './types.ts';

export interface ChangeLogOptions {
  /** 変更日 (ISO) of the rows; else the annotations' date, else the new version's 公表日, else today. */
  date?: string;
  annotations?: Annotations;
  lang?: Lang;
  /** File names for findings and messages. */
  sources?: { old?: string; new?: string };
  /** Today's date for the last fallback (tests pin it). */
  today?: () => string;
  /** Compare documents of two different organisations (refused otherwise: assertSameOrganization). */
  allowOtherOrganization?: boolean;
}

const localToday = (): string => {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};

export function buildChangeLog(oldDoc: JsonObject, newDoc: JsonObject, opts: ChangeLogOptions = {}): ChangeLogResult {
  const lang = opts.lang ?? 'ja';
  const form = formOfPair(oldDoc, newDoc, lang, opts.sources);
  if (!opts.allowOtherOrganization) assertSameOrganization(oldDoc, newDoc, lang, opts.sources);
  const info = getRegistry().form(form);
  const changes = diffDocuments(oldDoc, newDoc, { form, lang });
  const published = getAtPointer(newDoc, '/cover/publishedDate');
  const date =
    opts.date ?? opts.annotations?.date ?? (typeof published === 'string' && published ? published : (opts.today ?? localToday)());
  const drafts = buildRows(form, oldDoc, newDoc, changes);
  const { rows, findings } = classifyRows(drafts, {
    formId: info.formId,
    annotations: opts.annotations,
    date,
    source: opts.sources?.new,
    lang,
  });
  const summary = summarize({ form, formId: info.formId, formName: info.form, oldDoc, newDoc, changes, rows, lang });
  const unjudged = findings.filter((f) => f.code === 'diff/significant-unjudged').length;
  if (unjudged > 0) {
    summary.consequences.push(
      pick(
        lang,
        `※の項目の変更 ${groupDigits(unjudged)} 件に人の判断 (例外に当たるか、理由) が記録されていないため、重要な変更として扱いました (指摘を参照)。`,
        `${unjudged} ※ change(s) have no recorded judgement and were treated as significant (see the findings).`,
      ),
    );
  }
  return { changes, rows, findings, summary };
}
