// XML text escaping; characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/F)
// are dropped.
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x09 ||
    cp === 0x0a ||
    cp === 0x0d ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

export function escapeXml(s: string): string {
  let clean = '';
  for (const ch of s) if (isXmlChar(ch.codePointAt(0)!)) clean += ch;
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
