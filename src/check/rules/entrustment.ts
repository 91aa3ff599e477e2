// Matching snapshot contractors to the 評価書's 委託事項 (by 委託先名). Shared by the entrustment rules.
import type { At, CheckContext } from '../context.ts';
import type { DeclaredEntrustment, DeclaredFile } from '../declared.ts';
import { sameName } from '../names.ts';
import type { SnapshotContractor } from '../snapshot-types.ts';

export interface ContractorMatch {
  contractor: At<SnapshotContractor>;
  file?: DeclaredFile;
  entrustment?: DeclaredEntrustment;
}

export function matchContractors(ctx: CheckContext): ContractorMatch[] {
  return ctx.contractors.map((c) => {
    const named = c.value.file ? ctx.fileOf(c.value.file) : undefined;
    const files = named ? [named] : ctx.declared.files;
    for (const f of files) {
      const e = f.entrustments.find((x) => sameName(x.contractor?.value, c.value.name));
      if (e) return { contractor: c, file: f, entrustment: e };
    }
    return { contractor: c, file: named ?? ctx.fileOf(undefined) ?? ctx.declared.files[0] };
  });
}

/** The worst consequence among the items a correction would touch (any ※ item makes it 重要な変更). */
export function worstOf(ctx: CheckContext, pointers: { pointer: string; block?: boolean }[]): '重要な変更' | '修正' {
  return pointers.some((p) => ctx.consequenceOf(p.pointer, p.block) === '重要な変更') ? '重要な変更' : '修正';
}
