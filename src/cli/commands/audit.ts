// pia audit verify [--db FILE] [--anchor SEQ:HASH]: recompute the audit log's hash chain.
import { existsSync } from 'node:fs';
import { InputError, UsageError } from '../../errors.ts';
import { defaultStorePath, isStoreUrl, openStore, type AuditHead } from '../../store/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方:
  pia audit verify [--db <ファイル|URL>] [--anchor <番号>:<ハッシュ>]
  pia audit head [--db <ファイル|URL>]

監査ログ (変更ごとの記録: 誰が・いつ・何を・変更前後の版) はハッシュで連鎖しています。
verify は連鎖を最初から計算し直し、記録の改ざん・削除・並べ替えを検出します。

  verify  連鎖が正しければ終了コード 0 と件数・末尾のハッシュを表示。壊れていれば終了コード 1 と
          最初に壊れている記録の番号・理由を表示します。
          --anchor に以前 head で控えた「番号:ハッシュ」を渡すと、末尾の切り詰めや丸ごとの書き換えも検出します。
  head    末尾の記録の「番号:ハッシュ」を表示します (別の場所に控えておくためのもの)。

  --db <ファイル|URL>  ストアのファイル、または PostgreSQL の URL (postgres://…)
                      (既定: 環境変数 PIA_DB、なければ .pia-data/pia.json)

ファイルのストアはサーバーの起動中はロックされています。その間は GET /api/audit/verify (admin) を使います。
PostgreSQL のストアはサーバーの起動中でも検証できます (検証は一時点のスナップショットに対して行います)。
終了コード: 0 検証成功 / 1 連鎖が壊れている / 2 引数の誤り、ストアを開けない
`;

function parseAnchor(v: string): AuditHead {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(v.trim());
  if (!m)
    throw new UsageError(
      `--anchor は「番号:64桁のハッシュ」の形で指定してください (「${v}」が指定されました)`,
    );
  return { seq: Number(m[1]), hash: m[2] };
}

export const auditCommand: Command = {
  name: 'audit',
  summary: '監査ログのハッシュ連鎖を検証する',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    const { values, positionals } = parseCommandArgs(
      rest,
      { db: { type: 'string' }, anchor: { type: 'string' } },
      true,
    );
    if (positionals.length) throw new UsageError(`余分な引数があります: ${positionals[0]}`);
    if (sub !== 'verify' && sub !== 'head') {
      throw new UsageError(
        sub
          ? `不明なサブコマンドです: ${sub} (verify / head)`
          : 'サブコマンドを指定してください: pia audit verify',
      );
    }
    const anchor = typeof values.anchor === 'string' ? parseAnchor(values.anchor) : undefined;
    const db =
      typeof values.db === 'string' && values.db ? values.db : defaultStorePath(io.env as NodeJS.ProcessEnv);
    // Verifying must not create an empty store where the user mistyped the path. A database URL has no
    // file (and opening it never creates tables: an unmigrated database is refused with a message).
    if (!isStoreUrl(db) && !existsSync(db))
      throw new InputError(`ストアのファイルがありません: ${db} (--db または PIA_DB を確認してください)`);
    const store = await openStore(db);
    try {
      if (sub === 'head') {
        const head = await store.auditHead();
        io.stdout.write(`${head.seq}:${head.hash}\n`);
        return 0;
      }
      const result = await store.verifyAudit(anchor ? { anchor } : {});
      if (result.ok) {
        io.stdout.write(
          `監査ログの連鎖は正しく検証できました (${result.count} 件、末尾 ${result.head.seq}:${result.head.hash})\n`,
        );
        return 0;
      }
      const entry = (await store.listAudit({ afterSeq: result.brokenAt - 1, limit: 1 }))[0];
      io.stdout.write(
        `監査ログの連鎖が壊れています: 記録 ${result.brokenAt} 番 (全 ${result.count} 件) — ${result.reason}\n`,
      );
      if (entry && entry.seq === result.brokenAt) {
        io.stdout.write(`  記録 ${entry.seq}: ${entry.at} ${entry.actor} ${entry.action} ${entry.target}\n`);
      }
      return 1;
    } finally {
      await store.close();
    }
  },
};
