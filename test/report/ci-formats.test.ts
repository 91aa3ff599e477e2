// The CI formats against their consumers (issue 16 items 10, 11): SARIF validated against the official
// SARIF 2.1.0 schema, JUnit read back with a real JUnit parser, both from a real `pia check` run (every
// consequence, a waived finding, 情報) and from validation findings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseJunit } from 'junit2json';
import type * as Sarif from 'sarif';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFiles, describeCheckRules, toSarifView } from '../../src/check/index.ts';
import { PROJECT_ROOT } from '../../src/paths.ts';
import { FINGERPRINT_KEY, formatJunit, formatSarif, SRCROOT } from '../../src/report/index.ts';
import type { Diagnostic } from '../../src/types.ts';

// CommonJS modules: under some loaders the default import is the module object.
const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as typeof addFormatsModule;

const SAMPLE = 'assessments/kakuu-city-kaigo';
const PKG_VERSION = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

let drift: Diagnostic[];

/**
 * The official schema (shipped by @microsoft/jest-sarif). It declares draft-04, whose only construct Ajv 8
 * lacks here is the top-level `id`; as `$id` under draft-07 the schema means the same. A separate Ajv
 * instance: the project's one instance (src/schema) is for our own schemas.
 */
function sarifValidator() {
  const raw = JSON.parse(
    readFileSync(
      join(PROJECT_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'),
      'utf8',
    ),
  ) as Record<string, unknown>;
  const { id, $schema: _draft04, ...rest } = raw;
  // unicodeRegExp: false — the schema's `language` pattern (`…{2}]?$`) is valid only as a non-Unicode RegExp.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ $schema: 'http://json-schema.org/draft-07/schema#', $id: id as string, ...rest });
}

beforeAll(async () => {
  const r = await checkFiles({
    assessment: `${SAMPLE}/assessment.yaml`,
    snapshot: `${SAMPLE}/live-drifted.yaml`,
    waivers: `${SAMPLE}/waivers.yaml`,
    cwd: PROJECT_ROOT,
  });
  drift = r.diagnostics;
});

describe('SARIF', () => {
  const validate = sarifValidator();
  const sarifOf = (diags: Diagnostic[], cwd = PROJECT_ROOT) =>
    JSON.parse(formatSarif(toSarifView(diags), { rules: describeCheckRules(), cwd })) as Sarif.Log;

  it('a pia check run validates against the official SARIF 2.1.0 schema', () => {
    const log = sarifOf(drift);
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(log.runs[0].results!.length).toBe(drift.length);
    // The validator does reject what the schema forbids (a driver without a name, a bad level).
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] })).toBe(false);
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ message: { text: 'x' }, level: 'fatal' }] }] })).toBe(false);
  });

  it('validation findings (no consequence, absolute and outside paths) validate too', () => {
    const diags: Diagnostic[] = [
      { code: 'schema/enum', severity: 'error', message: 'x', path: '/a', source: join(PROJECT_ROOT, 'a b/評価書.yaml'), line: 3 },
      { code: 'load/empty', severity: 'error', message: 'y', path: '', source: '/elsewhere/doc.yaml' },
      { code: 'completeness/missing', severity: 'warning', message: 'z', path: '/b', source: 'rel/doc.yaml' },
    ];
    const log = JSON.parse(formatSarif(diags, { cwd: PROJECT_ROOT })) as Sarif.Log;
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const locs = log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation);
    expect(locs).toContainEqual({ uri: 'a%20b/%E8%A9%95%E4%BE%A1%E6%9B%B8.yaml', uriBaseId: SRCROOT });
    expect(locs).toContainEqual({ uri: 'rel/doc.yaml', uriBaseId: SRCROOT });
    expect(locs).toContainEqual({ uri: 'file:///elsewhere/doc.yaml' });
  });

  it('every result has a partial fingerprint, unique in the run and stable across runs', () => {
    const a = sarifOf(drift).runs[0].results!;
    const b = sarifOf([...drift].reverse()).runs[0].results!;
    const fa = a.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY]);
    expect(fa.every((f) => typeof f === 'string' && f.length >= 64)).toBe(true);
    expect(new Set(fa).size).toBe(fa.length);
    expect(b.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY])).toEqual(fa);
    // Not the line: inserting lines above a finding keeps its fingerprint.
    const shifted = drift.map((d) => ({ ...d, ...(d.line ? { line: d.line + 5 } : {}) }));
    expect(sarifOf(shifted).runs[0].results!.map((r) => r.partialFingerprints?.[FINGERPRINT_KEY])).toEqual(fa);
  });

  it('the driver has the package version; every rule has help and a helpUri', () => {
    const log = sarifOf(drift);
    const driver = log.runs[0].tool.driver;
    expect(driver.version).toBe(PKG_VERSION);
    expect(driver.rules!.length).toBeGreaterThan(5);
    for (const rule of driver.rules!) {
      expect(rule.help?.text, rule.id).toBeTruthy();
      expect(rule.help?.markdown, rule.id).toContain('README');
      expect(rule.helpUri, rule.id).toMatch(/^file:\/\/.*README\.md#/);
    }
    const withBase = JSON.parse(
      formatSarif(drift, { docsBaseUri: 'https://example.org/pia/blob/main/', cwd: PROJECT_ROOT }),
    ) as Sarif.Log;
    expect(withBase.runs[0].tool.driver.rules![0].helpUri).toMatch(
      /^https:\/\/example\.org\/pia\/blob\/main\/README\.md#/,
    );
  });

  it('inputs under the working directory are repository-relative on %SRCROOT%', () => {
    const log = sarifOf(drift);
    expect(log.runs[0].originalUriBaseIds?.[SRCROOT]?.uri).toBe(`file://${PROJECT_ROOT}/`);
    for (const r of log.runs[0].results!) {
      const loc = r.locations![0].physicalLocation!.artifactLocation!;
      expect(loc.uriBaseId).toBe(SRCROOT);
      expect(loc.uri).toMatch(/^assessments\//);
    }
  });

  it('the consequence is in the message and the properties', () => {
    for (const r of sarifOf(drift).runs[0].results!) {
      const c = r.properties?.consequence as string;
      expect(c).toBeTruthy();
      expect(r.message.text).toContain(`〈${c}〉`);
    }
  });
});

describe('JUnit', () => {
  it('parses with a real JUnit parser: unique names, waived findings skipped with the justification', async () => {
    const xml = formatJunit(drift, { files: [`${SAMPLE}/assessment.yaml`], timestamp: '2026-04-01T09:00:00+09:00' });
    const parsed = (await parseJunit(xml)) as { testsuite?: { testcase?: any[]; timestamp?: string; time?: number }[] };
    const cases = (parsed.testsuite ?? []).flatMap((s) => s.testcase ?? []);
    expect(cases.length).toBe(drift.length);
    const names = cases.map((c) => `${c.classname}\u0000${c.name}`);
    expect(new Set(names).size).toBe(names.length);
    const waived = drift.filter((d) => d.waived);
    expect(waived.length).toBeGreaterThan(0);
    const skipped = cases.filter((c) => c.skipped);
    expect(skipped).toHaveLength(waived.length);
    expect(skipped[0].skipped[0].message).toContain(waived[0].waived!.justification);
    for (const s of parsed.testsuite ?? []) {
      expect(s.timestamp).toBe('2026-04-01T09:00:00+09:00');
      expect(s.time).toBe(0);
    }
    expect(cases.every((c) => c.time === 0)).toBe(true);
  });

  it('--fail-on decides failures; findings below it are passing cases marked with their severity', async () => {
    const count = async (failOn: 'error' | 'warning' | 'info') => {
      const parsed = (await parseJunit(formatJunit(drift, { failOn }))) as { testsuite?: { testcase?: any[] }[] };
      const cases = (parsed.testsuite ?? []).flatMap((s) => s.testcase ?? []);
      return {
        failures: cases.filter((c) => c.failure).length,
        marked: cases.filter((c) => !c.failure && !c.skipped && /^(警告|情報): /.test(c.name)).length,
      };
    };
    const live = drift.filter((d) => !d.waived);
    const by = (s: string[]) => live.filter((d) => s.includes(d.severity)).length;
    expect(await count('error')).toEqual({ failures: by(['error']), marked: by(['warning', 'info']) });
    expect(await count('warning')).toEqual({ failures: by(['error', 'warning']), marked: by(['info']) });
    expect(await count('info')).toEqual({ failures: live.length, marked: 0 });
  });

  it('every failure names its consequence', async () => {
    const parsed = (await parseJunit(formatJunit(drift, { failOn: 'info' }))) as { testsuite?: { testcase?: any[] }[] };
    const failures = (parsed.testsuite ?? []).flatMap((s) => s.testcase ?? []).filter((c) => c.failure);
    expect(failures.length).toBeGreaterThan(0);
    for (const c of failures) expect(c.failure[0].message).toMatch(/〈(要再評価|重要な変更|違反|修正|情報)〉$/);
  });
});
