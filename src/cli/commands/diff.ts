// pia diff <old> <new>: the 変更箇所 of a revision, classified (重要な変更 or not), with its consequences;
// --apply writes the rows into the new version's changeLog.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.ts';
import { loadDocument, type LoadedDocument } from '../../load/index.ts';
import { LANGS, pick, type Lang } from '../../schema/lang.ts';
import {
  buildChangeLog,
  FORMATS,
  formatChangeLog,
  formatFindings,
  formOfPair,
  loadAnnotations,
  toChangeRow,
  writeChangeLog,
  type Annotations,
} from '../../diff/index.ts';
import { enumOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方: pia diff <変更前> <変更後> [オプション]

2つの版の評価書 (同じ様式・同じ版) を比べて、(別添) 変更箇所の表を作ります。行は様式の項目の順で、
項目は様式の文言のラベル、変更前/変更後の記載は様式の印字どおり (選択肢は [ ]、チェックボックスは
[○]/[ ]、長い記載は「略」「略 以下追記。」) です。各行を分類します:
  ※の項目の変更                     → 重要な変更による評価の再実施 (事前)
  ※の項目で例外と記録したもの        → 重要な変更にあたらない（例外の種類） (事前/事後)
  それ以外 (基礎項目評価書はすべて)   → その他の項目の変更 (事前/事後)
例外に当たるか、事後か、（理由）は人の判断です。--annotations の注釈ファイルに書きます
(書式は docs/diff.md)。判断のない※の変更は警告になります。

オプション:
  --annotations <F>  注釈ファイル (YAML)。複数指定可
  --date <日付>      変更日 (YYYY-MM-DD)。既定: 注釈ファイルの date、変更後の公表日、今日
  --format <形式>    text (既定) / json / md / yaml — yaml は changeLog に貼れる行
  --allow-other-organization  別の機関の評価書どうしでも比べる (既定では終了コード 2)
  --apply            行を変更後の版の changeLog に書き込む (同じ変更日の行は置き換え。-o があればそのファイルへ)
  -o, --output <F>   出力先ファイル (既定: 標準出力。--apply では書き込み先)
  --lang <言語>      ja (既定) / en
  -h, --help         この説明

終了コード:
  0  変更箇所を出力した (指摘なし)
  1  指摘あり: 判断のない※の変更、変更のない項目への注釈、重要な変更を「事後」とする注釈など
  2  ファイルを読めない、様式が異なる、別の機関の評価書 (--allow-other-organization なし)、注釈ファイルの書式の誤り、引数の誤り
`;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

async function loadReadable(path: string, io: CliIo, lang: Lang): Promise<LoadedDocument & { data: NonNullable<LoadedDocument['data']> }> {
  const loaded = await loadDocument(path, { cwd: io.cwd, lang });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (!loaded.data || errors.length > 0) {
    const first = errors[0] ?? loaded.diagnostics[0];
    throw new InputError(first ? first.message : pick(lang, '評価書として読めません', 'not a readable document'), path);
  }
  return loaded as LoadedDocument & { data: NonNullable<LoadedDocument['data']> };
}

async function loadAllAnnotations(paths: string[], io: CliIo, lang: Lang): Promise<Annotations | undefined> {
  if (paths.length === 0) return undefined;
  const merged: Annotations = { entries: [] };
  const seen = new Map<string, string>();
  for (const p of paths) {
    const a = await loadAnnotations(p, { cwd: io.cwd, lang });
    merged.source ??= p;
    merged.date ??= a.date;
    for (const e of a.entries) {
      const other = seen.get(e.key);
      if (other !== undefined) {
        throw new InputError(pick(lang, `「${e.key}」の注釈が ${other} にもあります`, `"${e.key}" is annotated in ${other} too`), p);
      }
      seen.set(e.key, p);
      merged.entries.push(e);
    }
  }
  return merged;
}

async function writeOut(path: string, text: string, io: CliIo, lang: Lang): Promise<void> {
  try {
    await writeFile(resolve(io.cwd, path), text, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new InputError(pick(lang, `書き込めません (${code})`, `cannot write (${code})`), path);
  }
}

export const diffCommand: Command = {
  name: 'diff',
  summary: '2つの版を比べて変更箇所の表を作り、重要な変更かどうかを分類する',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        annotations: { type: 'string', multiple: true },
        date: { type: 'string' },
        format: { type: 'string' },
        apply: { type: 'boolean' },
        'allow-other-organization': { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        lang: { type: 'string' },
      },
      true,
    );
    const lang = enumOption(values.lang, 'lang', LANGS, 'ja');
    const format = enumOption(values.format, 'format', FORMATS, 'text');
    if (positionals.length !== 2) {
      throw new UsageError(
        pick(
          lang,
          `変更前と変更後の2つのファイルを指定してください (例: pia diff previous.yaml assessment.yaml)。指定されたファイル: ${positionals.length}個`,
          `give the old and the new version (e.g. pia diff previous.yaml assessment.yaml); got ${positionals.length} file(s)`,
        ),
      );
    }
    const date = values.date as string | undefined;
    if (date !== undefined && (!ISO_DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) {
      throw new UsageError(pick(lang, `--date は YYYY-MM-DD で指定してください (「${date}」)`, `--date must be YYYY-MM-DD ("${date}")`));
    }
    const [oldPath, newPath] = positionals;
    const oldDoc = await loadReadable(oldPath, io, lang);
    const newDoc = await loadReadable(newPath, io, lang);
    const form = formOfPair(oldDoc.data, newDoc.data, lang, { old: oldPath, new: newPath });
    const annotations = await loadAllAnnotations((values.annotations as string[] | undefined) ?? [], io, lang);
    const result = buildChangeLog(oldDoc.data, newDoc.data, {
      date,
      annotations,
      lang,
      sources: { old: oldPath, new: newPath },
      allowOtherOrganization: values['allow-other-organization'] === true,
    });
    const output = values.output as string | undefined;
    const hasErrors = result.findings.some((f) => f.severity === 'error');
    const hasFindings = result.findings.some((f) => f.severity === 'error' || f.severity === 'warning');

    const report = formatChangeLog(result, format, { form, lang });
    if (values.apply) {
      if (hasErrors) {
        io.stdout.write(report);
        io.stderr.write(
          pick(lang, 'pia: 指摘 (エラー) があるため、変更箇所を書き込みませんでした。\n', 'pia: not written: there are errors.\n'),
        );
        return 1;
      }
      const target = output ?? newPath;
      const text = await readFile(resolve(io.cwd, newPath), 'utf8');
      const updated = writeChangeLog(text, result.rows.map(toChangeRow), { source: newPath, lang });
      await writeOut(target, updated, io, lang);
      io.stdout.write(report);
      io.stderr.write(pick(lang, `pia: ${target} の変更箇所に ${result.rows.length} 行を書き込みました。\n`, `pia: wrote ${result.rows.length} row(s) to ${target}.\n`));
    } else if (output) {
      await writeOut(output, report, io, lang);
    } else {
      io.stdout.write(report);
    }
    // Formats that carry only rows (YAML) still tell the user about findings, on stderr.
    if (format === 'yaml' && result.findings.length) io.stderr.write(formatFindings(result.findings, lang));
    return hasFindings ? 1 : 0;
  },
};
