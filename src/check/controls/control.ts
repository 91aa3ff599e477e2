// The evaluation side of a catalog control (schemas/control-catalog.yaml holds its description and
// parameters). An evaluator reads the snapshot facts of one system and says: satisfied, contradicted (with
// the pointers of the contradicting facts), or not verifiable because the snapshot lacks the facts — a
// control is never passed on missing evidence.
import type { ParamValue } from '../catalog.ts';
import type { At, CheckContext } from '../context.ts';
import type { DeclaredFile } from '../declared.ts';
import type { SnapshotAccount, SnapshotDataStore, SnapshotSystem } from '../snapshot-types.ts';

export interface ControlTarget {
  system: At<SnapshotSystem>;
  /** Data stores held by this system. */
  stores: At<SnapshotDataStore>[];
  /** The file whose Ⅲ block binds the control (undefined for Ⅳ その他のリスク対策). */
  file?: DeclaredFile;
}

export type ControlResult =
  | { status: 'pass' }
  | { status: 'fail'; details: string[]; pointers: string[] }
  | { status: 'unknown'; missing: string };

export interface ControlEvaluator {
  /** = file name, = catalog id. */
  id: string;
  /** `params` are the binding's own (prepare.ts, frozen): read them, never change them. */
  evaluate(
    target: ControlTarget,
    params: Readonly<Record<string, ParamValue>>,
    ctx: CheckContext,
  ): ControlResult;
}

/**
 * Collects failures; the result is pass when nothing failed and nothing was missing. The lists are made on
 * first use: a check evaluates every binding (19 for kakuu-city-juki) and most pass, so three empty arrays
 * per Verdict were a sixth of the bytes the control evaluation allocated.
 */
export class Verdict {
  private details?: string[];
  private pointers?: string[];
  private missing?: string[];
  private checked = false;

  fail(detail: string, pointers: string[]): this {
    (this.details ??= []).push(detail);
    (this.pointers ??= []).push(...pointers);
    this.checked = true;
    return this;
  }

  /** A fact was read and satisfied the control. */
  ok(): this {
    this.checked = true;
    return this;
  }

  lack(what: string): this {
    (this.missing ??= []).push(what);
    return this;
  }

  result(ctx: CheckContext): ControlResult {
    if (this.details) return { status: 'fail', details: this.details, pointers: this.pointers ?? [] };
    if (this.missing || !this.checked)
      return { status: 'unknown', missing: (this.missing ?? []).join(ctx.t('、', ', ')) };
    return { status: 'pass' };
  }
}

/**
 * Enabled accounts matching `test`, with their pointers. The pointer is built only for the accounts that
 * match: a core system has 10,000s of accounts and a control usually flags a handful.
 */
export function enabledAccounts(
  system: At<SnapshotSystem>,
  test: (a: SnapshotAccount) => boolean = () => true,
) {
  const out: { a: SnapshotAccount; pointer: string }[] = [];
  const list = system.value.accounts ?? [];
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (a.disabled !== true && test(a)) out.push({ a, pointer: `${system.pointer}/accounts/${i}` });
  }
  return out;
}
