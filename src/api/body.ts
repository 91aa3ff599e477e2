// Request bodies: read with a byte limit (413 beyond it), decode strictly as UTF-8, parse JSON or YAML with
// the engine's loader so that a malformed body is answered 400 with the same Diagnostics `pia validate`
// prints (line numbers included). Nothing here trusts Content-Length alone.
import type { Request } from 'express';
import type { Json, JsonObject } from '../types.ts';
import type { Diagnostic } from '../types.ts';
import { InputError } from '../errors.ts';
import { describeControlChar, findControlChar } from '../load/limits.ts';
import type { ApiEngine, LoadedDocument } from './engine-port.ts';
import { badRequest, HttpError, payloadTooLarge, unsupportedMediaType } from './http-error.ts';

/**
 * A JSON text that may hold a C0 control character in a string (only as a \u00XX escape: JSON forbids
 * them raw). Such a body skips the JSON.parse fast paths, so the loader reports it (`load/control-char`)
 * exactly as for a file. An escaped backslash before `u00` only costs the slower path.
 */
const ESCAPED_CONTROL = /\\u00[01][0-9a-f]/i;

/** Above this size a body is parsed by the engine's off-thread loader (it decides where to parse). */
const LARGE_TEXT = 16 * 1024;

/** Loader findings that mean "the server stopped reading", not "the text is wrong": 422, not 400. */
const LIMIT_CODES = new Set(['load/timeout', 'load/resource-limit']);

/** The engine's loader, off the main thread for large texts when the engine offers it. */
async function loadBody(
  engine: ApiEngine,
  text: string,
  opts: { source: string; lang?: 'ja' | 'en' },
): Promise<LoadedDocument> {
  let loaded: LoadedDocument;
  if (engine.loadTextAsync) {
    try {
      loaded = await engine.loadTextAsync(text, opts);
    } catch (e) {
      if (e instanceof Error && e.name === 'LoadBusyError') {
        throw new HttpError(
          503,
          'busy',
          '読み込み待ちの文書が多すぎます。しばらくしてからやり直してください。',
          { headers: { 'Retry-After': '5' } },
        );
      }
      throw e;
    }
  } else loaded = engine.loadText(text, opts);
  const limit = loaded.diagnostics.find((d) => LIMIT_CODES.has(d.code));
  if (limit) {
    throw new HttpError(422, 'unprocessable', limit.message, { diagnostics: loaded.diagnostics });
  }
  return loaded;
}

/**
 * Values (mappings, sequences, scalars) a 評価書 body may hold. The largest bundled document has about
 * 1,300; validation costs time per unknown item (spelling suggestions), and 50,000 unknown keys held the
 * event loop for seconds. Snapshots (tens of thousands of accounts) are not documents and are not bound.
 */
export const MAX_DOCUMENT_NODES = 20_000;

/** Whether `value` has more than `max` values, counted without recursion and stopping at the limit. */
function exceedsNodes(value: unknown, max: number): boolean {
  const stack: unknown[] = [value];
  let n = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (++n > max) return true;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stack.push(x);
  }
  return false;
}

/**
 * A large JSON text parsed, when it is plain JSON (then the fast loader is cheap), without the YAML parser.
 * The value goes to the loader, so the text is parsed once (parsing it twice was the largest single cost
 * of a check request in the profile).
 */
function parseAsJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

export const JSON_TYPES = ['application/json'];
export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];
/** Small JSON bodies (comments, transitions, metadata). */
export const SMALL_BODY_LIMIT = 64 * 1024;

/** The media type without parameters, lower-cased; '' when absent. */
export function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The whole body, refusing more than `limit` bytes (413) before buffering it. Plain stream events rather
 * than an async iterator: a 30 KB body is one or two chunks, and the iterator's promise per chunk shows in
 * the profile of the check endpoint.
 */
export function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    // Discard the rest so the client reads our answer instead of a reset connection.
    req.resume();
    return Promise.reject(payloadTooLarge(limit));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    // Closed before 'end': the client went away mid-body.
    const onClose = () => onError(Object.assign(new Error('request aborted'), { code: 'ECONNABORTED' }));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const forbiddenSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * Whether a JSON.parse result needs the full loader: too deep, or a key the loader refuses. Recursive
 * without allocating (it runs over every snapshot a CI posts); the recursion stops at `maxDepth` (100), so
 * hostile nesting cannot overflow the stack here.
 */
function needsLoader(value: unknown, maxDepth: number, forbidden: readonly string[]): boolean {
  let set = forbiddenSets.get(forbidden);
  if (!set) forbiddenSets.set(forbidden, (set = new Set(forbidden)));
  return deepOrForbidden(value, 0, maxDepth, set);
}

function deepOrForbidden(
  v: unknown,
  depth: number,
  maxDepth: number,
  forbidden: ReadonlySet<string>,
): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (depth >= maxDepth) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object' && deepOrForbidden(x, depth + 1, maxDepth, forbidden))
        return true;
    }
    return false;
  }
  for (const k in v) {
    if (forbidden.has(k)) return true;
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object' && deepOrForbidden(x, depth + 1, maxDepth, forbidden))
      return true;
  }
  return false;
}

export interface ParseBodyOptions {
  engine: ApiEngine;
  limit: number;
  /** Name for Diagnostics (`source`). */
  source: string;
  lang?: 'ja' | 'en';
  /**
   * JSON bodies skip the YAML parser (hot path: CI snapshots); positions are then computed only if a
   * finding asks for a line. Off for documents, whose duplicate keys must be reported.
   */
  fastJson?: boolean;
  /** Most values the parsed body may hold (default: MAX_DOCUMENT_NODES for documents, none with fastJson). */
  maxNodes?: number;
  /**
   * With fastJson: the loader for this kind of body (live snapshots: ApiEngine.loadSnapshot), parsing once
   * and locating what findings cite without the YAML parser. Its plain-JSON result gets the same depth and
   * key limits as any body.
   */
  loadJson?: (text: string, parsed?: { value: unknown }) => { doc: LoadedDocument; plainJson: boolean };
}

/** A parsed JSON or YAML body as a LoadedDocument; 400 with Diagnostics when it cannot be used. */
export async function readStructuredBody(req: Request, opts: ParseBodyOptions): Promise<LoadedDocument> {
  const type = mediaType(req);
  const isJson = JSON_TYPES.includes(type) || type.endsWith('+json');
  if (type !== '' && !isJson && !YAML_TYPES.includes(type) && type !== 'text/plain') {
    throw unsupportedMediaType([...JSON_TYPES, ...YAML_TYPES]);
  }
  const bytes = await readBody(req, opts.limit);
  let text: string;
  try {
    text = opts.engine.decodeText(bytes, opts.source, opts.lang);
  } catch (e) {
    if (e instanceof InputError) throw badRequest(e.message, [inputDiagnostic(e.message, opts.source)]);
    throw e;
  }
  let loaded: LoadedDocument | undefined;
  const fastJson = opts.fastJson && !ESCAPED_CONTROL.test(text);
  // The snapshot loader falls back to the YAML parser on the calling thread for anything that is not
  // plain JSON; a large text that is not gets the off-thread loader instead.
  let parsed: { value: unknown } | undefined;
  if (
    isJson &&
    fastJson &&
    opts.loadJson &&
    (text.length < LARGE_TEXT || (parsed = parseAsJson(text)) !== undefined)
  ) {
    const { doc, plainJson } = opts.loadJson(text, parsed);
    if (!plainJson)
      loaded = doc; // the general loader's answer, with its Diagnostics
    else if (
      isPlainObject(doc.data) &&
      !needsLoader(doc.data, opts.engine.limits.maxDepth, opts.engine.limits.forbiddenKeys)
    ) {
      return doc;
    }
  } else if (isJson && fastJson) {
    let value: unknown;
    let parsed = false;
    try {
      value = JSON.parse(text);
      parsed = true;
    } catch {
      // Fall through to the loader for a positioned Diagnostic.
    }
    if (
      parsed &&
      isPlainObject(value) &&
      !needsLoader(value, opts.engine.limits.maxDepth, opts.engine.limits.forbiddenKeys)
    ) {
      let located: LoadedDocument | undefined;
      return {
        source: opts.source,
        data: value,
        diagnostics: [],
        locate: (pointer) =>
          (located ??= opts.engine.loadText(text, { source: opts.source, lang: opts.lang })).locate(pointer),
      };
    }
  }
  loaded ??= await loadBody(opts.engine, text, {
    source: opts.source,
    ...(opts.lang ? { lang: opts.lang } : {}),
  });
  const maxNodes = opts.maxNodes ?? (opts.fastJson ? undefined : MAX_DOCUMENT_NODES);
  if (loaded.data && maxNodes !== undefined && exceedsNodes(loaded.data, maxNodes)) {
    const message = `評価書の項目 (値) が多すぎます (上限 ${maxNodes.toLocaleString('en-US')} 個。実際の評価書は多くても数千個です)。不要な項目を削除してください。`;
    throw new HttpError(422, 'unprocessable', message, {
      diagnostics: [inputDiagnostic(message, opts.source)],
    });
  }
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.data || errors.length > 0) {
    throw badRequest(
      `本文を ${isJson ? 'JSON' : 'YAML/JSON'} として読めません。${(errors[0] ?? loaded.diagnostics[0])?.message ?? ''}`.trim(),
      loaded.diagnostics.length
        ? loaded.diagnostics
        : [inputDiagnostic('本文がオブジェクト (マッピング) ではありません', opts.source)],
    );
  }
  return loaded;
}

/** A small JSON object body (comments, transitions): 400 with a Diagnostic when malformed. */
export async function readJsonObject(
  req: Request,
  engine: ApiEngine,
  limit = SMALL_BODY_LIMIT,
): Promise<Record<string, Json>> {
  const type = mediaType(req);
  if (type !== 'application/json' && !type.endsWith('+json')) throw unsupportedMediaType(JSON_TYPES);
  const bytes = await readBody(req, limit);
  let text: string;
  try {
    text = engine.decodeText(bytes, 'request', 'ja');
  } catch (e) {
    if (e instanceof InputError) throw badRequest(e.message, [inputDiagnostic(e.message, 'request')]);
    throw e;
  }
  if (!ESCAPED_CONTROL.test(text)) {
    try {
      const v: unknown = JSON.parse(text);
      if (isPlainObject(v) && !needsLoader(v, engine.limits.maxDepth, engine.limits.forbiddenKeys)) return v;
    } catch {
      // The loader says where.
    }
  }
  const loaded = await loadBody(engine, text, { source: 'request' });
  if (loaded.data && isPlainObject(loaded.data) && loaded.diagnostics.length === 0) return loaded.data;
  const diags = loaded.diagnostics.length
    ? loaded.diagnostics
    : [inputDiagnostic('本文は JSON のオブジェクト ({ … }) にしてください', 'request')];
  throw badRequest(`本文を JSON として読めません。${diags[0].message}`, diags);
}

export function inputDiagnostic(message: string, source: string, path = ''): Diagnostic {
  return { code: 'api/bad-request', severity: 'error', message, path, source };
}

/** A required string field of a small JSON body. */
export function stringField(
  body: Record<string, Json>,
  key: string,
  opts: { required?: boolean; max?: number } = {},
): string | undefined {
  // Own properties only: a body is user JSON, and inherited names must read as absent.
  const v = Object.hasOwn(body, key) ? body[key] : undefined;
  if (v === undefined || v === null) {
    if (opts.required)
      throw badRequest(`${key} を指定してください。`, [
        inputDiagnostic(`${key} を指定してください`, 'request', `/${key}`),
      ]);
    return undefined;
  }
  if (typeof v !== 'string')
    throw badRequest(`${key} は文字列で指定してください。`, [
      inputDiagnostic(`${key} は文字列で指定してください`, 'request', `/${key}`),
    ]);
  if (opts.required && v.trim() === '') {
    throw badRequest(`${key} が空です。`, [inputDiagnostic(`${key} が空です`, 'request', `/${key}`)]);
  }
  const c = findControlChar(v);
  if (c !== undefined) {
    const message = `${key} に制御文字 (${describeControlChar(c)}) が含まれています。制御文字 (タブ・改行以外) は使えません。`;
    throw badRequest(message, [inputDiagnostic(message, 'request', `/${key}`)]);
  }
  if (opts.max !== undefined && v.length > opts.max) {
    throw badRequest(`${key} が長すぎます (上限 ${opts.max} 文字)。`, [
      inputDiagnostic(`${key} が長すぎます`, 'request', `/${key}`),
    ]);
  }
  return v;
}

export function booleanField(body: Record<string, Json>, key: string): boolean | undefined {
  const v = Object.hasOwn(body, key) ? body[key] : undefined;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean')
    throw badRequest(`${key} は true または false で指定してください。`, [
      inputDiagnostic(`${key} は true/false で指定してください`, 'request', `/${key}`),
    ]);
  return v;
}

export { HttpError };
