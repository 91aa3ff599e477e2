// The live configuration snapshot: what an operator (or an export script on the real systems) can say about
// the running systems of one 事務, to be held against what the 評価書 declares (`pia check`, src/check/).
//
// Design choices that readers of a snapshot should know:
// - Systems, files and contractors are matched to the 評価書 by name (NFKC, spaces ignored), so the names
//   here are the names printed in the 評価書 (「①システムの名称」, 「1. 特定個人情報ファイル名」, 「委託先名」).
//   `aliases` covers a system the 評価書 names differently.
// - Every list is optional: an export that cannot see accounts simply omits them, and a control that needs
//   the missing facts is reported as 確認できない, never as passed.
// - Choice values that also exist in the forms (接続先の区分, 主な記録項目) are referenced from
//   defs.schema.json, never retyped.
// - The waiver file (`--waivers`) is described here too ($defs.waiverFile), so one generated file documents
//   both inputs of `pia check`.
import { DEFS, type Schema } from './dsl.ts';

const str = (title: string, description?: string): Schema => ({
  title,
  type: 'string',
  minLength: 1,
  ...(description ? { description } : {}),
});
const bool = (title: string, description?: string): Schema => ({
  title,
  type: 'boolean',
  ...(description ? { description } : {}),
});
const int = (title: string, description?: string): Schema => ({
  title,
  type: 'integer',
  minimum: 0,
  ...(description ? { description } : {}),
});
const date = (title: string, description?: string): Schema => ({
  title,
  type: 'string',
  format: 'date',
  ...(description ? { description } : {}),
});
// An ISO 8601 date-time with a time zone, by pattern: the shared Ajv instance only loads the `date` format,
// and a snapshot time without a zone would make 「何日経過したか」 depend on the machine running the check.
const DATE_TIME_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})$';
const dateTime = (title: string, description?: string): Schema => ({
  title,
  type: 'string',
  pattern: DATE_TIME_PATTERN,
  ...(description ? { description } : {}),
});
/** A date or a date-time: exports give either. */
const when = (title: string, description?: string): Schema => ({
  title,
  type: 'string',
  anyOf: [
    { type: 'string', format: 'date' },
    { type: 'string', pattern: DATE_TIME_PATTERN },
  ],
  ...(description ? { description } : {}),
});
const obj = (
  title: string,
  properties: Record<string, Schema>,
  required: string[] = [],
  description?: string,
): Schema => ({
  title,
  type: 'object',
  ...(description ? { description } : {}),
  properties,
  ...(required.length ? { required } : {}),
  additionalProperties: false,
});
const arr = (title: string, items: Schema, description?: string): Schema => ({
  title,
  type: 'array',
  ...(description ? { description } : {}),
  items,
});
const local = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

const location = obj(
  '所在地',
  {
    country: {
      title: '国',
      type: 'string',
      pattern: '^[A-Z]{2}$',
      description: 'ISO 3166-1 alpha-2 の国コード (日本は JP)',
    },
    region: str('地域', '都道府県・リージョン名 (例: 東京都、ap-northeast-1)'),
    facility: str('設置場所', 'データセンター・庁舎サーバ室など'),
    provider: str('事業者', 'クラウド事業者・データセンター事業者'),
  },
  ['country'],
);

const connection = obj(
  '接続',
  {
    to: str(
      '接続先',
      '接続先システムの名称。評価書の「③他のシステムとの接続」の選択肢名か、「その他( )」に書いた名称',
    ),
    category: {
      title: '接続先の区分',
      $ref: `${DEFS}#/$defs/systemConnections/items/properties/choice`,
      description:
        '評価書の「③他のシステムとの接続」の選択肢。接続先の名称が選択肢名と異なるとき (例: 団体内統合宛名システム → 宛名システム等) に指定する',
    },
    protocol: str('プロトコル', '例: HTTPS, SFTP, LGWAN-ASP, 専用線'),
    encrypted: bool('通信の暗号化', '通信路が暗号化されているか'),
    direction: { title: '方向', type: 'string', enum: ['送信', '受信', '双方向'] },
  },
  ['to', 'encrypted'],
);

const account = obj(
  'アカウント',
  {
    id: str('アカウントID'),
    department: str('所属', '所属部署。個人番号を参照できるアカウントは使用部署と照合する'),
    role: str('役割'),
    contractor: str('委託先', '委託先の従業者のアカウントであるときの委託先名'),
    canSeeIndividualNumber: bool('個人番号の参照', '個人番号を参照できる権限があるか'),
    mfa: bool('二要素認証', '二要素 (多要素) 認証が有効か'),
    lastLogin: when('最終ログイン日時'),
    disabled: bool('無効化', 'アカウントが無効 (ロック・削除済み) か'),
    disabledDate: date('無効化日'),
    transferDate: date(
      '異動・退職日',
      '職員が異動・退職した日。この日以降も有効なアカウントは失効管理の不備',
    ),
  },
  ['id', 'canSeeIndividualNumber', 'mfa'],
);

const accountCounts = obj(
  'アカウントの集計',
  {
    total: int('アカウント数'),
    enabled: int('有効なアカウント数'),
    canSeeIndividualNumber: int('個人番号を参照できる有効なアカウント数'),
    enabledWithoutMfa: int('二要素認証のない有効なアカウント数'),
    enabledAfterTransfer: int('異動・退職後も有効なアカウント数'),
    staleEnabled: obj(
      '長期間未使用の有効なアカウント',
      {
        days: int('未使用日数', 'この日数以上ログインのない有効なアカウントを数えた'),
        count: int('アカウント数'),
      },
      ['days', 'count'],
    ),
  },
  ['total', 'enabled'],
  '個々のアカウントを出力できないときの集計値。accounts と両方あるときは accounts を使う',
);

const system = obj(
  'システム',
  {
    name: str('システムの名称', '評価書の「①システムの名称」と同じ名称'),
    aliases: arr('別名', { type: 'string', minLength: 1 }, '評価書で別の名称で記載しているときの名称'),
    connections: arr('他のシステムとの接続', local('connection')),
    internetReachable: bool('インターネットからの到達性', 'インターネットから到達できる (公開されている) か'),
    accounts: arr('アカウント', local('account')),
    accountCounts: local('accountCounts'),
    passwordPolicy: obj('パスワードポリシー', {
      minLength: int('最小文字数'),
      maxAgeDays: int('有効期間 (日)'),
      lockoutThreshold: int('ロックアウトまでの失敗回数'),
      complexity: bool('複雑さの要件'),
    }),
    accessLog: obj('アクセスログ', { enabled: bool('取得'), retentionDays: int('保存日数') }, ['enabled']),
    encryption: obj('暗号化', { atRest: bool('保存データの暗号化'), inTransit: bool('通信の暗号化') }),
    backup: obj('バックアップ', {
      enabled: bool('取得', '自動バックアップが有効か'),
      retentionDays: int('保持日数', 'バックアップ (スナップショット) を保持する日数'),
      schedule: str('取得周期', '例: 毎日 02:00'),
      lastSuccess: dateTime('最終成功日時'),
      location: local('location'),
    }),
    removableMedia: {
      title: '電子記録媒体の利用',
      type: 'string',
      enum: ['blocked', 'registered-only', 'allowed'],
      description: 'blocked: 禁止 / registered-only: 登録済み媒体のみ許可 / allowed: 制限なし',
    },
    location: local('location'),
  },
  ['name'],
);

const field = obj(
  '項目',
  {
    column: str('列名', 'データベース・ファイル上の列名'),
    item: str('記録項目', '対応する評価書の記録項目 ((別添) 特定個人情報ファイル記録項目) の名称'),
    category: {
      title: '主な記録項目の区分',
      $ref: `${DEFS}#/$defs/mainItems/items/properties/choice`,
      description: '評価書の「主な記録項目」のどの区分に当たるか',
    },
  },
  ['column'],
);

const dataStore = obj(
  'データストア',
  {
    name: str('データストア名', 'データベース・スキーマ・ファイル名など'),
    system: str('システム', '保持しているシステムの名称'),
    file: str('特定個人情報ファイル', '評価書の特定個人情報ファイル名'),
    fields: arr('項目', local('field')),
    records: int('レコード数'),
    persons: int('本人の数', '記録されている本人 (個人) の数'),
    retentionDays: {
      title: '保管期間の設定',
      description: '自動削除などの保管期間 (日数)。期間を定めていないときは "indefinite"',
      anyOf: [
        { type: 'integer', minimum: 0 },
        { type: 'string', const: 'indefinite' },
      ],
    },
    encryptedAtRest: bool('保存データの暗号化'),
    location: local('location'),
    serverSettings: {
      title: 'サーバー設定',
      type: 'object',
      description: 'データベースサーバーの設定値 (ssl、log_*、password_encryption など。pia collect postgres が記録)',
      additionalProperties: { type: 'string' },
    },
  },
  ['name', 'file'],
);

const subcontractor = obj(
  '再委託先',
  {
    name: str('再委託先名'),
    scope: str('再委託事項'),
    staff: int('取扱者数'),
    approval: str('許諾の記録', '再委託の許諾 (承諾) の文書番号など'),
  },
  ['name'],
);

const contractor = obj(
  '委託先',
  {
    name: str('委託先名', '評価書の「委託先名」と同じ名称'),
    scope: str('委託内容'),
    file: str('特定個人情報ファイル', '委託するファイル (評価書に複数のファイルがあるとき)'),
    staff: int('取扱者数', '委託先で特定個人情報ファイルを取り扱う従業者の数'),
    contract: str('契約', '契約番号・契約期間など'),
    subcontractors: arr('再委託先', local('subcontractor')),
  },
  ['name'],
);

const provision = obj(
  '提供・移転',
  {
    to: str('提供先・移転先'),
    kind: { title: '種別', type: 'string', enum: ['提供', '移転'] },
    file: str('特定個人情報ファイル'),
    method: str('方法'),
    legalBasis: str('法令上の根拠'),
  },
  ['to', 'kind'],
);

const incident = obj(
  '事故',
  {
    date: date('発生日'),
    summary: str('概要'),
    specificPersonalInfo: bool('特定個人情報の関係', '特定個人情報に関する事故か'),
    serious: bool('重大事故', '重大事故に当たるか'),
    attributable: bool(
      '評価実施機関の責め',
      '評価実施機関の責めに帰すべき事由によるか (配送事故など責めに帰さない事故は false)。省略時は true',
    ),
  },
  ['date', 'specificPersonalInfo', 'serious'],
);

// Where each fact came from (pia collect, src/collect/). A pointer names a fact or a subtree of the snapshot
// (the most specific entry applies); several entries may share a pointer when several resources contributed
// to one fact (three volumes → one 保存データの暗号化), each with the value it contributed, so a finding can
// name the resource that made the fact false. Sources are named without credentials (URLs lose their
// user:password and query), because a snapshot is committed and shown in CI logs.
const provenance = obj(
  '出典',
  {
    pointer: { title: '項目', type: 'string', pattern: '^(/[^/]*)*$', description: 'この出典の事実 (またはその配下) を指す JSON Pointer' },
    kind: {
      title: '出典の種類',
      type: 'string',
      enum: ['terraform-state', 'terraform-plan', 'postgres', 'accounts-csv', 'accounts-ldif', 'accounts-json', 'mapping', 'manual'],
    },
    source: str('出典', 'ファイルのパス、または資格情報を除いた接続先 URL'),
    address: str('リソース', 'Terraform のリソースアドレス、テーブル (schema.table)、設定名など'),
    action: str('計画の操作', 'Terraform plan の操作 (create, update, delete, replace など)'),
    value: { title: '値', description: 'このリソースが寄与した値 (複数のリソースから一つの事実を求めたとき)' },
    collectedAt: dateTime('取得日時'),
  },
  ['pointer', 'kind', 'source', 'collectedAt'],
);

const unattributed = obj(
  'システムに結び付けられないリソース',
  {
    kind: { title: '出典の種類', type: 'string', enum: ['terraform-state', 'terraform-plan'] },
    source: str('出典'),
    address: str('リソース'),
    type: str('リソースの種類'),
    reason: str('理由'),
  },
  ['source', 'address', 'reason'],
  'タグ pia:system もマッピングもないため、どのシステムの事実か決められなかったリソース (推測しない)',
);

const waiver = obj(
  '例外承認',
  {
    rule: {
      title: '規則',
      type: 'string',
      pattern: '^check/[a-z0-9-]+$',
      description: '例外とする指摘のコード (例: check/undeclared-connection)',
    },
    pointer: {
      title: '評価書の項目',
      type: 'string',
      pattern: '^(/[^/]*)*$',
      description: '指摘の評価書側の JSON Pointer (指摘の path)',
    },
    snapshotPointer: {
      title: 'ライブ構成の位置',
      type: 'string',
      pattern: '^(/[^/]*)*$',
      description: '同じ項目に複数の指摘があるとき、ライブ構成側の JSON Pointer で絞り込む',
    },
    justification: str('理由'),
    approver: str('承認者'),
    approvedDate: date('承認日'),
    expires: date('有効期限', 'この日を過ぎると例外は失効し、指摘に戻る'),
  },
  ['rule', 'pointer', 'justification', 'approver', 'expires'],
);

export const liveSnapshot: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'live-snapshot.schema.json',
  title: 'ライブ構成スナップショット',
  description:
    '稼働中のシステムの構成 (接続・アカウント・暗号化・ログ・バックアップ・データ・委託先・事故) を評価書の記載と照合するための入力 (pia check --live)',
  type: 'object',
  properties: {
    $schema: { type: 'string', description: 'エディタ補完用のスキーマ参照 (任意)' },
    organization: {
      title: '機関ID',
      $ref: `${DEFS}#/$defs/organization/properties/id`,
      description: '評価書の organization.id と同じ識別子',
    },
    asOf: dateTime('取得日時', 'この構成を取得した日時。期限・経過日数はこの時点で判定する'),
    exporter: str('出力元', '出力したツール・担当者'),
    counts: obj(
      'しきい値判断の計数',
      {
        persons: int('対象人数', '事務の対象となる本人の数 (重複を除く)'),
        handlers: int('取扱者数', '特定個人情報ファイル取扱者の数 (委託先・再委託先の従業者を含む)'),
      },
      [],
      '省略時はデータストアの本人の数・アカウント・委託先の取扱者数から求める',
    ),
    systems: arr('システム', local('system')),
    dataStores: arr('データストア', local('dataStore')),
    contractors: arr('委託先', local('contractor')),
    provisions: arr('提供・移転', local('provision')),
    incidents: arr('事故の記録', local('incident')),
    provenance: arr('出典', local('provenance'), 'pia collect が記録する、事実ごとの出典 (種類・ファイルまたは URL・リソース・取得日時)'),
    unattributed: arr('システムに結び付けられないリソース', local('unattributed')),
  },
  required: ['organization', 'asOf'],
  additionalProperties: false,
  $defs: {
    system,
    connection,
    account,
    accountCounts,
    location,
    dataStore,
    field,
    contractor,
    subcontractor,
    provision,
    incident,
    provenance,
    unattributed,
    waiverFile: obj(
      '例外承認ファイル',
      {
        $schema: { type: 'string' },
        organization: { $ref: `${DEFS}#/$defs/organization/properties/id` },
        waivers: arr('例外承認', local('waiver')),
      },
      ['waivers'],
      'pia check --waivers で読む例外承認の一覧',
    ),
    waiver,
  },
};
