// Several `pia serve` processes on one PostgreSQL database (issue 10, item 3). Real processes, real HTTP,
// a real cluster with fsync on (this is a durability test): writes through one server are read through
// the other; 50 concurrent writers spread over both, one server killed with SIGKILL mid-run, lose no version
// that was acknowledged with 2xx; the audit chain is one unbroken chain afterwards (`pia audit verify`).
// Web sessions opened on one process are valid on another (the session store is the database).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.ts';
import { SessionStore } from '../../src/web/sessions.ts';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, PIA_DB: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface Server {
  child: ChildProcess;
  url: string;
  log: () => string;
}

function startServe(db: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'serve', '--db', db, '--port', '0', '--no-pdf'],
      { cwd: ROOT, env: { ...process.env, PIA_DB: '' } },
    );
    let out = '';
    const timer = setTimeout(() => reject(new Error(`pia serve が起動しません:\n${out}`)), 50_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /pia serve: (http:\/\/\S+?)\/? で待ち受けています/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1].replace(/\/$/, ''), log: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pia serve が終了しました (${code}):\n${out}`));
    });
  });
}

function stopServe(s: Server | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
    setTimeout(() => s.child.kill('SIGKILL'), 10_000).unref();
  });
}

let pgc: PostgresCluster;
let token: string;
let a: Server | undefined;
let b: Server | undefined;

beforeAll(async () => {
  pgc = await startPostgres({ fsync: true });
  const migrated = await runCli(['db', 'migrate', '--db', pgc.url]);
  expect(migrated.stderr).toBe('');
  expect(migrated.code).toBe(0);
  expect(migrated.stdout).toContain('適用しました: 第 1 版');
  const created = await runCli(['token', 'create', '--role', 'admin', '--db', pgc.url]);
  expect(created.code).toBe(0);
  token = created.stdout.trim();
  [a, b] = await Promise.all([startServe(pgc.url), startServe(pgc.url)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([stopServe(a), stopServe(b)]);
  await pgc?.stop();
});

async function api(
  server: Server,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; etag: string | null }> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, etag: res.headers.get('etag') };
}

const doc = (n: number, who: string) => ({
  title: '住民基本台帳に関する事務 全項目評価書',
  revision: n,
  writer: who,
  systems: [{ name: `住基システム${n}`, users: n }],
});

describe('several pia serve processes on one PostgreSQL database', () => {
  it('db status reports the schema as current', async () => {
    const r = await runCli(['db', 'status', '--db', pgc.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('最新です');
  });

  it('writes through one server are read through the other; a stale ETag is 412 on either', async () => {
    const org = await api(a!, 'POST', '/api/organisations', { name: '防府市' });
    expect(org.status).toBe(201);
    const asm = await api(b!, 'POST', '/api/assessments', { title: '住民基本台帳に関する事務', orgId: org.json.id });
    expect(asm.status).toBe(201);
    const id = asm.json.id as string;
    const v1 = await api(a!, 'POST', `/api/assessments/${id}/versions`, doc(1, 'a'));
    expect(v1.status).toBe(201);
    const seen = await api(b!, 'GET', `/api/assessments/${id}`);
    expect(seen.json).toMatchObject({ versionCount: 1, latestEtag: v1.etag });
    const v2 = await api(b!, 'POST', `/api/assessments/${id}/versions`, doc(2, 'b'), { 'if-match': v1.etag! });
    expect(v2.status).toBe(201);
    const stale = await api(a!, 'POST', `/api/assessments/${id}/versions`, doc(3, 'a'), { 'if-match': v1.etag! });
    expect(stale.status).toBe(412);
    const list = await api(a!, 'GET', `/api/assessments/${id}/versions`);
    expect(JSON.stringify(list.json)).toContain(v2.etag!.replace(/"/g, '\\"'));
  });

  it('50 concurrent writers over both servers, one killed with SIGKILL mid-run, lose no acknowledged version', async () => {
    const org = await api(a!, 'POST', '/api/organisations', { name: '鹿児島市' });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await api(a!, 'POST', '/api/assessments', { title: `事務${i}`, orgId: org.json.id });
      ids.push(r.json.id as string);
    }
    const acked: { assessmentId: string; id: string; number: number; etag: string }[] = [];
    let killed = false;
    let refusedAfterKill = 0;
    const writer = async (w: number) => {
      let server = w % 2 === 0 ? a! : b!;
      const assessmentId = ids[w % ids.length];
      for (let i = 0; i < 6; i++) {
        try {
          const cur = await api(server, 'GET', `/api/assessments/${assessmentId}`);
          const etag = cur.json.latestEtag as string | null;
          const r = await api(
            server,
            'POST',
            `/api/assessments/${assessmentId}/versions`,
            doc(i, `w${w}`),
            etag ? { 'if-match': etag } : {},
          );
          if (r.status === 201) {
            acked.push({ assessmentId, id: r.json.id as string, number: r.json.number as number, etag: r.etag! });
            if (!killed && acked.length >= 60) {
              killed = true;
              b!.child.kill('SIGKILL');
            }
          } else {
            expect([412, 428]).toContain(r.status);
          }
        } catch {
          // The killed server: the request may or may not have committed, but it was not acknowledged.
          // Carry on through the surviving one.
          refusedAfterKill++;
          server = a!;
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, (_, w) => writer(w)));
    expect(killed).toBe(true);
    expect(b!.child.signalCode ?? 'SIGKILL').toBe('SIGKILL');
    expect(acked.length).toBeGreaterThan(60);

    // Every acknowledged version is there, with its number and ETag, read through the surviving server.
    for (const v of acked) {
      const r = await api(a!, 'GET', `/api/assessments/${v.assessmentId}/versions/${v.id}`);
      expect(r.status).toBe(200);
      expect(r.etag).toBe(v.etag);
    }
    // Numbers are 1..n without gaps or doubles in every assessment.
    const store: Store = await openStore(pgc.url);
    try {
      for (const id of ids) {
        const numbers = (await store.listVersions(id)).map((v) => v.number);
        expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      }
    } finally {
      await store.close();
    }
    // One unbroken audit chain, checked by the CLI against the live database.
    const verify = await runCli(['audit', 'verify', '--db', pgc.url]);
    expect(verify.stdout).toContain('監査ログの連鎖は正しく検証できました');
    expect(verify.code).toBe(0);
    expect(refusedAfterKill).toBeGreaterThanOrEqual(0);
  });

  it('a web session opened through one process is found, and ended, through another', async () => {
    const s1 = await openStore(pgc.url);
    const s2 = await openStore(pgc.url);
    try {
      const one = new SessionStore({ store: s1 });
      const two = new SessionStore({ store: s2 });
      const opened = await one.open(token);
      const found = await two.find(opened.id);
      expect(found).toMatchObject({ token, csrf: opened.csrf });
      await two.end(opened.id);
      expect(await one.find(opened.id)).toBeUndefined();
      expect(await two.find('x'.repeat(43))).toBeUndefined();
    } finally {
      await s1.close();
      await s2.close();
    }
  });

  it('a browser login taken by one server is honoured by another, and a logout on either ends it on both', async () => {
    // b was killed above: a third server takes its place, on the same database.
    const c = await startServe(pgc.url);
    try {
      const cookieOf = (res: Response, name: string): string => {
        const line = res.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
        if (!line) throw new Error(`Set-Cookie ${name} がありません`);
        return line.split(';')[0];
      };
      // The login form of server a, then the login posted to server a.
      const form = await fetch(`${a!.url}/login`);
      const loginCsrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
      const login = await fetch(`${a!.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: cookieOf(form, 'pia_login_csrf'),
        },
        body: new URLSearchParams({ _csrf: loginCsrf, token, next: '/assessments' }).toString(),
      });
      expect(login.status).toBe(303);
      const session = cookieOf(login, 'pia_session');

      // The list page through the other server, with only the cookie (no bearer token).
      const onC = await fetch(`${c.url}/assessments`, { headers: { cookie: session }, redirect: 'manual' });
      const page = await onC.text();
      expect(onC.status).toBe(200);
      expect(page).toContain('ログアウト');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];

      // Logout on c ends the session on a too.
      const logout = await fetch(`${c.url}/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      expect(logout.status).toBe(303);
      const after = await fetch(`${a!.url}/assessments`, { headers: { cookie: session }, redirect: 'manual' });
      // A page request without a live session is sent to the login form.
      expect(after.status).toBe(303);
      expect(after.headers.get('location')).toMatch(/^\/login/);
    } finally {
      await stopServe(c);
    }
  }, 120_000);
});
