// Content-addressed blob files of the lowdb store (`pia.json.blobs/<sha256>.json`): version documents and
// check-run diagnostics. Versions are immutable, so each document is written once, named by its SHA-256
// (which also verifies it on every read and deduplicates identical saves).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileDurable } from './durable-file.ts';

/** A blob file's name: its SHA-256 in hex, `.json`. Temp files and anything else in the directory are not. */
const BLOB_NAME = /^([0-9a-f]{64})\.json$/;

export class FileBlobs {
  constructor(readonly dir: string) {}
  /**
   * The hashes whose files are on disk (each written durably before any record named it). Read once at
   * open: the directory listing is what a commit must not write again, and costs one readdir instead of
   * parsing every stored check run for its diagnostics hash (~90 ms of a 1.1-s open with 60,000 runs).
   */
  async list(): Promise<string[]> {
    const hashes: string[] = [];
    for (const name of await readdir(this.dir)) {
      const m = BLOB_NAME.exec(name);
      if (m) hashes.push(m[1]!);
    }
    return hashes;
  }
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
