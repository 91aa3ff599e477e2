// load/: read an assessment (YAML or JSON) with positions for every JSON Pointer.
// Unreadable input (missing, directory, too large, not UTF-8) throws InputError (exit 2); everything the
// parser can say about readable text is a Diagnostic (exit 1). See the table in README「入力の扱い」.
import { resolve } from 'node:path';
import type { Diagnostic, Json, JsonObject } from '../types.ts';
import type { Lang } from '../schema/lang.ts';
import { parseTextOffThread } from './off-thread.ts';
import { parseText, type SourcePosition } from './parse.ts';
import { readTextFile } from './read-file.ts';

export {
  MAX_ALIAS_CHARS,
  MAX_ALIAS_NODES,
  MAX_DEPTH,
  MAX_FILE_BYTES,
  FORBIDDEN_KEYS,
  findControlChar,
  describeControlChar,
} from './limits.ts';
export { parseText, type ParsedText, type SourcePosition } from './parse.ts';
export {
  closeParseWorkers,
  DEFAULT_PARSE_TIMEOUT_MS,
  LoadBusyError,
  OFF_THREAD_MIN_CHARS,
  prewarmParseWorkers,
} from './off-thread.ts';
export { decodeUtf8, readTextFile } from './read-file.ts';

export interface LoadedDocument {
  /** The file name as the user gave it (used as Diagnostic.source). */
  source: string;
  /** The document; undefined when it could not be used (syntax errors, not a mapping, empty). */
  data: JsonObject | undefined;
  /** Loader findings (code, severity, source, line already set). */
  diagnostics: Diagnostic[];
  /** 1-based position of `pointer` (or its nearest ancestor written in the file). */
  locate(pointer: string): SourcePosition | undefined;
}

export interface LoadOptions {
  lang?: Lang;
  /** Directory relative paths are resolved against (default: process.cwd()). */
  cwd?: string;
  /** Name used in messages (default: the path as given). */
  source?: string;
}

export async function loadDocument(path: string, opts: LoadOptions = {}): Promise<LoadedDocument> {
  const source = opts.source ?? path;
  const text = await readTextFile(resolve(opts.cwd ?? process.cwd(), path), source, opts.lang ?? 'ja');
  return loadText(text, { source, lang: opts.lang });
}

/** Parse text that is already in memory (API uploads, tests). */
export function loadText(text: string, opts: { source?: string; lang?: Lang } = {}): LoadedDocument {
  const parsed = parseText(text, opts);
  return {
    source: opts.source ?? '',
    data: parsed.data as JsonObject | undefined,
    diagnostics: parsed.diagnostics,
    locate: parsed.locate,
  };
}

/**
 * loadText for servers and importers: the same findings, but a large text is parsed in a worker thread
 * with a time limit (`load/timeout`) and a heap limit (`load/resource-limit`), so one hostile document
 * cannot hold the event loop. Every driver that loads documents from other people uses this or loadText;
 * both apply the same limits (depth, alias count and size, forbidden keys, control characters).
 * Throws LoadBusyError only when too many parses are already waiting (answer 503).
 */
export async function loadTextOffThread(
  text: string,
  opts: { source?: string; lang?: Lang; timeoutMs?: number } = {},
): Promise<LoadedDocument> {
  const parsed = await parseTextOffThread(text, opts);
  return {
    source: opts.source ?? '',
    data: parsed.data as JsonObject | undefined,
    diagnostics: parsed.diagnostics,
    locate: parsed.locate,
  };
}

/**
 * A value built in memory (API JSON bodies). It goes through the same converter as a file, so the same
 * limits and forbidden-key checks apply; positions refer to nothing and are dropped.
 */
export function fromValue(value: Json, opts: { source?: string; lang?: Lang } = {}): LoadedDocument {
  const loaded = loadText(JSON.stringify(value) ?? '', opts);
  for (const d of loaded.diagnostics) {
    delete d.line;
    delete d.column;
  }
  return { ...loaded, locate: () => undefined };
}
export { LOAD_CODES } from './codes.ts';
export {
  describeDateProblem,
  MAX_USER_YEAR,
  MIN_USER_YEAR,
  parseTokenExpiry,
  parseUserDate,
  type DateProblem,
} from './user-dates.ts';
