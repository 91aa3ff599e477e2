// Matching snapshot contractors to the 評価書's 委託事項 (by 委託先名). Shared by the entrustment rules.
import { MemoKey, type At, type CheckContext } from '../context.ts';
import type { DeclaredEntrustment, DeclaredFile } from '../declared.ts';
import { mentions, normalizeName, sameName } from '../names.ts';
import type { SnapshotContractor } from '../snapshot-types.ts';

export interface ContractorMatch {
  contractor: At<SnapshotContractor>;
  file?: DeclaredFile;
  entrustment?: DeclaredEntrustment;
}

const MATCHES = new MemoKey<ContractorMatch[]>('contractor matches');

/**
 * One 委託事項 per snapshot contractor. A contractor may hold several 委託事項 (seed 000: 日本電気株式会社 for
 * 委託事項3 and 4); its snapshot entries are matched to them by 委託内容 when the scope names it, otherwise
 * in order, each 委託事項 used once while another is free.
 */
export function matchContractors(ctx: CheckContext): ContractorMatch[] {
  return ctx.memo(MATCHES, () => matchesOf(ctx));
}

function matchesOf(ctx: CheckContext): ContractorMatch[] {
  const used = new Set<DeclaredEntrustment>();
  // 委託事項 by contractor name, built once with the 評価書 (prepare.ts).
  const byName = ctx.index.entrustmentsByContractor;
  const out = ctx.contractors.map((c): ContractorMatch => {
    const named = c.value.file ? ctx.fileOf(c.value.file) : undefined;
    const candidates = (byName.get(normalizeName(c.value.name)) ?? []).filter(
      ({ file }) => !named || file === named,
    );
    const scope = c.value.scope;
    const pick =
      (scope
        ? candidates.find(
            ({ entrustment: e }) =>
              !used.has(e) && [e.title, e.content].some((t) => sameName(t, scope) || mentions(t, scope)),
          )
        : undefined) ??
      candidates.find(({ entrustment: e }) => !used.has(e)) ??
      candidates[0];
    if (pick) {
      used.add(pick.entrustment);
      return { contractor: c, file: pick.file, entrustment: pick.entrustment };
    }
    return { contractor: c, file: named ?? ctx.fileOf(undefined) ?? ctx.declared.files[0] };
  });
  return out;
}

/** The worst consequence among the items a correction would touch (any ※ item makes it 重要な変更). */
export function worstOf(
  ctx: CheckContext,
  pointers: { pointer: string; block?: boolean }[],
): '重要な変更' | '修正' {
  return pointers.some((p) => ctx.consequenceOf(p.pointer, p.block) === '重要な変更') ? '重要な変更' : '修正';
}
