// What each supported resource type says about its system. One entry per type; each returns the facts it
// carries (encryption, exposure, logs, backups, connections). The meaning of each attribute is Terraform's
// AWS / AzureRM provider documentation; where a provider default matters it is said in the comment.
import type { Rec, TfResource } from './read.ts';

export type Fact =
  | { fact: 'atRest'; value: boolean }
  | { fact: 'inTransit'; value: boolean }
  | { fact: 'internet'; value: boolean; detail?: string }
  | { fact: 'logRetention'; value: number }
  | { fact: 'backupRetention'; value: number }
  /** Traffic allowed in from the resources (security groups) named by `peer` (ids/arns or config refs). */
  | { fact: 'ingressFrom'; peerIds: string[]; peerRefs: string[]; ports: [number, number] | undefined };

export const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);
const AZURE_OPEN = new Set(['*', '0.0.0.0/0', '::/0', 'internet', 'any', '0.0.0.0']);

const isObject = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string' && v
      ? [v]
      : [];
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ports = (from: unknown, to: unknown): [number, number] | undefined => {
  const f = num(from);
  const t = num(to);
  return f !== undefined && t !== undefined ? [f, t] : undefined;
};
const portText = (p: [number, number] | undefined): string =>
  !p || (p[0] <= 0 && (p[1] <= 0 || p[1] >= 65535))
    ? '全ポート'
    : p[0] === p[1]
      ? `ポート ${p[0]}`
      : `ポート ${p[0]}-${p[1]}`;

export type Extractor = (r: TfResource, refs: Map<string, string[]>) => Fact[];

function backup(days: unknown): Fact[] {
  const d = num(days);
  return d === undefined ? [] : [{ fact: 'backupRetention', value: d }];
}

function bool(fact: 'atRest' | 'inTransit', v: unknown): Fact[] {
  return typeof v === 'boolean' ? [{ fact, value: v }] : [];
}

function sgRuleFacts(
  cidrs: string[],
  fromPort: unknown,
  toPort: unknown,
  peerIds: string[],
  peerRefs: string[],
): Fact[] {
  const p = ports(fromPort, toPort);
  const out: Fact[] = [];
  const open = cidrs.filter((c) => OPEN_CIDRS.has(c));
  if (open.length)
    out.push({ fact: 'internet', value: true, detail: `${open.join(', ')} から${portText(p)} を許可` });
  if (peerIds.length || peerRefs.length) out.push({ fact: 'ingressFrom', peerIds, peerRefs, ports: p });
  return out;
}

export const EXTRACTORS: Readonly<Record<string, Extractor>> = {
  // ---- AWS ----
  aws_db_instance: (r) => [
    ...bool('atRest', r.values.storage_encrypted),
    ...backup(r.values.backup_retention_period),
    ...(typeof r.values.publicly_accessible === 'boolean'
      ? [
          {
            fact: 'internet',
            value: r.values.publicly_accessible,
            ...(r.values.publicly_accessible ? { detail: 'publicly_accessible = true' } : {}),
          } as Fact,
        ]
      : []),
  ],
  aws_rds_cluster: (r) => [
    ...bool('atRest', r.values.storage_encrypted),
    ...backup(r.values.backup_retention_period),
  ],
  aws_ebs_volume: (r) => bool('atRest', r.values.encrypted),
  aws_s3_bucket: (r) => {
    const out: Fact[] = [];
    // Provider v3 (and v4+ state, as a computed attribute) carries the encryption inline.
    const sse = list(r.values.server_side_encryption_configuration);
    if (sse.length) out.push({ fact: 'atRest', value: true });
    const acl = r.values.acl;
    if (acl === 'public-read' || acl === 'public-read-write')
      out.push({ fact: 'internet', value: true, detail: `acl = ${acl}` });
    return out;
  },
  aws_s3_bucket_server_side_encryption_configuration: (r) => {
    const algos = list(r.values.rule).flatMap((rule) =>
      isObject(rule)
        ? list(rule.apply_server_side_encryption_by_default).map((d) =>
            isObject(d) ? d.sse_algorithm : undefined,
          )
        : [],
    );
    return algos.some((a) => typeof a === 'string' && a !== '') ? [{ fact: 'atRest', value: true }] : [];
  },
  aws_s3_bucket_public_access_block: (r) => {
    const keys = [
      'block_public_acls',
      'block_public_policy',
      'ignore_public_acls',
      'restrict_public_buckets',
    ];
    const off = keys.filter((k) => r.values[k] !== true);
    // Any of the four left off lets the bucket be made public: for a 特定個人情報 bucket that is exposure.
    return [
      off.length
        ? { fact: 'internet', value: true, detail: `${off.join(', ')} が無効` }
        : { fact: 'internet', value: false },
    ];
  },
  aws_lb: (r) =>
    typeof r.values.internal === 'boolean'
      ? [
          {
            fact: 'internet',
            value: !r.values.internal,
            ...(!r.values.internal ? { detail: 'internal = false (インターネット向け)' } : {}),
          } as Fact,
        ]
      : [],
  aws_alb: (r) => EXTRACTORS.aws_lb(r, new Map()),
  aws_lb_listener: (r) => {
    const protocol = typeof r.values.protocol === 'string' ? r.values.protocol.toUpperCase() : undefined;
    if (!protocol) return [];
    if (protocol === 'HTTPS' || protocol === 'TLS') return [{ fact: 'inTransit', value: true }];
    // An HTTP listener that only redirects to HTTPS carries no data in clear.
    const redirects = list(r.values.default_action).every(
      (a) =>
        isObject(a) &&
        a.type === 'redirect' &&
        list(a.redirect).some((x) => isObject(x) && String(x.protocol).toUpperCase() === 'HTTPS'),
    );
    return [{ fact: 'inTransit', value: redirects && list(r.values.default_action).length > 0 }];
  },
  aws_alb_listener: (r) => EXTRACTORS.aws_lb_listener(r, new Map()),
  aws_security_group: (r, refs) => {
    const out: Fact[] = [];
    const ingress = list(r.values.ingress).filter(isObject);
    const sgRefs = (refs.get('ingress') ?? []).filter((a) => /(^|\.)aws_security_group\.[^.]+$/.test(a));
    for (const rule of ingress) {
      const cidrs = [...strings(rule.cidr_blocks), ...strings(rule.ipv6_cidr_blocks)];
      out.push(...sgRuleFacts(cidrs, rule.from_port, rule.to_port, strings(rule.security_groups), []));
    }
    if (sgRefs.length && !out.some((f) => f.fact === 'ingressFrom'))
      out.push({ fact: 'ingressFrom', peerIds: [], peerRefs: sgRefs, ports: undefined });
    if (!out.some((f) => f.fact === 'internet')) out.push({ fact: 'internet', value: false });
    return out;
  },
  aws_vpc_security_group_ingress_rule: (r, refs) =>
    sgRuleFacts(
      [...strings(r.values.cidr_ipv4), ...strings(r.values.cidr_ipv6)],
      r.values.from_port,
      r.values.to_port,
      strings(r.values.referenced_security_group_id),
      refs.get('referenced_security_group_id') ?? [],
    ),
  aws_security_group_rule: (r, refs) =>
    r.values.type !== 'ingress'
      ? []
      : sgRuleFacts(
          [...strings(r.values.cidr_blocks), ...strings(r.values.ipv6_cidr_blocks)],
          r.values.from_port,
          r.values.to_port,
          strings(r.values.source_security_group_id),
          refs.get('source_security_group_id') ?? [],
        ),
  aws_eip: () => [{ fact: 'internet', value: true, detail: 'Elastic IP (パブリック IP)' }],
  aws_instance: (r) =>
    r.values.associate_public_ip_address === true ||
    (typeof r.values.public_ip === 'string' && r.values.public_ip !== '')
      ? [{ fact: 'internet', value: true, detail: 'パブリック IP あり' }]
      : [],
  aws_cloudwatch_log_group: (r) => {
    const d = num(r.values.retention_in_days);
    // 0 = never expire (provider default): kept as long as any control can ask; recorded as 36500 days.
    return d === undefined ? [] : [{ fact: 'logRetention', value: d === 0 ? 36500 : d }];
  },

  // ---- Azure ----
  azurerm_mssql_database: (r) => bool('atRest', r.values.transparent_data_encryption_enabled),
  azurerm_mssql_server: (r) => {
    const out: Fact[] = [];
    if (typeof r.values.public_network_access_enabled === 'boolean')
      out.push({
        fact: 'internet',
        value: r.values.public_network_access_enabled,
        ...(r.values.public_network_access_enabled ? { detail: 'public_network_access_enabled = true' } : {}),
      } as Fact);
    const tls = r.values.minimum_tls_version;
    if (typeof tls === 'string') out.push({ fact: 'inTransit', value: tls !== 'Disabled' });
    return out;
  },
  azurerm_storage_account: (r) => {
    // Azure Storage encrypts at rest always (service-side, cannot be disabled).
    const out: Fact[] = [{ fact: 'atRest', value: true }];
    const https = r.values.https_traffic_only_enabled ?? r.values.enable_https_traffic_only;
    if (typeof https === 'boolean') out.push({ fact: 'inTransit', value: https });
    const pub = r.values.allow_nested_items_to_be_public ?? r.values.allow_blob_public_access;
    if (typeof pub === 'boolean')
      out.push({
        fact: 'internet',
        value: pub,
        ...(pub ? { detail: 'allow_nested_items_to_be_public = true' } : {}),
      } as Fact);
    return out;
  },
  azurerm_network_security_group: (r) => {
    const open = list(r.values.security_rule).filter(isObject).filter(azureOpenRule);
    return [
      open.length
        ? {
            fact: 'internet',
            value: true,
            detail: `受信規則 ${open.map((x) => String(x.name)).join(', ')} がインターネットからの接続を許可`,
          }
        : { fact: 'internet', value: false },
    ];
  },
  azurerm_network_security_rule: (r) =>
    azureOpenRule(r.values)
      ? [
          {
            fact: 'internet',
            value: true,
            detail: `受信規則 ${String(r.values.name)} がインターネットからの接続を許可`,
          },
        ]
      : [],
  azurerm_public_ip: () => [{ fact: 'internet', value: true, detail: 'パブリック IP' }],
  azurerm_log_analytics_workspace: (r) => {
    const d = num(r.values.retention_in_days);
    return d === undefined ? [] : [{ fact: 'logRetention', value: d }];
  },
  azurerm_postgresql_flexible_server: (r) => [
    ...backup(r.values.backup_retention_days),
    ...(typeof r.values.public_network_access_enabled === 'boolean'
      ? [
          {
            fact: 'internet',
            value: r.values.public_network_access_enabled,
            ...(r.values.public_network_access_enabled
              ? { detail: 'public_network_access_enabled = true' }
              : {}),
          } as Fact,
        ]
      : []),
  ],
};

function azureOpenRule(rule: Rec): boolean {
  if (String(rule.direction).toLowerCase() !== 'inbound' || String(rule.access).toLowerCase() !== 'allow')
    return false;
  const sources = [...strings(rule.source_address_prefix), ...strings(rule.source_address_prefixes)];
  return sources.some((s) => AZURE_OPEN.has(s.toLowerCase()));
}

/** Attributes naming the resource a resource belongs to (a rule → its group, a listener → its balancer). */
export const PARENT_ATTRIBUTES: Readonly<Record<string, string[]>> = {
  aws_lb_listener: ['load_balancer_arn'],
  aws_alb_listener: ['load_balancer_arn'],
  aws_s3_bucket_server_side_encryption_configuration: ['bucket'],
  aws_s3_bucket_public_access_block: ['bucket'],
  aws_vpc_security_group_ingress_rule: ['security_group_id'],
  aws_security_group_rule: ['security_group_id'],
  aws_eip: ['instance', 'network_interface'],
  azurerm_network_security_rule: ['network_security_group_name'],
  azurerm_mssql_database: ['server_id'],
};

/** Attributes listing the security groups a resource sits behind: the group belongs to the resource's system. */
export const SECURITY_GROUP_ATTRIBUTES = ['vpc_security_group_ids', 'security_groups', 'security_group_ids'];

/** Values other resources use to point at this one. */
export const IDENTITY_ATTRIBUTES = ['id', 'arn', 'bucket', 'name'];
