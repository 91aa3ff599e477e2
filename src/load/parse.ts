// YAML/JSON text → plain JSON value + a map from JSON Pointer to source position.
//
// We do not use the yaml library's toJS(): we convert the AST ourselves so that (1) every node's pointer is
// recorded with its offset while we walk (line numbers for every Diagnostic), (2) hostile input is bounded
// (depth, alias expansion, cycles) with our own Japanese findings instead of exceptions, and (3) objects are
// built safely: `__proto__`/`constructor`/`prototype` keys are reported and dropped, never assigned.
// JSON is parsed by the same YAML 1.2 parser (JSON is a subset), so both get the same positions.
import {
  Composer,
  type Alias,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  type CST,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import { appendPointer } from '../pointer.ts';
import type { Diagnostic, Json, JsonObject } from '../types.ts';
import type { Lang } from '../schema/lang.ts';
import {
  describeControlChar,
  findControlChar,
  FORBIDDEN_KEYS,
  MAX_ALIAS_CHARS,
  MAX_ALIAS_NODES,
  MAX_DEPTH,
} from './limits.ts';
import { describeJsonType, describeYamlError, LOAD_MESSAGES } from './messages.ts';

export interface SourcePosition {
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
}

export interface ParsedText {
  /** The document's value; undefined when the text could not be parsed into a usable document. */
  data: Json | undefined;
  /** Findings of the loader (syntax, duplicate keys, limits…), with code/severity/line already set. */
  diagnostics: Diagnostic[];
  /** Position of the node at `pointer`, or of its nearest ancestor that has one. */
  locate(pointer: string): SourcePosition | undefined;
}

export interface ParseOptions {
  source?: string;
  lang?: Lang;
}

class LoadAbort extends Error {
  constructor(
    readonly kind: 'too-deep' | 'alias-limit' | 'alias-size' | 'alias-cycle',
    readonly offset: number | undefined,
  ) {
    super(kind);
  }
}

/** Control-character findings listed per document; the rest are counted in one more finding. */
const MAX_CONTROL_FINDINGS = 20;

type Ctx = {
  /** The anchored node each alias refers to, found in one pass (see resolveAliases). */
  aliasTargets: Map<Alias, Node | undefined>;
  lang: Lang;
  source: string | undefined;
  offsets: Map<string, number>;
  diagnostics: Diagnostic[];
  lineCounter: LineCounter;
  aliasNodes: number;
  /** Characters of strings and keys created by alias expansion so far (MAX_ALIAS_CHARS). */
  aliasChars: number;
  /** Strings with control characters seen so far (MAX_CONTROL_FINDINGS). */
  controlChars: number;
  /** Anchored nodes being expanded right now (cycle detection). */
  expanding: Set<Node>;
};

export function parseText(text: string, opts: ParseOptions = {}): ParsedText {
  return fromRawParse(parseRaw(text, opts));
}

/**
 * What parseText computes, as plain data that a worker thread can post back (structured clone): the value,
 * the findings, the offset of every pointer and where each line starts.
 */
export interface RawParse {
  data: Json | undefined;
  diagnostics: Diagnostic[];
  offsets: Map<string, number>;
  lineStarts: number[];
}

/** A ParsedText (with locate) from a RawParse, possibly computed in another thread. */
export function fromRawParse(raw: RawParse): ParsedText {
  const lineCounter = new LineCounter();
  // linePos only reads lineStarts; sharing the array avoids a copy of a large file's line table.
  lineCounter.lineStarts = raw.lineStarts;
  const offsets = raw.offsets;
  return {
    data: raw.data,
    diagnostics: raw.diagnostics,
    locate: (pointer: string): SourcePosition | undefined => locateIn(offsets, lineCounter, pointer),
  };
}

export function parseRaw(text: string, opts: ParseOptions = {}): RawParse {
  const lang = opts.lang ?? 'ja';
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const offsets = new Map<string, number>();
  const mk = (
    code: string,
    severity: Diagnostic['severity'],
    message: string,
    path: string,
    offset?: number,
  ): Diagnostic =>
    withPosition(
      { code, severity, message, path, ...(opts.source !== undefined ? { source: opts.source } : {}) },
      lineCounter,
      offset,
    );

  // Tokenize first (the CST parser is iterative), measure the nesting depth without recursion, and only
  // then compose the AST: the composer recurses per level, and a stack overflow deep inside V8 (e.g. while
  // compiling a RegExp) is a fatal process abort that no try/catch can intercept.
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const deep = findTooDeep(tokens, MAX_DEPTH);
  if (deep !== undefined) {
    diagnostics.push(mk('load/too-deep', 'error', LOAD_MESSAGES.tooDeep(MAX_DEPTH, lang), '', deep));
    return { data: undefined, diagnostics, offsets, lineStarts: lineCounter.lineStarts };
  }
  const composer = new Composer({
    // Warnings go to doc.warnings, never to the console of a CLI user or server.
    logLevel: 'silent',
    // YAML 1.1 extras (!!binary, !!timestamp, !!set…) would yield non-JSON values.
    resolveKnownTags: false,
    // We detect duplicates ourselves, with the pointer of the repeated key.
    uniqueKeys: false,
  });
  let doc: Document | undefined;
  for (const d of composer.compose(tokens, true, text.length)) {
    if (!doc) doc = d as Document;
    else {
      diagnostics.push(
        mk(
          'load/syntax',
          'error',
          LOAD_MESSAGES.syntax(
            describeYamlError('MULTIPLE_DOCS', '', lang),
            lineOf(lineCounter, d.range[0]),
            lang,
          ),
          '',
          d.range[0],
        ),
      );
      return { data: undefined, diagnostics, offsets, lineStarts: lineCounter.lineStarts };
    }
  }
  if (!doc) {
    diagnostics.push(mk('load/empty', 'error', LOAD_MESSAGES.empty(lang), ''));
    return { data: undefined, diagnostics, offsets, lineStarts: lineCounter.lineStarts };
  }

  for (const err of doc.errors) diagnostics.push(yamlErrorToDiagnostic(lineCounter, err, 'error', mk, lang));
  if (doc.errors.length > 0)
    return { data: undefined, diagnostics, offsets, lineStarts: lineCounter.lineStarts };
  for (const w of doc.warnings) diagnostics.push(yamlErrorToDiagnostic(lineCounter, w, 'warning', mk, lang));

  if (doc.contents === null) {
    diagnostics.push(mk('load/empty', 'error', LOAD_MESSAGES.empty(lang), ''));
    return { data: undefined, diagnostics, offsets, lineStarts: lineCounter.lineStarts };
  }

  const ctx: Ctx = {
    aliasTargets: resolveAliases(doc.contents as Node),
    lang,
    source: opts.source,
    offsets,
    diagnostics,
    lineCounter,
    aliasNodes: 0,
    aliasChars: 0,
    controlChars: 0,
    expanding: new Set(),
  };
  const rootOffset = nodeOffset(doc.contents as Node);
  if (rootOffset !== undefined) offsets.set('', rootOffset);
  let data: Json;
  try {
    data = convert(ctx, doc.contents as Node, '', 0, false);
  } catch (e) {
    if (e instanceof LoadAbort) {
      const message =
        e.kind === 'too-deep'
          ? LOAD_MESSAGES.tooDeep(MAX_DEPTH, lang)
          : e.kind === 'alias-limit'
            ? LOAD_MESSAGES.aliasLimit(MAX_ALIAS_NODES, lang)
            : e.kind === 'alias-size'
              ? LOAD_MESSAGES.aliasSize(MAX_ALIAS_CHARS, lang)
              : LOAD_MESSAGES.aliasCycle(lang);
      // One code for both alias budgets (count and size): users and CI filters see one kind of problem.
      const code = e.kind === 'alias-size' ? 'load/alias-limit' : `load/${e.kind}`;
      diagnostics.push(mk(code, 'error', message, '', e.offset));
      return { data: undefined, diagnostics, offsets, lineStarts: lineCounter.lineStarts };
    }
    if (e instanceof RangeError) {
      diagnostics.push(mk('load/too-deep', 'error', LOAD_MESSAGES.tooDeep(MAX_DEPTH, lang), ''));
      return { data: undefined, diagnostics, offsets, lineStarts: lineCounter.lineStarts };
    }
    throw e;
  }

  if (ctx.controlChars > MAX_CONTROL_FINDINGS) {
    diagnostics.push(
      mk(
        'load/control-char',
        'error',
        LOAD_MESSAGES.controlCharMore(ctx.controlChars - MAX_CONTROL_FINDINGS, lang),
        '',
      ),
    );
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    diagnostics.push(
      mk(
        'load/not-mapping',
        'error',
        LOAD_MESSAGES.notMapping(describeJsonType(data, lang), lang),
        '',
        rootOffset,
      ),
    );
    return { data: undefined, diagnostics, offsets, lineStarts: lineCounter.lineStarts };
  }
  return { data, diagnostics, offsets, lineStarts: lineCounter.lineStarts };
}

function yamlErrorToDiagnostic(
  lc: LineCounter,
  err: YAMLError,
  severity: Diagnostic['severity'],
  mk: (
    code: string,
    severity: Diagnostic['severity'],
    message: string,
    path: string,
    offset?: number,
  ) => Diagnostic,
  lang: Lang,
): Diagnostic {
  const offset = err.pos?.[0];
  // yaml reports a stack overflow in its composer as RESOURCE_EXHAUSTION with the RangeError text.
  if (err.code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(err.message)) {
    return mk('load/too-deep', 'error', LOAD_MESSAGES.tooDeep(MAX_DEPTH, lang), '', offset);
  }
  const detail = describeYamlError(err.code, err.message.split('\n')[0], lang);
  const line = offset !== undefined ? lineOf(lc, offset) : undefined;
  const message =
    severity === 'error'
      ? LOAD_MESSAGES.syntax(detail, line, lang)
      : LOAD_MESSAGES.warning(detail, line, lang);
  return mk(severity === 'error' ? 'load/syntax' : 'load/yaml-warning', severity, message, '', offset);
}

function lineOf(lc: LineCounter, offset: number): number | undefined {
  return lc.linePos(offset).line || undefined;
}

/** Offset of the first collection nested deeper than `max`, found without recursion. */
function findTooDeep(tokens: CST.Token[], max: number): number | undefined {
  const stack: [CST.Token, number][] = [];
  for (const t of tokens) if (t.type === 'document' && t.value) stack.push([t.value, 0]);
  while (stack.length > 0) {
    const [tok, depth] = stack.pop()!;
    if (tok.type !== 'block-map' && tok.type !== 'block-seq' && tok.type !== 'flow-collection') continue;
    if (depth + 1 > max) return tok.offset;
    for (const item of tok.items) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

function withPosition(d: Diagnostic, lc: LineCounter, offset: number | undefined): Diagnostic {
  if (offset === undefined) return d;
  const pos = lc.linePos(offset);
  if (pos.line > 0) {
    d.line = pos.line;
    d.column = pos.col;
  }
  return d;
}

function locateIn(
  offsets: Map<string, number>,
  lc: LineCounter,
  pointer: string,
): SourcePosition | undefined {
  let p = pointer;
  for (;;) {
    const off = offsets.get(p);
    if (off !== undefined) {
      const pos = lc.linePos(off);
      return pos.line > 0 ? { line: pos.line, column: pos.col } : undefined;
    }
    if (p === '') return undefined;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function nodeOffset(node: Node | null | undefined): number | undefined {
  return node?.range?.[0];
}

function convert(ctx: Ctx, node: Node | null, pointer: string, depth: number, inAlias: boolean): Json {
  if (depth > MAX_DEPTH) throw new LoadAbort('too-deep', nodeOffset(node));
  if (inAlias && ++ctx.aliasNodes > MAX_ALIAS_NODES) throw new LoadAbort('alias-limit', undefined);
  if (node === null || node === undefined) return null;

  if (isAlias(node)) {
    const target = ctx.aliasTargets.get(node);
    if (!target) return null; // the parser already reported the unknown anchor
    if (ctx.expanding.has(target)) throw new LoadAbort('alias-cycle', nodeOffset(node));
    ctx.expanding.add(target);
    try {
      return convert(ctx, target, pointer, depth, true);
    } finally {
      ctx.expanding.delete(target);
    }
  }

  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') {
      checkText(ctx, v, 'value', pointer, node, inAlias);
      return v;
    }
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    const src = typeof node.source === 'string' ? node.source : String(v);
    checkText(ctx, src, 'value', pointer, node, inAlias);
    ctx.diagnostics.push(
      withPosition(
        {
          code: 'load/non-json-value',
          severity: 'warning',
          message: LOAD_MESSAGES.nonJsonValue(src, ctx.lang),
          path: pointer,
          ...(ctx.source !== undefined ? { source: ctx.source } : {}),
        },
        ctx.lineCounter,
        inAlias ? undefined : nodeOffset(node),
      ),
    );
    return src;
  }

  if (isMap(node)) {
    // An anchored map that is also being expanded via an alias of itself is caught above; a map that
    // contains an alias to itself reaches here first, so register it.
    const selfAnchored = !!node.anchor && !ctx.expanding.has(node);
    if (selfAnchored) ctx.expanding.add(node);
    try {
      const obj: JsonObject = {};
      const seen = new Map<string, number | undefined>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        let key: string;
        if (keyNode === null || keyNode === undefined) key = '';
        else if (isScalar(keyNode)) key = keyNode.value === null ? '' : String(keyNode.value);
        else if (isAlias(keyNode)) {
          const t = ctx.aliasTargets.get(keyNode);
          if (t && isScalar(t)) key = t.value === null ? '' : String(t.value);
          else {
            pushAt(
              ctx,
              'load/complex-key',
              'error',
              LOAD_MESSAGES.complexKey(ctx.lang),
              pointer,
              nodeOffset(keyNode),
              inAlias,
            );
            continue;
          }
        } else {
          pushAt(
            ctx,
            'load/complex-key',
            'error',
            LOAD_MESSAGES.complexKey(ctx.lang),
            pointer,
            nodeOffset(keyNode),
            inAlias,
          );
          continue;
        }
        const childPointer = appendPointer(pointer, key);
        const keyOffset = nodeOffset(keyNode) ?? nodeOffset(pair.value as Node);
        // A key's finding points at its parent: the pointer would carry the invisible character itself.
        checkText(ctx, key, 'key', pointer, keyNode, inAlias || isAlias(keyNode));
        if (FORBIDDEN_KEYS.includes(key)) {
          pushAt(
            ctx,
            'load/forbidden-key',
            'error',
            LOAD_MESSAGES.forbiddenKey(key, ctx.lang),
            childPointer,
            keyOffset,
            inAlias,
          );
          continue;
        }
        if (seen.has(key)) {
          const first = seen.get(key);
          const firstLine =
            first !== undefined ? ctx.lineCounter.linePos(first).line || undefined : undefined;
          pushAt(
            ctx,
            'load/duplicate-key',
            'error',
            LOAD_MESSAGES.duplicateKey(key, firstLine, ctx.lang),
            childPointer,
            keyOffset,
            inAlias,
          );
        }
        seen.set(key, keyOffset);
        if (!inAlias && keyOffset !== undefined) ctx.offsets.set(childPointer, keyOffset);
        // Plain assignment is safe: the three keys that could reach prototype machinery were dropped above.
        obj[key] = convert(ctx, pair.value as Node | null, childPointer, depth + 1, inAlias);
      }
      return obj;
    } finally {
      if (selfAnchored) ctx.expanding.delete(node);
    }
  }

  if (isSeq(node)) {
    const selfAnchored = !!node.anchor && !ctx.expanding.has(node);
    if (selfAnchored) ctx.expanding.add(node);
    try {
      const arr: Json[] = [];
      node.items.forEach((item, i) => {
        const childPointer = appendPointer(pointer, i);
        const off = nodeOffset(item as Node);
        if (!inAlias && off !== undefined) ctx.offsets.set(childPointer, off);
        arr.push(convert(ctx, item as Node | null, childPointer, depth + 1, inAlias));
      });
      return arr;
    } finally {
      if (selfAnchored) ctx.expanding.delete(node);
    }
  }
  return null;
}

/**
 * Every alias's target in one pre-order walk: an alias refers to the closest preceding node with its anchor
 * (YAML 1.2 §3.2.2.2, anchors may be redefined), and pre-order is document order. The yaml library's
 * Alias#resolve walks the document once per alias, which made 9,999 aliases in a 30 KB file cost seconds.
 * Iterative: the composer's depth was bounded before (findTooDeep), but a walk needs no stack of its own.
 */
function resolveAliases(root: Node): Map<Alias, Node | undefined> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      targets.set(node, anchors.get(node.source));
      continue;
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    // The anchor is set before the node's children are visited: an alias inside it refers to the node
    // itself, which convert() reports as a cycle.
    if (node.anchor) anchors.set(node.anchor, node);
    if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        stack.push(node.items[i].value, node.items[i].key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return targets;
}

/**
 * Per string (value or key): the alias size budget, and control characters. Control characters are
 * reported where they are written, not again at every alias that repeats them.
 */
function checkText(
  ctx: Ctx,
  s: string,
  what: 'key' | 'value',
  pointer: string,
  node: Node | null,
  inAlias: boolean,
): void {
  if (inAlias) {
    ctx.aliasChars += s.length;
    if (ctx.aliasChars > MAX_ALIAS_CHARS) throw new LoadAbort('alias-size', undefined);
    return;
  }
  const c = findControlChar(s);
  if (c === undefined) return;
  if (++ctx.controlChars > MAX_CONTROL_FINDINGS) return;
  pushAt(
    ctx,
    'load/control-char',
    'error',
    LOAD_MESSAGES.controlChar(what, describeControlChar(c), ctx.lang),
    pointer,
    nodeOffset(node),
    false,
  );
}

function pushAt(
  ctx: Ctx,
  code: string,
  severity: Diagnostic['severity'],
  message: string,
  pointer: string,
  offset: number | undefined,
  inAlias: boolean,
): void {
  ctx.diagnostics.push(
    withPosition(
      { code, severity, message, path: pointer, ...(ctx.source !== undefined ? { source: ctx.source } : {}) },
      ctx.lineCounter,
      inAlias ? undefined : offset,
    ),
  );
}
