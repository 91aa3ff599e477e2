import type { Lang } from '../schema/lang.ts';
import type { Severity } from '../types.ts';

export interface RuleDescription {
  ja: string;
  en: string;
}

export interface ReportOptions {
  lang?: Lang;
  /** Every file that was checked, so clean files appear in text/junit/markdown and in the count. */
  files?: readonly string[];
  /** Severities at or above this are failures (junit). Default 'error'. */
  failOn?: Severity;
  /** Descriptions by code (sarif rules, markdown legend). A code without one is described by its id. */
  rules?: Readonly<Record<string, RuleDescription>>;
  /** Tool version for sarif. */
  toolVersion?: string;
}
