// Reading bytes from disk with every refusal as an InputError (exit 2): the file is never half-read.
import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../errors.ts';
import type { Lang } from '../schema/lang.ts';
import { MAX_FILE_BYTES } from './limits.ts';
import { LOAD_MESSAGES } from './messages.ts';

/** Read `path` as UTF-8 text (BOM removed). `source` is the name used in messages. */
export async function readTextFile(
  path: string,
  source: string,
  lang: Lang = 'ja',
  maxBytes = MAX_FILE_BYTES,
): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw fsError(e, source, lang);
  }
  // stat first: a directory, FIFO or /dev/zero must be refused before any read blocks or allocates.
  if (info.isDirectory()) throw new InputError(LOAD_MESSAGES.isDirectory(lang), source);
  if (!info.isFile()) throw new InputError(LOAD_MESSAGES.notRegular(lang), source);
  if (info.size > maxBytes) throw new InputError(LOAD_MESSAGES.tooLarge(info.size, maxBytes, lang), source);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw fsError(e, source, lang);
  }
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes)
    throw new InputError(LOAD_MESSAGES.tooLarge(bytes.length, maxBytes, lang), source);
  return decodeUtf8(bytes, source, lang);
}

/** Strict UTF-8 decoding; a BOM is dropped. Anything else (Shift_JIS, UTF-16) is refused with a hint. */
export function decodeUtf8(bytes: Uint8Array, source: string, lang: Lang = 'ja'): string {
  // isUtf8 (simdutf) validates, then Buffer#toString converts: about twice as fast as a fatal
  // TextDecoder on multi-megabyte snapshots, same strings.
  if (!isUtf8(bytes)) throw new InputError(LOAD_MESSAGES.notUtf8(guessEncoding(bytes, lang), lang), source);
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start).toString('utf8');
}

function guessEncoding(bytes: Uint8Array, lang: Lang): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return lang === 'en' ? 'looks like UTF-16' : 'UTF-16 のようです';
  }
  // Shift_JIS lead bytes 0x81–0x9F / 0xE0–0xFC followed by a trail byte are typical of Excel exports.
  for (let i = 0; i + 1 < Math.min(bytes.length, 4096); i++) {
    const b = bytes[i];
    if (
      ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) &&
      bytes[i + 1] >= 0x40 &&
      bytes[i + 1] <= 0xfc
    ) {
      return lang === 'en' ? 'possibly Shift_JIS' : 'Shift_JIS の可能性があります';
    }
  }
  return undefined;
}

function fsError(e: unknown, source: string, lang: Lang): InputError {
  const code = (e as NodeJS.ErrnoException)?.code ?? 'UNKNOWN';
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new InputError(LOAD_MESSAGES.notFound(lang), source);
    case 'EACCES':
    case 'EPERM':
      return new InputError(LOAD_MESSAGES.noPermission(lang), source);
    case 'EISDIR':
      return new InputError(LOAD_MESSAGES.isDirectory(lang), source);
    default:
      return new InputError(LOAD_MESSAGES.readFailed(code, lang), source);
  }
}
