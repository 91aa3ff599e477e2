// One server of bench/api.ts, run by plain `node` on the built code (dist/, `npm run build`): the code and
// runtime `pia serve` runs, not the sources through tsx (tsx's transform wraps every named closure in a
// `__name(...)` call, which showed in the check's profile, and its loader hooks stay in the process).
// `node bench/lib/api-server.js bare|bare-server|memory|file` prints `PORT <n> <path> <token>` when it listens,
// answers the parent's `cpu` message with its own CPU time (ms), and on SIGTERM prints what the file store
// wrote (`STORE …`) and exits. Plain JavaScript so that nothing compiles it at start.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';

const HOST = '127.0.0.1';
const SAMPLE = 'kakuu-city-juki';
const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;

/** Answers the parent's `cpu` message with this process's CPU time (ms), over the IPC channel. */
function answerCpu() {
  process.on('message', (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({ cpu: (u.user + u.system) / 1000 });
    }
  });
}

/** A bare express route that only parses the body (the same limit as the real app). */
async function serveBare(onOurServer) {
  const app = express();
  app.post('/parse', express.json({ limit: '10mb' }), (req, res) => {
    res.json({ keys: Object.keys(req.body).length });
  });
  answerCpu();
  // `bare-server`: the same route on the HTTP server `pia serve` listens with (api/http-server.ts). The
  // stock bare server loads none of the app's modules.
  const listener = onOurServer ? (await import(dist('api/index.js'))).createHttpServer(app) : app;
  const server = listener.listen(0, HOST, () => {
    process.stdout.write(`PORT ${server.address().port} /parse -\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** The real app with one assessment (the sample 全項目評価書), on the in-memory or a file store. */
async function serveReal(kind) {
  const { createApiEngine, createApp, createHttpServer } = await import(dist('api/index.js'));
  const { loadText } = await import(dist('load/index.js'));
  const { ASSESSMENTS_DIR } = await import(dist('paths.js'));
  const { createMemoryStore, openStore } = await import(dist('store/index.js'));
  const dir = mkdtempSync(join(tmpdir(), 'pia-bench-api-'));
  const file = join(dir, 'pia.json');
  const store = kind === 'memory' ? createMemoryStore() : await openStore(file);
  const actor = { actor: 'bench' };
  const org = await store.createOrganisation({ name: '架空市長', code: 'kakuu-city' }, actor);
  const a = await store.createAssessment({ orgId: org.id, title: '住民基本台帳に関する事務' }, actor);
  const yaml = readFileSync(join(ASSESSMENTS_DIR, SAMPLE, 'assessment.yaml'), 'utf8');
  await store.addVersion(a.id, loadText(yaml, { source: 'assessment.yaml' }).data, { author: 'bench' });
  const { token } = await store.createToken({ name: 'CI', role: 'ci', orgId: org.id }, actor);
  const app = createApp({
    store,
    engine: createApiEngine(),
    logger: { error: (m) => process.stderr.write(m + '\n') },
  });
  answerCpu();
  // The HTTP server `pia serve` makes (api/http-server.ts), not app.listen's.
  const server = createHttpServer(app).listen(0, HOST, () => {
    process.stdout.write(
      `PORT ${server.address().port} /api/assessments/${a.id}/versions/latest/check ${token}\n`,
    );
  });
  process.on('SIGTERM', () => {
    server.close();
    void store.close().then(() => {
      if (kind === 'file') {
        // What the durable store wrote: the index stays small; the journal holds the records.
        const journal = readFileSync(`${file}.journal.jsonl`, 'utf8');
        const lines = journal.split('\n').length - 1;
        const commits = journal.match(/^\{"commit":/gm)?.length ?? 0;
        const runs = journal.match(/^\{"checkRuns":/gm)?.length ?? 0;
        process.stdout.write(
          `STORE ${statSync(file).size} ${Buffer.byteLength(journal)} ${lines} ${commits} ${runs}\n`,
        );
      }
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

const kind = process.argv[2];
if (kind === 'memory' || kind === 'file') await serveReal(kind);
else if (kind === 'bare' || kind === 'bare-server') await serveBare(kind === 'bare-server');
else {
  process.stderr.write('usage: node bench/lib/api-server.js bare|bare-server|memory|file\n');
  process.exit(2);
}
