// RFC 6901 JSON Pointers. The only place pointers are built or parsed.

export function escapeToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function buildPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + escapeToken(t)).join('');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON Pointer は / で始まる必要があります: ${pointer}`);
  return pointer.slice(1).split('/').map(unescapeToken);
}

export function appendPointer(base: string, ...tokens: (string | number)[]): string {
  return base + buildPointer(tokens);
}

/**
 * Value at `pointer`, or undefined. Own properties only, so `__proto__` never walks the prototype.
 * Hot path (consistency rules read dozens of pointers per validation): no regex unless a token is escaped.
 */
export function getAtPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  let cur: unknown = doc;
  let start = 1;
  while (start <= pointer.length) {
    let end = pointer.indexOf('/', start);
    if (end < 0) end = pointer.length;
    let t = pointer.slice(start, end);
    if (t.includes('~')) t = unescapeToken(t);
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(t)) return undefined;
      cur = cur[Number(t)];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
      cur = (cur as Record<string, unknown>)[t];
    }
    start = end + 1;
  }
  return cur;
}

export function isPrefixPointer(prefix: string, pointer: string): boolean {
  return pointer === prefix || pointer.startsWith(prefix + '/');
}
