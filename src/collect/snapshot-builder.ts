// A partial live snapshot under construction: systems and data stores are created by name on first use (so
// their pointers are stable while we append), and every fact is written together with its provenance.
import { buildPointer } from '../pointer.ts';
import type { Provenance, SourceKind, Unattributed } from './provenance.ts';

export type Rec = Record<string, unknown>;

export interface PartialSnapshot extends Rec {
  organization: string;
  asOf: string;
}

export interface SourceInfo {
  kind: SourceKind;
  source: string;
  collectedAt: string;
}

export class SnapshotBuilder {
  private readonly systems: Record<string, unknown>[] = [];
  private readonly systemIndex = new Map<string, number>();
  private readonly stores: Record<string, unknown>[] = [];
  private readonly provenance: Provenance[] = [];
  private readonly unattributed: Unattributed[] = [];
  private counts: Rec | undefined;

  constructor(
    readonly organization: string,
    readonly asOf: string,
    readonly exporter = 'pia collect',
  ) {}

  /** The system named `name` (created on first use) and its pointer. */
  system(name: string): { value: Rec; pointer: string } {
    let i = this.systemIndex.get(name);
    if (i === undefined) {
      i = this.systems.length;
      this.systems.push({ name });
      this.systemIndex.set(name, i);
    }
    return { value: this.systems[i], pointer: buildPointer(['systems', i]) };
  }

  addStore(store: Rec): string {
    this.stores.push(store);
    return buildPointer(['dataStores', this.stores.length - 1]);
  }

  setCounts(counts: Rec): string {
    this.counts = { ...this.counts, ...counts };
    return '/counts';
  }

  note(
    pointer: string,
    src: SourceInfo,
    extra: { address?: string; action?: string; value?: unknown } = {},
  ): void {
    this.provenance.push({
      pointer,
      kind: src.kind,
      source: src.source,
      ...(extra.address !== undefined ? { address: extra.address } : {}),
      ...(extra.action !== undefined ? { action: extra.action } : {}),
      ...(extra.value !== undefined ? { value: extra.value } : {}),
      collectedAt: src.collectedAt,
    });
  }

  unattribute(u: Unattributed): void {
    this.unattributed.push(u);
  }

  build(): PartialSnapshot {
    const out: PartialSnapshot = {
      organization: this.organization,
      asOf: this.asOf,
      exporter: this.exporter,
    };
    if (this.counts) out.counts = this.counts;
    if (this.systems.length) out.systems = this.systems;
    if (this.stores.length) out.dataStores = this.stores;
    if (this.provenance.length) out.provenance = this.provenance;
    if (this.unattributed.length) out.unattributed = this.unattributed;
    return out;
  }
}
