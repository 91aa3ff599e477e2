// pia collect terraform: one fixture per fact (test/collect/fixtures/terraform, `terraform show -json`
// format), each checked for the collected value and the resource address in its provenance; then the plan
// gate end to end through the CLI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../src/collect/index.ts';
import { validateSnapshot } from '../../src/check/snapshot.ts';
import { getAtPointer } from '../../src/pointer.ts';
import { AS_OF, FIXTURES, JUKI, noStackTrace, runPia } from './helpers.ts';

const SYS = '住民記録システム';
type Rec = Record<string, unknown>;

function collect(file: string, mapping?: Parameters<typeof collectTerraform>[1]['mapping']) {
  const text = readFileSync(join(FIXTURES, 'terraform', file), 'utf8');
  const r = collectTerraform(text, {
    source: file,
    organization: 'kakuu-city',
    asOf: AS_OF,
    ...(mapping ? { mapping } : {}),
  });
  expect(validateSnapshot(r.snapshot, 'ja')).toEqual([]);
  return r;
}

function system(snap: Rec, name = SYS): { value: Rec; pointer: string } {
  const list = (snap.systems ?? []) as Rec[];
  const i = list.findIndex((s) => s.name === name);
  expect(i, `system ${name}`).toBeGreaterThanOrEqual(0);
  return { value: list[i], pointer: `/systems/${i}` };
}

function addressesOf(snap: Rec, pointer: string): string[] {
  return ((snap.provenance ?? []) as Rec[])
    .filter((p) => p.pointer === pointer)
    .map((p) => p.address as string);
}

// [fixture, fact pointer below the system, expected value, resource address the provenance must name]
const FACTS: [string, string, unknown, string][] = [
  ['state/aws_db_instance.storage_encrypted.json', '/encryption/atRest', false, 'aws_db_instance.juki'],
  ['state/aws_db_instance.backup_retention_period.json', '/backup/retentionDays', 3, 'aws_db_instance.juki'],
  ['state/aws_db_instance.publicly_accessible.json', '/internetReachable', true, 'aws_db_instance.juki'],
  ['state/aws_rds_cluster.storage_encrypted.json', '/encryption/atRest', true, 'aws_rds_cluster.juki'],
  ['state/aws_rds_cluster.storage_encrypted.json', '/backup/retentionDays', 35, 'aws_rds_cluster.juki'],
  ['state/aws_ebs_volume.encrypted.json', '/encryption/atRest', false, 'aws_ebs_volume.data'],
  [
    'state/aws_s3_bucket_server_side_encryption_configuration.json',
    '/encryption/atRest',
    true,
    'aws_s3_bucket_server_side_encryption_configuration.docs',
  ],
  [
    'state/aws_s3_bucket_public_access_block.json',
    '/internetReachable',
    true,
    'aws_s3_bucket_public_access_block.docs',
  ],
  ['state/aws_s3_bucket.acl.json', '/internetReachable', true, 'aws_s3_bucket.pub'],
  ['state/aws_lb.internal.json', '/internetReachable', true, 'aws_lb.web'],
  ['state/aws_lb_listener.protocol.json', '/encryption/inTransit', false, 'aws_lb_listener.http'],
  ['state/aws_lb_listener.https.json', '/encryption/inTransit', true, 'aws_lb_listener.https'],
  ['state/aws_security_group.ingress.json', '/internetReachable', true, 'aws_security_group.db'],
  [
    'state/aws_vpc_security_group_ingress_rule.cidr_ipv6.json',
    '/internetReachable',
    true,
    'aws_vpc_security_group_ingress_rule.v6',
  ],
  ['state/aws_security_group_rule.json', '/internetReachable', true, 'aws_security_group_rule.open'],
  ['state/aws_eip.json', '/internetReachable', true, 'aws_eip.web'],
  ['state/aws_cloudwatch_log_group.json', '/accessLog/retentionDays', 400, 'aws_cloudwatch_log_group.app'],
  ['state/region-osaka.json', '/location/country', 'JP', 'aws_db_instance.juki'],
  ['state/region-abroad.json', '/location/country', 'US', 'aws_db_instance.juki'],
  ['state/modules.json', '/encryption/atRest', false, 'module.juki.module.db.aws_db_instance.main'],
  ['state/azurerm_mssql_database.json', '/encryption/atRest', false, 'azurerm_mssql_database.juki'],
  ['state/azurerm_mssql_database.json', '/internetReachable', false, 'azurerm_mssql_server.juki'],
  ['state/azurerm_storage_account.json', '/encryption/inTransit', false, 'azurerm_storage_account.juki'],
  ['state/azurerm_storage_account.json', '/location/country', 'JP', 'azurerm_storage_account.juki'],
  [
    'state/azurerm_network_security_group.json',
    '/internetReachable',
    true,
    'azurerm_network_security_group.juki',
  ],
  [
    'state/azurerm_network_security_rule.json',
    '/internetReachable',
    true,
    'azurerm_network_security_rule.rdp',
  ],
  ['state/azurerm_public_ip.json', '/internetReachable', true, 'azurerm_public_ip.juki'],
  [
    'state/azurerm_log_analytics_workspace.json',
    '/accessLog/retentionDays',
    730,
    'azurerm_log_analytics_workspace.juki',
  ],
  [
    'state/azurerm_postgresql_flexible_server.json',
    '/backup/retentionDays',
    14,
    'azurerm_postgresql_flexible_server.juki',
  ],
  ['plan/sg-open-db.json', '/internetReachable', true, 'aws_security_group.db'],
  ['plan/new-rule-unknown-ids.json', '/internetReachable', true, 'aws_vpc_security_group_ingress_rule.any'],
  ['plan/provider-region.json', '/location/country', 'IE', 'aws_ebs_volume.data'],
  ['plan/no-change.json', '/internetReachable', false, 'aws_security_group.db'],
];

describe('pia collect terraform: one fixture per fact', () => {
  it.each(FACTS)('%s → %s = %j (%s)', (file, path, expected, address) => {
    const { snapshot } = collect(file);
    const s = system(snapshot);
    expect(getAtPointer(s.value, path)).toEqual(expected);
    // The fact names where it came from: kind, file, resource address, time.
    const provPointer = `${s.pointer}${path}`;
    expect(addressesOf(snapshot, provPointer)).toContain(address);
    const p = ((snapshot.provenance ?? []) as Rec[]).find(
      (x) => x.pointer === provPointer && x.address === address,
    )!;
    expect(p.kind).toBe(file.startsWith('plan/') ? 'terraform-plan' : 'terraform-state');
    expect(p.source).toBe(file);
    expect(p.collectedAt).toBe(AS_OF);
  });

  it('an HTTP listener that only redirects to HTTPS keeps inTransit true', () => {
    const { snapshot } = collect('state/aws_lb_listener.https.json');
    expect(addressesOf(snapshot, '/systems/0/encryption/inTransit')).toEqual([
      'aws_lb_listener.https',
      'aws_lb_listener.redirect',
    ]);
  });

  it('log retention and log enablement: the shortest retention of the system counts', () => {
    const { snapshot } = collect('state/aws_cloudwatch_log_group.json');
    expect(system(snapshot).value.accessLog).toEqual({ enabled: true, retentionDays: 400 });
  });

  it('backup: enabled with its retention', () => {
    const { snapshot } = collect('state/aws_db_instance.backup_retention_period.json');
    expect(system(snapshot).value.backup).toEqual({ enabled: true, retentionDays: 3 });
  });

  it('a system with one resource abroad is abroad, whatever the others say', () => {
    const { snapshot } = collect('state/region-abroad.json');
    expect(system(snapshot).value.location).toEqual({ country: 'US', region: 'us-east-1', provider: 'AWS' });
    expect(addressesOf(snapshot, '/systems/0/location/country').sort()).toEqual([
      'aws_db_instance.juki',
      'aws_ebs_volume.data',
    ]);
  });

  it('ap-northeast-3 (大阪) is Japan', () => {
    const { snapshot } = collect('state/region-osaka.json');
    expect(system(snapshot).value.location).toMatchObject({ country: 'JP', region: 'ap-northeast-3' });
  });

  it('security-group references between systems become connections on both sides', () => {
    const { snapshot } = collect('state/connections.json');
    expect(system(snapshot).value.connections).toEqual([
      { to: '庁内連携システム', encrypted: true, direction: '受信' },
    ]);
    expect(system(snapshot, '庁内連携システム').value.connections).toEqual([
      { to: SYS, encrypted: true, direction: '送信' },
    ]);
    const db = system(snapshot);
    expect(addressesOf(snapshot, `${db.pointer}/connections/0`)).toEqual(['aws_security_group.db']);
  });

  it('untagged resources are reported, not guessed', async () => {
    const { snapshot, stats } = collect('state/untagged.json');
    expect(stats.unattributed).toBe(1);
    expect(snapshot.unattributed).toEqual([
      expect.objectContaining({
        address: 'aws_ebs_volume.orphan',
        type: 'aws_ebs_volume',
        kind: 'terraform-state',
        reason: expect.stringContaining('pia:system'),
      }),
    ]);
    // The orphan's unencrypted volume is NOT folded into the tagged system.
    expect(system(snapshot).value.encryption).toEqual({ atRest: true });
    const r = await runPia([
      'collect',
      'terraform',
      'test/collect/fixtures/terraform/state/untagged.json',
      '--organization',
      'kakuu-city',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('aws_ebs_volume.orphan');
    expect(r.stderr).toContain('システムに結び付けられません');
    const strict = await runPia([
      'collect',
      'terraform',
      'test/collect/fixtures/terraform/state/untagged.json',
      '--organization',
      'kakuu-city',
      '--strict',
    ]);
    expect(strict.code).toBe(1);
  });

  it('a mapping file ties untagged resources (address patterns, count indexes)', () => {
    const { snapshot, stats } = collect('state/mapping.json', { systems: { [SYS]: ['aws_ebs_volume.*'] } });
    expect(stats.unattributed).toBe(0);
    expect(system(snapshot).value.encryption).toEqual({ atRest: true });
    expect(addressesOf(snapshot, '/systems/0/encryption/atRest')).toEqual(['aws_ebs_volume.data[0]']);
  });

  it('a plan records the action of each resource; deleted resources are listed', () => {
    const { snapshot } = collect('plan/sg-open-db.json');
    const p = ((snapshot.provenance ?? []) as Rec[]).find(
      (x) => x.address === 'aws_security_group.db' && String(x.pointer).endsWith('internetReachable'),
    )!;
    expect(p.action).toBe('update');
    expect(p.value).toMatch(/^true \(0\.0\.0\.0\/0 からポート 5432 を許可\)$/);
    const del = collect('plan/delete.json').snapshot;
    expect(del.unattributed).toEqual([
      expect.objectContaining({ address: 'aws_ebs_volume.old', reason: 'この計画で削除されます' }),
    ]);
  });

  it('rejects what is not terraform show -json, in Japanese, exit 2', async () => {
    const r = await runPia(['collect', 'terraform', 'package.json', '--organization', 'kakuu-city']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('terraform show -json の出力ではありません');
    noStackTrace(r.stderr);
    const v = await runPia(['collect', 'terraform', 'test/collect/fixtures/terraform/state/aws_eip.json']);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('--organization');
  });

  it('rejects an unsupported major format version', () => {
    expect(() =>
      collectTerraform(JSON.stringify({ format_version: '2.0', values: { root_module: {} } }), {
        source: 'x.json',
        organization: 'o',
        asOf: AS_OF,
      }),
    ).toThrow(/形式 2\.0 には対応していません/);
  });
});

describe('pia check --plan (the plan gate)', () => {
  const plan = (f: string) => `test/collect/fixtures/terraform/plan/${f}`;

  it('a plan that opens the security group of a tagged database to 0.0.0.0/0 → exit 1, 違反 naming the resource address', async () => {
    const r = await runPia(['check', JUKI, '--plan', plan('sg-open-db.json'), '--format', 'json']);
    noStackTrace(r.stderr);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      diagnostics: { code: string; consequence?: string; message: string; severity: string }[];
    };
    const v = out.diagnostics.filter((d) => d.severity === 'error');
    expect(v).toHaveLength(1);
    expect(v[0].code).toBe('check/control-violated');
    expect(v[0].consequence).toBe('違反');
    expect(v[0].message).toContain('インターネット');
    expect(v[0].message).toContain('aws_security_group.db (update)');
    // The closed database is not blamed.
    expect(v[0].message).not.toContain('aws_db_instance.juki');
    const text = await runPia(['check', JUKI, '--plan', plan('sg-open-db.json')]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/〈違反〉/);
    expect(text.stdout).toContain('帰結: 違反 1 件');
  });

  it('rules and ids unknown until apply are linked through the configuration references', async () => {
    const r = await runPia(['check', JUKI, '--plan', plan('new-rule-unknown-ids.json'), '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('aws_vpc_security_group_ingress_rule.any (create)');
  });

  it('a plan that keeps the database closed passes (exit 0); absent systems are not findings of a plan', async () => {
    const r = await runPia(['check', JUKI, '--plan', plan('no-change.json'), '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { diagnostics: { code: string }[] };
    expect(out.diagnostics.map((d) => d.code)).not.toContain('check/declared-system-absent');
  });

  it('--live + --plan: the plan is laid over the current snapshot and still names the address', async () => {
    const r = await runPia([
      'check',
      JUKI,
      '--live',
      'assessments/kakuu-city-juki/live.yaml',
      '--plan',
      plan('sg-open-db.json'),
      '--format',
      'json',
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      diagnostics: { code: string; message: string; severity: string }[];
    };
    expect(out.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual([
      'check/control-violated',
    ]);
    expect(out.diagnostics[0].message).toContain('aws_security_group.db (update)');
  });

  it('a plan whose resource lands outside Japan → data-in-japan 違反 naming the volume', async () => {
    const r = await runPia(['check', JUKI, '--plan', plan('provider-region.json'), '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('aws_ebs_volume.data (create)');
    expect(r.stdout).toContain('data-in-japan');
  });

  it('a state file given as --plan is refused (exit 2)', async () => {
    const r = await runPia(['check', JUKI, '--plan', 'test/collect/fixtures/terraform/state/aws_eip.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('terraform の state です');
    noStackTrace(r.stderr);
  });
});
