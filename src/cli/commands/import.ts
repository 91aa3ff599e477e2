// pia import: a published 評価書 (PDF, or the text extracted from one) → a document (YAML/JSON) in the
// project's model, with a Japanese report of what could not be read. Never invents a value.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { InputError, UsageError } from '../../errors.ts';
import { formatImportReport, importExitCode, importPublished, ImportRejected, type ImportResult } from '../../import/index.ts';
import { SCHEMAS_DIR } from '../../paths.ts';
import { getRegistry } from '../../schema/index.ts';
import type { FormId } from '../../types.ts';
import { enumOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方: pia import <ファイル…> [--form auto|kiso|juten|zenkomoku] [-o 出力.yaml | --out-dir <ディレクトリ>] [--format yaml|json]

公表済みの評価書 (PDF、または PDF から抽出したテキスト) を読み取り、このツールの形式の評価書 (YAML/JSON) を
出力します。様式 (基礎項目・重点項目・全項目) と版は表題・様式の表示から判定します。
読み取れなかった項目は空欄のまま sourceGaps に記載し、取り込みの報告 (標準エラー出力) に
項目のラベル・ページ・行と理由を示します。値を推測で補うことはありません。

オプション:
  --form <様式>            auto (既定: 表題から判定) / kiso / juten / zenkomoku
  -o, --output <ファイル>    出力先 (1 件のとき。既定: 標準出力)。既存のファイルは上書きしません
  --out-dir <ディレクトリ>   複数件の出力先。ファイル名は <入力の名前>.yaml (.json)
  --format <形式>          yaml (既定) / json
  -h, --help               この説明

終了コード:
  0  すべての項目を読み取った
  1  読み取れなかった項目・欠落したページがある (報告と sourceGaps に一覧)
  2  評価書でない・読めないファイル (画像だけの PDF、暗号化された PDF、空、UTF-8 でないテキスト) または引数の誤り
`;

const FORMS = ['auto', 'kiso', 'juten', 'zenkomoku'] as const;

function schemaRef(formKey: string, outFile: string | undefined, cwd: string): string {
  const file = getRegistry().form(formKey).id;
  if (!outFile) return `../../schemas/${file}`;
  const rel = relative(dirname(outFile), join(SCHEMAS_DIR, file)).split('\\').join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
  void cwd;
}

export function serializeImport(r: ImportResult, format: 'yaml' | 'json', outFile: string | undefined, cwd: string): string {
  const formKey = getRegistry().forms().find((f) => f.form === r.doc.form && f.formVersion === r.doc.formVersion)?.key ?? r.form;
  const ref = schemaRef(formKey, outFile, cwd);
  if (format === 'json') return JSON.stringify({ $schema: ref, ...r.doc }, null, 2) + '\n';
  const head = [`# yaml-language-server: $schema=${ref}`, `# pia import: ${r.report.source} から取り込み (${r.report.formName} ${r.report.formVersion})。未読の項目は sourceGaps を参照`];
  return `${head.join('\n')}\n${stringify(r.doc, { lineWidth: 0 })}`;
}

export const importCommand: Command = {
  name: 'import',
  summary: '公表済みの評価書 (PDF・抽出テキスト) を取り込み、評価書 (YAML/JSON) にする',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      { form: { type: 'string' }, output: { type: 'string', short: 'o' }, 'out-dir': { type: 'string' }, format: { type: 'string' } },
      true,
    );
    if (positionals.length === 0) throw new UsageError('取り込むファイルを指定してください (pia import <ファイル…>)');
    const form = enumOption(values.form, 'form', FORMS, 'auto');
    const format = enumOption(values.format, 'format', ['yaml', 'json'] as const, 'yaml');
    const output = typeof values.output === 'string' ? values.output : undefined;
    const outDir = typeof values['out-dir'] === 'string' ? values['out-dir'] : undefined;
    if (output && outDir) throw new UsageError('-o と --out-dir は同時に指定できません');
    if (positionals.length > 1 && !outDir) throw new UsageError('複数のファイルを取り込むときは --out-dir を指定してください');
    let worst = 0;
    for (const input of positionals) {
      const abs = resolve(io.cwd, input);
      let data: Uint8Array;
      try {
        const st = statSync(abs);
        if (st.isDirectory()) throw new InputError('ディレクトリです。評価書の PDF またはテキストを指定してください', input);
        if (!st.isFile()) throw new InputError('通常のファイルではありません', input);
        data = readFileSync(abs);
      } catch (e) {
        if (e instanceof InputError) throw e;
        const code = (e as NodeJS.ErrnoException).code;
        const msg = code === 'ENOENT' ? 'ファイルが見つかりません' : code === 'EACCES' ? '読み取る権限がありません' : 'ファイルを読めません';
        if (positionals.length === 1) throw new InputError(msg, input);
        io.stderr.write(`pia: ${input}: ${msg}\n`);
        worst = 2;
        continue;
      }
      let result: ImportResult;
      try {
        result = await importPublished({ data, name: input, form: form as 'auto' | FormId });
      } catch (e) {
        if (e instanceof ImportRejected || e instanceof InputError) {
          if (positionals.length === 1) throw new InputError(e.message, input);
          io.stderr.write(`pia: ${input}: ${e.message}\n`);
          worst = 2;
          continue;
        }
        throw e;
      }
      let target: string | undefined;
      if (outDir) {
        const dir = resolve(io.cwd, outDir);
        mkdirSync(dir, { recursive: true });
        target = join(dir, `${basename(input, extname(input))}.${format}`);
      } else if (output) target = resolve(io.cwd, output);
      const text = serializeImport(result, format, target, io.cwd);
      if (target) {
        if (existsSync(target)) throw new InputError('ファイルが既にあります。上書きしません', relative(io.cwd, target) || target);
        writeFileSync(target, text);
        io.stderr.write(`${relative(io.cwd, target) || target} に出力しました\n`);
      } else io.stdout.write(text);
      io.stderr.write(formatImportReport(result.report));
      worst = Math.max(worst, importExitCode(result));
    }
    return worst;
  },
};
