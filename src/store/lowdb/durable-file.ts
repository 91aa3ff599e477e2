// Crash-safe file replacement, and a lowdb Adapter built on it.
//
// lowdb's own writer (steno) renames a fixed `.name.tmp` over the target without fsync: a power loss can
// leave an empty or partial main file, and two writers share one temp name. Here every write goes to a
// unique temp file in the same directory, is fsynced, renamed over the target (atomic on POSIX), and the
// directory is fsynced so the rename itself survives. The main file is therefore always either the
// previous or the new complete version; a temp file left by a crash is ignored and removed on open.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { InputError } from '../../errors.ts';
import { StoreCorruptError } from '../errors.ts';

const TEMP_SUFFIX = '.tmp';

function tempNameFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`,
  );
}

/** True for the temp files writeFileDurable (and lowdb's steno) leave behind for `name` after a crash. */
export function isTempFileOf(name: string, entry: string): boolean {
  return entry.startsWith(`.${name}.`) && entry.endsWith(TEMP_SUFFIX);
}

export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    // Windows cannot open or fsync a directory; its rename is durable enough through NTFS journaling.
    if (process.platform !== 'win32') throw e;
  } finally {
    await fh?.close();
  }
}

/**
 * Writes `data` to `target` so that a crash at any instant leaves either the old or the new content.
 * Resolves only after the data and the rename are on disk. `syncDir: false` lets a caller rename many
 * files into one directory and fsync it once.
 */
export async function writeFileDurable(
  target: string,
  data: string | Uint8Array,
  opts: { syncDir?: boolean } = {},
): Promise<void> {
  const tmp = tempNameFor(target);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  if (opts.syncDir !== false) await fsyncDir(dirname(target));
}

/**
 * Removes temp files a crashed writer left next to `target` (any of ours in `dir` without `name`), and
 * returns the directory's other entries (one readdir serves the caller too). Only safe while holding the
 * store's lock.
 */
export async function removeStaleTempFiles(dir: string, name?: string): Promise<string[]> {
  const kept: string[] = [];
  for (const entry of await readdir(dir)) {
    const ours =
      name === undefined ? entry.startsWith('.') && entry.endsWith(TEMP_SUFFIX) : isTempFileOf(name, entry);
    if (ours) await unlink(join(dir, entry)).catch(() => undefined);
    else kept.push(entry);
  }
  return kept;
}

/** mkdir -p, with the new directories' entries fsynced into their parents. Mode 0700: the data is personal. */
export async function ensureDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  // `first` is the top-most directory created; fsync each parent from there down.
  let d = dir;
  const created: string[] = [];
  while (d.length >= first.length) {
    created.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const c of created) await fsyncDir(dirname(c));
}

/**
 * lowdb Adapter: JSON file read as-is, written durably. A file that is not JSON raises StoreCorruptError
 * and is never overwritten (writing defaults over it would destroy the data it still holds).
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly filename: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.filename, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      throw new InputError(
        `ストアのファイル ${this.filename} を読めません (${code ?? (e as Error).message})`,
        this.filename,
      );
    }
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new StoreCorruptError(
        `ストアのファイル ${this.filename} を JSON として読めません (${(e as Error).message})。` +
          'ファイルは変更していません。バックアップから戻すか、内容を確認してください。',
        this.filename,
      );
    }
  }

  async write(data: T): Promise<void> {
    await writeFileDurable(this.filename, JSON.stringify(data));
  }
}
