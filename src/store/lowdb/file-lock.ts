// Advisory lock: one process per store file. Two processes writing one JSON file would each rewrite it
// from their own memory and silently drop the other's versions, so the second one must fail at open.
//
// The lock is `<store>.lock` holding {pid, host, procStart, nonce}. It is created atomically with its
// content (hard link of a fully written temp file, which fails with EEXIST like O_EXCL), so a reader never
// sees an empty lock. A lock whose process is gone (or whose pid was reused by a process that started at a
// different time, per /proc/<pid>/stat) is stale and taken over. Node has no flock(); a lock on another
// host cannot be checked and is treated as held.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { StoreLockedError } from '../errors.ts';

interface LockInfo {
  pid: number;
  host: string;
  procStart: string | null;
  nonce: string;
  createdAt: string;
}

/** Start time of a process in clock ticks since boot (Linux), to tell a live holder from a reused pid. */
function readProcStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may contain spaces and parentheses; fields after the last ')' start at field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22: starttime
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(lockPath: string): { info: LockInfo | null; raw: string } | null {
  let raw: string;
  try {
    raw = readFileSync(lockPath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const info = JSON.parse(raw) as LockInfo;
    return { info: typeof info?.pid === 'number' ? info : null, raw };
  } catch {
    return { info: null, raw };
  }
}

type Verdict = { stale: true } | { stale: false; message: string };

function judge(lockPath: string, storePath: string, info: LockInfo | null): Verdict {
  const advice = `別のプロセスが使っていないことが確かな場合は ${lockPath} を削除してから再実行してください。`;
  if (info === null) {
    // Only a lock written by hand (or by a copy tool) has no parseable content; give a writer a moment.
    let age = Infinity;
    try {
      age = Date.now() - statSync(lockPath).mtimeMs;
    } catch {
      return { stale: true };
    }
    if (age > 10_000) return { stale: true };
    return {
      stale: false,
      message: `ストア ${storePath} のロックファイル ${lockPath} の内容が読めません。${advice}`,
    };
  }
  if (info.host !== hostname()) {
    return {
      stale: false,
      message: `ストア ${storePath} は別のホスト ${info.host} のプロセス (pid ${info.pid}) が使用中です。${advice}`,
    };
  }
  if (info.pid === process.pid) {
    // A restarted container often gets the same pid (1) as its crashed predecessor: compare start times.
    const mine = readProcStart(process.pid);
    if (info.procStart !== null && mine !== null && info.procStart !== mine) return { stale: true };
    return {
      stale: false,
      message: `ストア ${storePath} はこのプロセスで既に開かれています。1 つのプロセスで開けるのは 1 回だけです (開いたストアを共有してください)。`,
    };
  }
  if (!isAlive(info.pid)) return { stale: true };
  const start = readProcStart(info.pid);
  if (info.procStart !== null && start !== null && start !== info.procStart) return { stale: true };
  return {
    stale: false,
    message:
      `ストア ${storePath} は別のプロセス (pid ${info.pid}) が使用中です。` +
      `同じデータファイルを同時に開けるのは 1 つのプロセスだけです。そのプロセスを終了してから再実行してください。${advice}`,
  };
}

function createExclusive(lockPath: string, content: string): void {
  // Dot-prefixed like the store's own temp files, so open() sweeps one left by a crash.
  const tmp = join(dirname(lockPath), `.${basename(lockPath)}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, content, { mode: 0o600 });
  try {
    linkSync(tmp, lockPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw e;
    // Filesystems without hard links: O_EXCL create, then write (a reader may briefly see it empty).
    const fd = openSync(lockPath, 'wx', 0o600);
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
}

export interface FileLock {
  readonly lockPath: string;
  /** Removes the lock if it is still ours. Synchronous so it can run in a process 'exit' handler. */
  release(): void;
}

export function acquireFileLock(storePath: string): FileLock {
  const lockPath = `${storePath}.lock`;
  const info: LockInfo = {
    pid: process.pid,
    host: hostname(),
    procStart: readProcStart(process.pid),
    nonce: randomBytes(12).toString('hex'),
    createdAt: new Date().toISOString(),
  };
  const content = JSON.stringify(info);
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      createExclusive(lockPath, content);
      return {
        lockPath,
        release() {
          const cur = readLock(lockPath);
          if (cur?.info?.nonce !== info.nonce) return;
          try {
            unlinkSync(lockPath);
          } catch {
            // already gone
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const cur = readLock(lockPath);
    if (cur === null) continue; // released meanwhile
    const verdict = judge(lockPath, storePath, cur.info);
    if (!verdict.stale) throw new StoreLockedError(verdict.message, storePath);
    // Take over a stale lock. Re-read just before unlinking so we only remove the lock we judged; two
    // processes taking over the same stale lock within microseconds remain a (documented) window.
    const again = readLock(lockPath);
    if (again !== null && again.raw === cur.raw) {
      try {
        unlinkSync(lockPath);
      } catch {
        // someone else took it over first; retry
      }
    }
  }
  throw new StoreLockedError(`ストア ${storePath} のロック ${lockPath} を取得できませんでした。`, storePath);
}
