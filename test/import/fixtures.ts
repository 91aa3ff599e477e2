// Fixture files made at test time: hand-built PDFs (image only, encrypted), Chromium PDFs (not a 評価書,
// 200 pages), Shift_JIS text, and a PDF with a page taken out of the middle (poppler's pdfseparate/pdfunite).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEEDS_DIR } from '../helpers/seeds.ts';

export const ROOT = join(import.meta.dirname, '..', '..');

/** A PDF assembled from object bodies with a correct xref table. */
export function buildPdf(objects: string[], trailerExtra = ''): Buffer {
  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A scanned page: one image, no text layer. */
export function imageOnlyPdf(): Buffer {
  const pixels = 'ff00ff00ff00ff00';
  const content = 'q 400 0 0 600 100 100 cm /Im1 Do Q';
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    `<< /Type /XObject /Subtype /Image /Width 4 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /ASCIIHexDecode /Length ${pixels.length + 1} >>\nstream\n${pixels}>\nendstream`,
  ]);
}

/** A PDF protected by a user password (standard security handler, RC4 40-bit; the keys do not match ''). */
export function encryptedPdf(): Buffer {
  const content = 'BT /F1 12 Tf 72 720 Td (secret) Tj ET';
  const hex = (n: number) => '<' + 'ab'.repeat(n) + '>';
  return buildPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      `<< /Filter /Standard /V 1 /R 2 /O ${hex(32)} /U ${hex(32)} /P -4 >>`,
    ],
    `/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] `,
  );
}

export function tempDir(prefix = 'pia-import-test-'): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `pia` in a child process (never a stale build). */
export function runPia(args: string[], cwd = ROOT): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The same PDF without page `drop` (1-based), with poppler's tools. */
export function dropPage(pdf: string, drop: number, dir: string): string {
  const parts = join(dir, 'parts');
  execFileSync('mkdir', ['-p', parts]);
  execFileSync('pdfseparate', [pdf, join(parts, 'p-%04d.pdf')]);
  const pages = readdirSync(parts).filter((f) => f.endsWith('.pdf')).sort();
  const keep = pages.filter((_, i) => i + 1 !== drop).map((f) => join(parts, f));
  const out = join(dir, 'missing-page.pdf');
  execFileSync('pdfunite', [...keep, out]);
  return out;
}

export function readSeed(n: '000' | '001'): Buffer {
  const dir = SEEDS_DIR;
  const f = readdirSync(dir).find((x) => x.startsWith(`${n}_`))!;
  return readFileSync(join(dir, f));
}

export function write(dir: string, name: string, data: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}
