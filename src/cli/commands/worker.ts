// pia worker --db postgres://… [--concurrency N]: renders the PDFs `pia serve` processes queue on PostgreSQL.
import { InputError, UsageError } from '../../errors.ts';
import { redactText, redactUrl } from '../../store/redact.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方: pia worker --db <postgres://…> [--concurrency <件数>]

PostgreSQL の待ち行列 (pg-boss) から PDF の作成依頼を取り出して作成します。pia serve を PostgreSQL
(--db postgres://…) で動かすとき、PDF はサーバーではなくこの worker が作ります (サーバーと同じデータベースを
指定します)。worker は何台・何プロセスでも動かせ、依頼は 1 件ずつどれか 1 つの worker が受け取ります。
作成した PDF はデータベースに一定時間 (既定 10 分) 保存され、サーバーが依頼した利用者に渡します。

オプション:
  --db <URL>          PostgreSQL の接続先 (環境変数 PIA_DB でも可)
  --concurrency <件数> 同時に作成する件数 (既定 2。Chromium のページ 1 枚あたり約 0.25 GB)
  -h, --help          この説明

SIGTERM / SIGINT (Ctrl+C) で、作成中の PDF を待って (最大 30 秒) ブラウザと接続を閉じて終了します。

終了コード: 0 正常に終了 / 2 引数の誤り、データベースに接続できない
`;

function parseConcurrency(v: unknown): number {
  if (v === undefined) return 2;
  const s = String(v);
  if (!/^\d{1,2}$/.test(s) || Number(s) < 1 || Number(s) > 32)
    throw new UsageError(`--concurrency には 1〜32 の件数を指定してください (「${s}」が指定されました)`);
  return Number(s);
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'PostgreSQL の待ち行列から PDF を作成する (pia serve --db postgres://… と組み合わせる)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(
      args,
      { db: { type: 'string' }, concurrency: { type: 'string' } },
      false,
    );
    const concurrency = parseConcurrency(values.concurrency);
    const db = typeof values.db === 'string' && values.db ? values.db : io.env.PIA_DB || undefined;
    if (!db || !/^postgres(ql)?:\/\//i.test(db)) {
      throw new UsageError(
        'pia worker には PostgreSQL の接続先 (--db postgres://… または PIA_DB) が必要です。' +
          'ファイルのストアでは、PDF は pia serve のプロセスの中で作成されます (worker は不要です)。',
      );
    }
    const { startRenderWorker } = await import('../../queue/worker.ts');
    let worker;
    try {
      worker = await startRenderWorker({
        url: db,
        concurrency,
        onError: (e) => io.stderr.write(`pia worker: ${redactText(e.message)}\n`),
        onJob: (ev) => {
          if (ev.outcome === 'failed')
            io.stderr.write(`pia worker: ${ev.id} の作成に失敗: ${ev.message ?? ''}\n`);
        },
      });
    } catch (e) {
      throw new InputError(
        `PostgreSQL (${redactUrl(db)}) の待ち行列に接続できません: ${redactText((e as Error).message)}`,
        redactUrl(db),
      );
    }
    io.stdout.write(`pia worker: ${redactUrl(db)} の PDF 作成依頼を待っています (同時 ${concurrency} 件)\n`);

    await new Promise<void>((resolve) => {
      let stopping = false;
      const w = worker;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          io.stderr.write(`pia worker: ${signal} を再度受け取りました。終了処理を待たずに終了します。\n`);
          process.exit(1);
        }
        stopping = true;
        io.stderr.write(`pia worker: ${signal} を受け取りました。作成中の PDF を待って終了します…\n`);
        w.close()
          .catch((e: unknown) => io.stderr.write(`pia worker: 終了処理でエラー: ${(e as Error).message}\n`))
          .finally(() => {
            const s = w.stats();
            io.stdout.write(
              `pia worker: 終了しました (作成 ${s.done} 件、失敗 ${s.failed} 件、取消し ${s.skipped} 件)\n`,
            );
            process.off('SIGTERM', stop);
            process.off('SIGINT', stop);
            resolve();
          });
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  },
};
