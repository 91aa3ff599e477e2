// pia portfolio <dir> [--out-dir DIR] [--as-of DATE]: every 評価書 under dir validated, checked, rendered and
// dated in one process with one browser, and a summary page. The work is in portfolio/.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isIsoDate, jstDay } from '../../calendar/index.ts';
import { InputError, UsageError } from '../../errors.ts';
import { PdfRenderError } from '../../pdf/index.ts';
import type { PortfolioDocument } from '../../portfolio/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方: pia portfolio <ディレクトリ>… [--out-dir <出力ディレクトリ>] [--as-of <日付>] [オプション]

ディレクトリの下のすべての評価書を 1 回の実行で 検証・照合・PDF 出力・期限の一覧 まで行い、
一覧のページ (index.html と index.md) を出力ディレクトリに書きます。一覧には評価書ごとに
状態、照合の指摘 (帰結ごとの件数)、次の期限、PDF へのリンクを示します。

評価書の見つけ方とライブ構成の対応は pia check <ディレクトリ> と同じです: assessment.yaml を含む
ディレクトリが 1 件の評価書で、同じディレクトリの live.json / live.yaml (または --live-dir の
<名前>.json) を照合します。ライブ構成がない評価書は照合せず (「照合なし」)、検証・出力・期限は行います。
previous.yaml と reviews.yaml が同じディレクトリにあれば、期限の判定に使います (pia due と同じ)。
1 件の評価書の問題で他の評価書の処理が止まることはありません。

オプション:
  --out-dir <ディレクトリ>  PDF (<名前>.pdf) と一覧の出力先 (既定: pia-portfolio)
  --as-of <日付>            期限の基準日 (YYYY-MM-DD、既定: 今日・日本時間)
  --live-dir <ディレクトリ> ライブ構成を <名前>.json (.yaml) で探すディレクトリ
  --manifest <ファイル>     評価書とライブ構成の対応表 (pia check --manifest と同じ形式)
  --no-pdf                  PDF を出力しない (一覧だけ)
  -h, --help                この説明

状態: エラー (読めない・出力できない) / 要対応 (検証エラー・照合の指摘・期限超過) /
      注意 (警告・期限間近・判定不能・照合なし) / 問題なし

終了コード:
  0  すべて 問題なし または 注意
  1  要対応 の評価書がある
  2  エラー の評価書がある (読めないファイル、PDF の失敗)、または引数の誤り
`;

/** A progress bar on a terminal, one line per document otherwise (CI logs). */
function progress(io: CliIo): (d: PortfolioDocument, done: number, total: number) => void {
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  return (d, done, total) => {
    if (tty) {
      const width = 24;
      const filled = Math.round((done / total) * width);
      io.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${d.name}`
          .slice(0, 100)
          .padEnd(100),
      );
      if (done === total) io.stderr.write('\n');
    } else {
      // The status is final only once the dates of all documents are known; say what was done.
      const what = d.errors.length ? `エラー: ${d.errors[0]}` : d.pdf ? `完了 → ${d.pdf}` : '完了';
      io.stderr.write(`[${done}/${total}] ${d.name}: ${what}\n`);
    }
  };
}

export const portfolioCommand: Command = {
  name: 'portfolio',
  summary: 'ディレクトリの評価書をまとめて 検証・照合・PDF 出力・期限の一覧 し、一覧ページを作る',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        'out-dir': { type: 'string' },
        'as-of': { type: 'string' },
        'live-dir': { type: 'string' },
        manifest: { type: 'string' },
        'no-pdf': { type: 'boolean' },
      },
      true,
    );
    const manifest = typeof values.manifest === 'string' && values.manifest ? values.manifest : undefined;
    if (positionals.length === 0 && !manifest)
      throw new UsageError(
        '評価書のディレクトリを指定してください (例: pia portfolio assessments --out-dir out)',
      );
    const asOf = (values['as-of'] as string | undefined) ?? (jstDay(new Date()) as string);
    if (!isIsoDate(asOf))
      throw new UsageError(`--as-of には YYYY-MM-DD の実在する日付を指定してください (「${asOf}」)`);
    const outDir =
      typeof values['out-dir'] === 'string' && values['out-dir'] ? values['out-dir'] : 'pia-portfolio';
    const liveDir =
      typeof values['live-dir'] === 'string' && values['live-dir'] ? values['live-dir'] : undefined;

    const { runPortfolio, formatPortfolioHtml, formatPortfolioMarkdown, summaryCountsLine } =
      await import('../../portfolio/index.ts');
    let result;
    try {
      result = await runPortfolio({
        paths: positionals,
        cwd: io.cwd,
        outDir,
        asOf,
        ...(liveDir ? { liveDir } : {}),
        ...(manifest ? { manifest } : {}),
        noPdf: values['no-pdf'] === true,
        onDocument: progress(io),
      });
    } catch (e) {
      // Only the browser itself failing to start reaches here (per-document failures are in their rows).
      if (e instanceof PdfRenderError) throw new InputError(`PDF を出力できませんでした: ${e.message}`);
      throw e;
    }
    const abs = resolve(io.cwd, outDir);
    try {
      writeFileSync(join(abs, 'index.html'), formatPortfolioHtml(result));
      writeFileSync(join(abs, 'index.md'), formatPortfolioMarkdown(result));
    } catch (e) {
      throw new InputError(
        `一覧を書き込めません: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        outDir,
      );
    }
    io.stdout.write(`${summaryCountsLine(result)} → ${join(outDir, 'index.html')}\n`);
    return result.exitCode;
  },
};
