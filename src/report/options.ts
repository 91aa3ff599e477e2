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
  /** Tool version for sarif (default: package.json's). */
  toolVersion?: string;
  /**
   * The directory inputs were named from (sarif): files under it become repository-relative URIs on
   * %SRCROOT%. Default: the process's working directory, which is where the CLI resolved them.
   */
  cwd?: string;
  /**
   * Where the README is published (sarif rule helpUri), e.g. the repository's blob URL ending in `/`.
   * Default: the installed README as a file:// URI.
   */
  docsBaseUri?: string;
  /** When the run happened, ISO 8601 (junit `timestamp`; pia check passes the snapshot's asOf). */
  timestamp?: string;
}
