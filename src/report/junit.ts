// JUnit XML for CI (GitLab, Jenkins): one <testsuite> per file, one <testcase> per finding, one passing
// testcase for a clean file so every checked file is visible. Checked with a real JUnit parser in test/report.
//
// The CI's verdict and the exit code agree: a finding at or above --fail-on is a <failure>; a waived finding
// is <skipped> with the justification (it is known and accepted, not passed); a finding below --fail-on is a
// passing testcase whose name begins with its severity (「警告: …」), so it is visible without failing the
// pipeline that asked not to fail on it. Every finding names its consequence (〈重要な変更〉…) in the failure
// message and as a property. Test names are unique within a suite (a second finding of one rule at one item
// gets 「#2」). time is 0: findings are not timed; timestamp is the caller's (pia check: the snapshot's asOf).
import { pick } from '../schema/lang.ts';
import type { Diagnostic } from '../types.ts';
import { consequenceTag } from './consequence.ts';
import type { ReportOptions } from './options.ts';
import { sortDiagnostics } from './sort.ts';
import { atLeast, groupBySource, severityName } from './summary.ts';
import { escapeXml as x } from './xml.ts';

export function formatJunit(diags: readonly Diagnostic[], opts: ReportOptions = {}): string {
  const lang = opts.lang ?? 'ja';
  const failOn = opts.failOn ?? 'error';
  const stamp = opts.timestamp ? ` timestamp="${x(opts.timestamp)}"` : '';
  const sorted = sortDiagnostics(diags);
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let skipped = 0;
  for (const [source, group] of groupBySource(sorted, opts.files)) {
    const name = source || pick(lang, '(入力)', '(input)');
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    const names = new Map<string, number>();
    if (group.length === 0) {
      cases.push(
        `    <testcase classname="${x(name)}" name="${x(pick(lang, '検証', 'validate'))}" time="0"/>`,
      );
    }
    for (const d of group) {
      const where = d.line ? `${name}:${d.line}` : name;
      const tag = d.consequence ? ` ${consequenceTag(d.consequence, lang)}` : '';
      const fails = !d.waived && atLeast(d.severity, failOn);
      const marked = !d.waived && !fails ? `${severityName(d.severity, lang)}: ` : '';
      const base = `${marked}${d.code} ${d.label || d.path || '/'}`;
      const n = (names.get(base) ?? 0) + 1;
      names.set(base, n);
      const caseName = n === 1 ? base : `${base} #${n}`;
      const body = `${where} ${severityName(d.severity, lang)} ${d.code}${tag}\n${d.message}${d.label ? `\n[${d.label}]` : ''}\n${d.path}`;
      const props = [
        `<property name="severity" value="${d.severity}"/>`,
        ...(d.consequence ? [`<property name="consequence" value="${x(d.consequence)}"/>`] : []),
        `<property name="pointer" value="${x(d.path)}"/>`,
      ];
      const open = `    <testcase classname="${x(name)}" name="${x(caseName)}" time="0">\n      <properties>${props.join('')}</properties>\n`;
      if (d.waived) {
        suiteSkipped++;
        const why = pick(
          lang,
          `免除: ${d.waived.justification} (承認: ${d.waived.approver}、期限: ${d.waived.expires})`,
          `waived: ${d.waived.justification} (approver: ${d.waived.approver}, expires ${d.waived.expires})`,
        );
        cases.push(
          `${open}      <skipped message="${x(why)}"/>\n      <system-out>${x(body)}</system-out>\n    </testcase>`,
        );
      } else if (fails) {
        suiteFailures++;
        cases.push(
          `${open}      <failure type="${d.severity}" message="${x(d.message + tag)}">${x(body)}</failure>\n    </testcase>`,
        );
      } else {
        cases.push(`${open}      <system-out>${x(body)}</system-out>\n    </testcase>`);
      }
    }
    const tests = cases.length;
    total += tests;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${x(name)}" tests="${tests}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" time="0"${stamp}>\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="pia" tests="${total}" failures="${failures}" errors="0" skipped="${skipped}" time="0"${stamp}>\n` +
    (suites.length ? suites.join('\n') + '\n' : '') +
    `</testsuites>\n`
  );
}
