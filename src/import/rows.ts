// The importer's intermediate form, shared by the PDF and the text front ends: a sequence of form rows,
// each with its label cells (left columns) and its value, as logical lines with paragraph starts.

export interface ValueLine {
  text: string;
  /** Starts a new paragraph (a new 「部分」 of a measure, a new cell of the source). */
  para: boolean;
  /** PDF: the first line of a page that goes on with the previous page's last line (a wrapped line). */
  join?: boolean;
  glue?: string;
  /** PDF: where the line starts, and its pieces when printed in columns. */
  x?: number;
  cells?: { x: number; text: string }[];
}

export interface Row {
  /**
   * Label cells, left to right (group label, item label). For text input the value cells follow the
   * labels here and `value` is undefined: which cells are labels is decided against the schema.
   */
  cells: string[];
  value?: ValueLine[];
  /** PDF: each label-column cell as lines (used when the cell is not a label but full-width text). */
  cellLines?: ValueLine[][];
  /** Text input: every tab-separated cell, empty ones included (the 変更箇所 table keeps its columns). */
  rawCells?: string[];
  /** PDF input: the 変更箇所 table's cells by column. */
  table?: string[];
  /** 1-based page of a PDF. */
  page?: number;
  /** 1-based line: of the text file, or of the page's text. */
  line: number;
  /** Text input: a nested line (「: …」) that continues the paragraph above. */
  nested?: boolean;
  /** First row of a page (a repeated caption there continues the previous page's value). */
  pageTop?: boolean;
}

export interface SourceText {
  rows: Row[];
  /** Every line of the source as read (after markup removal), for the cover and the (別添) tables. */
  kind: 'pdf' | 'text';
  pages?: number;
  /** Page numbers printed in footers that are missing from the file (「3 / 32」 … 「5 / 32」). */
  missingPages: number[];
  /** Page headers removed from a PDF (often the 評価書名). */
  headers?: string[];
  /** Total pages the footers announce. */
  printedTotal?: number;
}
