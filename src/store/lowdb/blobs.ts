// Content-addressed blob files of the lowdb store (`pia.json.blobs/<sha256>.json`): version documents and
// check-run diagnostics. Versions are immutable, so each document is written once, named by its SHA-256
// (which also verifies it on every read and deduplicates identical saves).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileDurable } from './durable-file.ts';

/** A blob file's name: its SHA-256 in hex, `.json`. Temp files and anything else in the directory are not. */
const BLOB_NAME = /^([0-9a-f]{64})\.json$/;

/**
 * The hashes whose files are among `entries` (the blob directory's listing: each file was written durably
 * before any record named it). Taken at open from the listing the stale-temp-file sweep reads anyway, so it
 * costs no second readdir (~90 ms for 60,000 files on this machine) and no parse of every stored check run
 * for its diagnostics hash.
 */
export function blobHashesIn(entries: readonly string[]): string[] {
  const hashes: string[] = [];
  for (const name of entries) {
    const m = BLOB_NAME.exec(name);
    if (m) hashes.push(m[1]!);
  }
  return hashes;
}

export class FileBlobs {
  constructor(readonly dir: string) {}
  /** Resolves once every blob is durable. */
  async put(blobs: ReadonlyMap<string, Buffer>): Promise<void> {
    // In parallel: the fsyncs of one group commit overlap; one directory fsync covers all the renames.
    await Promise.all(
      [...blobs].map(([hash, text]) =>
        writeFileDurable(join(this.dir, `${hash}.json`), text, { syncDir: false }),
      ),
    );
    await fsyncDir(this.dir);
  }
  async get(hash: string): Promise<Buffer | null> {
    try {
      return await readFile(join(this.dir, `${hash}.json`));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
}
