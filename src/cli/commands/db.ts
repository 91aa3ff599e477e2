// pia db migrate|status [--db URL]: the PostgreSQL store's schema. Migrations are numbered, recorded in
// pia_migrations and applied under an advisory lock, so running this while servers start is safe.
import { UsageError } from '../../errors.ts';
import { defaultStorePath, isStoreUrl, redactUrl } from '../../store/index.ts';
import { createPgPool, LATEST_SCHEMA, migrate, MIGRATIONS, schemaVersion } from '../../store/postgres/index.ts';
import { connectError } from '../../store/postgres/pool.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方:
  pia db migrate [--db <URL>]
  pia db status [--db <URL>]

PostgreSQL のストア (postgres://…) の表を作成・更新します。ファイルのストアには不要です。

  migrate  まだ適用していないマイグレーションを順に適用します (適用済みなら何もしません)。
           複数のサーバーから同時に実行しても、適用は 1 回だけです (アドバイザリロック)。
  status   データベースのスキーマの版と、この pia が必要とする版を表示します。

  --db <URL>  postgres://利用者[:パスワード]@ホスト[:ポート]/データベース
              (既定: 環境変数 PIA_DB。パスワードは PGPASSWORD や ~/.pgpass でも渡せます)

サーバーの起動時に適用するには pia serve --migrate (または環境変数 PIA_DB_MIGRATE=1)。
終了コード: 0 成功 (status は最新なら 0、古ければ 1) / 2 引数の誤り、接続できない、適用に失敗
`;

export const dbCommand: Command = {
  name: 'db',
  summary: 'PostgreSQL のストアのスキーマを作成・更新する (マイグレーション)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    const { values, positionals } = parseCommandArgs(rest, { db: { type: 'string' } }, true);
    if (positionals.length) throw new UsageError(`余分な引数があります: ${positionals[0]}`);
    if (sub !== 'migrate' && sub !== 'status') {
      throw new UsageError(
        sub ? `不明なサブコマンドです: ${sub} (migrate / status)` : 'サブコマンドを指定してください: pia db migrate',
      );
    }
    const db =
      typeof values.db === 'string' && values.db ? values.db : defaultStorePath(io.env as NodeJS.ProcessEnv);
    if (!isStoreUrl(db) || !/^postgres(ql)?:\/\//i.test(db)) {
      throw new UsageError(
        `--db (または PIA_DB) には PostgreSQL の URL (postgres://…) を指定してください。ファイルのストアにマイグレーションは不要です (「${redactUrl(db)}」が指定されました)`,
      );
    }
    const shown = redactUrl(db);
    const pool = createPgPool(db, { max: 1, applicationName: 'pia db' });
    try {
      let before: number;
      try {
        before = await schemaVersion(pool);
      } catch (e) {
        throw connectError(db, e);
      }
      if (sub === 'status') {
        io.stdout.write(
          `${shown}: スキーマ第 ${before} 版 (この pia は第 ${LATEST_SCHEMA} 版)${before === LATEST_SCHEMA ? ' — 最新です' : before < LATEST_SCHEMA ? ' — pia db migrate が必要です' : ' — この pia より新しい版です'}\n`,
        );
        return before === LATEST_SCHEMA ? 0 : 1;
      }
      const result = await migrate(pool);
      if (result.applied.length === 0) {
        io.stdout.write(`${shown}: スキーマは最新です (第 ${result.version} 版)。適用するものはありません\n`);
      } else {
        for (const m of result.applied) io.stdout.write(`適用しました: 第 ${m.version} 版 ${m.name}\n`);
        io.stdout.write(
          `${shown}: スキーマを第 ${before} 版から第 ${result.version} 版にしました (全 ${MIGRATIONS.length} 版)\n`,
        );
      }
      return 0;
    } finally {
      await pool.end().catch(() => undefined);
    }
  },
};
