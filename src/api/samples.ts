// The bundled samples (assessments/*/assessment.yaml, with previous.yaml as the earlier version and live.yaml
// as a drift check where present) loaded into a store, so that `pia serve` without --db shows real documents.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSESSMENTS_DIR } from '../paths.ts';
import { getAtPointer } from '../pointer.ts';
import type { Assessment, Organisation, ReviewStatus, Store } from '../store/index.ts';
import type { JsonObject } from '../types.ts';
import type { ApiEngine } from './engine-port.ts';

export interface LoadedSamples {
  organisations: Organisation[];
  assessments: Assessment[];
  /** Files that could not be loaded, with the reason (the server still starts). */
  skipped: { file: string; reason: string }[];
}

/** The review status that matches a document's own `status` (素案/案 are drafts). */
function reviewStatusOf(doc: JsonObject): ReviewStatus {
  const s = doc.status;
  return s === '公表' ? '公表' : s === '提出' ? '提出' : '下書き';
}

const text = (doc: JsonObject, pointer: string): string | undefined => {
  const v = getAtPointer(doc, pointer);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
};

export async function loadSamples(
  store: Store,
  engine: ApiEngine,
  opts: { dir?: string; actor?: string } = {},
): Promise<LoadedSamples> {
  const dir = opts.dir ?? ASSESSMENTS_DIR;
  const actor = opts.actor ?? 'system';
  const out: LoadedSamples = { organisations: [], assessments: [], skipped: [] };
  const orgsByCode = new Map<string, Organisation>();
  for (const o of await store.listOrganisations()) if (o.code) orgsByCode.set(o.code, o);

  const read = (file: string): JsonObject | undefined => {
    const loaded = engine.loadText(readFileSync(file, 'utf8'), { source: file });
    const bad = loaded.diagnostics.find((d) => d.severity === 'error');
    if (!loaded.data || bad) {
      out.skipped.push({ file, reason: bad?.message ?? '読めません' });
      return undefined;
    }
    return loaded.data;
  };

  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'assessment.yaml');
    if (!existsSync(file)) continue;
    const doc = read(file);
    if (!doc) continue;
    const code = text(doc, '/organization/id') ?? name;
    let org = orgsByCode.get(code);
    if (!org) {
      org = await store.createOrganisation({ name: text(doc, '/cover/agency') ?? code, code }, { actor });
      orgsByCode.set(code, org);
      out.organisations.push(org);
    }
    const title =
      text(doc, '/basic/jimu/name') ?? text(doc, '/related/jimu/name') ?? text(doc, '/cover/name') ?? name;
    const form = engine.findForm(doc)?.formId ?? null;
    const assessment = await store.createAssessment(
      { orgId: org.id, title, form, number: text(doc, '/cover/number') ?? null },
      { actor },
    );
    const previousFile = join(dir, name, 'previous.yaml');
    const previous = existsSync(previousFile) ? read(previousFile) : undefined;
    if (previous) {
      await store.addVersion(assessment.id, previous, {
        author: actor,
        message: `${name}/previous.yaml (同梱サンプル)`,
        status: reviewStatusOf(previous),
      });
    }
    const version = await store.addVersion(assessment.id, doc, {
      author: actor,
      message: `${name}/assessment.yaml (同梱サンプル)`,
      status: reviewStatusOf(doc),
      ...(previous ? { ifMatch: '*' } : {}),
    });
    const liveFile = join(dir, name, 'live.yaml');
    if (existsSync(liveFile) && engine.checkSnapshot) {
      const snapshot = engine.loadText(readFileSync(liveFile, 'utf8'), { source: `${name}/live.yaml` });
      try {
        const { diagnostics } = engine.checkSnapshot(
          { source: `${name}/assessment.yaml`, data: doc, diagnostics: [], locate: () => undefined },
          snapshot,
          {},
        );
        await store.addCheckRun(version.id, { diagnostics, actor, meta: { snapshot: `${name}/live.yaml` } });
      } catch (e) {
        out.skipped.push({ file: liveFile, reason: (e as Error).message });
      }
    }
    out.assessments.push((await store.getAssessment(assessment.id)) as Assessment);
  }
  return out;
}
