import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StoreCorruptError, StoreLockedError, StoreWriteError, openStore } from '../../src/store/index.ts';
import { journalCommitLine, journalRecordLine, parseJournal } from '../../src/store/lowdb/journal.ts';
import { ADMIN, JOURNAL_TABLE_NAMES, journalOf, open, sampleDoc, seeded, tempDir } from './helpers.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function spawnFixture(script: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, script), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): {
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
} {
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  // 'close' fires after the process is reaped and its pipes are drained: no zombie holds the pid.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { out: () => out, err: () => err, exited };
}

async function waitFor(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !pred(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!pred()) throw new Error(`timed out waiting for ${what}`);
}

describe('files that are not ours or not whole', () => {
  it('a file that is not JSON is refused with a Japanese error and left untouched', async () => {
    const path = join(tempDir(), 'pia.json');
    writeFileSync(path, '{"format":"pia-store", "versions": [');
    const err = await openStore(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreCorruptError);
    expect((err as Error).message).toContain('JSON として読めません');
    expect((err as Error).message).toContain('ファイルは変更していません');
    expect(readFileSync(path, 'utf8')).toBe('{"format":"pia-store", "versions": [');
    expect(existsSync(`${path}.lock`)).toBe(false); // the failed open released its lock
    expect(existsSync(`${path}.blobs`)).toBe(false); // and created nothing next to the file
  });

  it('an empty file and a foreign JSON file are refused too', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.json'), '');
    await expect(openStore(join(dir, 'empty.json'))).rejects.toBeInstanceOf(StoreCorruptError);
    writeFileSync(join(dir, 'package.json'), '{"name":"something-else"}');
    const err = await openStore(join(dir, 'package.json')).catch((e: unknown) => e);
    expect((err as Error).message).toContain('PIA のストアのファイルではありません');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{"name":"something-else"}');
    writeFileSync(join(dir, 'future.json'), '{"format":"pia-store","formatVersion":99}');
    await expect(openStore(join(dir, 'future.json'))).rejects.toThrow(/このバージョンでは読めません/);
  });

  it('temp files left by a crashed writer are ignored and removed; the last state is intact', async () => {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
    await store.close();
    const dir = join(path, '..');
    writeFileSync(join(dir, '.pia.json.99999.0a1b2c3d4e5f.tmp'), '{"format":"pia-store","versions":[{"id":'); // half written
    writeFileSync(join(dir, '.pia.json.tmp'), 'garbage from lowdb/steno');
    writeFileSync(join(`${path}.blobs`, '.abc.json.99999.0a1b2c3d4e5f.tmp'), '{"rev');
    writeFileSync(join(dir, '.pia.json.lock.0a1b2c3d4e5f.tmp'), '{"pid":');

    const again = await open(path);
    expect((await again.getVersion(v.id))?.doc).toEqual(sampleDoc(1));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(`${path}.blobs`).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a path that cannot hold a store gives a Japanese error, not a stack of errno codes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    await expect(openStore(join(dir, 'file', 'pia.json'))).rejects.toThrow(
      /ストアのディレクトリ .* を作成できません/,
    );
    mkdirSync(join(dir, 'adir.json'));
    const err = await openStore(join(dir, 'adir.json')).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/を読めません \(EISDIR\)/);
    expect(existsSync(join(dir, 'adir.json.lock'))).toBe(false);
  });

  it('a failed write is not acknowledged and leaves the visible state unchanged', async () => {
    const { store, asm, path } = await seeded();
    const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'a' });
    const journalBefore = readFileSync(journalOf(path));
    // Make the document write fail: the blob directory becomes a file.
    const blobs = `${path}.blobs`;
    const saved = readdirSync(blobs).map((f) => [f, readFileSync(join(blobs, f))] as const);
    rmSync(blobs, { recursive: true });
    writeFileSync(blobs, '');
    const err = await store.addVersion(asm.id, sampleDoc(2), { author: 'a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreWriteError);
    expect((err as Error).message).toContain('保存されていません');
    expect((await store.listVersions(asm.id)).map((v) => v.id)).toEqual([v1.id]);
    expect((await store.verifyAudit()).count).toBe(3);
    expect(readFileSync(journalOf(path))).toEqual(journalBefore); // nothing of the batch reached the journal
    // Disk repaired: the next write succeeds and the failed one never appears.
    rmSync(blobs);
    mkdirSync(blobs);
    for (const [f, bytes] of saved) writeFileSync(join(blobs, f), bytes);
    const v2 = await store.addVersion(asm.id, sampleDoc(3), { author: 'a' });
    expect(v2.number).toBe(2);
    await store.close();
    const again = await open(path);
    expect((await again.listVersions(asm.id)).map((v) => v.number)).toEqual([1, 2]);
    expect((await again.verifyAudit()).ok).toBe(true);
  });
});

describe('one process per store file', () => {
  it('a second open in the same process is refused', async () => {
    const path = join(tempDir(), 'pia.json');
    const store = await open(path);
    const err = await openStore(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLockedError);
    expect((err as Error).message).toContain('このプロセスで既に開かれています');
    await store.close();
    const again = await open(path); // released by close()
    await expect(again.listOrganisations()).resolves.toEqual([]);
  });

  it('a second process gets a clear Japanese error while the first holds the store', async () => {
    const path = join(tempDir(), 'pia.json');
    const store = await open(path);
    await store.createOrganisation({ name: '鹿児島市' }, ADMIN);
    const child = spawnFixture('open-store.ts', path);
    const io = collect(child);
    expect(await io.exited).toBe(3);
    expect(io.err()).toContain('StoreLockedError');
    expect(io.err()).toContain(`別のプロセス (pid ${process.pid}) が使用中です`);
    expect(io.err()).not.toMatch(/\n\s+at /); // no stack trace
    await store.close();

    const child2 = spawnFixture('open-store.ts', path);
    const io2 = collect(child2);
    expect(await io2.exited).toBe(0);
    expect(io2.out()).toContain('OPENED');
  });

  it('a lock held by a live process is respected; a dead or reused pid is taken over', async () => {
    const path = join(tempDir(), 'pia.json');
    const holder = spawnFixture('hold-store.ts', path);
    const io = collect(holder);
    await waitFor(() => io.out().includes('READY'), 'holder');
    const err = await openStore(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLockedError);
    expect((err as Error).message).toContain(`pid ${holder.pid}`);

    const live = JSON.parse(readFileSync(`${path}.lock`, 'utf8'));
    holder.kill('SIGKILL');
    await io.exited;
    // The holder died without releasing: its lock names a dead pid, so open takes it over.
    await (await open(path)).close();

    // A live pid whose process started at another time than recorded is a reused pid: stale.
    const other = spawnFixture('hold-store.ts', join(tempDir(), 'other.json'));
    const io2 = collect(other);
    await waitFor(() => io2.out().includes('READY'), 'other');
    writeFileSync(
      `${path}.lock`,
      JSON.stringify({ ...live, pid: other.pid, procStart: '1', host: hostname() }),
    );
    await expect(openStore(path).then((s) => s.close())).resolves.toBeUndefined();
    // The same live pid with an unknown start time is respected.
    writeFileSync(
      `${path}.lock`,
      JSON.stringify({ ...live, pid: other.pid, procStart: null, host: hostname() }),
    );
    await expect(openStore(path)).rejects.toBeInstanceOf(StoreLockedError);
    // A lock from another host cannot be checked: respected, with advice.
    writeFileSync(`${path}.lock`, JSON.stringify({ ...live, pid: 1, host: 'elsewhere' }));
    await expect(openStore(path)).rejects.toThrow(/別のホスト elsewhere/);
    other.kill('SIGKILL');
    await io2.exited;
  });
});

describe('crash safety', () => {
  it('SIGKILL at random moments never loses an acknowledged record nor breaks the files', async () => {
    const path = join(tempDir(), 'pia.json');
    const acked = new Set<string>();
    const ackedComments = new Set<string>();
    const ackedRuns = new Set<string>();
    const ackedStatus = new Map<string, string>();
    let leftovers = 0;
    let tornTails = 0;
    let simulatedTails = 0;
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      const child = spawnFixture('crash-writer.ts', path);
      const io = collect(child);
      await waitFor(() => io.out().includes('READY'), 'crash writer');
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 250));
      child.kill('SIGKILL');
      await io.exited;

      const lines = io.out().split('\n');
      lines.pop(); // an unterminated last line was not a complete acknowledgement
      for (const l of lines) {
        const [kind, id, extra] = l.split(' ');
        if (kind === 'ACK') acked.add(id);
        if (kind === 'ACKC') ackedComments.add(id);
        if (kind === 'ACKR') ackedRuns.add(id);
        if (kind === 'ACKT') ackedStatus.set(id, extra);
      }
      leftovers += readdirSync(join(path, '..')).filter((f) => f.endsWith('.tmp')).length;
      leftovers += readdirSync(`${path}.blobs`).filter((f) => f.endsWith('.tmp')).length;

      expect(() => JSON.parse(readFileSync(path, 'utf8'))).not.toThrow();
      // What the kill left at the end of the journal: a partial line or a batch without its commit line.
      // A SIGKILL cannot tear a single write(), a power loss can: every other round, add what one leaves
      // (a random prefix of a group commit, never its complete commit line).
      const journal = parseJournal(readFileSync(journalOf(path)), 'journal', JOURNAL_TABLE_NAMES);
      if (journal.size > journal.committedBytes) tornTails++;
      if (round % 2 === 1) {
        const batch =
          journalRecordLine('checkRuns', { id: `torn-${round}`, versionId: 'x', summary: {} }) +
          journalRecordLine('audit', {
            seq: 999_999,
            action: 'checkrun.add',
            target: `checkrun:torn-${round}`,
          }) +
          journalCommitLine(journal.lastCommit + 1);
        appendFileSync(journalOf(path), batch.slice(0, 1 + Math.floor(Math.random() * (batch.length - 2))));
        simulatedTails++;
      }
      const store = await openStore(path); // takes over the dead writer's lock
      try {
        for (const id of acked) {
          const v = await store.getVersion(id); // verifies the document's hash too
          expect(v, `acknowledged version ${id} (round ${round})`).not.toBeNull();
          expect(v!.doc.filler).toHaveLength(20_000);
        }
        for (const id of ackedComments) expect(await store.getComment(id), `comment ${id}`).not.toBeNull();
        for (const id of ackedRuns) {
          const run = await store.getCheckRun(id); // reads and verifies its diagnostics file
          expect(run, `check run ${id} (round ${round})`).not.toBeNull();
          expect(run!.diagnostics).toHaveLength(1);
        }
        for (const [id, status] of ackedStatus) expect((await store.getVersionInfo(id))?.status).toBe(status);
        const versions = (await store.listAssessments())[0]
          ? await store.listVersions((await store.listAssessments())[0].id)
          : [];
        expect(versions.map((v) => v.number)).toEqual(versions.map((_, i) => i + 1));
        expect(await store.verifyAudit()).toMatchObject({ ok: true });
        expect(await store.getCheckRun(`torn-${round}`)).toBeNull(); // never committed
      } finally {
        await store.close();
      }
      // The torn tail was cut off when the store was opened.
      const after = parseJournal(readFileSync(journalOf(path)), 'journal', JOURNAL_TABLE_NAMES);
      expect(after.size).toBe(after.committedBytes);
    }
    expect(acked.size).toBeGreaterThan(rounds); // the writer did make progress each round
    expect(ackedRuns.size).toBeGreaterThan(acked.size);
    console.log(
      `crash test: ${rounds} kills, ${acked.size} acknowledged versions, ${ackedRuns.size} check runs, ` +
        `${ackedStatus.size} status changes, ${ackedComments.size} comments; torn journal tails cut off: ` +
        `${tornTails} left by the kills, ${simulatedTails} simulated power-loss tails; ` +
        `${leftovers} interrupted temp files`,
    );
  });
});
