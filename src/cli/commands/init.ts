// pia init: a blank 評価書 with every item, label and 選択肢 as comments.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.ts';
import { scaffoldDocument, schemaRefFor } from '../../scaffold/scaffold-document.ts';
import type { FormId } from '../../types.ts';
import { enumOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const FORMS: readonly FormId[] = ['zenkomoku', 'juten', 'kiso'];

const HELP = `使い方: pia init --form <様式> [-o ファイル] [--org <機関ID>]

空の評価書 (YAML) を出力します。すべての項目が、様式のラベルと選択肢をコメントに付けて並びます。
1 行目の yaml-language-server の指定により、エディタで項目名と選択肢が補完されます。その参照は、
出力先がこのプロジェクトの中なら出力ファイルからの相対パス、外ならスキーマの絶対 URL (file://) です
(標準出力のときは assessments/<事務>/ に置く前提の ../../schemas/…)。

オプション:
  --form <様式>       zenkomoku (全項目評価書) / juten (重点項目評価書) / kiso (基礎項目評価書)
  -o, --output <ファイル>  書き出し先 (既定: 標準出力)。既存のファイルは上書きしません
  --org <機関ID>      organization.id に入れる識別子 (例: example-city)
  -h, --help          この説明
`;

export const initCommand: Command = {
  name: 'init',
  summary: '空の評価書 (全項目・ラベル・選択肢つき) を出力する',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { form: { type: 'string' }, output: { type: 'string', short: 'o' }, org: { type: 'string' } }, false);
    if (values.form === undefined) throw new UsageError('--form に zenkomoku / juten / kiso のいずれかを指定してください');
    const form = enumOption(values.form, 'form', FORMS, 'zenkomoku');
    const org = typeof values.org === 'string' ? values.org : undefined;
    if (org !== undefined && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(org)) throw new UsageError('--org は英小文字・数字・ハイフンで指定してください (例: example-city)');
    const out = typeof values.output === 'string' ? values.output : undefined;
    const schemaPath = schemaRefFor(form, { ...(out ? { outputFile: resolve(io.cwd, out) } : {}), cwd: io.cwd });
    const text = scaffoldDocument(form, { organizationId: org, schemaPath });
    if (!out) {
      io.stdout.write(text);
      return 0;
    }
    const abs = resolve(io.cwd, out);
    if (existsSync(abs)) throw new InputError('ファイルが既にあります。上書きしません', out);
    writeFileSync(abs, text);
    io.stdout.write(`${out} を作成しました\n`);
    return 0;
  },
};
