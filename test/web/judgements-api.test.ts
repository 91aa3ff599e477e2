// 変更箇所 judgements over the API: recorded per version (officer/admin), audited, read back as JSON or as
// the annotations file `pia diff --annotations` reads, written from such a file, and used by the API's
// 変更箇所 exactly as an annotations file would be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnnotations, buildChangeLog } from '../../src/diff/index.ts';
import type { JsonObject } from '../../src/types.ts';
import { readSample, startFixture, type Fixture } from '../api/helpers.ts';
import type { Assessment, Version } from '../../src/store/index.ts';
import { signIn } from './web-helpers.ts';

let fx: Fixture;
let assessment: Assessment;
let v1: Version;
let v2: Version;
const PTR = '/files/0/acquisition/purpose';

beforeAll(async () => {
  fx = await startFixture();
  const doc = readSample('kakuu-city-kaigo');
  const changed = structuredClone(doc) as JsonObject;
  const files = changed.files as JsonObject[];
  const acq = files[0].acquisition as JsonObject;
  acq.purpose = `${String(acq.purpose)}\n追記した使用目的。`;
  assessment = await fx.store.createAssessment(
    { orgId: fx.orgA.id, title: '判断のテスト', form: 'juten' },
    { actor: 'system' },
  );
  v1 = await fx.store.addVersion(assessment.id, doc, { author: 'system' });
  v2 = await fx.store.addVersion(assessment.id, changed, { author: 'system', ifMatch: v1.etag });
});
afterAll(async () => {
  expect(fx.logged).toEqual([]);
  await fx?.close();
});

const base = () => `/api/assessments/${assessment.id}/versions/${v2.id}/judgements`;

describe('judgements API', () => {
  it('is unjudged (重要な変更, with a finding) until a judgement is recorded', async () => {
    const r = await fx.call('GET', `/api/assessments/${assessment.id}/diff?from=${v1.id}&to=${v2.id}`, {
      token: fx.tokens.reviewer,
    });
    expect(r.status).toBe(200);
    const row = r.json.rows.find((x: { item: string }) => x.item.includes('③使用目的'));
    expect(row.explanation).toBe('重要な変更による評価の再実施');
    expect(r.json.findings.map((f: { code: string }) => f.code)).toContain('diff/significant-unjudged');
  });

  it('records a judgement (officer), refuses reviewers (403), other organisations (404) and bad values (400)', async () => {
    const judgement = { key: PTR, exception: '誤字脱字の修正', timing: '事後', reason: '誤記の訂正' };
    expect((await fx.call('POST', base(), { token: fx.tokens.reviewer, json: judgement })).status).toBe(403);
    expect((await fx.call('POST', base(), { token: fx.tokens.ci, json: judgement })).status).toBe(403);
    expect((await fx.call('POST', base(), { token: fx.tokens.officerB, json: judgement })).status).toBe(404);
    expect((await fx.call('GET', base(), { token: fx.tokens.reviewerB })).status).toBe(404);
    const bad = await fx.call('POST', base(), {
      token: fx.tokens.officer,
      json: { ...judgement, exception: 'なんとなく' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('誤字脱字の修正');
    expect(
      (await fx.call('POST', base(), { token: fx.tokens.officer, json: { ...judgement, timing: '後で' } }))
        .status,
    ).toBe(400);
    expect(
      (
        await fx.call('POST', base(), {
          token: fx.tokens.officer,
          json: { ...judgement, reason: 'a\u0000b' },
        })
      ).status,
    ).toBe(400);
    const ok = await fx.call('POST', base(), { token: fx.tokens.officer, json: judgement });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({
      key: PTR,
      exception: '誤字脱字の修正',
      timing: '事後',
      reason: '誤記の訂正',
    });
    const audit = await fx.store.listAudit({});
    expect(audit.filter((a) => a.action === 'judgement.set')).toHaveLength(1);
  });

  it('uses the judgement in the 変更箇所 exactly as the same annotations file does', async () => {
    const r = await fx.call('GET', `/api/assessments/${assessment.id}/diff?from=${v1.id}&to=${v2.id}`, {
      token: fx.tokens.reviewer,
    });
    const row = r.json.rows.find((x: { item: string }) => x.item.includes('③使用目的'));
    expect(row.explanation).toBe('重要な変更にあたらない（誤字脱字の修正：誤記の訂正）');
    expect(row.timing).toBe('事後');
    // The downloaded annotations file parses (as `pia diff --annotations` reads it) and classifies the same.
    const yaml = await fx.call('GET', `${base()}?format=yaml`, { token: fx.tokens.reviewer });
    expect(yaml.status).toBe(200);
    expect(yaml.headers.get('content-type')).toContain('application/yaml');
    const annotations = parseAnnotations(yaml.text, 'annotations.yaml');
    expect(annotations.entries).toMatchObject([
      { key: PTR, exception: '誤字脱字の修正', timing: '事後', reason: '誤記の訂正' },
    ]);
    const cli = buildChangeLog(v1.doc, v2.doc, { annotations });
    expect(cli.rows.map((x) => [x.item, x.explanation, x.timing])).toEqual(
      r.json.rows.map((x: { item: string; explanation: string; timing: string }) => [
        x.item,
        x.explanation,
        x.timing,
      ]),
    );
    // A later version of the pair is not judged by them (judgements belong to a version and its predecessor).
    const html = await fx.call('GET', `/api/assessments/${assessment.id}/versions/${v2.id}/html`, {
      token: fx.tokens.reviewer,
    });
    expect(html.status).toBe(200);
    expect(html.text).toContain('重要な変更にあたらない（誤字脱字の修正：誤記の訂正）');
  });

  it('reads an annotations file (PUT) and replaces the judgement of the same key', async () => {
    const file = `changes:\n  ${PTR}:\n    exception: 形式的な変更\n`;
    const r = await fx.call('PUT', base(), {
      token: fx.tokens.officer,
      body: file,
      type: 'application/yaml',
    });
    expect(r.status).toBe(200);
    const list = await fx.call('GET', base(), { token: fx.tokens.reviewer });
    expect(list.json.judgements).toHaveLength(1);
    expect(list.json.judgements[0]).toMatchObject({
      key: PTR,
      exception: '形式的な変更',
      timing: null,
      reason: null,
    });
    const broken = await fx.call('PUT', base(), {
      token: fx.tokens.officer,
      body: 'changes:\n  /x:\n    exeption: 誤字脱字の修正\n',
      type: 'application/yaml',
    });
    expect(broken.status).toBe(400);
    expect(broken.json.error.message).toContain('exeption');
    expect(
      (await fx.call('PUT', base(), { token: fx.tokens.reviewer, body: file, type: 'application/yaml' }))
        .status,
    ).toBe(403);
  });

  it('uploads and downloads the annotations file on the history page (officer), read-only for reviewers', async () => {
    const officer = await signIn(fx.url, fx.tokens.officer);
    const body = new FormData();
    body.set('from', v1.id);
    body.set(
      'file',
      new Blob([`changes:\n  ${PTR}:\n    reason: 画面から読み込んだ理由\n`]),
      'annotations.yaml',
    );
    const r = await officer.post(`/assessments/${assessment.id}/versions/${v2.id}/annotations`, body);
    expect(r.status, r.text.slice(0, 300)).toBe(303);
    const history = await officer.get(r.headers.get('location') as string);
    expect(history.text).toContain('注釈ファイルの判断を記録しました');
    expect(history.text).toContain('重要な変更による評価の再実施（画面から読み込んだ理由）');
    const file = await officer.get(`/assessments/${assessment.id}/versions/${v2.id}/annotations.yaml`);
    expect(parseAnnotations(file.text).entries).toMatchObject([
      { key: PTR, reason: '画面から読み込んだ理由' },
    ]);
    const reviewer = await signIn(fx.url, fx.tokens.reviewer);
    const page = await reviewer.get(`/assessments/${assessment.id}/history`);
    expect(page.text).toContain('理由: 画面から読み込んだ理由');
    expect(page.text).not.toContain('class="judge"');
    const denied = await reviewer.post(
      `/assessments/${assessment.id}/versions/${v2.id}/judgements`,
      new URLSearchParams({ key: PTR, reason: 'x' }),
    );
    expect(denied.status).toBe(403);
  });
});
