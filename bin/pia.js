#!/usr/bin/env node
// Entry point of the `pia` command. The TypeScript sources are compiled to dist/ by `npm run build`
// (scripts/setup.sh runs it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('pia: ビルドされていません。先に `bash scripts/setup.sh` を実行してください。\n');
  process.exit(2);
}
// A server's V8 flags before the app's modules load (src/api/heap-tuning.ts says why it must be this early).
if (process.argv[2] === 'serve')
  (await import(new URL('../dist/api/heap-tuning.js', import.meta.url).href)).tuneServerHeap();
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv.slice(2));
