// The view model takes its printing rules from the schema's keywords, not from field names or order:
// `x-printed-with` / `x-printed-beside` put a 「( )件」 in the row (and beside the checkbox) the schema names,
// the same keywords the 変更箇所 reads; `x-unlabeled` items print without a label; the 項目一覧 heading is
// `x-contents-title`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { buildDocumentView, schemasForDocument, type RowView } from '../../src/render/index.ts';
import type { JsonObject } from '../../src/types.ts';

const load = (f: string) => parse(readFileSync(join(PROJECT_ROOT, f), 'utf8')) as JsonObject;
const KAKUU = 'assessments/kakuu-city-kaigo/assessment.yaml';

function rows(doc: JsonObject, opts: { public?: boolean } = {}): RowView[] {
  const view = buildDocumentView(doc, schemasForDocument(doc), opts);
  return view.sections.flatMap((s) => s.tables.flatMap((t) => t.rows));
}
const row = (all: RowView[], pointer: string) => all.find((r) => r.pointer === pointer)!;

describe('printing rules from the schema', () => {
  it('puts each count beside the checkbox x-printed-beside names, whatever is checked', () => {
    const doc = load(KAKUU);
    const provision = (doc.files as JsonObject[])[0].provision as JsonObject;
    // Only 移転: its count must not slide to the first checkbox (「提供を行っている」).
    provision.presence = [{ choice: '移転を行っている' }];
    delete provision.provisionCount;
    provision.transferCount = 3;
    const presence = row(rows(doc), '/files/0/provision/presence');
    expect(presence.value.kind).toBe('multi');
    if (presence.value.kind !== 'multi') return;
    const byLabel = Object.fromEntries(presence.value.options.map((o) => [o.label, o.count]));
    expect(byLabel).toEqual({ 提供を行っている: '(\u3000)件', 移転を行っている: '(3)件', 行っていない: undefined });
    // Counts are never rows of their own.
    const own = rows(doc).filter((r) => /^\/files\/0\/provision\/(provision|transfer)Count$/.test(r.pointer));
    expect(own).toEqual([]);
  });

  it('prints a non-public count as 非公表 inside its row in the 公表用 version', () => {
    const doc = load(KAKUU);
    doc.nonPublic = [{ path: '/files/0/provision/provisionCount', reason: 'テスト' }];
    const presence = row(rows(doc, { public: true }), '/files/0/provision/presence');
    expect(presence.value.kind === 'multi' && presence.value.options[0].count).toBe('(非公表)件');
  });

  it('prints x-unlabeled items without a label, and the 項目一覧 heading from the schema', () => {
    const doc = load(KAKUU);
    const all = rows(doc);
    for (const key of ['heading', 'items']) {
      const r = row(all, `/files/0/recordItems/${key}`);
      expect(r.label).toBe('');
      expect(r.layout).toBe('block');
    }
    const view = buildDocumentView(doc, schemasForDocument(doc));
    expect(view.tocTitle).toBe(schemasForDocument(doc).schema['x-contents-title']);
    expect(view.tocTitle).toBe('項目一覧');
  });
});
