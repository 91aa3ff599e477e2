// POST /api/import over real HTTP (roles, media types, refusals) and `pia import` end to end (output with
// the $schema line, exit codes, the report on stderr; the output validates).
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from '../api/helpers.ts';
import { encryptedPdf, readSeed, runPia, tempDir } from './fixtures.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
}, 60_000);
afterAll(async () => {
  await fx?.close();
});

describe('POST /api/import', () => {
  it('an officer gets {doc, report, diagnostics}', async () => {
    const r = await fx.call('POST', '/api/import?name=seed001.txt', { token: fx.tokens.officer, body: readSeed('001'), type: 'text/plain' });
    expect(r.status, r.text).toBe(200);
    expect(r.json.doc.form).toBe('重点項目評価書');
    expect(r.json.doc.changeLog).toHaveLength(12);
    expect(r.json.report.source).toBe('seed001.txt');
    expect(r.json.report.gaps.map((g: { path: string }) => g.path)).toEqual(['/files/0/provision', '/files/0/storage', '/risks/0/entrustment']);
    expect(Array.isArray(r.json.diagnostics)).toBe(true);
  });

  it('admin may, reviewer and ci may not, no token is 401', async () => {
    expect((await fx.call('POST', '/api/import', { token: fx.tokens.admin, body: readSeed('001'), type: 'text/plain' })).status).toBe(200);
    expect((await fx.call('POST', '/api/import', { token: fx.tokens.reviewer, body: readSeed('001'), type: 'text/plain' })).status).toBe(403);
    expect((await fx.call('POST', '/api/import', { token: fx.tokens.ci, body: readSeed('001'), type: 'text/plain' })).status).toBe(403);
    expect((await fx.call('POST', '/api/import', { body: readSeed('001'), type: 'text/plain' })).status).toBe(401);
  });

  it('refuses what is not a 評価書 with 422 and a Japanese message; wrong type 415; bad form 400', async () => {
    const enc = await fx.call('POST', '/api/import', { token: fx.tokens.officer, body: encryptedPdf(), type: 'application/pdf' });
    expect(enc.status).toBe(422);
    expect(enc.json.message ?? enc.text).toMatch(/暗号化/);
    const empty = await fx.call('POST', '/api/import', { token: fx.tokens.officer, body: '', type: 'text/plain' });
    expect(empty.status).toBe(422);
    expect((await fx.call('POST', '/api/import', { token: fx.tokens.officer, body: 'x', type: 'image/png' })).status).toBe(415);
    expect((await fx.call('POST', '/api/import?form=xx', { token: fx.tokens.officer, body: readSeed('001'), type: 'text/plain' })).status).toBe(400);
    expect(fx.logged).toEqual([]);
  });

  it('is in the OpenAPI document', async () => {
    const r = await fx.call('GET', '/openapi.json');
    expect(r.json.paths['/api/import'].post.operationId).toBe('importPublished');
  });
});

describe('pia import', () => {
  it('writes a document with the $schema line that pia validate reads; gaps → exit 1 and the report', () => {
    const tmp = tempDir();
    try {
      const seed = `${tmp.dir}/hofu.txt`;
      writeFileSync(seed, readSeed('001'));
      const out = `${tmp.dir}/hofu.yaml`;
      const r = runPia(['import', seed, '-o', out]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain('読み取れなかった項目 (3 件');
      const text = readFileSync(out, 'utf8');
      expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*juten-h30\.schema\.json$/);
      const v = runPia(['validate', out, '--format', 'json']);
      const diags = JSON.parse(v.stdout).files?.[0]?.diagnostics ?? JSON.parse(v.stdout).diagnostics ?? [];
      const schemaOnly = (diags as { code: string }[]).filter((d) => d.code.startsWith('schema/') && d.code !== 'schema/required');
      expect(schemaOnly).toEqual([]);
      // Never overwrites.
      expect(runPia(['import', seed, '-o', out]).status).toBe(2);
      // JSON output to stdout.
      const j = runPia(['import', seed, '--format', 'json']);
      expect(JSON.parse(j.stdout).form).toBe('重点項目評価書');
    } finally {
      tmp.done();
    }
  }, 120_000);
});
