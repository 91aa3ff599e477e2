// `pia due` over the bundled samples with a fixed as-of day (the README shows this output), its formats and
// exit codes, a reviews.yaml next to the documents, and --server against a real server (token from PIA_TOKEN).
import ICAL from 'ical.js';
import { mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiEngine, createApp, loadSamples } from '../../src/api/index.ts';
import { createMemoryStore, type Store } from '../../src/store/index.ts';
import { ROOT, runInProcess, runSpawned } from '../cli/run.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pia-due-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pia due', () => {
  it('lists the samples overdue first and exits 1 (spawned, as cron runs it)', async () => {
    const r = await runSpawned(['due', 'assessments', '--as-of', '2026-12-01']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('期限の一覧 (基準日 令和8年12月1日 = 2026-12-01)');
    expect(lines[1]).toBe('期限超過 2 件 ・ 判定不能 1 件 ・ 期限間近 1 件 ・ 予定 4 件');
    expect(lines[3]).toContain('[期限超過] 令和5年7月7日 (2023-07-07、1243日超過)');
    expect(r.stdout).toContain('[判定不能] 期限: 判定できません');
    expect(r.stdout).toContain('日付が未記載のため判定できません');
  });

  it('json, md and ics say the same; --within keeps overdue and what is due inside the horizon', async () => {
    const json = await runInProcess(['due', 'assessments', '--as-of', '2026-12-01', '--format', 'json']);
    const report = JSON.parse(json.stdout) as {
      obligations: { id: string; state: string; dueDate: string | null }[];
    };
    expect(report.obligations.map((o) => o.state)).toEqual([
      '期限超過',
      '期限超過',
      '判定不能',
      '期限間近',
      '予定',
      '予定',
      '予定',
      '予定',
    ]);
    expect(report.obligations[0].id).toBe('assessments/hofu-covid-vaccination/annual-review');
    const md = await runInProcess(['due', 'assessments', '--as-of', '2026-12-01', '--format', 'md']);
    expect(md.stdout).toContain('| **期限超過** | 令和5年7月7日 (2023-07-07、1243日超過) |');
    const ics = await runInProcess(['due', 'assessments', '--as-of', '2026-12-01', '--format', 'ics']);
    const events = new ICAL.Component(ICAL.parse(ics.stdout)).getAllSubcomponents('vevent');
    // Undeterminable obligations have no date and no event.
    expect(events).toHaveLength(report.obligations.filter((o) => o.dueDate).length);
    const within = await runInProcess([
      'due',
      'assessments',
      '--as-of',
      '2026-12-01',
      '--within',
      '60d',
      '--format',
      'json',
    ]);
    expect((JSON.parse(within.stdout) as { obligations: unknown[] }).obligations).toHaveLength(4);
    expect(within.code).toBe(1);
    // Nothing overdue → 0.
    const clean = await runInProcess(['due', 'assessments/kakuu-city-jidouteate', '--as-of', '2026-12-01']);
    expect(clean.code).toBe(0);
  });

  it('reads reviews.yaml beside the document', async () => {
    const d = join(dir, 'juki');
    cpSync(join(ROOT, 'assessments/kakuu-city-juki'), d, { recursive: true });
    writeFileSync(
      join(d, 'reviews.yaml'),
      'reviews:\n  - {date: 2026-11-20, result: 変更なし, note: 年次の見直し}\n',
    );
    const r = await runInProcess(['due', d, '--as-of', '2026-12-01', '--format', 'json']);
    expect(r.code).toBe(0);
    const o = (JSON.parse(r.stdout) as { obligations: { type: string; dueDate: string }[] }).obligations;
    expect(o.find((x) => x.type === 'annual-review')?.dueDate).toBe('2027-11-20');
    writeFileSync(join(d, 'reviews.yaml'), 'reviews:\n  - {date: 2026-11-31, result: 変更なし}\n');
    expect((await runInProcess(['due', d, '--as-of', '2026-12-01'])).code).toBe(2);
  });

  it.each([
    [['due'], '評価書のディレクトリ'],
    [['due', 'assessments', '--as-of', '2026-02-29'], '--as-of'],
    [['due', 'assessments', '--within', 'soon'], '--within'],
    [['due', 'assessments', '--format', 'pdf'], '--format'],
    [['due', 'no-such-dir'], 'ありません'],
    [['due', '--server', 'http://127.0.0.1:9'], 'PIA_TOKEN'],
  ])('%j → exit 2', async (argv, message) => {
    const r = await runInProcess(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('pia due --server', () => {
  let store: Store;
  let server: Server;
  let url: string;
  let token: string;
  beforeAll(async () => {
    store = createMemoryStore();
    const engine = createApiEngine();
    await loadSamples(store, engine);
    token = (await store.createToken({ name: 'cron', role: 'admin', orgId: null }, { actor: 'test' })).token;
    const app = createApp({ store, engine, web: false });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => {
      server?.close(() => r());
      server?.closeAllConnections();
    });
    await store?.close();
  });

  it('reads the server’s obligations with the token from PIA_TOKEN (never argv)', async () => {
    const r = await runInProcess(['due', '--server', url, '--as-of', '2026-12-01'], {
      env: { PIA_TOKEN: token },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('期限超過 2 件 ・ 判定不能 1 件 ・ 期限間近 1 件 ・ 予定 4 件');
    const bad = await runInProcess(['due', '--server', url], { env: { PIA_TOKEN: 'wrong' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('401');
  });
});
