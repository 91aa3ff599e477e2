// renderDocument: (document, schema) → a complete HTML string in the official layout. Pure and
// synchronous; pdf/ turns the string into a PDF. User text only ever goes through Handlebars' escaping
// ({{ }}), and the template instance is private, so document text can never register or call helpers.
import Handlebars from 'handlebars';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../paths.ts';
import type { Diagnostic, JsonObject } from '../types.ts';
import { ViewBuilder, type DocumentView, type ViewOptions } from './view-model.ts';

export interface RenderOptions extends ViewOptions {
  /** Validation findings, printed as a page before the cover of a draft (see `findingsPage`). */
  diagnostics?: Diagnostic[];
  /**
   * Print the findings page: true/false forces it; by default only for a draft (status 素案 or 案). A
   * submitted or published edition (提出・公表) is the form itself, with nothing before its cover.
   */
  findingsPage?: boolean;
}

const DRAFTS = new Set(['素案', '案']);

/** Whether the findings page is printed for this document (the default follows its status). */
export function printsFindingsPage(doc: JsonObject, opts: Pick<RenderOptions, 'findingsPage'> = {}): boolean {
  return opts.findingsPage ?? (typeof doc.status === 'string' && DRAFTS.has(doc.status));
}

export interface FormSchemas {
  schema: { [k: string]: any };
  defs: { [k: string]: any };
}

let compiled: Handlebars.TemplateDelegate | undefined;
let css = '';

function template(): Handlebars.TemplateDelegate {
  if (compiled) return compiled;
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  const partialsDir = join(TEMPLATES_DIR, 'partials');
  for (const f of readdirSync(partialsDir).sort()) {
    if (f.endsWith('.hbs')) hb.registerPartial(f.slice(0, -4), readFileSync(join(partialsDir, f), 'utf8'));
  }
  css = readFileSync(join(TEMPLATES_DIR, 'style.css'), 'utf8');
  compiled = hb.compile(readFileSync(join(TEMPLATES_DIR, 'document.hbs'), 'utf8'), { strict: false, noEscape: false });
  return compiled;
}

export function buildDocumentView(doc: JsonObject, schemas: FormSchemas, opts: ViewOptions = {}): DocumentView {
  return new ViewBuilder(schemas.schema, schemas.defs.$defs ?? schemas.defs, doc, opts).build();
}

export function renderDocument(doc: JsonObject, schemas: FormSchemas, opts: RenderOptions = {}): string {
  const view = buildDocumentView(doc, schemas, opts);
  const t = template();
  const banner = printsFindingsPage(doc, opts) ? (opts.diagnostics ?? []).filter((d) => d.severity !== 'info') : [];
  return t({
    view,
    css,
    public: Boolean(opts.public),
    banner: banner.length
      ? {
          errors: banner.filter((d) => d.severity === 'error').length,
          warnings: banner.filter((d) => d.severity === 'warning').length,
          items: banner.map((d) => {
            const label = d.label ?? d.path;
            // Messages such as 「未記載です: <label>」 already name the item.
            return { severity: d.severity === 'error' ? 'エラー' : '警告', label: label && !d.message.includes(label) ? label : '', message: d.message };
          }),
        }
      : undefined,
  });
}
