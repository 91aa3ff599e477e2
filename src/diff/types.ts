// Types of diff/: the pointer-addressed changes between two versions of a 評価書, the human judgements
// (annotations) the classification needs, and the consequences of a revision.
import type { Change, ChangeRow, Diagnostic, Json } from '../types.ts';
import type { XKind } from '../schema/index.ts';

/**
 * One change at the granularity of the form's items.
 *
 * `path` points into the NEW version, except for `op: 'remove'`, where it points into the OLD version
 * (the thing removed is only there). `oldPath` is the same item in the old version when its position
 * differs (a block shifted by an insertion before it).
 */
export interface ItemChange extends Change {
  oldPath?: string;
  /**
   * What changed: a leaf item (its `x-kind`), a whole repeated entry (`block`: 委託事項3 added), or inside
   * a `measure` item: a `part` (one paragraph or numbered part), a `heading` of a block, a whole
   * `measureBlock` (a <…における措置> block added or removed).
   */
  unit: XKind | 'block' | 'part' | 'heading' | 'measureBlock' | 'value';
  /** Pointer of the form item the change belongs to (the measure item for parts and blocks). */
  item: string;
  /** Same item in the old version, when its position differs. */
  oldItem?: string;
  /** ※: the item (or an item it lies inside) is marked x-significant in the form. */
  significant: boolean;
  /** For a measure part: its leading circled number (「②」) when it has one. */
  partNumber?: string;
  /** For a measure part: the block's heading (without < >), when the block has one. */
  blockHeading?: string;
  /**
   * Set on the item changes listed under an added or removed repeated entry (「委託事項3 ①委託内容」):
   * the pointer of that entry's `block` change. They describe the block's content for the 変更箇所 table
   * and are not applied on their own (the block change carries the whole entry).
   */
  within?: string;
  /**
   * An empty entry (a page missing from the source, kept so that the numbering stays) added or removed:
   * needed to apply the changes, but nothing the 変更箇所 can show.
   */
  placeholder?: boolean;
}

export type Timing = '事前' | '事後';

/**
 * The exceptions to 重要な変更 the 指針 allows. 「リスクを明らかに軽減させる方法」 is the wording of seed 001
 * (防府市) for the same exception; both are accepted and printed as written.
 */
export const EXCEPTIONS = ['リスクを明らかに軽減させる変更', 'リスクを明らかに軽減させる方法', '誤字脱字の修正', '形式的な変更'] as const;
export type ExceptionKind = (typeof EXCEPTIONS)[number];

/** One human judgement about one change (or about every change below a pointer). */
export interface Annotation {
  /** The key as written: a JSON Pointer (`/files/0/…`) or a label path (「Ⅱ 特定個人情報ファイルの概要 …」). */
  key: string;
  /** The ※ change is not a 重要な変更 for this reason. */
  exception?: ExceptionKind;
  timing?: Timing;
  /** The （理由） printed after the 提出時期に係る説明. */
  reason?: string;
  /** 変更日 of this row (ISO date), when it differs from the revision's. */
  date?: string;
  /** 1-based line in the annotations file. */
  line?: number;
}

export interface Annotations {
  source?: string;
  /** Default 変更日 (ISO) of every row. */
  date?: string;
  entries: Annotation[];
}

/** A row of the 変更箇所 table with what the engine knows about it. */
export interface ClassifiedRow extends ChangeRow {
  /** Pointer of the item (the first change of the row). */
  path: string;
  /** All change pointers the row stands for. */
  paths: string[];
  significant: boolean;
  /** 重要な変更 (re-assessment before the change), 例外 (※ but excepted) or 修正 (any other change). */
  kind: '重要な変更' | '例外' | '修正';
  /** The annotation that decided the row, if any. */
  annotation?: string;
}

export type FormLevel = 'none' | 'kiso' | 'juten' | 'zenkomoku';

export interface ProcedureStep {
  /** 「国民・住民等からの意見の聴取」… in the form's words. */
  step: string;
  required: boolean;
  note?: string;
}

export interface ThresholdChange {
  /** Which inputs changed, as label paths. */
  inputs: string[];
  before: FormLevel | undefined;
  after: FormLevel | undefined;
  /** The required level went up. */
  raised: boolean;
  /** The level now required that the body has not carried out (a new assessment of that level). */
  missing?: FormLevel;
  message: string;
}

export interface ChangeSummary {
  form: string;
  organizationType: string | undefined;
  rows: number;
  significantRows: number;
  exceptionRows: number;
  otherRows: number;
  /** A 重要な変更 (or a raised しきい値判断結果) requires the assessment to be carried out again. */
  needsReassessment: boolean;
  /** Japanese sentences explaining the consequence, in order. */
  consequences: string[];
  /** Steps of the procedure the revision implies (re-assessment or 修正). */
  procedure: ProcedureStep[];
  threshold?: ThresholdChange;
}

export interface ChangeLogResult {
  changes: ItemChange[];
  rows: ClassifiedRow[];
  findings: Diagnostic[];
  summary: ChangeSummary;
}

export type { Change, ChangeRow, Json };
