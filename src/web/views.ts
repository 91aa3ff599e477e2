// The pages' Handlebars: templates/web/*.hbs, plus the print partials of the render module (cover, value)
// so that the document page shows every item exactly as it prints. A private instance: nothing a user
// writes can register or call a helper, and user data only ever goes through `{{ }}` (escaped).
import Handlebars from 'handlebars';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPLATES_DIR } from '../paths.ts';

export const WEB_TEMPLATES_DIR = join(TEMPLATES_DIR, 'web');
const PAGES = [
  'login',
  'assessments',
  'document',
  'history',
  'error',
  // The editor (src/web/editor/).
  'editor',
  'editor-new',
  'editor-conflict',
] as const;
export type PageName = (typeof PAGES)[number];

let compiled: Record<PageName, Handlebars.TemplateDelegate> | undefined;

function compile(): Record<PageName, Handlebars.TemplateDelegate> {
  const hb = Handlebars.create();
  // The print partials use these two helpers (same definitions as src/render/render-document.ts).
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hb.registerHelper('urlencode', (v: unknown) => encodeURIComponent(String(v ?? '')));
  for (const f of readdirSync(join(TEMPLATES_DIR, 'partials')).sort()) {
    if (f.endsWith('.hbs'))
      hb.registerPartial(`print-${f.slice(0, -4)}`, readFileSync(join(TEMPLATES_DIR, 'partials', f), 'utf8'));
  }
  for (const f of ['layout', 'thread', 'notes', 'editor-node', 'editor-findings', 'editor-marks'])
    hb.registerPartial(f, readFileSync(join(WEB_TEMPLATES_DIR, `${f}.hbs`), 'utf8'));
  const out = {} as Record<PageName, Handlebars.TemplateDelegate>;
  for (const p of PAGES)
    out[p] = hb.compile(readFileSync(join(WEB_TEMPLATES_DIR, `${p}.hbs`), 'utf8'), { strict: false });
  return out;
}

export function renderPage(name: PageName, data: Record<string, unknown>): string {
  compiled ??= compile();
  return compiled[name](data);
}

let cssCache: { web: string; document: string } | undefined;
export function stylesheets(): { web: string; document: string } {
  cssCache ??= {
    web: readFileSync(join(WEB_TEMPLATES_DIR, 'web.css'), 'utf8'),
    document: readFileSync(join(TEMPLATES_DIR, 'style.css'), 'utf8'),
  };
  return cssCache;
}
