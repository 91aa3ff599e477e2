import type { CliIo } from './io.ts';

/** One `pia <name>` command. `run` returns the exit code; it throws UsageError/InputError for exit 2. */
export interface Command {
  name: string;
  /** One line for `pia --help`. */
  summary: string;
  /** Full `pia <name> --help` text (Japanese). */
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}
