// Inspecting real PDFs with poppler (pdftotext, pdffonts, pdfinfo) and a small reader for the outline.
// Poppler has no outline dump, so the outline is read from the PDF objects: Chromium (Skia) writes the
// catalog and outline items as plain, uncompressed dictionaries.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(pdf: Uint8Array, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pia-pdf-test-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, pdf);
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Uint8Array): string {
  return withFile(pdf, (p) => execFileSync('pdftotext', ['-enc', 'UTF-8', p, '-'], { encoding: 'utf8' }));
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
}

export function pdfFonts(pdf: Uint8Array): PdfFont[] {
  const out = withFile(pdf, (p) => execFileSync('pdffonts', [p], { encoding: 'utf8' }));
  // Columns: name, type (may contain spaces), encoding, emb, sub, uni, object, ID.
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((line) => {
      const m = /^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/.exec(line);
      if (!m) throw new Error(`unexpected pdffonts line: ${line}`);
      return { name: m[1], type: m[2], embedded: m[4] === 'yes' };
    });
}

export function pdfInfo(pdf: Uint8Array): Record<string, string> {
  const out = withFile(pdf, (p) => execFileSync('pdfinfo', ['-enc', 'UTF-8', p], { encoding: 'utf8' }));
  const info: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) info[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return info;
}

export interface OutlineItem {
  title: string;
  children: OutlineItem[];
}

/** The bookmark tree, read by following /Outlines → /First → /Next. */
export function pdfOutline(pdf: Uint8Array): OutlineItem[] {
  const text = Buffer.from(pdf).toString('latin1');
  const objects = new Map<number, string>();
  for (const m of text.matchAll(/(\d+) 0 obj\s*(<<[\s\S]*?>>)\s*endobj/g)) objects.set(Number(m[1]), m[2]);
  const ref = (dict: string, key: string): number | undefined => {
    const m = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
    return m ? Number(m[1]) : undefined;
  };
  const catalog = [...objects.values()].find((d) => /\/Type \/Catalog/.test(d));
  const root = catalog === undefined ? undefined : ref(catalog, 'Outlines');
  if (root === undefined) return [];
  const walk = (first: number | undefined): OutlineItem[] => {
    const items: OutlineItem[] = [];
    const seen = new Set<number>();
    for (let id = first; id !== undefined && !seen.has(id);) {
      seen.add(id);
      const dict = objects.get(id) ?? '';
      items.push({ title: decodePdfString(dict), children: walk(ref(dict, 'First')) });
      id = ref(dict, 'Next');
    }
    return items;
  };
  return walk(ref(objects.get(root) ?? '', 'First'));
}

function decodePdfString(dict: string): string {
  const hex = /\/Title <([0-9A-Fa-f]*)>/.exec(dict);
  if (hex) {
    const bytes = Buffer.from(hex[1], 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
    return bytes.toString('latin1');
  }
  const lit = /\/Title \(((?:\\.|[^\\)])*)\)/.exec(dict);
  return lit ? lit[1].replace(/\\(.)/g, '$1') : '';
}

/** Processes of a process group that are still running (zombies waiting for PID 1 do not count). */
export function liveProcessesInGroup(pgid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, group, stat]) => pid && Number(group) === pgid && !stat.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

/** True while the process exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false;
  }
}
