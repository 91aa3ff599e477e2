// Errors the store throws on purpose. Each carries the HTTP status the API should answer with, so the
// API's one error handler maps them without knowing the store's internals. Anything else a store method
// throws is a bug (500).
import { InputError, InternalError } from '../errors.ts';

/** Base of the request-level errors (the request was wrong for the current state; nothing was written). */
export class StoreError extends Error {
  override name = 'StoreError';
  readonly httpStatus: number = 500;
}

/** 404: the organisation, assessment, version, comment, user or token does not exist (or was deleted). */
export class NotFoundError extends StoreError {
  override name = 'NotFoundError';
  override readonly httpStatus = 404;
}

/** 400: the input is malformed (unknown role, invalid JSON Pointer, empty title, document not an object). */
export class InvalidInputError extends StoreError {
  override name = 'InvalidInputError';
  override readonly httpStatus = 400;
}

/** 409: the request conflicts with the current state (duplicate 事務名, status already changed). */
export class ConflictError extends StoreError {
  override name = 'ConflictError';
  override readonly httpStatus = 409;
}

/**
 * 412: `ifMatch` was given and is not the ETag of the latest version (someone saved in between).
 * Nothing was written. `currentEtag` is the latest version's ETag (null if there is no version yet), so the
 * API can send it back and the client can fetch, merge and retry.
 */
export class PreconditionFailedError extends StoreError {
  override name = 'PreconditionFailedError';
  override readonly httpStatus = 412;
  constructor(
    message: string,
    readonly currentEtag: string | null,
  ) {
    super(message);
  }
}

/**
 * The store file is held by another process (or already open in this one). At startup: the CLI exits 2,
 * the server refuses to start. Extends InputError so drivers print the message without a stack trace.
 */
export class StoreLockedError extends InputError {
  override name = 'StoreLockedError';
  readonly httpStatus = 503;
}

/**
 * The store file (or a stored document) is not what the store wrote: not JSON, not a PIA store, or a
 * document whose hash does not match. The file is left untouched; repairing it is a human's decision.
 */
export class StoreCorruptError extends InputError {
  override name = 'StoreCorruptError';
  readonly httpStatus = 500;
}

/** 500: the disk refused a write (full, read-only, permissions). Nothing in the failed batch was acknowledged. */
export class StoreWriteError extends InternalError {
  override name = 'StoreWriteError';
  readonly httpStatus = 500;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The HTTP status for an error thrown by the store, or undefined for anything else (a bug: answer 500). */
export function httpStatusOf(e: unknown): number | undefined {
  if (
    e instanceof StoreError ||
    e instanceof StoreLockedError ||
    e instanceof StoreCorruptError ||
    e instanceof StoreWriteError
  ) {
    return e.httpStatus;
  }
  return undefined;
}
