// The PDF's document information (/Creator, /Producer). Chromium writes its own user agent as Creator
// and "Skia/PDF mNNN" as Producer; a submitted 評価書 should name the program that produced it, so both
// are replaced by the product's name and version from package.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';

let product: string | undefined;

/** 「pia-engine 0.1.0」: package.json's name and version. */
export function productName(): string {
  if (product === undefined) {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name?: string; version?: string };
    product = `${pkg.name ?? 'pia'} ${pkg.version ?? ''}`.trim();
  }
  return product;
}

/** A PDF literal string: backslash, parentheses and non-ASCII escaped so it stays one token in latin1. */
function pdfString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  // UTF-16BE with BOM, as hex: any text survives.
  const be = Buffer.from(s, 'utf16le').swap16();
  return `<FEFF${be.toString('hex').toUpperCase()}>`;
}

/**
 * Rewrites /Creator and /Producer in the Info dictionary of Chromium's output. The Info object is
 * uncompressed and the file has one classic cross-reference table, so the object is edited in place and
 * every offset behind it is moved by the change in length. Anything unexpected leaves the PDF as it was:
 * correct bytes matter more than the metadata.
 */
export function setPdfProducer(pdf: Uint8Array, name: string = productName()): Uint8Array {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const startxrefAt = text.lastIndexOf('startxref');
  const trailerAt = text.lastIndexOf('trailer');
  if (startxrefAt < 0 || trailerAt < 0) return pdf;
  const info = /\/Info (\d+) 0 R/.exec(text.slice(trailerAt, startxrefAt));
  const xrefOffset = /startxref\s+(\d+)/.exec(text.slice(startxrefAt));
  if (!info || !xrefOffset) return pdf;
  const xrefAt = Number(xrefOffset[1]);
  if (text.slice(xrefAt, xrefAt + 4) !== 'xref') return pdf; // a cross-reference stream: leave it
  const header = /^xref\r?\n(\d+) (\d+)\r?\n/.exec(text.slice(xrefAt));
  if (!header || Number(header[1]) !== 0) return pdf; // only the one-subsection table Chromium writes
  const count = Number(header[2]);
  const entriesAt = xrefAt + header[0].length;
  const entry = (n: number) => text.slice(entriesAt + n * 20, entriesAt + n * 20 + 20);
  const infoNum = Number(info[1]);
  if (infoNum >= count) return pdf;
  const objAt = Number(entry(infoNum).slice(0, 10));
  const objEnd = text.indexOf('endobj', objAt);
  if (!text.startsWith(`${infoNum} 0 obj`, objAt) || objEnd < 0) return pdf;

  const oldObj = text.slice(objAt, objEnd);
  const value = pdfString(name);
  // A literal string may contain escaped parentheses: (\\.|[^\\)])*
  const str = String.raw`(?:\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>)`;
  let newObj = oldObj;
  for (const key of ['Creator', 'Producer']) {
    const re = new RegExp(String.raw`/${key}\s*${str}`);
    newObj = re.test(newObj) ? newObj.replace(re, `/${key} ${value}`) : newObj.replace(/>>\s*$/, `\n/${key} ${value}>>\n`);
  }
  const delta = newObj.length - oldObj.length;
  if (delta === 0 && newObj === oldObj) return pdf;

  // Shift every object that starts after the Info object, and the cross-reference table itself.
  const entries: string[] = [];
  for (let n = 0; n < count; n++) {
    const e = entry(n);
    const off = Number(e.slice(0, 10));
    entries.push(e[17] === 'n' && off > objAt ? String(off + delta).padStart(10, '0') + e.slice(10) : e);
  }
  const tail = text.slice(entriesAt + count * 20, startxrefAt);
  const out =
    text.slice(0, objAt) +
    newObj +
    text.slice(objEnd, xrefAt) +
    header[0] +
    entries.join('') +
    tail +
    `startxref\n${xrefAt + delta}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
