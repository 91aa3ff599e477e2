// End to end through the CLI (a fresh `pia` process per run): every sample's compliant snapshot exits 0,
// its drifted snapshot exits 1 with exactly the expected findings and consequences; bad input gives a clear
// Japanese error and the documented exit code, never a stack trace.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSEQUENCE_ORDER } from '../../src/report/index.ts';
import type { Consequence } from '../../src/types.ts';
import { ROOT, runPia } from './helpers.ts';

type Finding = [code: string, path: string, consequence: string];

/**
 * What each drifted snapshot must produce, by path then code; the report puts the heaviest consequence
 * first (report/sort.ts), see inReportOrder. Rules that
 * cannot apply to a sample are listed in the comment of its live-drifted.yaml (e.g. no 保管期間 in a 重点,
 * no controls bound in the seeds, no threshold above a 全項目).
 */
const DRIFT: Record<string, Finding[]> = {
  'hofu-covid-vaccination': [
    ['persons-out-of-band', '/basic/jimu/persons', '修正'],
    ['undeclared-system', '/basic/systems', '修正'],
    ['undeclared-connection', '/basic/systems/1/connections', '修正'],
    ['declared-connection-absent', '/basic/systems/2/connections/2', '修正'],
    ['declared-system-absent', '/basic/systems/3', '修正'],
    ['users-out-of-band', '/files/0/acquisition/users/userCount', '修正'],
    ['undeclared-record-item', '/files/0/basics/mainItems', '重要な変更'],
    ['persons-out-of-band', '/files/0/basics/persons', '修正'],
    ['undeclared-contractor', '/files/0/entrustment/items', '重要な変更'],
    ['handlers-out-of-band', '/files/0/entrustment/items/0/handlerCount', '修正'],
    ['undeclared-subcontractor', '/files/0/entrustment/items/0/subcontract/presence', '重要な変更'],
    ['subcontractor-unapproved', '/files/0/entrustment/items/1/subcontract/method', '違反'],
    ['undeclared-record-item', '/files/0/recordItems/items', '修正'],
    ['threshold-escalation', '/procedure/kiso/thresholdResult', '要再評価'],
    ['incident-undeclared', '/risks/0/storage/risk/seriousIncident/occurred', '修正'],
  ],
  'kagoshima-covid-vaccination': [
    ['undeclared-system', '/basic/systems', '修正'],
    ['undeclared-connection', '/basic/systems/2/connections', '修正'],
    ['declared-connection-absent', '/basic/systems/2/connections/3', '修正'],
    ['undeclared-connection', '/basic/systems/4/connections', '修正'],
    ['users-out-of-band', '/files/0/acquisition/users/userCount', '修正'],
    ['undeclared-record-item', '/files/0/basics/mainItems', '重要な変更'],
    ['persons-out-of-band', '/files/0/basics/persons', '修正'],
    ['undeclared-contractor', '/files/0/entrustment/items', '重要な変更'],
    ['undeclared-subcontractor', '/files/0/entrustment/items/1/subcontract/presence', '重要な変更'],
    ['handlers-out-of-band', '/files/0/entrustment/items/2/handlerCount', '修正'],
    ['subcontractor-unapproved', '/files/0/entrustment/items/2/subcontract/method', '違反'],
    ['declared-contractor-absent', '/files/0/entrustment/items/4', '重要な変更'],
    ['undeclared-record-item', '/files/0/recordItems/items', '修正'],
    ['incident-undeclared', '/risks/0/storage/risk1/seriousIncident/occurred', '修正'],
  ],
  'kakuu-city-juki': [
    ['undeclared-system', '/basic/systems', '修正'],
    ['undeclared-connection', '/basic/systems/0/connections', '修正'],
    ['declared-connection-absent', '/basic/systems/2/connections/2', '修正'],
    ['declared-system-absent', '/basic/systems/4', '修正'],
    ['undeclared-record-item', '/files/0/basics/mainItems', '重要な変更'],
    ['persons-out-of-band', '/files/0/basics/persons', '修正'],
    ['subcontractor-unapproved', '/files/0/entrustment/items/0/subcontract/method', '違反'],
    ['handlers-out-of-band', '/files/0/entrustment/items/1/handlerCount', '修正'],
    ['undeclared-subcontractor', '/files/0/entrustment/items/1/subcontract/presence', '重要な変更'],
    ['undeclared-provision', '/files/0/provision/provisions', '修正'],
    ['undeclared-record-item', '/files/0/recordItems/items', '修正'],
    ['retention-mismatch', '/files/0/storage/retention/period', '修正'],
    ['users-out-of-band', '/files/1/acquisition/users/userCount', '修正'],
    ['undeclared-contractor', '/files/1/entrustment/items', '重要な変更'],
    ['declared-contractor-absent', '/files/1/entrustment/items/0', '重要な変更'],
    ['undeclared-provision', '/files/1/provision/presence', '修正'],
    ['attestation-expired', '/otherRisks/education/method/0/attestation/expires', '違反'],
    ['control-violated', '/risks/0/acquisition/risk4/measures/0/controls/0', '違反'],
    ['incident-undeclared', '/risks/0/storage/risk1/seriousIncident/occurred', '修正'],
    ['control-violated', '/risks/0/storage/risk1/technical/measures/0/controls/0', '違反'],
    ['control-violated', '/risks/0/storage/risk1/technical/measures/0/controls/1', '違反'],
    ['control-violated', '/risks/0/storage/risk1/technical/measures/0/controls/2', '違反'],
    ['control-violated', '/risks/0/storage/risk1/technical/measures/0/controls/3', '違反'],
    ['control-unverifiable', '/risks/0/storage/risk1/technical/measures/1/controls/0', '情報'],
    ['control-violated', '/risks/0/use/risk2/accessControlMethod/0/controls/0', '違反'],
    ['control-violated', '/risks/0/use/risk2/accessGrantRevokeMethod/0/controls/0', '違反'],
    ['control-violated', '/risks/0/use/risk2/usageRecordMethod/0/controls/0', '違反'],
    ['control-violated', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0', '違反'],
    ['control-violated', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/1', '違反'],
    ['control-violated', '/risks/0/use/risk4/measures/0/controls/0', '違反'],
    ['incident-undeclared', '/risks/1/storage/risk1/seriousIncident/occurred', '修正'],
  ],
  'kakuu-city-kaigo': [
    ['persons-out-of-band', '/basic/jimu/persons', '修正'],
    ['undeclared-system', '/basic/systems', '修正'],
    ['undeclared-connection', '/basic/systems/0/connections', '修正'],
    ['declared-connection-absent', '/basic/systems/0/connections/3', '修正'],
    ['declared-system-absent', '/basic/systems/2', '修正'],
    ['users-out-of-band', '/files/0/acquisition/users/userCount', '修正'],
    ['undeclared-record-item', '/files/0/basics/mainItems', '重要な変更'],
    ['undeclared-contractor', '/files/0/entrustment/items', '重要な変更'],
    ['declared-contractor-absent', '/files/0/entrustment/items/0', '重要な変更'],
    ['handlers-out-of-band', '/files/0/entrustment/items/1/handlerCount', '修正'],
    ['undeclared-subcontractor', '/files/0/entrustment/items/1/subcontract/presence', '重要な変更'],
    ['undeclared-provision', '/files/0/provision/transfers', '修正'],
    ['undeclared-record-item', '/files/0/recordItems/items', '修正'],
    ['threshold-escalation', '/procedure/kiso/thresholdResult', '要再評価'],
    ['control-violated', '/risks/0/acquisition/risk/measures/0/controls/0', '違反'],
    ['attestation-expired', '/risks/0/education/method/0/attestation/expires', '違反'],
    ['control-unverifiable', '/risks/0/storage/risk/otherMeasures/0/controls/1', '情報'],
    ['incident-undeclared', '/risks/0/storage/risk/seriousIncident/occurred', '修正'],
    ['control-violated', '/risks/0/use/otherRisks/0/controls/0', '違反'],
    ['control-violated', '/risks/0/use/risk2/otherMeasures/0/controls/0', '違反'],
    ['control-violated', '/risks/0/use/risk2/otherMeasures/0/controls/1', '違反'],
    ['control-violated', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/0', '違反'],
    ['control-violated', '/risks/0/use/risk2/userAuthenticationMethod/0/controls/1', '違反'],
    ['control-violated', '/risks/0/use/risk2/userAuthenticationMethod/1/controls/0', '違反'],
  ],
  'kakuu-city-jidouteate': [
    ['undeclared-system', '/related/jimu/systemNames', '修正'],
    ['handlers-out-of-band', '/thresholdItems/handlers/band', '修正'],
    ['incident-undeclared', '/thresholdItems/incident/occurred', '修正'],
    ['persons-out-of-band', '/thresholdItems/persons/band', '修正'],
    ['threshold-escalation', '/thresholdResult/result', '要再評価'],
  ],
};

const SAMPLES = Object.keys(DRIFT);
/** DRIFT's lists in the report's order: consequence weight first (a stable sort keeps path order within). */
const inReportOrder = (f: Finding[]) =>
  [...f].sort(
    (a, b) => CONSEQUENCE_ORDER.indexOf(a[2] as Consequence) - CONSEQUENCE_ORDER.indexOf(b[2] as Consequence),
  );
const doc = (s: string) => `assessments/${s}/assessment.yaml`;
const live = (s: string, f = 'live.yaml') => `assessments/${s}/${f}`;

interface JsonOut {
  summary: { error: number; warning: number; info: number };
  diagnostics: {
    code: string;
    path: string;
    consequence?: string;
    severity: string;
    message: string;
    label?: string;
    line?: number;
    related?: { source?: string; path: string; line?: number }[];
    waived?: object;
  }[];
}

function noStackTrace(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(stderr).not.toContain('内部エラー');
}

describe.each(SAMPLES)('%s', (sample) => {
  it('live.yaml (as declared) → exit 0, no findings', async () => {
    const r = await runPia(['check', doc(sample), '--live', live(sample), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as JsonOut).diagnostics).toEqual([]);
  });

  it('live-drifted.yaml → exit 1 with every expected finding and its consequence', async () => {
    const r = await runPia([
      'check',
      doc(sample),
      '--live',
      live(sample, 'live-drifted.yaml'),
      '--format',
      'json',
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOut;
    expect(out.diagnostics.map((d) => [d.code.replace('check/', ''), d.path, d.consequence])).toEqual(
      inReportOrder(DRIFT[sample]),
    );
    for (const d of out.diagnostics) {
      expect(d.message).toMatch(/[ぁ-ん]/);
      expect(d.label).toBeTruthy();
      expect(d.line).toBeGreaterThan(0);
      // Drift findings point into the snapshot too, with its lines (attestations have no live fact).
      if (d.code !== 'check/attestation-expired') {
        expect(d.related?.[0]?.source).toBe(live(sample, 'live-drifted.yaml'));
        expect(d.related?.[0]?.line).toBeGreaterThan(0);
      }
    }
  });
});

describe('output', () => {
  const sample = 'kakuu-city-kaigo';
  const args = ['check', doc(sample), '--live', live(sample, 'live-drifted.yaml')];

  it('is deterministic: the same input gives the same bytes', async () => {
    const [a, b] = await Promise.all([
      runPia([...args, '--format', 'json']),
      runPia([...args, '--format', 'json']),
    ]);
    expect(a.stdout).toBe(b.stdout);
    const t = await runPia(args);
    const t2 = await runPia(args);
    expect(t.stdout).toBe(t2.stdout);
  });

  it('text: Japanese, with label, consequence and a summary of consequences', async () => {
    const r = await runPia(args);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('check/threshold-escalation');
    expect(r.stdout).toContain('〈要再評価〉');
    expect(r.stdout).toMatch(/帰結: 要再評価 1 件、重要な変更 4 件、修正 10 件、違反 8 件、情報 1 件\n$/);
  });

  it('SARIF 2.1.0 for code scanning: rules with descriptions, results at the snapshot file and line', async () => {
    const r = await runPia([...args, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('pia');
    const rules = run.tool.driver.rules as {
      id: string;
      shortDescription: { text: string };
      fullDescription: { text: string };
    }[];
    for (const rule of rules) {
      expect(rule.shortDescription.text).not.toBe(rule.id);
      expect(rule.fullDescription.text).toMatch(/[ぁ-ん]/);
    }
    const ids = rules.map((x) => x.id);
    for (const res of run.results) {
      expect(ids[res.ruleIndex]).toBe(res.ruleId);
      expect(['error', 'warning', 'note']).toContain(res.level);
      expect(res.message.text).not.toBe('');
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).not.toMatch(/^\//);
      expect(loc.region.startLine).toBeGreaterThan(0);
    }
    const drift = run.results.find((x: { ruleId: string }) => x.ruleId === 'check/undeclared-system');
    expect(drift.locations[0].physicalLocation.artifactLocation.uri).toBe(
      encodeURI(live(sample, 'live-drifted.yaml')),
    );
    expect(drift.relatedLocations[0].physicalLocation.artifactLocation.uri).toBe(encodeURI(doc(sample)));
    expect(drift.properties.consequence).toBe('修正');
    // An attestation has no live fact: it stays on the 評価書.
    const att = run.results.find((x: { ruleId: string }) => x.ruleId === 'check/attestation-expired');
    expect(att.locations[0].physicalLocation.artifactLocation.uri).toBe(encodeURI(doc(sample)));
  });

  it('JUnit: one failing testcase per error, warnings as passing cases', async () => {
    const r = await runPia([...args, '--format', 'junit']);
    expect(r.code).toBe(1);
    // 要再評価 1 + 重要な変更 4 + 違反 8 are errors; 修正 10 warnings and 情報 1 pass (marked 「警告: 」…).
    expect(r.stdout).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="pia" tests="24" failures="13" errors="0" skipped="0" time="0">/,
    );
    expect(r.stdout.match(/<failure /g)?.length).toBe(13);
    expect(r.stdout).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
  });

  it('--fail-on warning fails on warnings; a clean run stays 0', async () => {
    const jidou = ['check', doc('kakuu-city-jidouteate'), '--live', live('kakuu-city-jidouteate')];
    expect((await runPia([...jidou, '--fail-on', 'warning'])).code).toBe(0);
    const hofu = await runPia([
      'check',
      doc('hofu-covid-vaccination'),
      '--live',
      live('hofu-covid-vaccination', 'live-drifted.yaml'),
      '--fail-on',
      'warning',
      '--format',
      'json',
    ]);
    expect(hofu.code).toBe(1);
  });

  it('markdown (--format md) ends with the consequences', async () => {
    const r = await runPia([...args, '--format', 'md']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('check/control-violated');
    expect(r.stdout).toMatch(/帰結: .*\n$/);
  });

  const tmp = mkdtempSync(join(tmpdir(), 'pia-check-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a JSON snapshot gives the same findings, located in the JSON file', async () => {
    const yaml = await import('yaml');
    const jsonFile = join(tmp, 'live-drifted.json');
    writeFileSync(
      jsonFile,
      JSON.stringify(
        yaml.parse(readFileSync(join(ROOT, live(sample, 'live-drifted.yaml')), 'utf8')),
        null,
        2,
      ),
    );
    const r = await runPia(['check', doc(sample), '--live', jsonFile, '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOut;
    expect(out.diagnostics.map((d) => [d.code.replace('check/', ''), d.path, d.consequence])).toEqual(
      inReportOrder(DRIFT[sample]),
    );
    const undeclared = out.diagnostics.find((d) => d.code === 'check/undeclared-system')!;
    const line = undeclared.related![0].line!;
    expect(undeclared.related![0].source).toBe(jsonFile);
    expect(readFileSync(jsonFile, 'utf8').split('\n')[line - 1]).toMatch(/^\s*\{$/);
  });

  it('-o writes the report to a file and only a summary to stderr', async () => {
    const out = join(tmp, 'check.sarif');
    const r = await runPia([...args, '--format', 'sarif', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^pia check: エラー 13 件、警告 10 件、情報 1 件/);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });
});

describe('waivers', () => {
  const sample = 'kakuu-city-kaigo';
  it('a waived finding is shown and counted; an expired waiver is a finding again', async () => {
    const r = await runPia([
      'check',
      doc(sample),
      '--live',
      live(sample, 'live-drifted.yaml'),
      '--waivers',
      live(sample, 'waivers.yaml'),
      '--format',
      'json',
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOut;
    const waived = out.diagnostics.filter((d) => d.waived);
    expect(waived.map((d) => d.path)).toEqual(['/risks/0/use/otherRisks/0/controls/0']);
    const expired = out.diagnostics.find((d) => d.code === 'check/waiver-expired')!;
    expect(expired.message).toContain('2027-06-30 で期限が切れています');
    expect(
      out.diagnostics.find((d) => d.path === '/risks/0/use/risk2/otherMeasures/0/controls/1')!.waived,
    ).toBeUndefined();
    const text = await runPia([
      'check',
      doc(sample),
      '--live',
      live(sample, 'live-drifted.yaml'),
      '--waivers',
      live(sample, 'waivers.yaml'),
    ]);
    expect(text.stdout).toContain('免除: 介護保険システムの端末更改');
    expect(text.stdout).toMatch(/免除 1 件\n$/);
  });

  it('a waiver without expiry or approver is refused (exit 2)', async () => {
    const r = await runPia([
      'check',
      doc(sample),
      '--live',
      live(sample, 'live-drifted.yaml'),
      '--waivers',
      'test/fixtures/check/waivers-incomplete.yaml',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('例外承認ファイルを使えません');
    expect(r.stderr).toMatch(/4 行目: .*必須の項目「expires」 \(有効期限\)がありません/);
    expect(r.stderr).toMatch(/8 行目: .*必須の項目「approver」 \(承認者\)がありません/);
    noStackTrace(r.stderr);
  });
});

describe('bad input', () => {
  it('a snapshot that fails its schema → exit 1, findings on the snapshot lines', async () => {
    const r = await runPia([
      'check',
      doc('hofu-covid-vaccination'),
      '--live',
      'test/fixtures/check/bad-snapshot.yaml',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'test/fixtures/check/bad-snapshot.yaml:3 エラー check/snapshot-schema 必須の項目「asOf」 (取得日時)がありません',
    );
    expect(r.stdout).toContain(
      'bad-snapshot.yaml:6 エラー check/snapshot-schema 「インターネットからの到達性」は true または false で記載してください',
    );
    expect(r.stdout).toContain(
      'bad-snapshot.yaml:8 エラー check/snapshot-schema 項目「acessLog」はライブ構成のスキーマにありません。もしかして「accessLog」ですか?',
    );
    expect(r.stdout).toContain(
      'bad-snapshot.yaml:9 エラー check/snapshot-schema 「最終成功日時」の書式が正しくありません',
    );
    expect(r.stdout).not.toContain('check/undeclared');
    noStackTrace(r.stderr);
  });

  it('a control id not in the catalog, and a wrong parameter → 修正 (warning: exit 1 with --fail-on warning), with a suggestion', async () => {
    const args = ['check', 'test/fixtures/check/bad-control.yaml', '--live', 'test/fixtures/check/bad-control-live.yaml'];
    expect((await runPia(args)).code).toBe(0);
    const r = await runPia([...args, '--fail-on', 'warning']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /bad-control\.yaml:\d+ 警告 check\/unknown-control コントロール ID「mfa-requried」はカタログにありません。もしかして「mfa-required」ですか\?/,
    );
    expect(r.stdout).toMatch(
      /check\/invalid-control-params .*パラメータ「days」は整数で指定してください \("五年" が指定されています\)/,
    );
    noStackTrace(r.stderr);
  });

  it('a snapshot for another organisation → exit 2', async () => {
    const r = await runPia([
      'check',
      doc('hofu-covid-vaccination'),
      '--live',
      'test/fixtures/check/wrong-org.yaml',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'pia: test/fixtures/check/wrong-org.yaml: ライブ構成の機関ID「kakuu-city」が評価書の機関ID「hofu-city」と一致しません。別の機関のライブ構成を指定していないか確認してください\n',
    );
  });

  it.each([
    [['check', doc('hofu-covid-vaccination')], /--live にライブ構成のファイル \(または --plan に terraform show -json の計画\) を指定してください/],
    [['check', '--live', 'x.yaml'], /評価書を指定してください/],
    [
      ['check', doc('hofu-covid-vaccination'), '--live', 'assessments/none.yaml'],
      /assessments\/none\.yaml: ファイルが見つかりません/,
    ],
    [['check', doc('hofu-covid-vaccination'), '--live', 'assessments'], /ディレクトリ/],
    [
      ['check', doc('hofu-covid-vaccination'), '--live', live('hofu-covid-vaccination'), '--format', 'pdf'],
      /--format には text \/ json \/ junit \/ sarif \/ md/,
    ],
    [
      [
        'check',
        doc('hofu-covid-vaccination'),
        '--live',
        live('hofu-covid-vaccination'),
        '--fail-on',
        'never',
      ],
      /--fail-on には/,
    ],
    [
      ['check', doc('hofu-covid-vaccination'), '--live', live('hofu-covid-vaccination'), '--waivres', 'x'],
      /不明なオプションです: --waivres \(--waivers のことですか\?\)/,
    ],
  ])('%j → exit 2 with a Japanese message', async (args, message) => {
    const r = await runPia(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    noStackTrace(r.stderr);
  });

  it('--help', async () => {
    const r = await runPia(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('使い方: pia check <評価書> --live <ライブ構成>');
  });
});
