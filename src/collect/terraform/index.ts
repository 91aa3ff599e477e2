// pia collect terraform: `terraform show -json` (state or plan) → partial live snapshot with provenance.
// Resources are tied to systems by the tag `pia:system` or the mapping file; a resource without either
// inherits the system of the resource it belongs to (a rule → its security group, a listener → its load
// balancer, a security group → the tagged database or balancer that sits behind it). Anything left over
// that carries a fact is listed under `unattributed` — never assigned by guess.
import { appendPointer } from '../../pointer.ts';
import { addressMatches, type TerraformMapping } from '../mapping.ts';
import { SnapshotBuilder, type SourceInfo } from '../snapshot-builder.ts';
import type { PartialSnapshot } from '../snapshot-builder.ts';
import {
  EXTRACTORS,
  IDENTITY_ATTRIBUTES,
  PARENT_ATTRIBUTES,
  SECURITY_GROUP_ATTRIBUTES,
  type Fact,
} from './facts.ts';
import { readTerraform, type Rec, type TfDocument, type TfResource } from './read.ts';
import { countryOfRegion } from './regions.ts';

export { readTerraform } from './read.ts';
export const SUPPORTED_TYPES = Object.keys(EXTRACTORS).sort();
export const SYSTEM_TAG = 'pia:system';
const DEFAULT_TLS_PORTS = [443, 636, 993, 995, 8443, 22];

export interface TerraformCollectOptions {
  /** The file as the user named it (provenance, messages). */
  source: string;
  organization: string;
  asOf: string;
  mapping?: TerraformMapping;
  collectedAt?: string;
}

export interface TerraformCollectResult {
  snapshot: PartialSnapshot;
  kind: 'terraform-state' | 'terraform-plan';
  /** Resources read / of a supported type / tied to a system. */
  stats: { resources: number; supported: number; attributed: number; unattributed: number };
}

const isObject = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string' && v
      ? [v]
      : [];

function tagOf(r: TfResource): string | undefined {
  for (const k of ['tags', 'tags_all']) {
    const tags = r.values[k];
    if (isObject(tags) && typeof tags[SYSTEM_TAG] === 'string' && tags[SYSTEM_TAG].trim() !== '')
      return tags[SYSTEM_TAG].trim();
  }
  return undefined;
}

function regionOf(r: TfResource, doc: TfDocument, mapping: TerraformMapping | undefined): string | undefined {
  const v = r.values;
  if (typeof v.region === 'string' && v.region) return v.region;
  if (typeof v.location === 'string' && v.location) return v.location;
  if (typeof v.arn === 'string') {
    const m = /^arn:[^:]+:[^:]+:([a-z0-9-]+):/.exec(v.arn);
    if (m) return m[1];
  }
  if (typeof v.availability_zone === 'string') {
    const m = /^([a-z]{2}(?:-gov)?-[a-z]+-\d)[a-z]$/.exec(v.availability_zone);
    if (m) return m[1];
  }
  return doc.providerRegion.get(r.configAddress) ?? doc.defaultRegion ?? mapping?.region;
}

interface Contribution {
  system: string;
  fact: Fact;
  r: TfResource;
}

export function collectTerraform(text: string, opts: TerraformCollectOptions): TerraformCollectResult {
  const doc = readTerraform(text, opts.source);
  return collectTerraformDocument(doc, opts);
}

export function collectTerraformDocument(
  doc: TfDocument,
  opts: TerraformCollectOptions,
): TerraformCollectResult {
  const mapping = opts.mapping;
  const src: SourceInfo = { kind: doc.kind, source: opts.source, collectedAt: opts.collectedAt ?? opts.asOf };
  const b = new SnapshotBuilder(
    opts.organization,
    opts.asOf,
    `pia collect terraform (${doc.kind === 'terraform-plan' ? 'plan' : 'state'})`,
  );
  const managed = doc.resources.filter((r) => r.mode === 'managed');
  const byConfig = new Map<string, TfResource[]>();
  const byValue = new Map<string, TfResource[]>();
  for (const r of managed) {
    const c = byConfig.get(r.configAddress);
    if (c) c.push(r);
    else byConfig.set(r.configAddress, [r]);
    for (const k of IDENTITY_ATTRIBUTES) {
      const v = r.values[k];
      if (typeof v !== 'string' || v === '') continue;
      const l = byValue.get(v);
      if (l) {
        if (!l.includes(r)) l.push(r);
      } else byValue.set(v, [r]);
    }
  }
  const refsOf = (r: TfResource) => doc.refs.get(r.configAddress) ?? new Map<string, string[]>();
  const resolve = (r: TfResource, attrs: string[]): TfResource[] => {
    const out = new Set<TfResource>();
    for (const a of attrs) {
      for (const v of strings(r.values[a])) for (const t of byValue.get(v) ?? []) if (t !== r) out.add(t);
      for (const ref of refsOf(r).get(a) ?? []) for (const t of byConfig.get(ref) ?? []) out.add(t);
    }
    return [...out];
  };

  // 1. Own tag or mapping.
  const systems = new Map<TfResource, Set<string>>();
  const add = (r: TfResource, names: Iterable<string>): boolean => {
    let s = systems.get(r);
    let changed = false;
    for (const n of names) {
      if (!s) systems.set(r, (s = new Set()));
      if (!s.has(n)) {
        s.add(n);
        changed = true;
      }
    }
    return changed;
  };
  const own = new Set<TfResource>();
  for (const r of managed) {
    const tag = tagOf(r);
    const mapped = Object.entries(mapping?.systems ?? {})
      .filter(([, patterns]) =>
        patterns.some((p) => addressMatches(p, r.address) || addressMatches(p, r.configAddress)),
      )
      .map(([name]) => name);
    if (tag || mapped.length) {
      add(r, tag ? [tag, ...mapped] : mapped);
      own.add(r);
    }
  }
  // 2. Inherit along parent links and security-group attachments until nothing changes.
  for (let round = 0; round < 6; round++) {
    let changed = false;
    for (const r of managed) {
      if (own.has(r)) continue;
      const parents = resolve(r, PARENT_ATTRIBUTES[r.type] ?? []);
      for (const p of parents) changed = add(r, systems.get(p) ?? []) || changed;
    }
    for (const r of managed) {
      const s = systems.get(r);
      if (!s) continue;
      for (const sg of resolve(r, SECURITY_GROUP_ATTRIBUTES)) {
        if (own.has(sg)) continue;
        changed = add(sg, s) || changed;
      }
    }
    if (!changed) break;
  }

  // 3. Facts.
  const contributions: Contribution[] = [];
  const regions: { system: string; r: TfResource; region: string }[] = [];
  let supported = 0;
  let attributed = 0;
  let unattributed = 0;
  for (const r of managed) {
    const extract = EXTRACTORS[r.type];
    const names = [...(systems.get(r) ?? [])].sort();
    if (!extract) {
      // Unsupported types still say where a system runs.
      if (names.length) {
        const region = regionOf(r, doc, mapping);
        if (region) for (const system of names) regions.push({ system, r, region });
      }
      continue;
    }
    supported++;
    const facts = extract(r, refsOf(r));
    if (!names.length) {
      unattributed++;
      b.unattribute({
        kind: doc.kind,
        source: opts.source,
        address: r.address,
        type: r.type,
        reason: `タグ ${SYSTEM_TAG} もマッピングもなく、どのシステムのリソースか決められません`,
      });
      continue;
    }
    attributed++;
    const region = regionOf(r, doc, mapping);
    for (const system of names) {
      b.system(system);
      if (region) regions.push({ system, r, region });
      for (const fact of facts) contributions.push({ system, fact, r });
    }
  }
  for (const d of doc.deleted) {
    b.unattribute({
      kind: doc.kind,
      source: opts.source,
      address: d.address,
      type: d.type,
      reason: 'この計画で削除されます',
    });
  }

  writeFacts(b, src, contributions, regions, byValue, byConfig, systems, mapping);
  return {
    snapshot: b.build(),
    kind: doc.kind,
    stats: { resources: managed.length, supported, attributed, unattributed },
  };
}

function writeFacts(
  b: SnapshotBuilder,
  src: SourceInfo,
  contributions: Contribution[],
  regions: { system: string; r: TfResource; region: string }[],
  byValue: Map<string, TfResource[]>,
  byConfig: Map<string, TfResource[]>,
  systems: Map<TfResource, Set<string>>,
  mapping: TerraformMapping | undefined,
): void {
  const by = (a: { r: TfResource }, c: { r: TfResource }) =>
    a.r.address < c.r.address ? -1 : a.r.address > c.r.address ? 1 : 0;
  contributions.sort(by);
  const note = (pointer: string, r: TfResource, value: unknown) =>
    b.note(pointer, src, { address: r.address, ...(r.action ? { action: r.action } : {}), value });
  // One pass to group: a state has hundreds of resources and a system a dozen facts.
  const grouped = new Map<string, Contribution[]>();
  for (const c of contributions) {
    const k = `${c.system}\n${c.fact.fact}`;
    const g = grouped.get(k);
    if (g) g.push(c);
    else grouped.set(k, [c]);
  }
  const of = (system: string, fact: Fact['fact']) => grouped.get(`${system}\n${fact}`) ?? [];
  const val = (c: Contribution): unknown => ('value' in c.fact ? c.fact.value : undefined);
  const tlsPorts = new Set(mapping?.tlsPorts ?? DEFAULT_TLS_PORTS);
  const systemNames = [
    ...new Set([...contributions.map((c) => c.system), ...regions.map((r) => r.system)]),
  ].sort();

  const regionsBySystem = new Map<string, typeof regions>();
  for (const x of regions) {
    const g = regionsBySystem.get(x.system);
    if (g) g.push(x);
    else regionsBySystem.set(x.system, [x]);
  }
  for (const name of systemNames) {
    const { value: sys, pointer } = b.system(name);
    // Encryption: every contributing resource must be encrypted.
    for (const fact of ['atRest', 'inTransit'] as const) {
      const cs = of(name, fact);
      if (!cs.length) continue;
      const enc = (sys.encryption ??= {}) as Rec;
      enc[fact] = cs.every((c) => val(c) === true);
      for (const c of cs) note(appendPointer(pointer, 'encryption', fact), c.r, val(c));
    }
    const exposure = of(name, 'internet');
    if (exposure.length) {
      sys.internetReachable = exposure.some((c) => val(c) === true);
      for (const c of exposure) {
        const f = c.fact as Extract<Fact, { fact: 'internet' }>;
        note(
          appendPointer(pointer, 'internetReachable'),
          c.r,
          f.detail ? `${String(f.value)} (${f.detail})` : f.value,
        );
      }
    }
    const logs = of(name, 'logRetention');
    if (logs.length) {
      sys.accessLog = { enabled: true, retentionDays: Math.min(...logs.map((c) => val(c) as number)) };
      for (const c of logs) note(appendPointer(pointer, 'accessLog', 'retentionDays'), c.r, val(c));
    }
    const backups = of(name, 'backupRetention');
    if (backups.length) {
      const days = backups.map((c) => val(c) as number);
      sys.backup = { enabled: days.every((d) => d > 0), retentionDays: Math.min(...days) };
      for (const c of backups) note(appendPointer(pointer, 'backup', 'retentionDays'), c.r, val(c));
    }
    // Location: a system with any resource outside Japan is outside Japan (data-in-japan must see it).
    const located = (regionsBySystem.get(name) ?? [])
      .map((x) => ({ ...x, country: countryOfRegion(x.region) }))
      .sort(by);
    const known = located.filter((x) => x.country);
    if (known.length) {
      const pick = known.find((x) => x.country?.country !== 'JP') ?? known[0];
      sys.location = {
        country: pick.country?.country,
        region: pick.region,
        provider: pick.country?.provider,
      };
      for (const x of known)
        note(appendPointer(pointer, 'location', 'country'), x.r, `${x.country?.country} (${x.region})`);
    }
    // Connections: traffic allowed in from another system's security group.
    const ingress = of(name, 'ingressFrom');
    for (const c of ingress) {
      const f = c.fact as Extract<Fact, { fact: 'ingressFrom' }>;
      const peers = new Set<TfResource>();
      for (const id of f.peerIds) for (const t of byValue.get(id) ?? []) peers.add(t);
      for (const ref of f.peerRefs) for (const t of byConfig.get(ref) ?? []) peers.add(t);
      const peerSystems = new Set<string>();
      for (const p of peers) for (const s of systems.get(p) ?? []) if (s !== name) peerSystems.add(s);
      const encrypted = f.ports !== undefined && f.ports[0] === f.ports[1] && tlsPorts.has(f.ports[0]);
      for (const peer of [...peerSystems].sort()) {
        addConnection(b, name, peer, '受信', encrypted, c.r, src);
        addConnection(b, peer, name, '送信', encrypted, c.r, src);
      }
    }
  }
}

function addConnection(
  b: SnapshotBuilder,
  system: string,
  to: string,
  direction: '受信' | '送信',
  encrypted: boolean,
  r: TfResource,
  src: SourceInfo,
): void {
  const { value: sys, pointer } = b.system(system);
  const list = (sys.connections ??= []) as Rec[];
  let i = list.findIndex((c) => c.to === to);
  if (i < 0) {
    i = list.length;
    list.push({ to, encrypted, direction });
  } else {
    const c = list[i];
    c.encrypted = c.encrypted === true && encrypted;
    if (c.direction !== direction) c.direction = '双方向';
  }
  b.note(appendPointer(pointer, 'connections', i), src, {
    address: r.address,
    ...(r.action ? { action: r.action } : {}),
    value: { to, direction, encrypted },
  });
}
