// pia validate <files|dirs…>: schema, 未記載, consistency and しきい値判断 of each assessment.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.ts';
import { describeRules, validateFile } from '../../engine.ts';
import { atLeast, formatDiagnostics, REPORT_FORMATS } from '../../report/index.ts';
import { LANGS } from '../../schema/lang.ts';
import type { Diagnostic, Severity } from '../../types.ts';
import { enumOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

/** File names a directory argument is searched for, directly and one level down. */
export const DOCUMENT_NAMES = ['assessment.yaml', 'assessment.yml', 'assessment.json'];

const HELP = `使い方: pia validate <ファイルまたはディレクトリ…> [オプション]

評価書 (YAML または JSON) を検証します: 様式 (スキーマ) との照合、未記載の項目、項目間の整合性
(委託しない ⇒ 委託事項なし、件数の一致、ファイル名の一致など)、しきい値判断結果。

ディレクトリを指定すると、その直下と 1 階層下の ${DOCUMENT_NAMES.join(' / ')} を検証します
(例: pia validate assessments)。

オプション:
  --format <形式>     text (既定) / json / junit / sarif / markdown
  --lang <言語>       ja (既定) / en — メッセージの言語
  --fail-on <重大度>  error (既定) / warning / info — 終了コード 1 にする重大度の下限
  -h, --help          この説明

未記載 (completeness/missing) は、状態 (status) が 素案・案 なら警告、提出・公表ならエラーです。

終了コード:
  0  指摘なし (--fail-on 未満の指摘のみ)
  1  --fail-on 以上の指摘あり (スキーマ違反・構文エラーを含む)
  2  ファイルを読めない (存在しない・ディレクトリ・大きすぎる・UTF-8 でない) または引数の誤り
`;

/** Directories become the assessment files inside them; other arguments are kept as given. */
export function expandInputs(args: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const arg of args) {
    let isDir = false;
    try {
      isDir = statSync(resolve(cwd, arg)).isDirectory();
    } catch {
      // Missing files are reported by the loader, per file.
    }
    if (!isDir) {
      out.push(arg);
      continue;
    }
    const found: string[] = [];
    const abs = resolve(cwd, arg);
    for (const n of DOCUMENT_NAMES) if (isFile(join(abs, n))) found.push(join(arg, n));
    let entries: string[] = [];
    try {
      entries = readdirSync(abs).sort();
    } catch {
      throw new InputError('ディレクトリを読めません', arg);
    }
    for (const e of entries) {
      if (e.startsWith('.')) continue;
      for (const n of DOCUMENT_NAMES) if (isFile(join(abs, e, n))) found.push(join(arg, e, n));
    }
    if (found.length === 0)
      throw new InputError(`ディレクトリに評価書 (${DOCUMENT_NAMES.join(' / ')}) が見つかりません`, arg);
    out.push(...found);
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export const validateCommand: Command = {
  name: 'validate',
  summary: '評価書 (YAML/JSON) を様式・記載ルールに照らして検証する',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      { format: { type: 'string' }, lang: { type: 'string' }, 'fail-on': { type: 'string' } },
      true,
    );
    const format = enumOption(values.format, 'format', REPORT_FORMATS, 'text');
    const lang = enumOption(values.lang, 'lang', LANGS, 'ja');
    const failOn = enumOption<Severity>(values['fail-on'], 'fail-on', ['error', 'warning', 'info'], 'error');
    if (positionals.length === 0)
      throw new UsageError(
        '検証するファイルを指定してください (例: pia validate assessments/foo/assessment.yaml)',
      );

    const files = expandInputs(positionals, io.cwd);
    const diagnostics: Diagnostic[] = [];
    const readable: string[] = [];
    let unreadable = false;
    for (const file of files) {
      try {
        const r = await validateFile(file, { cwd: io.cwd, lang });
        readable.push(file);
        diagnostics.push(...r.diagnostics);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        unreadable = true;
        io.stderr.write(`pia: ${e.source ?? file}: ${e.message}\n`);
      }
    }
    if (readable.length > 0 || format !== 'text') {
      io.stdout.write(
        // cwd: SARIF URIs are relative to the directory the files were named from (io.cwd, not the process's).
        formatDiagnostics(format, diagnostics, {
          lang,
          files: readable,
          failOn,
          rules: describeRules(),
          cwd: io.cwd,
        }),
      );
    }
    if (unreadable) return 2;
    return diagnostics.some((d) => !d.waived && atLeast(d.severity, failOn)) ? 1 : 0;
  },
};
