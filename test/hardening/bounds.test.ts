// Bounds and words of the hardening pass, one test each, each failing if its fix breaks: dates outside
// 1900–2999 are refused alike by the document validator and the snapshot validator; a document with
// thousands of faults of one kind gives at most MAX_FINDINGS_PER_CODE findings of that kind and one summary
// saying how many were left out; the OpenAPI document declares 422 and 503 where the server answers them;
// a 403 names the roles in Japanese; the 「自動確認なし」 list reaches JSON and SARIF without changing the
// exit code or the findings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocument } from '../../src/engine.ts';
import { validateSnapshot } from '../../src/check/snapshot.ts';
import { loadText } from '../../src/load/index.ts';
import { MAX_FINDINGS_PER_CODE } from '../../src/schema/ajv-diagnostics.ts';
import { isDocumentDate } from '../../src/schema/ajv.ts';
import type { JsonObject } from '../../src/types.ts';
import { readSample, readSampleText, startFixture, type Fixture } from '../api/helpers.ts';
import { runInProcess } from '../cli/run.ts';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('dates: one range (1900–2999) for documents and snapshots', () => {
  it('the format itself', () => {
    expect(isDocumentDate('1900-01-01')).toBe(true);
    expect(isDocumentDate('2999-12-31')).toBe(true);
    expect(isDocumentDate('1899-12-31')).toBe(false);
    expect(isDocumentDate('9999-12-31')).toBe(false);
    expect(isDocumentDate('2026-02-30')).toBe(false);
  });

  it('a 評価書 date outside the range is a finding at its item; inside it is not', () => {
    const doc = readSample('kakuu-city-kaigo');
    const at = (date: string) => {
      const d = clone(doc);
      (d.cover as JsonObject).publishedDate = date;
      return validateDocument(d).filter((x) => x.path === '/cover/publishedDate');
    };
    expect(at('2999-12-31')).toEqual([]);
    for (const bad of ['9999-12-31', '1899-12-31']) {
      const found = at(bad);
      expect(found.map((x) => x.code)).toEqual(['schema/format']);
    }
  });

  it('a snapshot date outside the range is a finding; the same date inside is not', () => {
    const snap = loadText(readSampleText('kakuu-city-kaigo', 'live.yaml')).data as JsonObject;
    const at = (date: string) => {
      const s = clone(snap);
      const account = ((s.systems as JsonObject[])[0].accounts as JsonObject[])[0];
      account.lastLogin = date;
      return validateSnapshot(s, 'ja').filter((x) => x.path === '/systems/0/accounts/0/lastLogin');
    };
    expect(validateSnapshot(snap, 'ja')).toEqual([]);
    expect(at('2999-12-31')).toEqual([]);
    expect(at('9999-12-31')).toHaveLength(1);
    expect(at('1899-12-31')).toHaveLength(1);
  });
});

describe('findings are bounded per code', () => {
  it('5,000 unknown keys give the first findings and one summary with the count left out', () => {
    const doc = readSample('kakuu-city-kaigo');
    const cover = doc.cover as JsonObject;
    const n = 5_000;
    for (let i = 0; i < n; i++) cover[`unknownKey${i}`] = 'x';
    const found = validateDocument(doc).filter((d) => d.code === 'schema/additional-property');
    expect(found).toHaveLength(MAX_FINDINGS_PER_CODE + 1);
    const summary = found.filter((d) => d.message.includes('省略'));
    expect(summary).toHaveLength(1);
    expect(summary[0].message).toContain(`ほか ${(n - MAX_FINDINGS_PER_CODE).toLocaleString('en-US')} 件`);
    // A very long key is quoted shortened, not whole.
    const long = readSample('kakuu-city-kaigo');
    (long.cover as JsonObject)['k'.repeat(100_000)] = 'x';
    const one = validateDocument(long).filter((d) => d.code === 'schema/additional-property');
    expect(one).toHaveLength(1);
    expect(one[0].message.length).toBeLessThan(2_000);
  });
});

describe('API: declared answers and role names', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('OpenAPI declares 422 and 503 for every operation with a body, 503 for the PDF', async () => {
    const doc = (await fx.call('GET', '/openapi.json')).json as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    const ops = Object.entries(doc.paths).flatMap(([p, m]) => Object.entries(m).map(([k, op]) => ({ p, k, op })));
    const withBody = ops.filter((o) => o.p.startsWith('/api/') && o.op.requestBody);
    expect(withBody.length).toBeGreaterThan(5);
    for (const o of withBody) {
      expect(Object.keys(o.op.responses), `${o.k} ${o.p}`).toEqual(expect.arrayContaining(['422', '503']));
    }
    const pdf = ops.find((o) => o.k === 'get' && o.p.endsWith('/pdf'));
    expect(pdf?.op.responses).toHaveProperty('503');
  });

  it('a 403 names the role and the roles that may, in Japanese', async () => {
    const { assessment } = await fx.newAssessment();
    const r = await fx.call('POST', `/api/assessments/${assessment.id}/reviews`, {
      token: fx.tokens.reviewer,
      json: { date: '2026-11-30', result: '変更なし' },
    });
    expect(r.status).toBe(403);
    expect(r.json.error.message).toBe(
      '第三者点検者の権限では、この操作はできません (できるのは 管理者・個人情報保護担当者 です)。',
    );
    expect(r.text).not.toMatch(/\(reviewer\)|\(officer\)/);
  });

  it('the check answer carries 「自動確認なし」 in JSON and SARIF, and its findings are unchanged', async () => {
    const { assessment, versions } = await fx.newAssessment();
    const live = readSampleText('kakuu-city-kaigo', 'live.yaml');
    const check = (format: string) =>
      fx.call('POST', `/api/assessments/${assessment.id}/versions/${versions[0].id}/check?format=${format}`, {
        token: fx.tokens.ci,
        body: live,
        type: 'application/yaml',
      });
    const json = await check('json');
    expect(json.status).toBe(200);
    expect(json.json.summary).toBeDefined();
    expect(json.json.uncheckedCount).toBe(json.json.unchecked.length);
    expect(json.json.uncheckedCount).toBeGreaterThan(0);
    expect(json.json.unchecked[0]).toMatchObject({ path: expect.stringMatching(/^\//), attested: expect.any(Boolean) });
    const sarif = await check('sarif');
    expect(sarif.status).toBe(200);
    const run = sarif.json.runs[0];
    const notes = run.invocations[0].toolExecutionNotifications as { descriptor: { id: string }; level: string }[];
    const ours = notes.filter((n) => n.descriptor.id === 'check/unchecked');
    // A summary note and one per measure; none of them a result.
    expect(ours).toHaveLength(json.json.uncheckedCount + 1);
    expect(ours.every((n) => n.level === 'note')).toBe(true);
    expect(run.results.some((x: { ruleId: string }) => x.ruleId === 'check/unchecked')).toBe(false);
    expect(run.properties.uncheckedCount).toBe(json.json.uncheckedCount);
  });
});

describe('CLI: 「自動確認なし」 in JSON and SARIF keeps the exit code', () => {
  const doc = 'assessments/kakuu-city-kaigo/assessment.yaml';
  const live = 'assessments/kakuu-city-kaigo/live.yaml';
  it('a clean check is exit 0 in every format, with the list in JSON and SARIF', async () => {
    const json = await runInProcess(['check', doc, '--live', live, '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { diagnostics: unknown[]; uncheckedCount: number; unchecked: unknown[] };
    expect(report.uncheckedCount).toBeGreaterThan(0);
    expect(report.unchecked).toHaveLength(report.uncheckedCount);
    const sarif = await runInProcess(['check', doc, '--live', live, '--format', 'sarif']);
    expect(sarif.code).toBe(0);
    const log = JSON.parse(sarif.stdout);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(log.runs[0].properties.uncheckedCount).toBe(report.uncheckedCount);
    // Same input, same bytes.
    expect((await runInProcess(['check', doc, '--live', live, '--format', 'json'])).stdout).toBe(json.stdout);
  });
});
