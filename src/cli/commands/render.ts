// pia render: 評価書 → PDF (or HTML) in the official layout. One browser serves every document of a run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.ts';
import { loadDocument, validateLoaded } from '../../engine.ts';
import { createPdfRenderer, PdfRenderError, type PdfRenderer } from '../../pdf/index.ts';
import { bannerDiagnostics, documentTitle, printsFindingsPage, renderAssessmentHtml } from '../../render/index.ts';
import type { JsonObject } from '../../types.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';
import { expandInputs } from './validate.ts';

const HELP = `使い方: pia render <ファイル> [-o 出力.pdf] [--html] [--public] [--strict]
       pia render <ディレクトリまたはファイル…> --out-dir <出力ディレクトリ> [--html] [--public] [--strict]

評価書を公式様式のレイアウトで PDF (または HTML) に出力します。日本語フォント (BIZ UD) を埋め込み、
しおり (章ごと)、ヘッダー (評価書名)、ページ番号を付けます。出力中のページはネットワークに接続できません。

オプション:
  -o, --output <ファイル>   出力先 (1 件のとき)。既定: 入力と同じ場所に拡張子 .pdf (.html)
  --out-dir <ディレクトリ>  複数件をまとめて出力する先。ファイル名は <事務のディレクトリ名>.pdf
  --html                    PDF ではなく HTML を出力する
  --public                  公表用: nonPublic に指定した項目を「非公表」と表示する
  --strict                  検証でエラーがある評価書は出力しない (終了コード 1)
  --findings-page           検証の指摘の一覧を先頭のページに印字する (提出・公表の評価書でも)
  --no-findings-page        検証の指摘の一覧を印字しない (素案・案でも)
  -h, --help                この説明

検証で問題が見つかった評価書も (読める限り) 出力します。素案・案では先頭のページに問題の一覧を印字し
(下書きの確認用)、提出・公表の評価書では様式にないページを加えません。

終了コード:
  0  すべて出力した
  1  --strict でエラーのある評価書があり、出力しなかった
  2  読めない入力・引数の誤り・Chromium が見つからない・出力に失敗した
`;

interface Job {
  input: string;
  output: string;
}

function defaultOutput(input: string, html: boolean, pub: boolean): string {
  const ext = html ? '.html' : '.pdf';
  const base = input.slice(0, input.length - extname(input).length);
  return `${base}${pub ? '-public' : ''}${ext}`;
}

function batchName(input: string): string {
  // assessments/<slug>/assessment.yaml → <slug>; other files keep their own name.
  const b = basename(input, extname(input));
  return /^assessment$/i.test(b) ? basename(dirname(resolve(input))) : b;
}

/** A progress bar on a terminal, one plain line per document otherwise (CI logs). */
function progress(io: CliIo, total: number): (done: number, label: string) => void {
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  return (done, label) => {
    if (tty) {
      const width = 24;
      const filled = Math.round((done / total) * width);
      io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`.slice(0, 100).padEnd(100));
      if (done === total) io.stderr.write('\n');
    } else {
      io.stderr.write(`[${done}/${total}] ${label}\n`);
    }
  };
}

export const renderCommand: Command = {
  name: 'render',
  summary: '評価書を公式様式のレイアウトで PDF / HTML に出力する',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        output: { type: 'string', short: 'o' },
        'out-dir': { type: 'string' },
        html: { type: 'boolean' },
        public: { type: 'boolean' },
        strict: { type: 'boolean' },
        'findings-page': { type: 'boolean' },
        'no-findings-page': { type: 'boolean' },
      },
      true,
    );
    if (positionals.length === 0) throw new UsageError('出力する評価書のファイルを指定してください (pia render --help)');
    const html = values.html === true;
    const pub = values.public === true;
    const outDir = typeof values['out-dir'] === 'string' ? values['out-dir'] : undefined;
    const output = typeof values.output === 'string' ? values.output : undefined;
    if (output && outDir) throw new UsageError('-o と --out-dir は同時に指定できません');
    if (values['findings-page'] === true && values['no-findings-page'] === true) {
      throw new UsageError('--findings-page と --no-findings-page は同時に指定できません');
    }
    // undefined = the default of the form (drafts only), see printsFindingsPage.
    const findingsPage = values['findings-page'] === true ? true : values['no-findings-page'] === true ? false : undefined;
    const inputs = expandInputs(positionals, io.cwd);
    if (inputs.length > 1 && !outDir) throw new UsageError('複数の評価書を出力するときは --out-dir を指定してください');

    const jobs: Job[] = inputs.map((input) => ({
      input,
      output: outDir ? join(outDir, `${batchName(input)}${pub ? '-public' : ''}${html ? '.html' : '.pdf'}`) : (output ?? defaultOutput(input, html, pub)),
    }));
    const names = new Set<string>();
    for (const j of jobs) {
      if (names.has(j.output)) throw new UsageError(`出力ファイル名が重複します: ${j.output}`);
      names.add(j.output);
    }

    // Read and render every document to HTML first: a bad input fails before the browser starts.
    const prepared: { job: Job; html: string; title: string; errors: number; warnings: number; listed: boolean }[] = [];
    let refused = 0;
    for (const job of jobs) {
      const loaded = await loadDocument(job.input, { cwd: io.cwd });
      if (!loaded.data) {
        const first = loaded.diagnostics[0];
        throw new InputError(`評価書として読めないため出力できません${first ? `: ${first.line ? `${first.line} 行目: ` : ''}${first.message}` : ''}`, job.input);
      }
      // Validate the document already read: the file is read and parsed once.
      const result = validateLoaded(loaded);
      const banner = bannerDiagnostics(result.diagnostics);
      const errors = banner.filter((d) => d.severity === 'error').length;
      const warnings = banner.length - errors;
      if (values.strict && errors > 0) {
        io.stderr.write(`pia: ${job.input}: 検証エラーが ${errors} 件あるため出力しません (--strict)。pia validate で確認してください。\n`);
        refused++;
        continue;
      }
      const doc = loaded.data as JsonObject;
      const pageOpts = findingsPage === undefined ? {} : { findingsPage };
      prepared.push({
        job,
        html: renderAssessmentHtml(doc, { public: pub, diagnostics: banner, source: job.input, ...pageOpts }),
        title: documentTitle(doc),
        errors,
        warnings,
        listed: printsFindingsPage(doc, pageOpts),
      });
    }

    if (outDir) mkdirSync(resolve(io.cwd, outDir), { recursive: true });
    const tick = progress(io, prepared.length);
    let renderer: PdfRenderer | undefined;
    try {
      let done = 0;
      if (html) {
        for (const p of prepared) {
          writeOutput(io, p.job.output, p.html);
          tick(++done, p.job.output);
        }
      } else if (prepared.length > 0) {
        renderer = createPdfRenderer({ maxPages: 2 });
        // Queue everything: the renderer's page pool bounds concurrency and memory.
        await Promise.all(
          prepared.map(async (p) => {
            const bytes = await renderer!.renderPdf(p.html, { title: p.title, public: values.public === true ? true : undefined });
            writeOutput(io, p.job.output, bytes);
            tick(++done, p.job.output);
          }),
        );
      }
    } catch (e) {
      if (e instanceof PdfRenderError) throw new InputError(`PDF を出力できませんでした: ${e.message}`);
      throw e;
    } finally {
      await renderer?.close();
    }
    for (const p of prepared) {
      const note =
        p.errors + p.warnings > 0
          ? ` (検証の指摘: エラー ${p.errors} 件、警告 ${p.warnings} 件${p.listed ? ' — 先頭に一覧を表示' : ' — pia validate で確認してください'})`
          : '';
      io.stdout.write(`${p.job.output} を出力しました${note}\n`);
    }
    return refused > 0 ? 1 : 0;
  },
};

function writeOutput(io: CliIo, path: string, data: string | Uint8Array): void {
  const abs = resolve(io.cwd, path);
  try {
    writeFileSync(abs, data);
  } catch (e) {
    throw new InputError(`出力ファイルに書き込めません: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, path);
  }
}
