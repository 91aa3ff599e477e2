// JUnit XML for CI: one <testsuite> per file, one <testcase> per finding (a failure when at or above
// failOn), and one passing testcase for a clean file so every checked file is visible.
import { pick } from '../schema/lang.ts';
import type { Diagnostic } from '../types.ts';
import type { ReportOptions } from './options.ts';
import { sortDiagnostics } from './sort.ts';
import { atLeast, groupBySource, severityName } from './summary.ts';
import { escapeXml as x } from './xml.ts';

export function formatJunit(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'ja';
  const failOn = opts.failOn ?? 'error';
  const sorted = sortDiagnostics(diags);
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  for (const [source, group] of groupBySource(sorted, opts.files)) {
    const name = source || pick(lang, '(入力)', '(input)');
    const cases: string[] = [];
    let suiteFailures = 0;
    if (group.length === 0) {
      cases.push(`    <testcase classname="${x(name)}" name="${x(pick(lang, '検証', 'validate'))}"/>`);
    }
    for (const d of group) {
      const where = d.line ? `${name}:${d.line}` : name;
      const caseName = `${d.code} ${d.label || d.path || '/'}`;
      const body = `${where} ${severityName(d.severity, lang)} ${d.code}\n${d.message}${d.label ? `\n[${d.label}]` : ''}\n${d.path}`;
      const fails = !d.waived && atLeast(d.severity, failOn);
      if (fails) {
        suiteFailures++;
        cases.push(
          `    <testcase classname="${x(name)}" name="${x(caseName)}">\n      <failure type="${d.severity}" message="${x(d.message)}">${x(body)}</failure>\n    </testcase>`,
        );
      } else {
        cases.push(
          `    <testcase classname="${x(name)}" name="${x(caseName)}">\n      <system-out>${x(body)}</system-out>\n    </testcase>`,
        );
      }
    }
    const tests = cases.length;
    total += tests;
    failures += suiteFailures;
    suites.push(
      `  <testsuite name="${x(name)}" tests="${tests}" failures="${suiteFailures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="pia" tests="${total}" failures="${failures}" errors="0">\n` +
    (suites.length ? suites.join('\n') + '\n' : '') +
    `</testsuites>\n`
  );
}
