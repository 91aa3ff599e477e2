// Benchmark of `pia collect`, as ratios against bare parsing of the same files in the same run (DESIGN §4;
// no fixed thresholds). Run: npx tsx bench/collect.ts
//
//   accounts   10,000 accounts, CSV with Japanese headers (generated here, ~0.7 MB)
//              collectAccounts (UTF-8 check, csv-parse, header mapping, values, duplicates, snapshot)
//              vs. the baseline: TextDecoder + csv-parse of the same bytes (what any CSV reader must do)
//   terraform  500 resources of the supported types across 20 systems (a `terraform show -json` state)
//              collectTerraform (system tagging, parent links, facts, provenance)
//              vs. the baseline: JSON.parse of the same text
//   + output   the same, plus what the CLI adds: schema validation of the snapshot and JSON.stringify
//
// Rounds interleave the collector and its baseline so background load hits both alike; ratios are of
// medians, of the fastest runs, and of median CPU time of this process.
import { performance } from 'node:perf_hooks';
import { parse as parseCsv } from 'csv-parse/sync';
import { collectAccounts, collectTerraform, validateCollected } from '../src/collect/index.ts';
import { median } from './lib/measure.ts';

const ROUNDS = 15;
const WARMUP = 3;
const AS_OF = '2026-12-01T09:00:00+09:00';

function accountsCsv(n: number): Buffer {
  const rows = ['アカウントID,所属,役割,個人番号参照,二要素認証,最終ログイン,状態,異動・退職日'];
  const depts = ['市民生活部 市民窓口課', '北支所', '南支所', '総務部 情報政策課'];
  for (let i = 1; i <= n; i++) {
    rows.push(
      [
        `u${String(i).padStart(5, '0')}`,
        depts[i % 4],
        i % 50 === 0 ? '管理者' : '窓口担当',
        i % 3 === 0 ? 'いいえ' : 'はい',
        i % 11 === 0 ? '無' : '有',
        `2026/11/${String((i % 28) + 1).padStart(2, '0')} 08:30`,
        i % 7 === 0 ? '無効' : '有効',
        i % 97 === 0 ? '2026/04/01' : '',
      ].join(','),
    );
  }
  return Buffer.from(rows.join('\r\n') + '\r\n', 'utf8');
}

function terraformState(n: number): string {
  const resources: Record<string, unknown>[] = [];
  const arn = (svc: string, rest: string) => `arn:aws:${svc}:ap-northeast-1:123456789012:${rest}`;
  for (let i = 0; resources.length < n; i++) {
    const system = `システム${String(i % 20).padStart(2, '0')}`;
    const tags = { 'pia:system': system };
    const sg = `sg-${i}`;
    resources.push(
      {
        address: `aws_db_instance.db${i}`,
        mode: 'managed',
        type: 'aws_db_instance',
        name: `db${i}`,
        values: {
          arn: arn('rds', `db:db${i}`),
          storage_encrypted: i % 13 !== 0,
          backup_retention_period: 7,
          publicly_accessible: false,
          vpc_security_group_ids: [sg],
          tags,
        },
      },
      {
        address: `aws_security_group.sg${i}`,
        mode: 'managed',
        type: 'aws_security_group',
        name: `sg${i}`,
        values: {
          id: sg,
          arn: arn('ec2', `security-group/${sg}`),
          ingress: [
            {
              from_port: 443,
              to_port: 443,
              cidr_blocks: i % 17 === 0 ? ['0.0.0.0/0'] : ['10.0.0.0/16'],
              ipv6_cidr_blocks: [],
              security_groups: i > 0 ? [`sg-${i - 1}`] : [],
            },
          ],
        },
      },
      {
        address: `aws_ebs_volume.vol${i}`,
        mode: 'managed',
        type: 'aws_ebs_volume',
        name: `vol${i}`,
        values: { id: `vol-${i}`, availability_zone: 'ap-northeast-1a', encrypted: true, tags },
      },
      {
        address: `aws_cloudwatch_log_group.log${i}`,
        mode: 'managed',
        type: 'aws_cloudwatch_log_group',
        name: `log${i}`,
        values: { name: `/sys/${i}`, arn: arn('logs', `log-group:/sys/${i}`), retention_in_days: 1827, tags },
      },
      {
        address: `aws_lb_listener.l${i}`,
        mode: 'managed',
        type: 'aws_lb_listener',
        name: `l${i}`,
        values: {
          arn: arn('elasticloadbalancing', `listener/${i}`),
          load_balancer_arn: arn('elasticloadbalancing', `loadbalancer/${i}`),
          protocol: 'HTTPS',
        },
      },
      {
        address: `aws_lb.lb${i}`,
        mode: 'managed',
        type: 'aws_lb',
        name: `lb${i}`,
        values: {
          arn: arn('elasticloadbalancing', `loadbalancer/${i}`),
          internal: true,
          security_groups: [sg],
          tags,
        },
      },
      {
        address: `aws_s3_bucket.b${i}`,
        mode: 'managed',
        type: 'aws_s3_bucket',
        name: `b${i}`,
        values: {
          id: `bucket-${i}`,
          bucket: `bucket-${i}`,
          arn: `arn:aws:s3:::bucket-${i}`,
          region: 'ap-northeast-1',
          tags,
        },
      },
      {
        address: `aws_s3_bucket_public_access_block.b${i}`,
        mode: 'managed',
        type: 'aws_s3_bucket_public_access_block',
        name: `b${i}`,
        values: {
          bucket: `bucket-${i}`,
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        },
      },
      {
        address: `aws_instance.misc${i}`,
        mode: 'managed',
        type: 'aws_instance',
        name: `misc${i}`,
        values: {
          id: `i-${i}`,
          vpc_security_group_ids: [sg],
          associate_public_ip_address: false,
          public_ip: '',
          tags: i % 5 === 0 ? {} : tags,
        },
      },
      {
        address: `aws_iam_role.r${i}`,
        mode: 'managed',
        type: 'aws_iam_role',
        name: `r${i}`,
        values: { name: `r${i}` },
      },
    );
  }
  return JSON.stringify({
    format_version: '1.0',
    terraform_version: '1.9.8',
    values: { root_module: { resources: resources.slice(0, n) } },
  });
}

interface Sample {
  ms: number;
  cpuMs: number;
}
function time(fn: () => unknown): Sample {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000 };
}

function compare(name: string, subject: () => unknown, baseline: () => unknown, baselineName: string): void {
  for (let i = 0; i < WARMUP; i++) {
    subject();
    baseline();
  }
  const s: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first.
    if (i % 2) {
      b.push(time(baseline));
      s.push(time(subject));
    } else {
      s.push(time(subject));
      b.push(time(baseline));
    }
  }
  const m = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));
  const min = (xs: Sample[]) => Math.min(...xs.map((x) => x.ms));
  const f = (x: number) => x.toFixed(1).padStart(7);
  console.log(
    `${name.padEnd(34)} median ${f(m(s, 'ms'))} ms  min ${f(min(s))} ms  cpu ${f(m(s, 'cpuMs'))} ms | ${baselineName.padEnd(24)} median ${f(m(b, 'ms'))} ms  min ${f(min(b))} ms  cpu ${f(m(b, 'cpuMs'))} ms | ratio median ${(m(s, 'ms') / m(b, 'ms')).toFixed(2)}× min ${(min(s) / min(b)).toFixed(2)}× cpu ${(m(s, 'cpuMs') / m(b, 'cpuMs')).toFixed(2)}×`,
  );
}

const csv = accountsCsv(10_000);
const tf = terraformState(500);
console.log(
  `accounts CSV: 10,000 accounts, ${(csv.length / 1024).toFixed(0)} KB; terraform state: 500 resources, ${(tf.length / 1024).toFixed(0)} KB`,
);
const accOpts = {
  source: 'accounts.csv',
  system: '住民記録システム',
  organization: 'kakuu-city',
  asOf: AS_OF,
};
const tfOpts = { source: 'state.json', organization: 'kakuu-city', asOf: AS_OF };
const bareCsv = () =>
  parseCsv(new TextDecoder('utf-8', { fatal: true }).decode(csv), { bom: true, skip_empty_lines: true });
const bareJson = () => JSON.parse(tf);
{
  const r = collectTerraform(tf, tfOpts);
  console.log(
    `terraform: ${r.stats.supported} supported, ${r.stats.attributed} tied to systems, ${r.stats.unattributed} unattributed, ${(r.snapshot.provenance as unknown[]).length} provenance entries`,
  );
}
compare('collect accounts (10,000)', () => collectAccounts(csv, accOpts), bareCsv, 'bare csv-parse');
compare(
  'collect accounts + output',
  () => {
    const r = collectAccounts(csv, accOpts);
    validateCollected(r.snapshot, 'accounts.csv');
    return JSON.stringify(r.snapshot, null, 2);
  },
  bareCsv,
  'bare csv-parse',
);
compare('collect terraform (500)', () => collectTerraform(tf, tfOpts), bareJson, 'bare JSON.parse');
compare(
  'collect terraform + output',
  () => {
    const r = collectTerraform(tf, tfOpts);
    validateCollected(r.snapshot, 'state.json');
    return JSON.stringify(r.snapshot, null, 2);
  },
  bareJson,
  'bare JSON.parse',
);
