/**
 * Throwaway PostgreSQL 15 cluster for tests (never skips: if the server cannot start, this THROWS with the
 * server log, so a missing PostgreSQL is a red test, not a silent green one).
 *
 * Usage (vitest):
 *
 *   import { startPostgres, type PostgresCluster } from '../helpers/postgres.ts';
 *   let pg: PostgresCluster;
 *   beforeAll(async () => { pg = await startPostgres(); });   // ~3 s; hookTimeout is 60 s
 *   afterAll(async () => { await pg?.stop(); });              // always stop what you start
 *   // connect with new pg.Client({ connectionString: pg.url }) — postgres://pia@127.0.0.1:<port>/postgres
 *
 * Options: `fsync` (default false: throwaway speed; pass true for durability tests such as kill -9 and
 * acknowledged writes), `user` (superuser name, default 'pia'), `database` (created if not 'postgres').
 * Durability tests can `crash()` (SIGKILL the postmaster, data kept) and `start()` again on the same data
 * directory and port; `stop()` shuts down and deletes the directory, and is safe to call twice.
 *
 * Why this shape: PostgreSQL refuses to run as root, so as root initdb/pg_ctl run as the `postgres` user via
 * `runuser -u postgres --` on a directory it owns (see ../shared/docs/PLATFORM.md); as any other user they
 * run directly. Binaries are Debian's /usr/lib/postgresql/15/bin (not on PATH; CI gets them from the
 * `postgresql` package in scripts/setup.sh). The port is a free one chosen by the OS; a lost race on it is
 * retried. The Unix socket goes into the temporary directory so the Debian cluster is never touched. An
 * exit hook stops clusters a crashed test run left behind.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PG_BIN = process.env.PIA_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresOptions {
  /** Keep fsync on (durability tests). Default false: a throwaway cluster does not need it. */
  fsync?: boolean;
  /** Superuser created by initdb. Default 'pia'. */
  user?: string;
  /** Database to create (besides 'postgres'). Default: none; the url names 'postgres'. */
  database?: string;
  /** Extra `-c name=value` server settings, e.g. { ssl: 'off', log_connections: 'on' }. */
  settings?: Record<string, string>;
}

export interface PostgresCluster {
  /** postgres://<user>@127.0.0.1:<port>/<database> (trust authentication: no password). */
  url: string;
  port: number;
  /** The temporary directory (data directory is `${dir}/data`, server log `${dir}/log`). */
  dir: string;
  /** Shut down (fast) and delete the directory. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL the postmaster (data directory kept) — for crash/durability tests; call start() after. */
  crash(): void;
  /** Start again on the same data directory and port (after crash() or a plain stop of the server). */
  start(): Promise<void>;
  /** The server log so far. */
  log(): string;
}

const live = new Set<PostgresCluster>();
let exitHookInstalled = false;

function asRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root, directly otherwise. */
function pgCommand(bin: string, args: string[]): [string, string[]] {
  const path = join(PG_BIN, bin);
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

function run(bin: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const [cmd, argv] = pgCommand(bin, args);
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function readLog(dir: string): string {
  const f = join(dir, 'log');
  return existsSync(f) ? readFileSync(f, 'utf8') : '(server log is empty)';
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) {
      try {
        const [cmd, argv] = pgCommand('pg_ctl', ['-D', join(c.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
        execFileSync(cmd, argv, { stdio: 'ignore', timeout: 10_000 });
      } catch {
        /* already down */
      }
      rmSync(c.dir, { recursive: true, force: true });
    }
  });
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresCluster> {
  const user = options.user ?? 'pia';
  const initdb = join(PG_BIN, 'initdb');
  if (!existsSync(initdb)) {
    throw new Error(
      `PostgreSQL 15 が見つかりません (${initdb})。apt-get install -y postgresql (scripts/setup.sh) を実行してください。`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'pia-pg-'));
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  try {
    await run('initdb', ['-D', data, '-A', 'trust', '-U', user, '-E', 'UTF8', '--locale=C', '--no-sync']);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: string; message: string };
    throw new Error(`initdb に失敗しました: ${err.stderr || err.message}`);
  }

  let port = 0;
  let stopped = false;
  const serverArgs = (): string => {
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      ...(options.fsync ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
      ...options.settings,
    };
    const cs = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`);
    return [`-p ${port}`, `-k ${dir}`, ...cs].join(' ');
  };
  const pgStart = async (): Promise<void> => {
    await run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', 'start', '-o', serverArgs()]);
  };

  const cluster: PostgresCluster = {
    url: '',
    port: 0,
    dir,
    log: () => readLog(dir),
    async start() {
      try {
        await pgStart();
      } catch (e) {
        throw new Error(
          `PostgreSQL を起動できませんでした (port ${port}):\n${readLog(dir)}\n${(e as Error).message}`,
        );
      }
    },
    crash() {
      const pidFile = join(data, 'postmaster.pid');
      if (!existsSync(pidFile)) return;
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      // Wait until the postmaster is really gone so a following start() does not race it.
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        execFileSync('sleep', ['0.05']);
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      live.delete(cluster);
      try {
        await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        /* not running (crashed or never started) */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };

  // A port the OS just handed out can be taken by someone else before the postmaster binds it: retry.
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    port = await freePort();
    try {
      await pgStart();
      lastError = undefined;
      break;
    } catch (e) {
      lastError = e;
      if (!/could not (bind|create listen)|already in use/i.test(readLog(dir))) break;
    }
  }
  if (lastError !== undefined) {
    const log = readLog(dir);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL を起動できませんでした:\n${log}\n${(lastError as Error).message}`);
  }
  cluster.port = port;
  const database = options.database ?? 'postgres';
  cluster.url = `postgres://${user}@127.0.0.1:${port}/${database}`;
  live.add(cluster);
  installExitHook();
  if (database !== 'postgres') {
    try {
      await run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, database]);
    } catch (e) {
      await cluster.stop();
      throw new Error(`createdb ${database} に失敗しました: ${(e as { stderr?: string }).stderr ?? ''}`);
    }
  }
  return cluster;
}
