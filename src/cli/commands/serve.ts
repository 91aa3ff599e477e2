// pia serve [--port N] [--host H] [--db FILE]: the HTTP API and the web pages.
import { UsageError } from '../../errors.ts';
import { tuneServerHeap } from '../../api/heap-tuning.ts';
import { parseTrustProxy, startServer, type RunningServer } from '../../api/server.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方: pia serve [--port <番号>] [--host <アドレス>] [--db <ファイル|URL>] [--migrate] [--trust-proxy <値>]

評価書の API (/api、仕様は /openapi.json) と画面 (担当者・第三者点検の点検者向け) を起動します。

  --db を指定しない場合 (環境変数 PIA_DB もない場合):
    同梱のサンプル (assessments/*/assessment.yaml、previous.yaml があれば前の版として) をメモリ上の
    ストアに読み込んで起動し、URL と最初の管理者トークンを表示します。データは終了時に消えます。
  --db <ファイル> (または PIA_DB):
    そのファイルに保存します (なければ作成)。利用者がまだいなければ最初の管理者トークンを表示します。
  --db postgres://… (または PIA_DB):
    PostgreSQL に保存します。同じデータベースに複数のサーバーを起動できます (ファイルのロックなし)。
    表は pia db migrate で作成します (または --migrate)。

オプション:
  --port <番号>     待ち受けるポート (既定 8080。0 で空いているポート)
  --host <アドレス> 待ち受けるアドレス (既定 127.0.0.1 = このマシンからのみ。公開するなら 0.0.0.0 と TLS 終端のプロキシ)
  --db <ファイル|URL> ストアのファイル、または PostgreSQL の URL
  --migrate         PostgreSQL のスキーマを起動時に更新する (環境変数 PIA_DB_MIGRATE=1 でも可)
  --samples         --db のストアが空なら同梱のサンプルを読み込む
  --no-pdf          PDF 出力を無効にする (Chromium を使わない)
  --render-in-process PostgreSQL のとき、このプロセスでも PDF を作成する (既定では作成せず、pia worker が作成する)
  --pdf-queue <件数> 作成を待てる PDF の依頼の上限 (既定: ファイル・メモリのストア 32、PostgreSQL 64)。
                    超えた依頼には 503 と Retry-After を返す
  --pdf-wait <秒>   PDF の依頼を待つ時間 (既定 10)。過ぎたら 202 と状態 URL を返す
  --trust-proxy <値> TLS 終端のプロキシの後ろで使うとき、そのプロキシを指定する (環境変数 PIA_TRUST_PROXY でも可)。
                    loopback (同じマシンのプロキシ)、IP アドレス・CIDR のカンマ区切り、または段数 (1〜10)。
                    指定すると X-Forwarded-Proto: https の要求でセッション Cookie に Secure が付きます
  -h, --help        この説明

トークンの発行: pia token create --role <admin|officer|reviewer|ci> --org <組織> (サーバー停止中)、
または起動中に POST /api/tokens (admin)。
SIGTERM / SIGINT (Ctrl+C) で、処理中の要求を待ってブラウザとストアを閉じて終了します。

終了コード: 0 正常に終了 / 2 引数の誤り、ストアを開けない (他のプロセスが使用中など)、ポートを使えない
`;

function parsePort(v: unknown): number {
  if (v === undefined) return 8080;
  const s = String(v);
  if (!/^\d{1,5}$/.test(s) || Number(s) > 65535)
    throw new UsageError(`--port には 0〜65535 の番号を指定してください (「${s}」が指定されました)`);
  return Number(s);
}

function parseBound(v: unknown, flag: string, min: number, max: number): number {
  const s = String(v);
  if (!/^\d{1,5}$/.test(s) || Number(s) < min || Number(s) > max)
    throw new UsageError(`${flag} には ${min}〜${max} の数を指定してください (「${s}」が指定されました)`);
  return Number(s);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'API と画面のサーバーを起動する (既定では同梱サンプル入り)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(
      args,
      {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        migrate: { type: 'boolean' },
        samples: { type: 'boolean' },
        'no-pdf': { type: 'boolean' },
        'render-in-process': { type: 'boolean' },
        'pdf-queue': { type: 'string' },
        'pdf-wait': { type: 'string' },
        'trust-proxy': { type: 'string' },
      },
      false,
    );
    const port = parsePort(values.port);
    const trustRaw =
      typeof values['trust-proxy'] === 'string' ? values['trust-proxy'] : io.env.PIA_TRUST_PROXY || undefined;
    const trustProxy = trustRaw !== undefined ? parseTrustProxy(trustRaw) : undefined;
    const db = typeof values.db === 'string' && values.db ? values.db : io.env.PIA_DB || undefined;
    let running: RunningServer;
    // A long-running server: V8 flags measured for it (api/heap-tuning.ts). The entries set them before the
    // app loaded (no-op here then); for programmatic use this is the earliest point.
    tuneServerHeap();
    try {
      running = await startServer({
        port,
        ...(typeof values.host === 'string' ? { host: values.host } : {}),
        ...(db ? { db } : {}),
        migrate: values.migrate === true || io.env.PIA_DB_MIGRATE === '1',
        samples: values.samples === true,
        pdf: values['no-pdf'] !== true,
        renderInProcess: values['render-in-process'] === true,
        ...(values['pdf-queue'] !== undefined
          ? { pdfMaxQueued: parseBound(values['pdf-queue'], '--pdf-queue', 0, 10_000) }
          : {}),
        ...(values['pdf-wait'] !== undefined
          ? { pdfWaitMs: parseBound(values['pdf-wait'], '--pdf-wait', 0, 60) * 1000 }
          : {}),
        ...(trustProxy !== undefined ? { trustProxy } : {}),
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new UsageError(`ポート ${port} は既に使われています (--port で別の番号を指定してください)`);
      if (code === 'EACCES') throw new UsageError(`ポート ${port} で待ち受ける権限がありません`);
      throw e;
    }
    const lines = [`pia serve: ${running.url} で待ち受けています (API 仕様: ${running.url}openapi.json)`];
    lines.push(
      db
        ? `ストア: ${running.store.location}`
        : 'ストア: メモリ上 (同梱サンプル入り。終了するとデータは消えます。残すには --db <ファイル>)',
    );
    const postgres = db !== undefined && /^postgres(ql)?:\/\//i.test(db);
    if (values['no-pdf'] === true) lines.push('PDF: 無効 (--no-pdf)');
    else if (postgres)
      lines.push(
        values['render-in-process'] === true
          ? 'PDF: PostgreSQL の待ち行列 (このプロセスと pia worker が作成します)'
          : 'PDF: PostgreSQL の待ち行列 (pia worker --db <同じ URL> が作成します。このプロセスはブラウザを起動しません)',
      );
    else if (values['render-in-process'] === true)
      io.stderr.write('pia serve: --render-in-process は PostgreSQL のときだけ意味があります (ファイル・メモリのストアでは常にこのプロセスで作成します)\n');
    if (running.samples) {
      lines.push(
        `サンプル: 評価書 ${running.samples.assessments.length} 件、組織 ${running.samples.organisations.length} 件を読み込みました`,
      );
      for (const s of running.samples.skipped)
        lines.push(`  読み込めなかったファイル: ${s.file} (${s.reason})`);
    }
    if (running.adminToken) {
      lines.push(`最初の管理者トークン (この一度だけ表示します): ${running.adminToken}`);
      lines.push(`  画面: ${running.url}login にこのトークンを入力 / API: Authorization: Bearer <トークン>`);
    }
    io.stdout.write(lines.join('\n') + '\n');

    // Run until a signal; then close the HTTP server, the browser and the store, in that order. The handlers
    // stay registered until the close is done: the PDF module's own safety net steps aside only while
    // someone else handles the signal. A second signal during the close exits at once (the browser is
    // still killed by that safety net's exit hook).
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) {
          io.stderr.write(`pia serve: ${signal} を再度受け取りました。終了処理を待たずに終了します。\n`);
          process.exit(1);
        }
        stopping = true;
        io.stderr.write(`pia serve: ${signal} を受け取りました。処理中の要求を待って終了します…\n`);
        running
          .close()
          .catch((e: unknown) => io.stderr.write(`pia serve: 終了処理でエラー: ${(e as Error).message}\n`))
          .finally(() => {
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
