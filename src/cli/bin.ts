// Development entry (`node --import tsx src/cli/bin.ts …`); the installed `pia` is bin/pia.js → dist/cli/main.js.
import { tuneServerHeap } from '../api/heap-tuning.ts';

// A server's V8 flags before the app's modules load (api/heap-tuning.ts says why it must be this early).
if (process.argv[2] === 'serve') tuneServerHeap();
const { runCli } = await import('./main.ts');

// `pia validate … | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2));
