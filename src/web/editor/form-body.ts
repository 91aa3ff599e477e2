// Form bodies of the editor: urlencoded (the edit form, up to the document limit: a 全項目評価書 posts a few
// hundred kilobytes of text) and multipart/form-data (the new-document form with its file). A small
// multipart reader instead of a dependency: one part per field, files kept as bytes, limits on the number of
// parts and on the whole body (readBody answers 413 beyond it).
import type { Request } from 'express';
import { readBody } from '../../api/body.ts';
import { HttpError } from '../../api/http-error.ts';

export interface UploadedFile {
  name: string;
  type: string;
  data: Uint8Array;
}

export interface FormBody {
  fields: URLSearchParams;
  files: Map<string, UploadedFile>;
}

const MAX_PARTS = 100;

function mediaTypeOf(req: Request): { type: string; boundary?: string } {
  const header = req.headers['content-type'] ?? '';
  const [type, ...params] = header.split(';');
  let boundary: string | undefined;
  for (const p of params) {
    const m = /^\s*boundary=(?:"([^"]{1,200})"|([^\s;]{1,200}))\s*$/i.exec(p);
    if (m) boundary = m[1] ?? m[2];
  }
  return { type: type.trim().toLowerCase(), ...(boundary ? { boundary } : {}) };
}

const bad = (message: string) => new HttpError(400, 'bad-request', message);

export async function readFormBody(req: Request, limit: number): Promise<FormBody> {
  const { type, boundary } = mediaTypeOf(req);
  if (type === 'application/x-www-form-urlencoded') {
    const body = await readBody(req, limit);
    return { fields: new URLSearchParams(body.toString('utf8')), files: new Map() };
  }
  if (type === 'multipart/form-data' && boundary) {
    const body = await readBody(req, limit);
    return parseMultipart(body, boundary);
  }
  throw new HttpError(415, 'unsupported-media-type', 'フォームの送信形式が不正です。');
}

export function parseMultipart(body: Buffer, boundary: string): FormBody {
  const fields = new URLSearchParams();
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw bad('フォームの内容を読めません (multipart の区切りがありません)。');
  let parts = 0;
  for (;;) {
    pos += delimiter.length;
    // `--` after a delimiter ends the body.
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw bad('フォームの内容を読めません (multipart の見出しが壊れています)。');
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) throw bad('フォームの内容を読めません (multipart が途中で終わっています)。');
    const content = body.subarray(headerEnd + 4, next);
    if (++parts > MAX_PARTS) throw bad('フォームの項目が多すぎます。');
    const disposition = /content-disposition:\s*form-data\s*;([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /(?:^|;)\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    const ctype = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? '';
    if (name !== undefined) {
      if (filename !== undefined) {
        if (filename !== '' || content.length > 0)
          files.set(name, { name: filename, type: ctype, data: new Uint8Array(content) });
      } else fields.append(name, content.toString('utf8'));
    }
    pos = next + 2;
  }
  return { fields, files };
}
