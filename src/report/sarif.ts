// SARIF 2.1.0 (GitHub code scanning and other viewers): one run, rules with descriptions and help, results
// with file + line, the JSON Pointer and label as a logical location, the consequence in the message and
// properties, waivers as suppressions. Checked against the official schema in test/report.
//
// What a consumer needs that a plain dump lacks:
//  - partialFingerprints: code scanning de-duplicates alerts across runs by them. They hash what identifies
//    a finding and does not move when lines are added above it: code, file, pointers (never line or message,
//    whose numbers change from run to run).
//  - repository-relative URIs on %SRCROOT%: an absolute /home/runner/… path maps to no file of the repository.
import { createHash } from 'node:crypto';
import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { PROJECT_ROOT } from '../paths.ts';
import { pick } from '../schema/lang.ts';
import type { Diagnostic, Severity } from '../types.ts';
import { consequenceName, consequenceTag, CONSEQUENCE_ORDER, CONSEQUENCES } from './consequence.ts';
import type { ReportOptions } from './options.ts';
import { sortDiagnostics } from './sort.ts';
import { piaVersion } from './version.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export const SRCROOT = '%SRCROOT%';
/** Key of our fingerprint in partialFingerprints; the version changes if what it hashes ever changes. */
export const FINGERPRINT_KEY = 'piaFinding/v1';

/** A relative file name as a URI reference (forward slashes, non-ASCII percent-encoded). */
export function toUri(source: string): string {
  return source
    .replace(/\\/g, '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/**
 * Where a source file is, as SARIF wants it: relative to %SRCROOT% when it is under `cwd` (or named
 * relative to it without leaving it), else an absolute file:// URI.
 */
export function artifactLocation(source: string, cwd: string): Sarif.ArtifactLocation {
  if (source === '') return { uri: '', uriBaseId: SRCROOT };
  const abs = isAbsolute(source) ? source : join(cwd, source);
  const rel = relative(cwd, abs);
  if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) {
    return { uri: toUri(rel.split(sep).join('/')), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(abs).href };
}

/** README anchors (GitHub's slugs of the headings) for the help of each family of codes. */
function helpAnchor(code: string): string {
  if (code.startsWith('check/')) return 'ライブ構成の照合-pia-check';
  if (code.startsWith('diff/')) return '変更箇所と重要な変更の判定-pia-diff';
  return '評価書の検証-pia-validate';
}

function pascal(code: string): string {
  return code.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase());
}

function fingerprintKey(d: Diagnostic, uri: string): string {
  const related = (d.related ?? []).map((r) => `${r.source ?? ''}#${r.path}`).sort();
  return [d.code, uri, d.path, ...related].join('\u0000');
}

export function formatSarif(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'ja';
  // The only ambient input, and only when the caller did not say: the CLI resolves inputs against it.
  const cwd = opts.cwd ?? process.cwd();
  const docsBase = opts.docsBaseUri ?? pathToFileURL(PROJECT_ROOT + '/').href;
  const sorted = sortDiagnostics(diags);
  const codes = [...new Set(sorted.map((d) => d.code))].sort();
  // Findings come most serious first, so a rule's default level is that of its most serious finding.
  const firstSeverity = new Map<string, Severity>();
  for (const d of sorted) if (!firstSeverity.has(d.code)) firstSeverity.set(d.code, d.severity);
  const consequencesHelp = CONSEQUENCE_ORDER.map(
    (c) => `${consequenceName(c, lang)}: ${pick(lang, CONSEQUENCES[c].meaning.ja, CONSEQUENCES[c].meaning.en)}`,
  );
  const rules: Sarif.ReportingDescriptor[] = codes.map((code) => {
    const desc = opts.rules?.[code];
    const text = desc ? desc[lang] : code;
    const uri = `${docsBase}README.md#${encodeURIComponent(helpAnchor(code))}`;
    const usesConsequence = code.startsWith('check/') || code.startsWith('diff/');
    const helpText = [
      text,
      ...(usesConsequence
        ? [
            pick(
              lang,
              '指摘ごとの帰結と重大度 (重大度は帰結から決まります):',
              'Each finding carries a consequence, which sets its severity:',
            ),
            ...consequencesHelp.map((l) => `- ${l}`),
          ]
        : []),
      pick(lang, `詳しくは README: ${uri}`, `See the README: ${uri}`),
    ];
    return {
      id: code,
      name: pascal(code),
      shortDescription: { text },
      fullDescription: { text: desc ? `${desc.ja} / ${desc.en}` : code },
      help: {
        text: helpText.join('\n'),
        markdown: [
          `**${text}**`,
          '',
          ...helpText.slice(1, -1),
          '',
          `[README](${uri})`,
        ].join('\n'),
      },
      helpUri: uri,
      defaultConfiguration: { level: LEVEL[firstSeverity.get(code) ?? 'error'] },
    };
  });
  const seen = new Map<string, number>();
  const results: Sarif.Result[] = sorted.map((d) => {
    const location = artifactLocation(d.source ?? '', cwd);
    const physical: Sarif.PhysicalLocation = { artifactLocation: location };
    if (d.line) physical.region = { startLine: d.line, ...(d.column ? { startColumn: d.column } : {}) };
    const tag = d.consequence ? ` ${consequenceTag(d.consequence, lang)}` : '';
    const result: Sarif.Result = {
      ruleId: d.code,
      ruleIndex: codes.indexOf(d.code),
      level: LEVEL[d.severity],
      message: { text: `${d.message}${d.label ? ` [${d.label}]` : ''}${tag}` },
      locations: [
        {
          physicalLocation: physical,
          logicalLocations: [
            { fullyQualifiedName: d.path || '/', ...(d.label ? { name: d.label } : {}), kind: 'member' },
          ],
        },
      ],
    };
    // Two findings with the same identity (one rule, two facts at one pointer) are told apart by their
    // order, which is stable because the findings are sorted.
    const key = createHash('sha256').update(fingerprintKey(d, location.uri ?? '')).digest('hex');
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    result.partialFingerprints = { [FINGERPRINT_KEY]: n === 1 ? key : `${key}:${n}` };
    if (d.related?.length) {
      result.relatedLocations = d.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: {
          artifactLocation: artifactLocation(r.source ?? d.source ?? '', cwd),
          ...(r.line ? { region: { startLine: r.line } } : {}),
        },
        logicalLocations: [{ fullyQualifiedName: r.path || '/', kind: 'member' }],
      }));
    }
    if (d.waived)
      result.suppressions = [{ kind: 'external', status: 'accepted', justification: d.waived.justification }];
    const props: Record<string, unknown> = { pointer: d.path };
    if (d.label) props.label = d.label;
    if (d.consequence) props.consequence = d.consequence;
    if (d.waived) props.waived = d.waived;
    result.properties = props;
    return result;
  });
  const usesSrcRoot = results.some(
    (r) =>
      r.locations?.[0]?.physicalLocation?.artifactLocation?.uriBaseId === SRCROOT ||
      (r.relatedLocations ?? []).some((l) => l.physicalLocation?.artifactLocation?.uriBaseId === SRCROOT),
  );
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'pia',
        version: opts.toolVersion ?? piaVersion(),
        informationUri: 'https://www.ppc.go.jp/legal/assessment/',
        rules,
      },
    },
    ...(usesSrcRoot
      ? {
          originalUriBaseIds: {
            // The working directory the inputs were named from; upload-sarif maps it to the checkout.
            [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : cwd + sep).href },
          },
        }
      : {}),
    columnKind: 'utf16CodeUnits',
    results,
  };
  const sarif: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
