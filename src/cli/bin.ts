// Development entry (`node --import tsx src/cli/bin.ts …`); the installed `pia` is bin/pia.js → dist/cli/main.js.
import { runCli } from './main.ts';

// `pia validate … | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2));
