// render/: document → HTML string in the official layout (pure). pdf/ turns it into bytes.
import { InputError } from '../errors.ts';
import { getRegistry } from '../schema/registry.ts';
import type { Diagnostic, JsonObject } from '../types.ts';
import { renderDocument, type FormSchemas, type RenderOptions } from './render-document.ts';

export { buildDocumentView, printsFindingsPage, renderDocument, type FormSchemas, type RenderOptions } from './render-document.ts';
export type { DocumentView, RowView, SectionView, ValueView } from './view-model.ts';
export { formatPeriod, formatWareki } from '../wareki.ts';

/** The form schema (+ shared defs) a document names by `form` + `formVersion`. */
export function schemasForDocument(doc: JsonObject, source?: string): FormSchemas {
  const reg = getRegistry();
  const info = reg.findForm(doc.form, doc.formVersion);
  if (!info) {
    const known = reg
      .forms()
      .map((f) => `${f.form} (${f.formVersion})`)
      .join('、');
    throw new InputError(
      `様式を判別できないため出力できません: form「${String(doc.form ?? '')}」formVersion「${String(doc.formVersion ?? '')}」。対応している様式: ${known}`,
      source,
    );
  }
  return { schema: reg.schema(info.id) as FormSchemas['schema'], defs: reg.schema('defs.schema.json') as FormSchemas['defs'] };
}

/** HTML of a document in the official layout; `diagnostics` become the banner of a draft. */
export function renderAssessmentHtml(doc: JsonObject, opts: RenderOptions & { source?: string } = {}): string {
  return renderDocument(doc, schemasForDocument(doc, opts.source), opts);
}

/** The 評価書名 used as PDF title and running header. */
export function documentTitle(doc: JsonObject): string {
  const cover = doc.cover as JsonObject | undefined;
  const name = typeof cover?.name === 'string' && cover.name.trim() ? cover.name.trim() : '';
  return name || String(doc.form ?? '特定個人情報保護評価書');
}

export function bannerDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return diags.filter((d) => d.severity === 'error' || d.severity === 'warning');
}

