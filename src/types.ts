// Shared types only. Every finding a user sees, from any module, is one Diagnostic.

export type Severity = 'error' | 'warning' | 'info';

/** What the law makes of a finding (check/ and diff/ set it; validation leaves it empty). */
export type Consequence = '重要な変更' | '修正' | '違反' | '要再評価' | '情報';

export interface Diagnostic {
  /** Stable rule id, e.g. `schema/enum`, `consistency/entrust-count`, `check/undeclared-connection`. */
  code: string;
  severity: Severity;
  /** Japanese message (English when --lang en). */
  message: string;
  /** RFC 6901 JSON Pointer into the document named by `source`. "" is the whole document. */
  path: string;
  /** The item's label path in the form's own words, joined by ' › '. */
  label?: string;
  /** File the finding is about (as given by the user). */
  source?: string;
  /** 1-based line in `source`, when the loader knows it. */
  line?: number;
  column?: number;
  consequence?: Consequence;
  /** Secondary location, e.g. the pointer into the live snapshot for a drift finding. */
  related?: { source?: string; path: string; line?: number }[];
  waived?: { justification: string; approver: string; expires: string };
}

/** Form identifiers; the Japanese names are the official ones. */
export type FormId = 'kiso' | 'juten' | 'zenkomoku';
export const FORM_NAMES: Record<FormId, string> = {
  kiso: '基礎項目評価書',
  juten: '重点項目評価書',
  zenkomoku: '全項目評価書',
};

export type DocumentStatus = '素案' | '案' | '提出' | '公表';
/** Drafts get 未記載 as warnings; submitted/published documents as errors. */
export const DRAFT_STATUSES: readonly DocumentStatus[] = ['素案', '案'];

/** A plain JSON value as loaded from YAML/JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** One difference between two versions of a document (diff/). */
export interface Change {
  op: 'add' | 'remove' | 'replace';
  path: string;
  before?: Json;
  after?: Json;
}

/** One row of the 変更箇所 table (JSON keys fixed by the issue). */
export interface ChangeRow {
  date: string;
  item: string;
  before: string;
  after: string;
  timing: '事前' | '事後';
  explanation: string;
}
