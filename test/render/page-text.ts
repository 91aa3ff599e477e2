// Rows now flow across pages, so a long cell can be cut by a page break; pdftotext -raw then prints that
// page's running header (評価書名) and footer (「5 / 36」) in the middle of the cell's text. They are not
// part of any item: drop them before comparing values.
export function dropRunningHeads(raw: string): string {
  const lines = raw.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*\d+ \/ \d+\s*$/.test(lines[i])) {
      // The header line comes right before the footer in reading order.
      if (out.length) out.pop();
      continue;
    }
    out.push(lines[i]);
  }
  return out.join('\n');
}
