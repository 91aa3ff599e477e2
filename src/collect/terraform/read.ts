// Reading `terraform show -json` output (state or saved plan), as documented in Terraform's "JSON Output
// Format": a state has values.root_module; a plan has planned_values.root_module (the state after apply),
// resource_changes (address + actions) and configuration (provider settings and the references between
// resources, which is where a plan says "this rule belongs to that security group" while the id is still
// unknown). Modules nest as child_modules / module_calls, at any depth.
import { InputError } from '../../errors.ts';

export type Rec = Record<string, unknown>;

export interface TfResource {
  address: string;
  /** The address without instance keys ([0], ["a"]): what configuration references name. */
  configAddress: string;
  mode: string;
  type: string;
  name: string;
  values: Rec;
  /** Plan only: create, update, replace, read, no-op. */
  action?: string;
}

export interface TfDocument {
  kind: 'terraform-state' | 'terraform-plan';
  resources: TfResource[];
  /** configAddress → attribute → referenced resource configAddresses (plan only). */
  refs: Map<string, Map<string, string[]>>;
  /** configAddress → region from its provider configuration (plan only). */
  providerRegion: Map<string, string>;
  /** The only provider region in the configuration, when there is exactly one. */
  defaultRegion?: string;
  /** Plan only: resources the plan deletes (not in planned_values). */
  deleted: { address: string; type: string }[];
}

const isObject = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

export function stripIndexes(address: string): string {
  return address.replace(/\[[^\]]*\]/g, '');
}

function walkModule(m: unknown, out: TfResource[]): void {
  if (!isObject(m)) return;
  for (const r of Array.isArray(m.resources) ? m.resources : []) {
    if (!isObject(r) || typeof r.address !== 'string' || typeof r.type !== 'string') continue;
    out.push({
      address: r.address,
      configAddress: stripIndexes(r.address),
      mode: typeof r.mode === 'string' ? r.mode : 'managed',
      type: r.type,
      name: typeof r.name === 'string' ? r.name : '',
      values: isObject(r.values) ? r.values : {},
    });
  }
  for (const c of Array.isArray(m.child_modules) ? m.child_modules : []) walkModule(c, out);
}

function actionOf(actions: unknown): string | undefined {
  if (!Array.isArray(actions)) return undefined;
  const a = actions.filter((x): x is string => typeof x === 'string');
  if (a.includes('delete') && a.includes('create')) return 'replace';
  return a.join('+') || undefined;
}

/** Every `references` list below an expression, by the top-level attribute it is under. */
function collectRefs(expressions: unknown, modulePrefix: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!isObject(expressions)) return out;
  const walk = (n: unknown, attr: string): void => {
    if (Array.isArray(n)) n.forEach((x) => walk(x, attr));
    else if (isObject(n)) {
      if (Array.isArray(n.references)) {
        const list = out.get(attr) ?? [];
        for (const ref of n.references) {
          if (typeof ref !== 'string') continue;
          if (/^(var|local|each|count|path|terraform|module)\./.test(ref)) continue;
          const m = /^((?:data\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(ref);
          if (m && !list.includes(modulePrefix + m[1])) list.push(modulePrefix + m[1]);
        }
        out.set(attr, list);
      }
      for (const [k, v] of Object.entries(n)) if (k !== 'references') walk(v, attr);
    }
  };
  for (const [attr, e] of Object.entries(expressions)) walk(e, attr);
  return out;
}

function walkConfig(
  m: unknown,
  prefix: string,
  providerRegions: Map<string, string>,
  doc: Pick<TfDocument, 'refs' | 'providerRegion'>,
): void {
  if (!isObject(m)) return;
  for (const r of Array.isArray(m.resources) ? m.resources : []) {
    if (!isObject(r) || typeof r.address !== 'string') continue;
    const address = prefix + r.address;
    doc.refs.set(address, collectRefs(r.expressions, prefix));
    const key = typeof r.provider_config_key === 'string' ? r.provider_config_key : undefined;
    const region = key ? providerRegions.get(key) : undefined;
    if (region) doc.providerRegion.set(address, region);
  }
  if (isObject(m.module_calls)) {
    for (const [name, call] of Object.entries(m.module_calls)) {
      if (isObject(call)) walkConfig(call.module, `${prefix}module.${name}.`, providerRegions, doc);
    }
  }
}

export function readTerraform(text: string, source: string): TfDocument {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `${source}: JSON として読めません (${(e as Error).message})。terraform show -json の出力を指定してください`,
      source,
    );
  }
  if (
    !isObject(data) ||
    (!('values' in data) && !('planned_values' in data) && !('resource_changes' in data))
  ) {
    throw new InputError(
      `${source}: terraform show -json の出力ではありません (values も planned_values もありません)。` +
        'state は terraform show -json、plan は terraform plan -out=tfplan の後 terraform show -json tfplan で出力してください',
      source,
    );
  }
  // The format promises: reject an unsupported major version rather than misread it.
  if (typeof data.format_version === 'string' && !/^1\./.test(data.format_version)) {
    throw new InputError(
      `${source}: terraform show -json の形式 ${data.format_version} には対応していません (1.x に対応)`,
      source,
    );
  }
  const isPlan = 'planned_values' in data || 'resource_changes' in data;
  const resources: TfResource[] = [];
  const doc: TfDocument = {
    kind: isPlan ? 'terraform-plan' : 'terraform-state',
    resources,
    refs: new Map(),
    providerRegion: new Map(),
    deleted: [],
  };
  if (isPlan) {
    walkModule(isObject(data.planned_values) ? data.planned_values.root_module : undefined, resources);
    const actions = new Map<string, string>();
    for (const rc of Array.isArray(data.resource_changes) ? data.resource_changes : []) {
      if (!isObject(rc) || typeof rc.address !== 'string' || !isObject(rc.change)) continue;
      const a = actionOf(rc.change.actions);
      if (a) actions.set(rc.address, a);
      if (a === 'delete') doc.deleted.push({ address: rc.address, type: String(rc.type ?? '') });
    }
    for (const r of resources) {
      const a = actions.get(r.address);
      if (a) r.action = a;
    }
    const cfg = isObject(data.configuration) ? data.configuration : {};
    const providerRegions = new Map<string, string>();
    if (isObject(cfg.provider_config)) {
      for (const [key, p] of Object.entries(cfg.provider_config)) {
        const region =
          isObject(p) && isObject(p.expressions)
            ? (p.expressions.region ?? p.expressions.location)
            : undefined;
        if (isObject(region) && typeof region.constant_value === 'string')
          providerRegions.set(key, region.constant_value);
      }
    }
    const distinct = [...new Set(providerRegions.values())];
    if (distinct.length === 1) doc.defaultRegion = distinct[0];
    walkConfig(cfg.root_module, '', providerRegions, doc);
  } else {
    walkModule(isObject(data.values) ? data.values.root_module : undefined, resources);
  }
  return doc;
}
