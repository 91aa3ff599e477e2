// Evaluates every control bound in the 評価書 (ids and parameters resolved once, prepare.ts) once per check;
// the four control rules (violated, unverifiable, unknown id, invalid parameters) each report their share.
import type { ControlSpec } from './catalog.ts';
import { MemoKey, type At, type CheckContext } from './context.ts';
import type { ControlResult, ControlTarget } from './controls/index.ts';
import type { DeclaredControl, DeclaredMeasureBlock } from './declared.ts';
import type { SnapshotSystem } from './snapshot-types.ts';

export type BindingOutcome =
  | { kind: 'unknown-control'; block: DeclaredMeasureBlock; control: DeclaredControl }
  | {
      kind: 'invalid-params';
      block: DeclaredMeasureBlock;
      control: DeclaredControl;
      spec: ControlSpec;
      problems: string[];
    }
  | {
      kind: 'missing-system';
      block: DeclaredMeasureBlock;
      control: DeclaredControl;
      spec: ControlSpec;
      system?: string;
    }
  | {
      kind: 'evaluated';
      block: DeclaredMeasureBlock;
      control: DeclaredControl;
      spec: ControlSpec;
      results: { target: ControlTarget; result: ControlResult }[];
    };

const BINDINGS = new MemoKey<BindingOutcome[]>('bindings');

function targetSystems(
  ctx: CheckContext,
  block: DeclaredMeasureBlock,
  control: DeclaredControl,
): At<SnapshotSystem>[] | { missing: string | undefined } {
  const name = control.system ?? block.system;
  if (name) {
    const s = ctx.findSnapshotSystem(name);
    return s ? [s] : { missing: name };
  }
  // No system named: the systems that hold this block's file, or every system of the 事務.
  const file = block.fileIndex !== undefined ? ctx.declared.files[block.fileIndex] : undefined;
  const holding = file ? ctx.systemsHolding(file) : [];
  if (holding.length) return holding;
  return ctx.systems.length ? ctx.systems : { missing: undefined };
}

export function evaluateBindings(ctx: CheckContext): BindingOutcome[] {
  return ctx.memo(BINDINGS, () => bindingsOf(ctx));
}

function bindingsOf(ctx: CheckContext): BindingOutcome[] {
  const out: BindingOutcome[] = [];
  // Ids, catalog entries and parameters were resolved once, with the 評価書 (prepare.ts).
  for (const { block, control, spec, evaluator, params, problems } of ctx.prepared.bindings) {
    if (!spec || !evaluator) {
      out.push({ kind: 'unknown-control', block, control });
      continue;
    }
    const inLang = problems[ctx.lang];
    if (inLang.length) {
      out.push({ kind: 'invalid-params', block, control, spec, problems: [...inLang] });
      continue;
    }
    const systems = targetSystems(ctx, block, control);
    if (!Array.isArray(systems)) {
      out.push({
        kind: 'missing-system',
        block,
        control,
        spec,
        ...(systems.missing ? { system: systems.missing } : {}),
      });
      continue;
    }
    const file = block.fileIndex !== undefined ? ctx.declared.files[block.fileIndex] : undefined;
    const results = systems.map((system) => {
      const target: ControlTarget = {
        system,
        stores: ctx.storesOfSystem(system),
        ...(file ? { file } : {}),
      };
      return { target, result: evaluator.evaluate(target, params, ctx) };
    });
    out.push({ kind: 'evaluated', block, control, spec, results });
  }
  return out;
}
