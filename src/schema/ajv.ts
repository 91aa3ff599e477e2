// The one Ajv instance of the process. Schemas are added once and compiled lazily per form.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { isFullDate } from '../check/full-date.ts';
import { MAX_USER_YEAR, MIN_USER_YEAR } from '../load/user-dates.ts';
import { filledKeyword } from './filled-keyword.ts';
import { VENDOR_KEYWORDS } from './vendor-keywords.ts';

/**
 * The `date` format of every schema (評価書 and live snapshot, full and fast validator): an RFC 3339
 * full-date that exists, in the years people's dates are accepted everywhere else (load/user-dates.ts,
 * 1900–2999). ajv-formats alone takes 0001-01-01 and 9999-12-31 — a typo and a "never" placeholder that
 * the calendar and the checks would then compute with. No allocation: a snapshot has a date per account.
 */
export function isDocumentDate(s: string): boolean {
  if (!isFullDate(s)) return false;
  const year =
    (s.charCodeAt(0) - 48) * 1000 + (s.charCodeAt(1) - 48) * 100 + (s.charCodeAt(2) - 48) * 10 + s.charCodeAt(3) - 48;
  return year >= MIN_USER_YEAR && year <= MAX_USER_YEAR;
}

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    // verbose: errors carry the offending data and the schema node, which our messages quote.
    verbose: true,
    // strict: unknown keywords (a misspelt x- keyword) and other schema mistakes fail at compile time.
    strict: true,
    // `{ title, const }` without `type` (form/formVersion) is deliberate; do not demand a type.
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  ajv.addFormat('date', { type: 'string', validate: isDocumentDate });
  for (const kw of VENDOR_KEYWORDS) ajv.addKeyword(kw);
  ajv.addKeyword(filledKeyword);
  return ajv;
}
