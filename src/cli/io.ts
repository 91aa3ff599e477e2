// What a command may touch of the outside world. Tests pass string sinks; bin.ts passes the process.
export interface Writable {
  write(chunk: string): unknown;
}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** Directory relative paths are resolved against. */
  cwd: string;
  env: Record<string, string | undefined>;
}

export function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}
