// Histories from documents alone (files in a directory, a portfolio): the versions are the documents, their
// procedure status is the document's own `status`, and there are no recorded transitions, 見直し or checks
// unless the caller adds them.
import type { ReviewStatus } from '../store/types.ts';
import { getAtPointer } from '../pointer.ts';
import type { JsonObject } from '../types.ts';
import { titleOf } from './facts.ts';
import type { AssessmentHistory, ReviewFacts } from './types.ts';

/** 素案/案 are drafts; 提出/公表 as written. */
export function statusOfDocument(doc: JsonObject): ReviewStatus {
  return doc.status === '公表' ? '公表' : doc.status === '提出' ? '提出' : '下書き';
}

export function historyFromDocuments(input: {
  /** Stable id (a directory name, a file path). */
  id: string;
  /** Oldest first: e.g. previous.yaml, then assessment.yaml. */
  docs: readonly { doc: JsonObject; source?: string }[];
  title?: string;
  orgId?: string | null;
  orgName?: string | null;
  reviews?: readonly ReviewFacts[];
}): AssessmentHistory {
  const latest = input.docs[input.docs.length - 1]?.doc;
  return {
    id: input.id,
    title: input.title ?? (latest ? titleOf(latest, input.id) : input.id),
    orgId: input.orgId ?? null,
    // 評価実施機関名 of the newest document when the caller has no organisation name.
    orgName:
      input.orgName ??
      (latest && typeof getAtPointer(latest, '/cover/agency') === 'string'
        ? (getAtPointer(latest, '/cover/agency') as string)
        : null),
    versions: input.docs.map((d, i) => ({
      id: `${input.id}#${i + 1}`,
      number: i + 1,
      doc: d.doc,
      status: statusOfDocument(d.doc),
    })),
    reviews: input.reviews ?? [],
  };
}
