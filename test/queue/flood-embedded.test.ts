// Flood on the embedded setup (`startServer` as `pia serve` runs it: memory store with the samples, real
// Chromium, in-process bounded queue): every request is answered, health and JSON reads keep being answered
// while PDFs queue, requests past the bound get 503 + Retry-After, the accepted ones arrive (200 at once or
// 202 → status URL) and their text carries the document's title. No timing thresholds: the figures are
// printed for the record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/api/server.ts';
import { flood, follow, pdfText, summarise } from './helpers.ts';

let running: RunningServer;
let base: string;

beforeAll(async () => {
  running = await startServer({
    port: 0,
    pdfPages: 1,
    pdfMaxQueued: 3,
    pdfWaitMs: 3_000,
    logger: { error: () => undefined },
  });
  base = running.url.replace(/\/$/, '');
}, 60_000);

afterAll(async () => {
  await running?.close();
}, 60_000);

describe('PDF flood, embedded store (in-process queue)', () => {
  it('bounded: 503 + Retry-After past the bound, other requests answered, accepted PDFs delivered with the title', async () => {
    const token = running.adminToken!;
    const kaigo =
      running.samples!.assessments.find((a) => /介護/.test(a.title)) ?? running.samples!.assessments[0];
    const pdfPath = `/api/assessments/${kaigo.id}/versions/latest/pdf`;
    const f = flood(base, token, pdfPath, `/api/assessments/${kaigo.id}`, 16);
    const answers = await f.pdf;

    // Every PDF request got one of the three answers; nothing hung, nothing failed.
    for (const a of answers) expect([200, 202, 503]).toContain(a.status);
    const refused = answers.filter((a) => a.status === 503);
    // 1 rendering + 3 waiting are accepted (more only if a render finished while the flood arrived); the
    // rest are refused at once.
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(a.body.toString()).error.message).toMatch(/混み合っています/);
    }

    // The accepted ones all arrive, directly or through their status URL (reads keep going meanwhile).
    const accepted = answers.filter((a) => a.status !== 503);
    const pdfs = [];
    for (const a of accepted) {
      const final = a.status === 202 ? await follow(base, token, a.headers.get('location')!) : a;
      expect(final.status).toBe(200);
      expect(final.headers.get('content-type')).toBe('application/pdf');
      pdfs.push(final.body);
    }
    expect(pdfs.length).toBe(16 - refused.length);
    const result = await f.finish();
    console.log(summarise('embedded flood (16 PDF requests, 1 page, 3 waiting)', result));
    // Health and the JSON read were answered, all of them 200, while the PDFs queued and rendered.
    expect(result.reads.length).toBeGreaterThanOrEqual(2);
    for (const a of result.reads) expect(a.status).toBe(200);
    const text = pdfText(pdfs[0]).replace(/\s+/g, '');
    expect(text).toContain('介護保険に関する事務');
  }, 180_000);
});
