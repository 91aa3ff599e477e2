// pia check <評価書> --plan <plan.json>: the Terraform plan (terraform show -json tfplan) as the future live
// state, checked with the same rules and consequences as a snapshot, before anything is applied. Each finding
// that rests on a fact from the plan names the resource address (and the plan's action) that brings it, so
// the reviewer of the merge request knows which line of Terraform to change.
//
// With --live the plan's facts are laid over the current snapshot (the plan wins: it is what will be). Without
// it the plan is the only evidence, and covers only what Terraform manages: a declared system, contractor or
// connection that the plan does not mention is not evidence of its absence, so those three findings are left
// out (documented in docs/collect.md).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkAssessment, type CheckResult } from '../check/index.ts';
import { loadSnapshotText } from '../check/fast-json.ts';
import { MAX_SNAPSHOT_BYTES, summarizeCheck } from '../check/run.ts';
import { InputError } from '../errors.ts';
import { loadDocument, readTextFile } from '../load/index.ts';
import type { Lang } from '../schema/lang.ts';
import type { Diagnostic } from '../types.ts';
import { getAtPointer } from '../pointer.ts';
import { readMapping } from './mapping.ts';
import { mergeSnapshots } from './merge.ts';
import { nowIso, type Provenance } from './provenance.ts';
import type { Rec } from './snapshot-builder.ts';
import { collectTerraform } from './terraform/index.ts';

export interface PlanCheckOptions {
  assessment: string;
  plan: string;
  live?: string;
  waivers?: string;
  map?: string;
  lang?: Lang;
  cwd?: string;
  /** The snapshot time (default now). */
  asOf?: string;
}

/** Codes about things the plan does not show: without --live they say nothing about the plan. */
export const PLAN_ONLY_SILENT = new Set([
  'check/declared-system-absent',
  'check/declared-contractor-absent',
  'check/declared-connection-absent',
]);

const isObject = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The plan as a snapshot: a `terraform show -json` plan, or a snapshot already collected from one. */
export function planSnapshot(
  path: string,
  organization: string,
  opts: { cwd: string; map?: string; asOf?: string },
): Rec {
  let text: string;
  try {
    text = readFileSync(resolve(opts.cwd, path), 'utf8');
  } catch (e) {
    throw new InputError(
      `計画ファイルを読めません (${(e as NodeJS.ErrnoException).code ?? 'エラー'}): ${path}`,
      path,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `${path}: JSON として読めません (${(e as Error).message})。terraform show -json tfplan の出力を指定してください`,
      path,
    );
  }
  if (isObject(data) && typeof data.asOf === 'string' && typeof data.organization === 'string') return data;
  const mapping = opts.map ? readMapping(opts.map, opts.cwd) : undefined;
  const { snapshot, kind } = collectTerraform(text, {
    source: path,
    organization,
    asOf: opts.asOf ?? nowIso(),
    ...(mapping?.terraform ? { mapping: mapping.terraform } : {}),
  });
  if (kind !== 'terraform-plan')
    throw new InputError(
      `${path}: terraform の state です。--plan には terraform plan -out=tfplan の後の terraform show -json tfplan の出力を指定してください (state は pia collect terraform で集めて --live に)`,
      path,
    );
  return snapshot;
}

/** 「計画: aws_security_group.db (update)」 for the plan facts a finding rests on. */
export function planAddresses(d: Diagnostic, provenance: Provenance[], snapshot: Rec): string[] {
  const out = new Set<string>();
  for (const r of d.related ?? []) {
    // The fact itself or a part of a subtree the plan gave (not a whole system that merely contains
    // plan facts: 「確認できない」 on /systems/0 is not the plan's doing).
    const hits = provenance.filter(
      (p) =>
        p.kind === 'terraform-plan' &&
        p.address &&
        (p.pointer === r.path || r.path.startsWith(p.pointer + '/')),
    );
    if (!hits.length) continue;
    // Several resources make one fact: name those whose own value is the fact's value (the open group, not
    // the closed ones).
    const value = getAtPointer(snapshot, r.path);
    const same = hits.filter(
      (p) => p.value === value || (typeof p.value === 'string' && p.value.startsWith(String(value) + ' ')),
    );
    for (const p of same.length ? same : hits)
      out.add(p.action && p.action !== 'no-op' ? `${p.address} (${p.action})` : (p.address as string));
  }
  return [...out].sort();
}

export async function checkPlanFiles(
  opts: PlanCheckOptions,
): Promise<CheckResult & { planFindings: number }> {
  const cwd = opts.cwd ?? process.cwd();
  const lang = opts.lang ?? 'ja';
  const assessment = await loadDocument(opts.assessment, { lang, cwd });
  const org = isObject(assessment.data?.organization) ? assessment.data.organization.id : undefined;
  let snapshot = planSnapshot(opts.plan, typeof org === 'string' ? org : 'unknown', {
    cwd,
    ...(opts.map ? { map: opts.map } : {}),
    ...(opts.asOf ? { asOf: opts.asOf } : {}),
  });
  if (opts.live) {
    const text = await readTextFile(resolve(cwd, opts.live), opts.live, lang, MAX_SNAPSHOT_BYTES);
    const live = loadSnapshotText(text, { source: opts.live, lang });
    if (!live.data) throw new InputError(`${opts.live}: ライブ構成を読めません`, opts.live);
    snapshot = mergeSnapshots(
      [
        { source: opts.live, snapshot: live.data as Rec },
        { source: opts.plan, snapshot },
      ],
      // Time-dependent facts (backups, logins) come from the live snapshot: judge them at its asOf.
      { override: true, asOf: String((live.data as Rec).asOf ?? snapshot.asOf) },
    );
  }
  const waivers = opts.waivers ? await loadDocument(opts.waivers, { lang, cwd }) : undefined;
  const loaded = loadSnapshotText(JSON.stringify(snapshot), { source: opts.plan, lang });
  const result = checkAssessment({ assessment, snapshot: loaded, ...(waivers ? { waivers } : {}), lang });
  const provenance = (Array.isArray(snapshot.provenance) ? snapshot.provenance : []) as Provenance[];
  let planFindings = 0;
  const diagnostics = result.diagnostics
    .filter((d) => opts.live || !PLAN_ONLY_SILENT.has(d.code))
    .map((d0) => {
      // Related facts point into the snapshot made from the plan, not into lines of plan.json: no line.
      const d = d0.related ? { ...d0, related: d0.related.map(({ line: _line, ...r }) => r) } : d0;
      const addresses = planAddresses(d, provenance, snapshot);
      if (!addresses.length) return d;
      planFindings++;
      const list =
        addresses.slice(0, 5).join('、') + (addresses.length > 5 ? ` ほか ${addresses.length - 5} 件` : '');
      return { ...d, message: `${d.message} [${lang === 'en' ? 'plan' : '計画'}: ${list}]` };
    });
  return { ...result, diagnostics, summary: summarizeCheck(diagnostics), planFindings };
}
