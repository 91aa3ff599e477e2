// pia audit verify | head | checkpoint | init-key: the audit log's hash chain, its MACs and signed checkpoints.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.ts';
import { checkCheckpoint, signCheckpoint } from '../../store/audit-chain.ts';
import {
  AUDIT_KEY_ENV,
  keyInsideDataDir,
  newAuditKeyFile,
  readAuditKey,
  setProcessAuditKey,
  type AuditKey,
} from '../../store/audit-key.ts';
import {
  defaultStorePath,
  isStoreUrl,
  openStore,
  redactUrl,
  StoreCorruptError,
  type AuditHead,
  type Store,
} from '../../store/index.ts';
import { parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方:
  pia audit verify [--db <ストア>] [--audit-key <鍵ファイル>] [--checkpoint <ファイル>] [--anchor <番号>:<ハッシュ>]
  pia audit checkpoint [--db <ストア>] [--audit-key <鍵ファイル>] [-o <ファイル>]
  pia audit head [--db <ストア>]
  pia audit init-key -o <鍵ファイル>

監査ログ (変更ごとの記録: 誰が・いつ・何を・変更前後の版) はハッシュで連鎖しています。ハッシュの連鎖だけでは、
データを書き換えられる人が記録を直して連鎖を計算し直せるため、データの外に置いた鍵で固定します。

  init-key    鍵ファイル (MAC の鍵と署名の鍵) を作ります。データのディレクトリの外 (別のボリューム・シークレット) に
              置き、サーバーには環境変数 ${AUDIT_KEY_ENV} で渡します。以後の記録にはすべて MAC が付きます。
  verify      連鎖を最初から計算し直し、改ざん・削除・並べ替えを検出します。鍵があれば MAC も検証し、
              ストアのファイル (lowdb) ではジャーナルの切り詰めも、すべての版の文書・照合結果の本体 (欠落・破損) も確認します。
              --checkpoint に以前 checkpoint で作ったファイルを渡すと、署名を確かめ、その時点の末尾が今もログにあること
              (末尾の切り詰め・丸ごとの作り直しがないこと) を確認します。
  checkpoint  末尾の記録 (番号とハッシュ) に署名したファイルを出力します (-o がなければ標準出力)。監査人が
              データとは別の場所に保管してください。
  head        末尾の記録の「番号:ハッシュ」を表示します (--anchor で使えます。署名はありません)。

  --db <ストア>            ストアのファイル (既定: 環境変数 PIA_DB、なければ .pia-data/pia.json)
  --audit-key <鍵ファイル> 鍵ファイル (既定: 環境変数 ${AUDIT_KEY_ENV})

サーバーが同じストアで起動中はストアがロックされています。その間は GET /api/audit/verify (admin) を使います。
終了コード: 0 検証成功 / 1 連鎖・MAC・チェックポイントの不一致、切り詰め、文書の本体の欠落・破損、ストアの破損 /
            2 検証を実行できない (引数の誤り、ストア・鍵・チェックポイントのファイルを読めない、ロック中)
`;

function parseAnchor(v: string): AuditHead {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(v.trim());
  if (!m)
    throw new UsageError(
      `--anchor は「番号:64桁のハッシュ」の形で指定してください (「${v}」が指定されました)`,
    );
  return { seq: Number(m[1]), hash: m[2] };
}

/** The key named by --audit-key or PIA_AUDIT_KEY_FILE (null if neither), made the process's key. */
function loadKey(option: unknown, io: CliIo): AuditKey | null {
  const path = typeof option === 'string' && option ? resolve(io.cwd, option) : io.env[AUDIT_KEY_ENV];
  const key = path ? readAuditKey(path) : null;
  setProcessAuditKey(key);
  return key;
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `${what} ${path} を読めません (${code === 'ENOENT' ? 'ファイルがありません' : (code ?? (e as Error).message)})`,
      path,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InputError(`${what} ${path} を JSON として読めません`, path);
  }
}

/** Every version document and check-run body read back and checked against its hash. */
async function checkBlobs(
  store: Store,
): Promise<{ versions: number; checkRuns: number; problems: string[] }> {
  const problems: string[] = [];
  let versions = 0;
  let checkRuns = 0;
  const attempt = async (read: () => Promise<unknown>) => {
    try {
      await read();
    } catch (e) {
      if (!(e instanceof StoreCorruptError)) throw e;
      problems.push(e.message);
    }
  };
  for (const a of await store.listAssessments({ includeDeleted: true })) {
    for (const v of await store.listVersions(a.id)) {
      versions++;
      await attempt(() => store.getVersion(v.id));
      for (const c of await store.listCheckRuns(v.id)) {
        checkRuns++;
        await attempt(() => store.getCheckRun(c.id));
      }
    }
  }
  return { versions, checkRuns, problems };
}

async function initKey(out: unknown, io: CliIo): Promise<number> {
  const path = typeof out === 'string' && out ? resolve(io.cwd, out) : io.env[AUDIT_KEY_ENV];
  if (!path) {
    throw new UsageError(
      `鍵ファイルの場所を -o で指定してください (例: pia audit init-key -o /etc/pia/audit.key)`,
    );
  }
  const db = defaultStorePath(io.env as NodeJS.ProcessEnv);
  const misplaced = isStoreUrl(db) ? null : keyInsideDataDir(path, dirname(db));
  if (misplaced) throw new UsageError(misplaced);
  if (existsSync(path)) {
    throw new InputError(
      `鍵ファイル ${path} は既にあります。上書きすると、それまでの記録の MAC とチェックポイントを検証できなくなるため、作成しませんでした。`,
      path,
    );
  }
  try {
    writeFileSync(path, newAuditKeyFile(), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    throw new InputError(`鍵ファイル ${path} を作成できません (${(e as Error).message})`, path);
  }
  const key = readAuditKey(path);
  io.stdout.write(
    `監査ログの鍵ファイルを作成しました: ${path} (公開鍵の指紋 ${key.fingerprint})\n` +
      `  サーバー・CLI には環境変数 ${AUDIT_KEY_ENV}=${path} で渡してください。以後の記録に MAC が付きます。\n` +
      '  データのディレクトリとは別に、バックアップを安全な場所に保管してください (失うと MAC を検証できません)。\n' +
      '  公開鍵の指紋は監査人に伝え、チェックポイントの検証で照合してもらいます。\n',
  );
  return 0;
}

export const auditCommand: Command = {
  name: 'audit',
  summary: '監査ログのハッシュ連鎖・MAC・署名付きチェックポイントを検証する',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    const { values, positionals } = parseCommandArgs(
      rest,
      {
        db: { type: 'string' },
        anchor: { type: 'string' },
        'audit-key': { type: 'string' },
        checkpoint: { type: 'string' },
        out: { type: 'string', short: 'o' },
      },
      true,
    );
    if (positionals.length) throw new UsageError(`余分な引数があります: ${positionals[0]}`);
    if (sub !== 'verify' && sub !== 'head' && sub !== 'checkpoint' && sub !== 'init-key') {
      throw new UsageError(
        sub
          ? `不明なサブコマンドです: ${sub} (verify / head / checkpoint / init-key)`
          : 'サブコマンドを指定してください: pia audit verify',
      );
    }
    if (sub === 'init-key') return initKey(values.out, io);
    if (typeof values.anchor === 'string' && typeof values.checkpoint === 'string') {
      throw new UsageError('--anchor と --checkpoint は同時に指定できません');
    }
    const key = loadKey(values['audit-key'], io);
    let anchor = typeof values.anchor === 'string' ? parseAnchor(values.anchor) : undefined;
    const lines: string[] = [];
    if (sub === 'verify' && typeof values.checkpoint === 'string') {
      const cpPath = resolve(io.cwd, values.checkpoint);
      const cp = checkCheckpoint(readJsonFile(cpPath, 'チェックポイント'), key);
      if (!cp.ok) {
        io.stdout.write(`チェックポイント ${cpPath} を検証できません: ${cp.reason}\n`);
        return 1;
      }
      anchor = cp.head;
      lines.push(
        `  チェックポイント: 第 ${cp.head.seq} 件 (${cp.createdAt} に署名、公開鍵の指紋 ${cp.fingerprint}) が今もログにあります` +
          (key ? '' : '。指紋が鍵の作成時に控えたものと同じか確認してください'),
      );
    }
    const db =
      typeof values.db === 'string' && values.db ? values.db : defaultStorePath(io.env as NodeJS.ProcessEnv);
    const isFile = !isStoreUrl(db) && db !== ':memory:';
    // Verifying must not create an empty store where the user mistyped the path.
    if (isFile && !existsSync(db))
      throw new InputError(`ストアのファイルがありません: ${db} (--db または PIA_DB を確認してください)`);
    if (key && isFile) {
      const misplaced = keyInsideDataDir(key.path, dirname(resolve(db)));
      if (misplaced) throw new InputError(misplaced, key.path);
    }
    let store: Store;
    try {
      store = await openStore(db);
    } catch (e) {
      // A journal cut short (acknowledged records lost), an edited journal, a head whose MAC fails: broken,
      // not "could not run". The message says what and how to recover.
      if (sub === 'verify' && e instanceof StoreCorruptError) {
        io.stdout.write(`ストアが壊れています (監査ログを検証できる状態ではありません):\n${e.message}\n`);
        return 1;
      }
      throw e;
    }
    try {
      if (sub === 'head') {
        const head = await store.auditHead();
        io.stdout.write(`${head.seq}:${head.hash}\n`);
        return 0;
      }
      if (sub === 'checkpoint') {
        if (!key) {
          throw new UsageError(
            `署名の鍵がありません。--audit-key または環境変数 ${AUDIT_KEY_ENV} で鍵ファイルを指定してください (作成: pia audit init-key -o <ファイル>)`,
          );
        }
        // Never sign a log that does not verify: the signature would vouch for the damage.
        const result = await store.verifyAudit();
        if (!result.ok) {
          io.stdout.write(
            `監査ログの連鎖が壊れているため、チェックポイントを作りませんでした: 記録 ${result.brokenAt} 番 — ${result.reason}\n`,
          );
          return 1;
        }
        const cp = signCheckpoint(key, result.head, isFile ? resolve(db) : redactUrl(db), new Date());
        const text = JSON.stringify(cp, null, 2) + '\n';
        if (typeof values.out === 'string' && values.out) {
          const out = resolve(io.cwd, values.out);
          try {
            writeFileSync(out, text);
          } catch (e) {
            throw new InputError(`チェックポイント ${out} を書き込めません (${(e as Error).message})`, out);
          }
          io.stdout.write(
            `チェックポイントを書き出しました: ${out} (第 ${cp.seq} 件、公開鍵の指紋 ${key.fingerprint})。データとは別の場所に保管してください。\n`,
          );
        } else {
          io.stdout.write(text);
        }
        return 0;
      }
      const result = await store.verifyAudit(anchor ? { anchor } : {});
      const blobs = await checkBlobs(store);
      if (!result.ok) {
        const entry = (await store.listAudit({ afterSeq: result.brokenAt - 1, limit: 1 }))[0];
        io.stdout.write(
          `監査ログの連鎖が壊れています: 記録 ${result.brokenAt} 番 (全 ${result.count} 件) — ${result.reason}\n`,
        );
        if (entry && entry.seq === result.brokenAt) {
          io.stdout.write(
            `  記録 ${entry.seq}: ${entry.at} ${entry.actor} ${entry.action} ${entry.target}\n`,
          );
        }
      } else {
        io.stdout.write(
          `監査ログの連鎖は正しく検証できました (${result.count} 件、末尾 ${result.head.seq}:${result.head.hash})\n`,
        );
        const macs = (await store.listAudit()).filter((e) => e.mac !== undefined);
        lines.unshift(
          key
            ? `  MAC: 鍵 ${key.path} (公開鍵の指紋 ${key.fingerprint}) で検証しました (MAC 付き ${macs.length} 件。最初は第 ${macs[0]?.seq ?? '-'} 件で、それ以前の記録もその MAC の連鎖で保護されています)`
            : `  MAC: 鍵が指定されていないため検証していません (MAC 付き ${macs.length} 件)。鍵のない連鎖は、ファイルを書き換えられる人なら作り直せます (--audit-key または ${AUDIT_KEY_ENV})`,
        );
        for (const l of lines) io.stdout.write(l + '\n');
      }
      if (blobs.problems.length) {
        io.stdout.write(`文書の本体に問題があります (${blobs.problems.length} 件):\n`);
        for (const p of blobs.problems) io.stdout.write(`  ${p}\n`);
      } else {
        io.stdout.write(
          `  文書の本体: ${blobs.versions} 版の文書と ${blobs.checkRuns} 件の照合結果を読み、ハッシュと一致しました\n`,
        );
      }
      return result.ok && blobs.problems.length === 0 ? 0 : 1;
    } finally {
      await store.close();
    }
  },
};
