// Content-addressed blob files of the lowdb store (`pia.json.blobs/<sha256>.json`): version documents and
// check-run diagnostics. Versions are immutable, so each document is written once, named by its SHA-256
// (which also verifies it on every read and deduplicates identical saves).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileDurable } from './durable-file.ts';

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
