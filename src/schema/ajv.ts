// The one Ajv instance of the process. Schemas are added once and compiled lazily per form.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { filledKeyword } from './filled-keyword.ts';
import { VENDOR_KEYWORDS } from './vendor-keywords.ts';

// ajv-formats is CommonJS with `exports.default`; under some loaders the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;

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
  addFormats(ajv, ['date']);
  for (const kw of VENDOR_KEYWORDS) ajv.addKeyword(kw);
  ajv.addKeyword(filledKeyword);
  return ajv;
}
