// The only errors allowed to reach a user. Everything else is a bug and is reported as InternalError
// by the drivers (cli/api) without a stack trace.

/** Bad arguments or an unusable command line: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Input that could not be read at all (missing file, directory, unreadable bytes): exit 2. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    readonly source?: string,
  ) {
    super(message);
  }
}

/** A bug or an environment failure (browser crashed, disk full). */
export class InternalError extends Error {
  override name = 'InternalError';
}

export function isUserError(e: unknown): e is UsageError | InputError {
  return e instanceof UsageError || e instanceof InputError;
}
