// pia token create|list|revoke: API tokens in the store. The plaintext token is printed once; the store
// keeps only its hash.
import { userInfo } from 'node:os';
import { existsSync } from 'node:fs';
import { InputError, UsageError } from '../../errors.ts';
import { parseTokenExpiry } from '../../load/user-dates.ts';
import {
  defaultStorePath,
  isStoreUrl,
  openStore,
  ROLES,
  type Organisation,
  type Role,
  type Store,
} from '../../store/index.ts';
import { enumOption, parseCommandArgs } from '../args.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';

const HELP = `使い方:
  pia token create --role <役割> [--org <組織>] [--name <利用者名>] [--expires <日時>] [--db <ファイル>]
  pia token list [--db <ファイル>]
  pia token revoke <トークンID> [--db <ファイル>]

API と画面のトークンを発行・一覧・失効します。発行したトークンは一度だけ標準出力に表示され、
ストアにはハッシュだけが残ります。

役割:
  admin     すべての組織のすべての操作
  officer   自組織の評価書の作成・版の登録・手続の進行・コメント
  reviewer  自組織の評価書の閲覧・コメント・第三者点検の結果の記録
  ci        ライブ構成の照合 (POST …/check) だけ

オプション:
  --role <役割>        admin / officer / reviewer / ci [必須]
  --org <組織>         組織の ID またはコード (評価書の organization.id、例 hofu-city)。admin 以外は必須
  --org-name <名称>    --org の組織がなければ、このコード・名称で作る
  --name <利用者名>    利用者の表示名 (既定: 役割名)
  --label <ラベル>     トークンの用途のメモ
  --expires <日時>     有効期限 (ISO 8601、例 2026-03-31T23:59:59+09:00)
  --db <ファイル|URL>  ストアのファイル、または PostgreSQL の URL (postgres://…)
                       (既定: 環境変数 PIA_DB、なければ .pia-data/pia.json)
  -h, --help           この説明

ファイルのストアはサーバーの起動中はロックされています。その間は POST /api/tokens (admin) を使います。
PostgreSQL のストアはサーバーの起動中でも使えます。
終了コード: 0 成功 / 2 引数の誤り、ストアを開けない、組織がない
`;

const actor = (): string => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
};

async function findOrg(store: Store, key: string): Promise<Organisation | undefined> {
  const orgs = await store.listOrganisations();
  return (
    orgs.find((o) => o.id === key) ?? orgs.find((o) => o.code === key) ?? orgs.find((o) => o.name === key)
  );
}

async function withStore<T>(db: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export const tokenCommand: Command = {
  name: 'token',
  summary: 'API・画面のトークンを発行・一覧・失効する',
  help: HELP,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    const { values, positionals } = parseCommandArgs(
      rest,
      {
        role: { type: 'string' },
        org: { type: 'string' },
        'org-name': { type: 'string' },
        name: { type: 'string' },
        label: { type: 'string' },
        expires: { type: 'string' },
        db: { type: 'string' },
      },
      true,
    );
    const db =
      typeof values.db === 'string' && values.db ? values.db : defaultStorePath(io.env as NodeJS.ProcessEnv);
    if (sub === 'create') {
      if (positionals.length) throw new UsageError(`余分な引数があります: ${positionals[0]}`);
      if (values.role === undefined) throw new UsageError(`--role を指定してください (${ROLES.join(' / ')})`);
      const role = enumOption<Role>(values.role, 'role', ROLES, 'officer');
      const orgKey = typeof values.org === 'string' ? values.org : undefined;
      if (role !== 'admin' && !orgKey) throw new UsageError(`${role} のトークンには --org (組織) が必要です`);
      // An admin sees every organisation; an admin "of" one organisation is a contradiction, refused
      // rather than silently widened or narrowed (the API refuses the same).
      if (role === 'admin' && orgKey)
        throw new UsageError('admin のトークンは全組織が対象のため --org は指定できません');
      let expiresAt: string | null = null;
      if (typeof values.expires === 'string') {
        const r = parseTokenExpiry(values.expires, new Date(), '--expires');
        if ('message' in r) throw new UsageError(r.message);
        expiresAt = r.iso;
      }
      return withStore(db, async (store) => {
        let orgId: string | null = null;
        if (orgKey) {
          let org = await findOrg(store, orgKey);
          if (!org && typeof values['org-name'] === 'string') {
            org = await store.createOrganisation(
              { name: values['org-name'], code: orgKey },
              { actor: actor() },
            );
            io.stderr.write(`組織「${org.name}」(コード ${orgKey}) を作成しました: ${org.id}\n`);
          }
          if (!org) {
            const known = (await store.listOrganisations()).map((o) => `${o.code ?? o.id} (${o.name})`);
            throw new UsageError(
              `組織「${orgKey}」がありません。${known.length ? `ある組織: ${known.join('、')}。` : ''}作る場合は --org-name <名称> も指定してください`,
            );
          }
          orgId = org.id;
        }
        const created = await store.createToken(
          {
            name: typeof values.name === 'string' && values.name ? values.name : role,
            role,
            orgId,
            ...(typeof values.label === 'string' ? { label: values.label } : {}),
            expiresAt,
          },
          { actor: actor() },
        );
        io.stderr.write(
          `トークンを発行しました (ID ${created.info.id}、役割 ${role}${orgId ? `、組織 ${orgKey}` : ''}${expiresAt ? `、期限 ${expiresAt}` : ''})。` +
            'この一度だけ表示します。安全な場所に保管してください:\n',
        );
        io.stdout.write(created.token + '\n');
        return 0;
      });
    }
    // A database URL has no file to check (and is never printed: it may carry a password).
    if ((sub === 'list' || sub === 'revoke') && !isStoreUrl(db) && !existsSync(db)) {
      throw new InputError(`ストアのファイルがありません: ${db} (--db または PIA_DB を確認してください)`);
    }
    if (sub === 'list') {
      return withStore(db, async (store) => {
        const users = new Map((await store.listUsers()).map((u) => [u.id, u]));
        const orgs = new Map((await store.listOrganisations()).map((o) => [o.id, o]));
        for (const t of await store.listTokens()) {
          const u = users.get(t.userId);
          const org = u?.orgId ? orgs.get(u.orgId) : undefined;
          const state = t.revokedAt
            ? '失効'
            : t.expiresAt && Date.parse(t.expiresAt) < Date.now()
              ? '期限切れ'
              : u?.disabledAt
                ? '利用者無効'
                : '有効';
          io.stdout.write(
            `${t.id}\t${state}\t${u?.role ?? '?'}\t${u?.name ?? '?'}\t${org ? (org.code ?? org.name) : '-'}\t${t.createdAt}\t${t.label}\n`,
          );
        }
        return 0;
      });
    }
    if (sub === 'revoke') {
      if (positionals.length !== 1)
        throw new UsageError('失効するトークンの ID を 1 つ指定してください (pia token list で確認できます)');
      return withStore(db, async (store) => {
        const t = await store.revokeToken(positionals[0], { actor: actor() });
        io.stdout.write(`トークン ${t.id} を失効しました (${t.revokedAt})\n`);
        return 0;
      });
    }
    throw new UsageError(
      sub
        ? `不明なサブコマンドです: ${sub} (create / list / revoke)`
        : 'サブコマンドを指定してください: pia token create|list|revoke',
    );
  },
};
