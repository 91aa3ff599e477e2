// pia collect <terraform|postgres|accounts|merge>: build the live snapshot from the real systems (src/collect/).
// Credentials never come from the command line: PostgreSQL passwords from PGPASSWORD or --password-file, and a
// connection URL with a password only from the environment (PIA_PG_URL). Nothing written or printed
// contains them.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.ts';
import {
  collectAccounts,
  collectPostgres,
  collectTerraform,
  mergeSnapshots,
  nowIso,
  readMapping,
  validateCollected,
  type CollectMapping,
  type Unattributed,
} from '../../collect/index.ts';
import { loadSnapshotText } from '../../check/fast-json.ts';
import { MAX_SNAPSHOT_BYTES } from '../../check/run.ts';
import { readTextFile } from '../../load/index.ts';
import { enumOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方: pia collect <ソース> … [-o live.json]

稼働中のシステムからライブ構成 (schemas/live-snapshot.schema.json) を集めます。すべての事実に出典
(ソースの種類、ファイルまたは資格情報を除いた URL、リソースアドレスまたはテーブル、取得日時) が付きます。

  pia collect terraform <show.json> [--map <マッピング>]
      terraform show -json (state) または terraform show -json tfplan (plan) の出力を読みます。
      リソースはタグ pia:system (評価書のシステム名) かマッピングファイルでシステムに結び付けます。
      結び付けられないリソースは推測せず unattributed に記録し、標準エラーに表示します。
  pia collect postgres [<接続先URL>] --system <システム名> [--file <ファイル名>] [--map <マッピング>]
      PostgreSQL に読み取り専用で接続し、テーブル・列 (記録項目)・件数・サーバー設定を読みます。
      URL にパスワードを書かないでください: 環境変数 PGPASSWORD か --password-file で渡します。
      URL を省略すると環境変数 PIA_PG_URL を使います (この場合は URL にパスワードを含められます)。
  pia collect accounts <ファイル> --system <システム名> [--format csv|ldif|json]
      アカウントの出力 (見出し行つき CSV、LDIF、クラウドディレクトリのユーザー一覧 JSON) を読みます。
      Shift_JIS の CSV は UTF-8 に変換して読み、その旨を表示します。
  pia collect merge <ライブ構成…>
      部分的なライブ構成を 1 つにまとめます。同じ事実が異なる値で 2 回あればエラー (両方の出典を表示)。

共通オプション:
  -o, --output <ファイル>   出力先 (既定: 標準出力)
  --organization <機関ID>  評価書の organization.id (マッピングファイルの organization でも可) [merge 以外で必須]
  --as-of <日時>           取得日時 (既定: 現在。ISO 8601、タイムゾーンつき)
  --map <ファイル>         マッピングファイル (YAML/JSON、docs/collect.md)
  --strict                 terraform: システムに結び付けられないリソースがあれば終了コード 1
  -h, --help               この説明

postgres のオプション: --password-file <ファイル>、--estimate (count(*) の代わりに統計の推定件数)
accounts のオプション: --number-group <グループ>、--mfa-group <グループ> (LDIF/JSON で、個人番号を参照できる・
  二要素認証のあるアカウントを表すグループ)

終了コード: 0 出力した / 1 --strict で結び付けられないリソースあり / 2 読めない入力・接続できない・引数の誤り
`;

const SOURCES = ['terraform', 'postgres', 'accounts', 'merge'] as const;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function readBytes(cwd: string, path: string): Buffer {
  try {
    return readFileSync(resolve(cwd, path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `ファイルがありません: ${path}`
        : `ファイルを読めません (${code ?? 'エラー'}): ${path}`,
      path,
    );
  }
}

function unattributedLines(list: Unattributed[]): string {
  const shown = list.slice(0, 10).map((u) => `  ${u.address}${u.type ? ` (${u.type})` : ''}: ${u.reason}\n`);
  if (list.length > 10) shown.push(`  ほか ${list.length - 10} 件 (出力の unattributed を参照)\n`);
  return shown.join('');
}

export const collectCommand: Command = {
  name: 'collect',
  summary: 'ライブ構成を Terraform・PostgreSQL・アカウント出力から集める (出典つき)',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        output: { type: 'string', short: 'o' },
        organization: { type: 'string' },
        'as-of': { type: 'string' },
        map: { type: 'string' },
        strict: { type: 'boolean' },
        system: { type: 'string' },
        file: { type: 'string' },
        'password-file': { type: 'string' },
        estimate: { type: 'boolean' },
        format: { type: 'string' },
        'number-group': { type: 'string' },
        'mfa-group': { type: 'string' },
      },
      true,
    );
    const [sourceArg, ...rest] = positionals;
    if (!sourceArg)
      throw new UsageError(
        `ソースを指定してください (${SOURCES.join(' / ')})。例: pia collect terraform show.json -o live.json`,
      );
    if (!(SOURCES as readonly string[]).includes(sourceArg))
      throw new UsageError(
        `ソースには ${SOURCES.join(' / ')} のいずれかを指定してください (「${sourceArg}」が指定されました)`,
      );
    const source = sourceArg as (typeof SOURCES)[number];
    const asOf = typeof values['as-of'] === 'string' ? values['as-of'] : nowIso();
    if (!DATE_TIME.test(asOf))
      throw new UsageError(
        `--as-of はタイムゾーンつきの日時にしてください (例: 2026-12-01T09:00:00+09:00): ${asOf}`,
      );
    const mapping: CollectMapping = typeof values.map === 'string' ? readMapping(values.map, io.cwd) : {};
    const organization = typeof values.organization === 'string' ? values.organization : mapping.organization;
    const needOrg = (): string => {
      if (!organization)
        throw new UsageError(
          '--organization に評価書の機関ID (organization.id) を指定してください (マッピングファイルの organization でも可)',
        );
      return organization;
    };
    const system = (): string => {
      if (typeof values.system !== 'string' || values.system.trim() === '')
        throw new UsageError(
          `--system に評価書のシステム名を指定してください (例: pia collect ${source} … --system 住民記録システム)`,
        );
      return values.system.trim();
    };
    const one = (what: string): string => {
      if (rest.length === 0) throw new UsageError(`${what}を指定してください`);
      if (rest.length > 1)
        throw new UsageError(`${what}は 1 つだけ指定してください (${rest.length} 個指定されています)`);
      return rest[0];
    };

    let snapshot: Record<string, unknown>;
    let summary: string;
    let exit = 0;
    switch (source) {
      case 'terraform': {
        const file = one('terraform show -json の出力ファイル');
        const text = readBytes(io.cwd, file).toString('utf8');
        const r = collectTerraform(text, {
          source: file,
          organization: needOrg(),
          asOf,
          ...(mapping.terraform ? { mapping: mapping.terraform } : {}),
        });
        snapshot = r.snapshot;
        const s = r.stats;
        summary = `pia collect terraform (${r.kind === 'terraform-plan' ? 'plan' : 'state'}): リソース ${s.resources} 件 (対応する種類 ${s.supported}、システムに結び付け ${s.attributed}、結び付けられない ${s.unattributed})`;
        const un = (snapshot.unattributed ?? []) as Unattributed[];
        if (un.length) {
          io.stderr.write(
            `pia collect terraform: 次のリソースはシステムに結び付けられません (タグ pia:system かマッピングを追加してください):\n${unattributedLines(un)}`,
          );
          if (values.strict && s.unattributed > 0) exit = 1;
        }
        break;
      }
      case 'postgres': {
        if (rest.length > 1)
          throw new UsageError(`接続先 URL は 1 つだけ指定してください (${rest.length} 個指定されています)`);
        const fromEnv = rest.length === 0;
        const url = rest[0] ?? io.env.PIA_PG_URL;
        if (!url) throw new UsageError('接続先 URL を指定してください (引数、または環境変数 PIA_PG_URL)');
        let password: string | undefined;
        if (typeof values['password-file'] === 'string') {
          password = readBytes(io.cwd, values['password-file'])
            .toString('utf8')
            .replace(/\r?\n$/, '');
        }
        const pgMapping = {
          ...mapping.postgres,
          ...(typeof values.file === 'string' ? { file: values.file } : {}),
        };
        const r = await collectPostgres({
          url,
          ...(password !== undefined ? { password } : {}),
          urlFromEnv: fromEnv,
          system: system(),
          organization: needOrg(),
          asOf,
          mapping: pgMapping,
          ...(values.estimate ? { estimate: true } : {}),
        });
        snapshot = r.snapshot;
        summary = `pia collect postgres: テーブル ${r.tables} 件`;
        break;
      }
      case 'accounts': {
        const file = one('アカウントの出力ファイル');
        const format =
          typeof values.format === 'string'
            ? enumOption(values.format, 'format', ['csv', 'ldif', 'json'] as const, 'csv')
            : undefined;
        const r = collectAccounts(readBytes(io.cwd, file), {
          source: file,
          system: system(),
          organization: needOrg(),
          asOf,
          ...(format ? { format } : {}),
          ...(typeof values['number-group'] === 'string' ? { numberGroup: values['number-group'] } : {}),
          ...(typeof values['mfa-group'] === 'string' ? { mfaGroup: values['mfa-group'] } : {}),
        });
        for (const n of r.notes) io.stderr.write(`pia collect accounts: ${n}\n`);
        snapshot = r.snapshot;
        summary = `pia collect accounts (${r.format}): アカウント ${r.count} 件`;
        break;
      }
      case 'merge': {
        if (rest.length === 0) throw new UsageError('統合するライブ構成のファイルを指定してください');
        const inputs = [];
        for (const f of rest) {
          const text = await readTextFile(resolve(io.cwd, f), f, 'ja', MAX_SNAPSHOT_BYTES);
          const loaded = loadSnapshotText(text, { source: f });
          if (!loaded.data) {
            const first = loaded.diagnostics[0];
            throw new InputError(
              `${f}: ライブ構成として読めません${first ? ` (${first.line ? `${first.line} 行目: ` : ''}${first.message})` : ''}`,
              f,
            );
          }
          inputs.push({ source: f, snapshot: loaded.data as Record<string, unknown> });
        }
        snapshot = mergeSnapshots(inputs, typeof values['as-of'] === 'string' ? { asOf } : {});
        summary = `pia collect merge: ${rest.length} 件を統合`;
        break;
      }
    }
    validateCollected(snapshot, source);
    const out = JSON.stringify(snapshot, null, 2) + '\n';
    if (typeof values.output === 'string') {
      try {
        writeFileSync(resolve(io.cwd, values.output), out);
      } catch (e) {
        throw new UsageError(
          `出力ファイルに書き込めません (${(e as NodeJS.ErrnoException).code ?? 'エラー'}): ${values.output}`,
        );
      }
      io.stderr.write(`${summary} → ${values.output}\n`);
    } else {
      io.stdout.write(out);
      io.stderr.write(`${summary}\n`);
    }
    return exit;
  },
};
