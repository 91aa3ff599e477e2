// One regression test per defect of issue 9 this part fixes (items 1–4, 7–9), each failing if the fix breaks:
// alias amplification and quadratic resolution, prototype-chain lookups (and no check run recorded for a
// failed response), dates at the edges, tokens, Secure cookies behind a proxy, the 意見聴取 shortening
// reason and its audit record, control characters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateTransition, isRealReason, NON_REASONS } from '../../src/api/procedure.ts';
import { parseTrustProxy, startServer } from '../../src/api/server.ts';
import {
  closeParseWorkers,
  loadText,
  loadTextOffThread,
  MAX_ALIAS_CHARS,
  parseTokenExpiry,
  parseUserDate,
} from '../../src/load/index.ts';
import { createMemoryStore, type StatusTransition } from '../../src/store/index.ts';
import type { JsonObject } from '../../src/types.ts';
import { readSample, readSampleText, STACK_TRACE, startFixture, type Fixture } from '../api/helpers.ts';
import { runInProcess } from '../cli/run.ts';

afterAll(() => closeParseWorkers());

describe('item 1–2: aliases are bounded by size and resolved in one pass', () => {
  it('one anchored 1 MB string referenced 9,000 times is refused, not expanded', () => {
    const r = loadText(`a: &x "${'x'.repeat(1_000_000)}"\nb:\n${'  - *x\n'.repeat(9_000)}`);
    expect(r.data).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['load/alias-limit']);
    expect(r.diagnostics[0].message).toContain(`上限 ${MAX_ALIAS_CHARS.toLocaleString('en-US')} 文字`);
  });
  it('aliases within the size budget still expand', () => {
    const r = loadText(`a: &x "${'x'.repeat(1_000)}"\nb: [*x, *x, *x]\n`);
    expect((r.data as { b: string[] }).b).toHaveLength(3);
    expect(r.diagnostics).toEqual([]);
  });
  it('an alias refers to the closest preceding anchor of its name (anchors may be redefined)', () => {
    expect(loadText('a: &x 1\nb: *x\nc: &x 2\nd: *x\ne: {*x : k}\n').data).toEqual({
      a: 1,
      b: 1,
      c: 2,
      d: 2,
      e: { '2': 'k' },
    });
  });
  it('resolution is linear: 4× the aliases costs about 4× the time, not 16×', () => {
    // A ratio within one run (no absolute threshold): quadratic resolution made this ~16.
    const time = (n: number) => {
      const text = `a: &x {k: v}\nb: [${Array(n).fill('*x').join(',')}]\n`;
      const t0 = performance.now();
      loadText(text);
      return performance.now() - t0;
    };
    time(2_000); // warm-up
    const small = Math.min(time(2_000), time(2_000));
    const large = Math.min(time(8_000), time(8_000));
    expect(large / small).toBeLessThan(9);
  });
  it('large texts are parsed off the main thread with the same findings and positions', async () => {
    const text = `a: &x v\nb:\n${'  - *x\n'.repeat(5_000)}c: "\\u0000"\n`;
    const inThread = loadText(text, { source: 's' });
    // A generous limit: this test is about equality, not time (the machine may be busy).
    const off = await loadTextOffThread(text, { source: 's', timeoutMs: 120_000 });
    expect(off.diagnostics).toEqual(inThread.diagnostics);
    expect(off.data).toEqual(inThread.data);
    expect(off.locate('/b/4')).toEqual(inThread.locate('/b/4'));
  });
  it('a parse that runs over its time limit ends as load/timeout, and the event loop stays free', async () => {
    const text = `root:\n${Array.from({ length: 60_000 }, (_, i) => `  k${i}: "値 ${i}"`).join('\n')}\n`;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const r = await loadTextOffThread(text, { timeoutMs: 50 });
    clearInterval(timer);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['load/timeout']);
    expect(r.diagnostics[0].message).toMatch(/読み込みに時間がかかりすぎるため中止しました/);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('item 4: dates at the edges', () => {
  it.each([
    ['9999-12-31T23:59:59Z', 'range'],
    ['0000-01-01T00:00:00Z', 'range'],
    ['2023-02-29', 'nonexistent'],
    ['2024-02-29', 'ok'],
    ['2026-04-01T24:00:00Z', 'nonexistent'],
    ['2026-04-01T09:00:00', 'format'],
    ['+275760-09-13T00:00:00Z', 'format'],
    ['2026-04-01T09:00:00+09:00', 'ok'],
  ])('%s → %s', (value, expected) => {
    const r = parseUserDate(value);
    expect('problem' in r ? r.problem : 'ok').toBe(expected);
  });
  it('a token expiry must be a real future date; a date is valid through that day (JST)', () => {
    const now = new Date('2026-04-01T00:00:00Z');
    expect(parseTokenExpiry('2026-03-31T00:00:00Z', now)).toEqual({
      message: expect.stringContaining('過去の日時です'),
    });
    expect(parseTokenExpiry('9999-12-31T23:59:59Z', now)).toEqual({
      message: expect.stringContaining('扱える範囲'),
    });
    expect(parseTokenExpiry('2026-04-30', now)).toEqual({ iso: '2026-04-30T15:00:00.000Z' });
  });
  it('pia token create refuses a past expiry and an admin with --org (exit 2, no store touched)', async () => {
    const past = await runInProcess([
      'token',
      'create',
      '--role',
      'ci',
      '--org',
      'x',
      '--expires',
      '2020-01-01',
      '--db',
      '/nonexistent/pia.json',
    ]);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/--expires「2020-01-01」は過去の日時です/);
    const admin = await runInProcess([
      'token',
      'create',
      '--role',
      'admin',
      '--org',
      'x',
      '--db',
      '/nonexistent/pia.json',
    ]);
    expect(admin.code).toBe(2);
    expect(admin.stderr).toMatch(/admin のトークンは全組織が対象のため --org は指定できません/);
  });
  it('an attestation dated 9999-12-31 is a finding of pia check, not a silent "never expires"', async () => {
    const text = readSampleText('kakuu-city-kaigo', 'assessment.yaml').replace(
      /(attestation:[\s\S]*?expires: )"?[\d-]+"?/,
      '$1"9999-12-31"',
    );
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const f = join(mkdtempSync(join(tmpdir(), 'pia-att-')), 'a.yaml');
    writeFileSync(f, text);
    const r = await runInProcess(['check', f, '--live', 'assessments/kakuu-city-kaigo/live.yaml']);
    expect(r.stdout).toMatch(/有効期限「9999-12-31」は扱える範囲 \(1900年〜2999年\) の外です/);
    expect(r.code).toBe(1);
  });
});

describe('item 7: --trust-proxy', () => {
  it.each([
    ['loopback', 'loopback'],
    ['1', 1],
    ['10.0.0.0/8, loopback', '10.0.0.0/8, loopback'],
    ['::1', '::1'],
  ])('%s is accepted', (v, expected) => expect(parseTrustProxy(v)).toBe(expected));
  it.each(['true', '*', '0', '11', '10.0.0.0/33', 'proxy.example.jp', ''])('%s is refused', (v) => {
    expect(() => parseTrustProxy(v)).toThrow(/--trust-proxy/);
  });
  it('startServer with trustProxy: cookies are Secure when the trusted proxy says https', async () => {
    const running = await startServer({ port: 0, pdf: false, trustProxy: parseTrustProxy('loopback') });
    try {
      const get = (headers: Record<string, string>) =>
        fetch(`${running.url}login`, { headers }).then((r) => r.headers.get('set-cookie') ?? '');
      expect(await get({ 'x-forwarded-proto': 'https' })).toMatch(/pia_login_csrf=[^;]+;.*Secure/);
      expect(await get({})).not.toMatch(/Secure/);
    } finally {
      await running.close();
    }
  }, 60_000);
  it('pia serve refuses a bad value with exit 2 before opening anything', async () => {
    const r = await runInProcess(['serve', '--trust-proxy', 'true', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--trust-proxy/);
  });
});

describe('item 3, 4, 7, 8, 9 through HTTP', () => {
  let fx: Fixture;
  const clock = new Date('2026-04-01T00:00:00Z');
  beforeAll(async () => {
    fx = await startFixture({ now: () => clock, store: createMemoryStore({ now: () => clock }) });
  });
  afterAll(async () => {
    for (const b of fx.bodies) expect(b).not.toMatch(STACK_TRACE);
    expect(fx.logged).toEqual([]);
    await fx.close();
  });

  it('item 3: ?format= accepts only its own names, and a refused request records no check run', async () => {
    const { assessment, versions } = await fx.newAssessment();
    const snapshot = readSampleText('kakuu-city-kaigo', 'live.yaml');
    for (const f of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const r = await fx.call('POST', `/api/assessments/${assessment.id}/versions/latest/check?format=${f}`, {
        token: fx.tokens.ci,
        body: snapshot,
        type: 'application/yaml',
      });
      expect(r.status, f).toBe(400);
      expect(r.json.error.message).toContain('format は json / sarif / junit');
    }
    expect(await fx.store.listCheckRuns(versions[0].id)).toEqual([]);
    const ok = await fx.call('POST', `/api/assessments/${assessment.id}/versions/latest/check?format=sarif`, {
      token: fx.tokens.ci,
      body: snapshot,
      type: 'application/yaml',
    });
    expect(ok.status).toBe(200);
    expect(await fx.store.listCheckRuns(versions[0].id)).toHaveLength(1);
  });

  it('item 3: inherited names in a JSON body read as absent', async () => {
    const r = await fx.call('POST', '/api/organisations', {
      token: fx.tokens.admin,
      json: { name: '組織', toString: 'x' },
    });
    expect(r.status).toBe(201);
    const t = await fx.call('POST', '/api/tokens', { token: fx.tokens.admin, json: { role: 'ci' } });
    expect(t.status).toBe(400);
    expect(t.json.error.message).toContain('name');
  });

  it('item 4: POST /api/tokens refuses a past or placeholder expiry, and admin with an orgId', async () => {
    const post = (json: unknown) => fx.call('POST', '/api/tokens', { token: fx.tokens.admin, json });
    const past = await post({
      name: 'bot',
      role: 'ci',
      orgId: fx.orgA.id,
      expiresAt: '2026-03-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.json.error.message).toMatch(/expiresAt「2026-03-01T00:00:00Z」は過去の日時です/);
    const never = await post({
      name: 'bot',
      role: 'ci',
      orgId: fx.orgA.id,
      expiresAt: '9999-12-31T23:59:59Z',
    });
    expect(never.status).toBe(400);
    expect(never.json.error.message).toMatch(/扱える範囲/);
    const leap = await post({ name: 'bot', role: 'ci', orgId: fx.orgA.id, expiresAt: '2027-02-29' });
    expect(leap.status).toBe(400);
    const admin = await post({ name: 'root', role: 'admin', orgId: fx.orgA.id });
    expect(admin.status).toBe(400);
    expect(admin.json.error.message).toContain('admin のトークンは全組織が対象のため orgId は指定できません');
    const ok = await post({ name: 'bot', role: 'ci', orgId: fx.orgA.id, expiresAt: '2026-12-31' });
    expect(ok.status).toBe(201);
    expect(ok.json.info.expiresAt).toBe('2026-12-31T15:00:00.000Z');
  });

  it('item 4: a snapshot dated 9999-12-31 is a finding (200 with the finding), not a 500', async () => {
    const { assessment } = await fx.newAssessment();
    const snapshot = readSampleText('kakuu-city-kaigo', 'live.yaml').replace(
      /^asOf: .*$/m,
      "asOf: '9999-12-31T23:59:59Z'",
    );
    const r = await fx.call('POST', `/api/assessments/${assessment.id}/versions/latest/check`, {
      token: fx.tokens.ci,
      body: snapshot,
      type: 'application/yaml',
    });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.json)).toContain('扱える範囲');
  });

  it('item 9: control characters in titles, comments and documents are refused with 400', async () => {
    const title = await fx.call('POST', '/api/assessments', {
      token: fx.tokens.officer,
      json: { title: '事務\u0000名' },
    });
    expect(title.status).toBe(400);
    expect(title.json.error.message).toMatch(/制御文字/);
    const { assessment } = await fx.newAssessment();
    const comment = await fx.call('POST', `/api/assessments/${assessment.id}/versions/latest/comments`, {
      token: fx.tokens.reviewer,
      json: { pointer: '', body: 'ベル\u0007' },
    });
    expect(comment.status).toBe(400);
    expect(comment.json.error.message).toMatch(/制御文字/);
    const doc = await fx.call('POST', '/api/validate', {
      token: fx.tokens.officer,
      body: 'form: 重点項目評価書\ncover: {name: "a\\u0000b"}\n',
      type: 'application/yaml',
    });
    expect(doc.status).toBe(400);
    expect(doc.json.diagnostics.map((d: { code: string }) => d.code)).toContain('load/control-char');
  });

  it('item 7: without --trust-proxy, X-Forwarded-Proto is not believed (no Secure over plain HTTP)', async () => {
    const r = await fx.call('GET', '/login', { headers: { 'x-forwarded-proto': 'https' } });
    expect(r.headers.get('set-cookie')).toMatch(/pia_login_csrf=/);
    expect(r.headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  it('item 8: 「-」 is not a 特段の理由; a real reason shortens 意見聴取 and is audited with who did it', async () => {
    const doc = readSample('kakuu-city-juki');
    const proc = doc.procedure as JsonObject;
    const withReason = (reason: string): JsonObject => ({
      ...doc,
      procedure: {
        ...proc,
        publicComment: {
          ...(proc.publicComment as JsonObject),
          period: { from: '2026-04-01', to: '2026-05-10' },
          shorteningReason: reason,
        },
      },
    });
    for (const [reason, expected] of [
      ['-', 409],
      ['特になし', 409],
      ['災害対応のため、早急に事務を開始する必要がある', 201],
    ] as const) {
      const { assessment } = await fx.newAssessment({ doc: withReason(reason) });
      const base = `/api/assessments/${assessment.id}/versions/latest/status`;
      expect(
        (await fx.call('POST', base, { token: fx.tokens.officer, json: { to: '意見聴取' } })).status,
      ).toBe(201);
      const r = await fx.call('POST', base, { token: fx.tokens.officer, json: { to: '第三者点検' } });
      expect(r.status, reason).toBe(expected);
      if (expected === 409) expect(r.json.error.message).toContain(`「${reason}」は理由になっていません`);
      else {
        const audit = await fx.store.listAudit({ actor: undefined });
        const e = audit.find((x) => x.action === 'procedure.public-comment-shortened');
        expect(e).toBeDefined();
        expect(e!.actor).toMatch(/^user:/);
        expect(e!.after).toMatchObject({ reason, elapsedDays: 0, minDays: 30, to: '第三者点検' });
      }
    }
  });
});

describe('item 8: the list of non-reasons', () => {
  it.each([...NON_REASONS, ' なし。', 'Ｎ／Ａ', '――', '...', '  ', 'なし '])('%j is not a reason', (r) => {
    expect(isRealReason(r)).toBe(false);
  });
  it.each(['災害対応のため', '法改正の施行日に間に合わせるため', 'DV 被害者保護の緊急対応'])('%s is', (r) => {
    expect(isRealReason(r)).toBe(true);
  });
  it('evaluateTransition reports the shortening it relied on', () => {
    const at = '2026-04-01T00:00:00Z';
    const history: StatusTransition[] = [
      {
        id: '1',
        versionId: 'v',
        assessmentId: 'a',
        orgId: 'o',
        from: null,
        to: '下書き',
        actor: 'x',
        at,
        note: null,
      },
      {
        id: '2',
        versionId: 'v',
        assessmentId: 'a',
        orgId: 'o',
        from: '下書き',
        to: '意見聴取',
        actor: 'x',
        at,
        note: null,
      },
    ];
    const v = evaluateTransition({
      formId: 'zenkomoku',
      orgType: '地方公共団体等',
      from: '意見聴取',
      to: '第三者点検',
      role: 'officer',
      note: null,
      history,
      doc: { procedure: { publicComment: { shorteningReason: '災害対応のため' } } },
      errors: 0,
      now: new Date('2026-04-05T00:00:00Z'),
      labelOf: (p) => p,
    });
    expect(v).toMatchObject({
      ok: true,
      shortened: { reason: '災害対応のため', elapsedDays: 4, minDays: 30 },
    });
  });
});

describe('found by test/property: a form that is an object with its own toString', () => {
  // String({ toString: false }) throws; the message quoting an unsupported form must not.
  const hostile: unknown[] = [{ toString: false }, { valueOf: 1, toString: 'x' }, ['a', { toString: null }]];
  it('validate and check report schema/unknown-form instead of an internal error', async () => {
    const { validateDocument } = await import('../../src/engine.ts');
    const { checkAssessment } = await import('../../src/check/index.ts');
    const sample = loadText(readSampleText('kakuu-city-juki', 'assessment.yaml'), {
      source: 'assessment.yaml',
    });
    const snapshot = loadText(readSampleText('kakuu-city-juki', 'live.yaml'), { source: 'live.yaml' });
    for (const form of hostile) {
      for (const at of ['form', 'formVersion'] as const) {
        const data = { ...(sample.data as JsonObject), [at]: form as unknown as JsonObject };
        const found = validateDocument(data, { lang: 'ja' });
        expect(found.map((d) => d.code)).toContain('schema/unknown-form');
        const assessment = { ...sample, data, locate: () => undefined };
        const checked = checkAssessment({ assessment, snapshot, lang: 'en' });
        const unknown = checked.diagnostics.find((d) => d.code === 'schema/unknown-form');
        expect(unknown?.message).toMatch(/Unsupported/);
        expect(unknown?.message).toContain(at === 'form' ? JSON.stringify(form).slice(0, 20) : '"');
      }
    }
  });
});
