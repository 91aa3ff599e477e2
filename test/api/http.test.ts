// The HTTP contract over real HTTP: optimistic concurrency (ETag / If-Match → 412 with both versions
// intact), body limits (413), malformed input (400 with Diagnostics), no stack traces, security headers,
// the OpenAPI document against the app's real routes, and the engine results the API returns.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiEngine, createApp } from '../../src/api/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import { readSample, readSampleText, STACK_TRACE, startFixture, type Fixture } from './helpers.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  for (const b of fx.bodies) expect(b).not.toMatch(STACK_TRACE);
  expect(fx.logged).toEqual([]);
  await fx.close();
});

describe('versions: ETag and If-Match', () => {
  it('answers 412 to a stale If-Match, stores nothing, and keeps both versions intact', async () => {
    const { assessment, versions } = await fx.newAssessment();
    const base = `/api/assessments/${assessment.id}`;
    const first = await fx.call('GET', `${base}/versions/latest`, { token: fx.tokens.officer });
    expect(first.status).toBe(200);
    const etag1 = first.headers.get('etag') as string;
    expect(etag1).toBe(versions[0].etag);

    // Two officers edit the same version; the first save wins.
    const docA = { ...first.json.doc, cover: { ...first.json.doc.cover, specialNotes: '担当者 A の変更' } };
    const docB = { ...first.json.doc, cover: { ...first.json.doc.cover, specialNotes: '担当者 B の変更' } };
    const saveA = await fx.call('POST', `${base}/versions`, {
      token: fx.tokens.officer,
      json: docA,
      headers: { 'if-match': etag1 },
    });
    expect(saveA.status).toBe(201);
    const etag2 = saveA.headers.get('etag') as string;
    expect(etag2).not.toBe(etag1);
    const saveB = await fx.call('POST', `${base}/versions`, {
      token: fx.tokens.admin,
      json: docB,
      headers: { 'if-match': etag1 },
    });
    expect(saveB.status).toBe(412);
    expect(saveB.json.error.code).toBe('precondition-failed');
    expect(saveB.json.error.currentEtag).toBe(etag2);
    expect(saveB.headers.get('etag')).toBe(etag2);

    const list = await fx.call('GET', `${base}/versions`, { token: fx.tokens.reviewer });
    expect(list.json.versions.map((v: { number: number }) => v.number)).toEqual([1, 2]);
    const v1 = await fx.call('GET', `${base}/versions/${versions[0].id}`, { token: fx.tokens.reviewer });
    expect(v1.json.doc).toEqual(first.json.doc);
    const v2 = await fx.call('GET', `${base}/versions/latest`, { token: fx.tokens.reviewer });
    expect(v2.json.doc.cover.specialNotes).toBe('担当者 A の変更');
    expect(JSON.stringify(v2.json)).not.toContain('担当者 B の変更');

    // B merges and retries with the current ETag.
    const retry = await fx.call('POST', `${base}/versions`, {
      token: fx.tokens.admin,
      json: docB,
      headers: { 'if-match': etag2 },
    });
    expect(retry.status).toBe(201);
    expect(retry.json.number).toBe(3);
  });

  it('requires If-Match once a version exists (428), accepts * and answers 304 to If-None-Match', async () => {
    const { assessment } = await fx.newAssessment();
    const base = `/api/assessments/${assessment.id}`;
    const doc = readSample('kakuu-city-kaigo');
    const none = await fx.call('POST', `${base}/versions`, { token: fx.tokens.officer, json: doc });
    expect(none.status).toBe(428);
    expect(none.json.error.currentEtag).toBe(assessment.latestEtag);
    const star = await fx.call('POST', `${base}/versions`, {
      token: fx.tokens.officer,
      json: doc,
      headers: { 'if-match': '*' },
    });
    expect(star.status).toBe(201);
    const got = await fx.call('GET', `${base}/versions/latest`, {
      token: fx.tokens.officer,
      headers: { 'if-none-match': star.headers.get('etag') as string },
    });
    expect(got.status).toBe(304);
    expect(got.text).toBe('');
  });

  it('creates the first version without If-Match, from YAML with the same content as the file', async () => {
    const created = await fx.call('POST', '/api/assessments', {
      token: fx.tokens.officer,
      json: { title: 'YAML で登録する事務' },
    });
    expect(created.status).toBe(201);
    expect(created.json.orgId).toBe(fx.orgA.id);
    const res = await fx.call('POST', `/api/assessments/${created.json.id}/versions`, {
      token: fx.tokens.officer,
      body: readSampleText('kakuu-city-kaigo', 'assessment.yaml'),
      type: 'application/yaml',
    });
    expect(res.status).toBe(201);
    const v = await fx.call('GET', `/api/assessments/${created.json.id}/versions/${res.json.id}`, {
      token: fx.tokens.officer,
    });
    expect(v.json.doc).toEqual(readSample('kakuu-city-kaigo'));
  });

  it('lets only admin import a version in a later procedure status', async () => {
    const { assessment } = await fx.newAssessment();
    const path = `/api/assessments/${assessment.id}/versions?status=${encodeURIComponent('公表')}`;
    const doc = readSample('kakuu-city-kaigo');
    const officer = await fx.call('POST', path, {
      token: fx.tokens.officer,
      json: doc,
      headers: { 'if-match': '*' },
    });
    expect(officer.status).toBe(403);
    const admin = await fx.call('POST', path, {
      token: fx.tokens.admin,
      json: doc,
      headers: { 'if-match': '*' },
    });
    expect(admin.status).toBe(201);
    expect(admin.json.status).toBe('公表');
  });
});

describe('bodies: limits and malformed input', () => {
  it('answers 413 to an oversized document body, and to an oversized comment', async () => {
    const { assessment } = await fx.newAssessment();
    const big = 'a: "' + 'x'.repeat(11 * 1024 * 1024) + '"\n';
    const res = await fx.call('POST', `/api/assessments/${assessment.id}/versions`, {
      token: fx.tokens.officer,
      body: big,
      type: 'application/yaml',
      headers: { 'if-match': '*' },
    });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('payload-too-large');
    expect(res.json.error.message).toContain('大きすぎます');
    const comment = await fx.call('POST', `/api/assessments/${assessment.id}/versions/latest/comments`, {
      token: fx.tokens.reviewer,
      json: { pointer: '', body: 'y'.repeat(100_000) },
    });
    expect(comment.status).toBe(413);
    expect((await fx.store.listVersions(assessment.id)).length).toBe(1);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"form": "重点項目評価書", "cover": {', 1],
    [
      'malformed YAML',
      'application/yaml',
      'form: 重点項目評価書\ncover:\n  name: [閉じていない\n  number: 1\n',
      3,
    ],
    ['a YAML list instead of a document', 'application/yaml', '- a\n- b\n', undefined],
    ['duplicate keys', 'application/yaml', 'form: a\nform: b\n', 2],
  ])('answers 400 with Diagnostics to %s', async (_name, type, body, line) => {
    const { assessment } = await fx.newAssessment();
    const res = await fx.call('POST', `/api/assessments/${assessment.id}/versions`, {
      token: fx.tokens.officer,
      body,
      type,
      headers: { 'if-match': '*' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.status).toBe(400);
    expect(res.json.diagnostics.length).toBeGreaterThan(0);
    const d = res.json.diagnostics[0];
    expect(Object.keys(d)).toEqual(expect.arrayContaining(['code', 'severity', 'message', 'path']));
    expect(d.severity).toBe('error');
    expect(d.message).toMatch(/[ぁ-んァ-ヶ一-龠]/);
    // The parser names the line where it noticed the problem (at or after the cause).
    if (line !== undefined) expect(d.line).toBeGreaterThanOrEqual(line);
    expect((await fx.store.listVersions(assessment.id)).length).toBe(1);
  });

  it('answers 400 to bytes that are not UTF-8, naming the likely encoding', async () => {
    const { assessment } = await fx.newAssessment();
    const sjis = Buffer.from([0x66, 0x6f, 0x72, 0x6d, 0x3a, 0x20, 0x8f, 0x64, 0x93, 0x5f]);
    const res = await fx.call('POST', `/api/assessments/${assessment.id}/versions`, {
      token: fx.tokens.officer,
      body: sjis,
      type: 'application/yaml',
      headers: { 'if-match': '*' },
    });
    expect(res.status).toBe(400);
    expect(res.json.diagnostics[0].message).toContain('Shift_JIS');
  });

  it('answers 400 to malformed JSON in small bodies and 415 to other media types', async () => {
    const bad = await fx.call('POST', '/api/threshold', {
      token: fx.tokens.officer,
      body: '{"persons": 1,',
      type: 'application/json',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.diagnostics[0]).toMatchObject({ code: 'load/syntax', severity: 'error', line: 1 });
    const proto = await fx.call('POST', '/api/threshold', {
      token: fx.tokens.officer,
      body: '{"__proto__": {"x": 1}, "persons": 1, "handlers": 1}',
      type: 'application/json',
    });
    expect(proto.status).toBe(400);
    const form = await fx.call('POST', '/api/threshold', {
      token: fx.tokens.officer,
      body: 'persons=1',
      type: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
  });

  it('rejects a malformed URL encoding with 400, not a crash', async () => {
    const res = await fx.call('GET', '/api/assessments/%E0%A4%A', { token: fx.tokens.officer });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/不正/);
  });
});

describe('errors never carry a stack trace', () => {
  it('answers 500 with a reference number and logs the stack only', async () => {
    const logged: string[] = [];
    const engine = {
      ...createApiEngine(),
      validateDocument: () => {
        throw new TypeError('boom at /work/main/src/secret.ts:1:1');
      },
    };
    const store = createMemoryStore();
    const app = createApp({
      store,
      engine,
      logger: { error: (m, e) => logged.push(`${m} ${(e as Error).stack}`) },
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    const admin = await store.createToken({ name: 'a', role: 'admin', orgId: null }, { actor: 't' });
    const res = await fetch(`http://127.0.0.1:${port}/api/validate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(readSample('kakuu-city-kaigo')),
    });
    const text = await res.text();
    server.close();
    await store.close();
    expect(res.status).toBe(500);
    expect(text).not.toMatch(STACK_TRACE);
    expect(text).not.toContain('boom');
    const body = JSON.parse(text);
    expect(body.error.message).toContain('内部でエラー');
    expect(logged.join('\n')).toContain(body.error.reference);
    expect(logged.join('\n')).toContain('boom');
  });
});

describe('security headers', () => {
  it.each([
    ['API JSON', '/api/me', true],
    ['API error', '/api/assessments/nope', true],
    ['unknown API URL', '/api/nope', true],
    ['OpenAPI', '/openapi.json', false],
    ['login page', '/login', false],
    ['missing page', '/nope', false],
  ])('are set on %s', async (_name, path, auth) => {
    const res = await fx.call('GET', path, { token: auth ? fx.tokens.officer : null });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
  it('lets only the printable HTML use inline styles, still without scripts or framing', async () => {
    const { assessment } = await fx.newAssessment();
    const res = await fx.call('GET', `/api/assessments/${assessment.id}/versions/latest/html`, {
      token: fx.tokens.reviewer,
    });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src|connect-src/);
    expect(res.text).toContain('<html lang="ja">');
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every route the app really has', async () => {
    const res = await fx.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json;
    expect(doc.openapi).toBe('3.1.0');
    // Walk the real app's router stack (routers mounted without prefixes).
    const app = createApp({ store: createMemoryStore(), engine: createApiEngine() });
    const routes: { method: string; path: string }[] = [];
    const walk = (stack: any[]) => {
      for (const layer of stack) {
        if (layer.route)
          for (const m of Object.keys(layer.route.methods))
            routes.push({ method: m, path: layer.route.path });
        else if (layer.handle?.stack) walk(layer.handle.stack);
      }
    };
    walk((app as any).router.stack);
    expect(routes.length).toBeGreaterThan(30);
    for (const r of routes) {
      const p = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(
        doc.paths[p]?.[r.method],
        `${r.method.toUpperCase()} ${r.path} missing from /openapi.json`,
      ).toBeDefined();
    }
    // …and nothing the app does not have.
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops as object).map((m) => `${m} ${p}`),
    );
    expect(documented.sort()).toEqual(
      routes.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`).sort(),
    );
    // Every $ref resolves.
    for (const m of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g))
      expect(doc.components.schemas[m[1]], m[1]).toBeDefined();
    // Every operation id is unique.
    const ids = documented.map((k) => {
      const [m, p] = k.split(' ');
      return doc.paths[p][m].operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('engine results through the API', () => {
  it('returns the same JSON as `pia check --format json`, and SARIF/JUnit by format or Accept', async () => {
    const { assessment } = await fx.newAssessment();
    const path = `/api/assessments/${assessment.id}/versions/latest/check?source=live-drifted.yaml`;
    const body = readSampleText('kakuu-city-kaigo', 'live-drifted.yaml');
    const json = await fx.call('POST', path, { token: fx.tokens.ci, body, type: 'application/yaml' });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.json.summary.error + json.json.summary.warning).toBeGreaterThan(0);
    expect(json.headers.get('x-pia-check-run')).toBeTruthy();
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/bin.ts',
        'check',
        'assessments/kakuu-city-kaigo/assessment.yaml',
        '--live',
        'assessments/kakuu-city-kaigo/live-drifted.yaml',
        '--format',
        'json',
      ],
      { encoding: 'utf8' },
    );
    const cliJson = JSON.parse(cli.stdout);
    // Same findings, rule for rule; only the names of the inputs differ (a stored version vs a file).
    const strip = (d: any) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      path: d.path,
      consequence: d.consequence,
      related: d.related?.map((r: any) => ({ path: r.path, line: r.line })),
    });
    expect(json.json.diagnostics.map(strip)).toEqual(cliJson.diagnostics.map(strip));
    expect(json.json.summary).toEqual(cliJson.summary);

    const sarif = await fx.call('POST', path.replace('?', '?format=sarif&'), {
      token: fx.tokens.ci,
      body,
      type: 'application/yaml',
    });
    expect(sarif.headers.get('content-type')).toMatch(/^application\/sarif\+json/);
    expect(sarif.json.version).toBe('2.1.0');
    expect(sarif.json.runs[0].results.length).toBe(json.json.diagnostics.length);
    expect(JSON.stringify(sarif.json)).toContain('live-drifted.yaml');
    const junit = await fx.call('POST', path, {
      token: fx.tokens.ci,
      body,
      type: 'application/yaml',
      headers: { accept: 'application/junit+xml' },
    });
    expect(junit.headers.get('content-type')).toMatch(/^application\/junit\+xml/);
    expect(junit.text).toMatch(/^<\?xml/);
    expect(junit.text).toContain('<testsuite');
    const runs = await fx.call('GET', `/api/assessments/${assessment.id}/versions/latest/checks`, {
      token: fx.tokens.reviewer,
    });
    expect(runs.json.checks.length).toBe(3);
    const refused = await fx.call('POST', path, {
      token: fx.tokens.ci,
      body,
      type: 'application/yaml',
      headers: { accept: 'text/html' },
    });
    expect(refused.status).toBe(406);
  });

  it('answers 400 (not a crash) to a snapshot of another organisation', async () => {
    const { assessment } = await fx.newAssessment();
    const res = await fx.call('POST', `/api/assessments/${assessment.id}/versions/latest/check`, {
      token: fx.tokens.ci,
      body: readSampleText('hofu-covid-vaccination', 'live.yaml'),
      type: 'application/yaml',
    });
    expect(res.status).toBe(400);
    expect(res.json.diagnostics[0].message).toContain('一致しません');
  });

  it('gives the 変更箇所 rows of the 防府市 revision between its two versions', async () => {
    const { assessment } = await fx.newAssessment({
      org: 'B',
      doc: readSample('hofu-covid-vaccination', 'previous.yaml'),
    });
    await fx.store.addVersion(assessment.id, readSample('hofu-covid-vaccination'), {
      author: 'system',
      ifMatch: '*',
    });
    const versions = await fx.store.listVersions(assessment.id);
    const res = await fx.call(
      'GET',
      `/api/assessments/${assessment.id}/diff?from=${versions[0].id}&to=${versions[1].id}`,
      { token: fx.tokens.reviewerB },
    );
    expect(res.status).toBe(200);
    expect(res.json.rows.length).toBeGreaterThan(5);
    for (const r of res.json.rows)
      expect(Object.keys(r)).toEqual(['date', 'item', 'before', 'after', 'timing', 'explanation']);
    expect(res.json.summary).toBeDefined();
    expect(res.json.from.number).toBe(1);
    expect(res.json.to.number).toBe(2);
    const missing = await fx.call('GET', `/api/assessments/${assessment.id}/diff`, {
      token: fx.tokens.reviewerB,
    });
    expect(missing.status).toBe(400);
  });

  it('decides しきい値判断 like `pia threshold --format json`', async () => {
    const res = await fx.call('POST', '/api/threshold', {
      token: fx.tokens.reviewer,
      json: { persons: 150000, handlers: 320 },
    });
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/bin.ts',
        'threshold',
        '--persons',
        '150000',
        '--handlers',
        '320',
        '--format',
        'json',
      ],
      { encoding: 'utf8' },
    );
    expect(res.json).toEqual(JSON.parse(cli.stdout));
    const neg = await fx.call('POST', '/api/threshold', {
      token: fx.tokens.reviewer,
      json: { persons: -1, handlers: 0 },
    });
    expect(neg.status).toBe(400);
  });

  it('validates a stored version and a posted document with Diagnostics', async () => {
    const kagoshima = readSample('kagoshima-covid-vaccination');
    const posted = await fx.call('POST', '/api/validate?source=kagoshima.yaml', {
      token: fx.tokens.reviewer,
      body: readSampleText('kagoshima-covid-vaccination', 'assessment.yaml'),
      type: 'application/yaml',
    });
    expect(posted.status).toBe(200);
    expect(posted.json.form.formId).toBe('zenkomoku');
    expect(posted.json.diagnostics.length).toBeGreaterThan(0);
    expect(posted.json.diagnostics[0].source).toBe('kagoshima.yaml');
    expect(posted.json.diagnostics.some((d: { line?: number }) => typeof d.line === 'number')).toBe(true);
    const created = await fx.newAssessment({ doc: kagoshima, org: 'A' });
    const stored = await fx.call(
      'GET',
      `/api/assessments/${created.assessment.id}/versions/latest/validation`,
      { token: fx.tokens.reviewer },
    );
    expect(stored.json.summary).toEqual(posted.json.summary);
  });

  it('pins comments to items, threads replies and resolves threads', async () => {
    const { assessment } = await fx.newAssessment();
    const base = `/api/assessments/${assessment.id}`;
    const c = await fx.call('POST', `${base}/versions/latest/comments`, {
      token: fx.tokens.reviewer,
      json: { pointer: '/cover/name', body: '名称の表記を確認してください <b>太字</b>' },
    });
    expect(c.status).toBe(201);
    const r = await fx.call('POST', `${base}/comments/${c.json.id}/replies`, {
      token: fx.tokens.officer,
      json: { body: '修正します' },
    });
    expect(r.json.parentId).toBe(c.json.id);
    const rr = await fx.call('POST', `${base}/comments/${r.json.id}/replies`, {
      token: fx.tokens.reviewer,
      json: { body: 'お願いします' },
    });
    expect(rr.json.parentId).toBe(c.json.id);
    const resolved = await fx.call('PATCH', `${base}/comments/${r.json.id}`, {
      token: fx.tokens.officer,
      json: { resolved: true },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.json.id).toBe(c.json.id);
    expect(resolved.json.resolved).toBe(true);
    const list = await fx.call(
      'GET',
      `${base}/versions/latest/comments?pointer=${encodeURIComponent('/cover/name')}`,
      { token: fx.tokens.reviewer },
    );
    expect(list.json.comments.map((x: { body: string }) => x.body)).toEqual([
      '名称の表記を確認してください <b>太字</b>',
      '修正します',
      'お願いします',
    ]);
    const bad = await fx.call('POST', `${base}/versions/latest/comments`, {
      token: fx.tokens.reviewer,
      json: { pointer: '/no/such/item', body: 'x' },
    });
    expect(bad.status).toBe(400);
    const empty = await fx.call('POST', `${base}/versions/latest/comments`, {
      token: fx.tokens.reviewer,
      json: { pointer: '/cover/name', body: '  ' },
    });
    expect(empty.status).toBe(400);
  });
});

describe('check: prepared versions and snapshot bodies', () => {
  it('prepares each version once, names the current title, and finds what the unprepared check finds', async () => {
    const base = createApiEngine();
    let prepared = 0;
    const engine = {
      ...base,
      prepareCheck: (doc: Parameters<NonNullable<typeof base.prepareCheck>>[0]) => {
        prepared++;
        return base.prepareCheck!(doc);
      },
    };
    const f = await startFixture({ engine });
    try {
      const { assessment, versions } = await f.newAssessment({ versions: 2 });
      const snapshot = readSample('kakuu-city-kaigo', 'live-drifted.yaml');
      const check = (versionId: string) =>
        f.call('POST', `/api/assessments/${assessment.id}/versions/${versionId}/check`, {
          token: f.tokens.ci,
          json: snapshot,
        });
      const first = await check(versions[0].id);
      expect(first.status).toBe(200);
      expect(first.json.diagnostics.length).toBeGreaterThan(0);
      for (let i = 0; i < 3; i++) expect((await check(versions[0].id)).json).toEqual(first.json);
      expect(prepared).toBe(1);

      // The same findings as the check without preparation, with the same names and lines.
      const direct = base.checkSnapshot!(
        {
          source: `${assessment.title} 第1版`,
          data: versions[0].doc,
          diagnostics: [],
          locate: () => undefined,
        },
        base.loadText(JSON.stringify(snapshot), { source: 'snapshot' }),
        {},
      );
      expect(first.json.diagnostics).toEqual(base.toJsonReport(direct.diagnostics).diagnostics);

      // The prepared version is keyed by its document, not by its name: a renamed assessment reads so at once.
      const renamed = await f.call('PATCH', `/api/assessments/${assessment.id}`, {
        token: f.tokens.officer,
        json: { title: '改名した事務' },
      });
      expect(renamed.status).toBe(200);
      const again = await check(versions[0].id);
      expect(
        again.json.diagnostics.every((d: { source: string }) => d.source !== `${assessment.title} 第1版`),
      ).toBe(true);
      expect(JSON.stringify(again.json.diagnostics)).toContain('改名した事務 第1版');
      expect(prepared).toBe(1);

      // Another version, another document: prepared on its own.
      expect((await check('latest')).status).toBe(200);
      expect(prepared).toBe(2);
      // Every check was recorded.
      const runs = await f.call(
        'GET',
        `/api/assessments/${assessment.id}/versions/${versions[0].id}/checks`,
        {
          token: f.tokens.reviewer,
        },
      );
      expect(runs.json.checks).toHaveLength(5);
    } finally {
      expect(f.logged).toEqual([]);
      await f.close();
    }
  });

  it('keeps the body limits on the JSON fast path: depth, forbidden keys and syntax errors are 400', async () => {
    const { assessment } = await fx.newAssessment();
    const path = `/api/assessments/${assessment.id}/versions/latest/check`;
    let deep = '0';
    for (let i = 0; i < 150; i++) deep = `{"a":${deep}}`;
    const tooDeep = await fx.call('POST', path, {
      token: fx.tokens.ci,
      body: deep,
      type: 'application/json',
    });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.json.diagnostics.map((d: { code: string }) => d.code)).toContain('load/too-deep');
    const proto = await fx.call('POST', path, {
      token: fx.tokens.ci,
      body: '{"asOf":"2025-04-01T00:00:00+09:00","__proto__":{"admin":true}}',
      type: 'application/json',
    });
    expect(proto.status).toBe(400);
    expect(proto.json.diagnostics.map((d: { code: string }) => d.code)).toContain('load/forbidden-key');
    const broken = await fx.call('POST', path, {
      token: fx.tokens.ci,
      body: '{\n  "asOf": "2025-04-01",\n  "accounts": [\n',
      type: 'application/json',
    });
    expect(broken.status).toBe(400);
    expect(broken.json.diagnostics[0].line).toBeGreaterThan(1);
    const runs = await fx.call('GET', `/api/assessments/${assessment.id}/versions/latest/checks`, {
      token: fx.tokens.reviewer,
    });
    expect(runs.json.checks).toHaveLength(0); // nothing recorded for a body that could not be read
  });
});
