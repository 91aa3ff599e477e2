// Tampering with the lowdb files behind the store's back (someone with access to the disk): the audit chain
// and the records it commits to must catch it. The chain's behaviour through the API is in contract/audit.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/store/index.ts';
import { editJournal, open, readJournalLines, sampleDoc, seeded } from './helpers.ts';

/** A store with a few audited changes, closed, so the test can edit the file on disk. */
async function closedStoreWithHistory() {
  const { store, asm, org, path } = await seeded();
  const v1 = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
  await store.transitionStatus(v1.id, { to: '意見聴取', actor: 'user:o' });
  await store.addComment(v1.id, { pointer: '/title', body: 'ok', author: 'user:r' });
  await store.appendAudit({
    actor: 'user:o',
    action: 'pdf.export',
    target: `version:${v1.id}`,
    orgId: org.id,
  });
  const head = await store.auditHead();
  await store.close();
  return { path, head };
}

function editIndex(path: string, fn: (data: Record<string, any>) => void): void {
  const data = JSON.parse(readFileSync(path, 'utf8'));
  fn(data);
  writeFileSync(path, JSON.stringify(data));
}

describe('lowdb: edits to the files are detected', () => {
  it('the hash is SHA-256 over the canonical JSON of the entry without its hash', async () => {
    const { path } = await closedStoreWithHistory();
    const { createHash } = await import('node:crypto');
    // The log is in the journal, one entry per line; the index holds none of it.
    expect(JSON.parse(readFileSync(path, 'utf8'))).not.toHaveProperty('audit');
    const entries = readJournalLines(path).flatMap((l) => ('audit' in l ? [l.audit] : []));
    expect(entries).toHaveLength(6);
    for (const { hash, ...rest } of entries) {
      expect(createHash('sha256').update(canonicalJson(rest)).digest('hex')).toBe(hash);
    }
    expect(canonicalJson({ b: 1, a: [{ d: null, c: '日本' }] })).toBe('{"a":[{"c":"日本","d":null}],"b":1}');
  });

  it('detects an edited field', async () => {
    const { path } = await closedStoreWithHistory();
    editJournal(path, (lines, audit) => {
      lines[audit[3]].audit.after.status = '公表';
    });
    const store = await open(path);
    const r = await store.verifyAudit();
    expect(r).toMatchObject({ ok: false, brokenAt: 4 });
    expect(r.ok === false && r.reason).toContain('改変');
  });

  it('detects an edited actor even if the attacker also fixes that entry’s hash (next link breaks)', async () => {
    const { path } = await closedStoreWithHistory();
    const { createHash } = await import('node:crypto');
    editJournal(path, (lines, audit) => {
      const e = lines[audit[2]].audit;
      e.actor = 'user:someone-else';
      const { hash: _h, ...rest } = e;
      e.hash = createHash('sha256').update(canonicalJson(rest)).digest('hex');
    });
    const store = await open(path);
    expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('detects a deleted entry', async () => {
    const { path } = await closedStoreWithHistory();
    editJournal(path, (lines, audit) => {
      lines.splice(audit[2], 1);
    });
    const store = await open(path);
    expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects two swapped entries', async () => {
    const { path } = await closedStoreWithHistory();
    editJournal(path, (lines, audit) => {
      [lines[audit[1]], lines[audit[2]]] = [lines[audit[2]], lines[audit[1]]];
    });
    const store = await open(path);
    expect(await store.verifyAudit()).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects an inserted entry', async () => {
    const { path } = await closedStoreWithHistory();
    editJournal(path, (lines, audit) => {
      lines.splice(audit[1], 0, { audit: { ...lines[audit[1]].audit, action: 'assessment.delete' } });
    });
    const store = await open(path);
    expect((await store.verifyAudit()).ok).toBe(false);
  });

  it('a truncated tail is refused at open: the index records the acknowledged head (issue 9 item 5)', async () => {
    // A shorter chain is still a valid chain; what catches the cut is the head the index recorded at close
    // (truncation.test.ts has the journal cuts, the CLI's exit codes and the recovery message).
    const { path } = await closedStoreWithHistory();
    editJournal(path, (lines, audit) => {
      lines.splice(audit[audit.length - 1], 1);
    });
    await expect(open(path)).rejects.toThrow(/監査ログは 5 件しかありませんが、索引には第 6 件まで/);
  });

  it('protects the documents: a replaced document and its rewritten version record are caught', async () => {
    const { path } = await closedStoreWithHistory();
    const { createHash } = await import('node:crypto');
    const forged = JSON.stringify({ title: '改ざんされた評価書' });
    const forgedHash = createHash('sha256').update(forged).digest('hex');
    writeFileSync(`${path}.blobs/${forgedHash}.json`, forged);
    // close() wrote a checkpoint: the version records are in the index.
    editIndex(path, (d) => {
      d.versions[0].docHash = forgedHash; // the forged document now passes its own hash check on read
    });
    const store = await open(path);
    const r = await store.verifyAudit();
    expect(r).toMatchObject({ ok: false, brokenAt: 3 });
    expect(r.ok === false && r.reason).toContain('第 1 版');
  });

  it('protects check runs and review status recorded in the journal against edits', async () => {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
    await store.transitionStatus(v.id, { to: '意見聴取', actor: 'user:o' });
    const diagnostics = [
      { code: 'check/x', severity: 'error' as const, message: '差異', path: '/a', source: 's' },
    ];
    await store.addCheckRun(v.id, { diagnostics, actor: 'user:ci' });
    await store.close();

    // A failed CI check rewritten into a clean one: the record is well-formed, but no longer what was audited.
    editJournal(path, (lines) => {
      const run = lines.find((l) => 'checkRuns' in l)!.checkRuns;
      run.summary = { ...run.summary, error: 0 };
    });
    let s = await open(path);
    let r = await s.verifyAudit();
    expect(r).toMatchObject({ ok: false });
    expect(r.ok === false && r.reason).toContain('照合記録');
    await s.close();

    // Put the check run back, then skip a procedural step by editing a status transition.
    editJournal(path, (lines) => {
      const run = lines.find((l) => 'checkRuns' in l)!.checkRuns;
      run.summary = { ...run.summary, error: 1 };
      const t = lines.filter((l) => 'transitions' in l)[1].transitions;
      t.to = '公表';
    });
    s = await open(path);
    r = await s.verifyAudit();
    expect(r).toMatchObject({ ok: false });
    expect(r.ok === false && r.reason).toContain('状態の履歴');
    expect(r.ok === false && r.brokenAt).toBeGreaterThan(0);
  });

  it('protects 変更箇所 judgements and 見直し records recorded in the journal against edits', async () => {
    const { store, asm, path } = await seeded();
    const v = await store.addVersion(asm.id, sampleDoc(1), { author: 'user:o' });
    await store.setChangeJudgement(v.id, { key: '/a', timing: '事前', actor: 'user:o' });
    await store.setChangeJudgement(v.id, { key: '/a', timing: '事前', reason: '理由', actor: 'user:o' });
    await store.addReviewRecord(asm.id, { date: '2025-05-20', result: '再実施が必要', actor: 'user:o' });
    await store.close();
    let s = await open(path);
    expect(await s.verifyAudit()).toMatchObject({ ok: true });
    await s.close();

    // A 事前 judgement turned into 事後 (skipping the prior submission) in the last record of the key.
    editJournal(path, (lines) => {
      lines.filter((l) => 'judgements' in l).at(-1)!.judgements.timing = '事後';
    });
    s = await open(path);
    let r = await s.verifyAudit();
    expect(r).toMatchObject({ ok: false });
    expect(r.ok === false && r.reason).toContain('変更箇所の判断');
    await s.close();

    // Put it back, then soften the result of the 見直し.
    editJournal(path, (lines) => {
      lines.filter((l) => 'judgements' in l).at(-1)!.judgements.timing = '事前';
      lines.find((l) => 'reviews' in l)!.reviews.result = '変更なし';
    });
    s = await open(path);
    r = await s.verifyAudit();
    expect(r).toMatchObject({ ok: false });
    expect(r.ok === false && r.reason).toContain('見直しの記録');
  });
});
