// Shared $defs: 選択肢 lists (verbatim, in official order), multi-select lists, measure blocks, the
// 変更箇所 row, and document metadata. Provenance tags follow ../shared/docs/pia-domain.md:
// [V-seed] verified in a seed, [S] secondary source, [M] unverified general knowledge — correct [M] lists
// here, in one place, when the current PPC 様式 is at hand.
import { type Schema } from './dsl.ts';

const choiceDef = (values: string[], description?: string): Schema => ({
  type: 'string',
  enum: values,
  'x-kind': 'choice',
  ...(description ? { description } : {}),
});

/** A multi-select list. `detail` lists the choices printed with 「( … )」 in the form. */
const multiDef = (values: string[], detail: string[], description?: string): Schema => ({
  type: 'array',
  'x-kind': 'multi',
  'x-detail': detail,
  uniqueItems: true,
  ...(description ? { description } : {}),
  items: {
    type: 'object',
    properties: {
      choice: { type: 'string', enum: values },
      detail: { type: 'string' },
    },
    required: ['choice'],
    additionalProperties: false,
  },
});

export const defs: Record<string, Schema> = {
  // ---- document metadata -------------------------------------------------------------------------
  documentStatus: choiceDef(['素案', '案', '提出', '公表']),
  organization: {
    type: 'object',
    properties: {
      id: {
        title: '機関ID',
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
        description: '英小文字・数字・ハイフンの識別子 (例: hofu-city)。ライブ構成との照合に使う',
      },
      type: {
        title: '機関の種別',
        type: 'string',
        enum: ['地方公共団体等', '行政機関等'],
        description: '手続 (意見聴取・第三者点検・承認) の要否を決める',
      },
    },
    required: ['id', 'type'],
    additionalProperties: false,
  },
  nonPublic: {
    type: 'array',
    description: '公表用の版で「非公表」と表示する項目 (セキュリティ上のリスクがある記載)',
    items: {
      type: 'object',
      properties: {
        path: { type: 'string', pattern: '^(/[^/]*)+$', description: '項目の JSON Pointer' },
        reason: { type: 'string', description: '非公表とする理由' },
      },
      required: ['path'],
      additionalProperties: false,
    },
  },
  sourceGaps: {
    type: 'array',
    description:
      '元資料 (PDF 等) の欠落した項目。値は判明した部分だけを記載し、不明な部分は「略」とする。検証はこれらを未記載と同じ重大度で報告する',
    items: {
      type: 'object',
      properties: {
        path: { type: 'string', pattern: '^(/[^/]*)+$', description: '欠落した項目 (またはその上位) の JSON Pointer' },
        note: { type: 'string', description: '欠落の内容と、判明した部分の出所' },
      },
      required: ['path', 'note'],
      additionalProperties: false,
    },
  },
  appendices: {
    type: 'array',
    description: '様式外の付録 (用語集など)。自由記載',
    items: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            properties: { term: { type: 'string' }, text: { type: 'string' } },
            required: ['text'],
            additionalProperties: false,
          },
        },
      },
      required: ['title', 'entries'],
      additionalProperties: false,
    },
  },

  // ---- measures (risk countermeasure texts) -------------------------------------------------------
  measure: {
    type: 'array',
    'x-kind': 'measure',
    description:
      'リスク対策の記載。システムごとのブロック (<○○システムにおける措置>) と、その中の段落・番号付きの部分 (①…) の列',
    items: { $ref: '#/$defs/measureBlock' },
  },
  measureBlock: {
    type: 'object',
    properties: {
      heading: { type: 'string', description: 'ブロックの見出し (例: 健康管理システムにおける措置)。< > は付けない' },
      system: { type: 'string', description: '対象システム名 (Ⅰ 2. のシステムの名称)' },
      parts: {
        type: 'array',
        minItems: 1,
        items: { type: 'string' },
        description: '段落または番号付きの部分 (「① …」)。変更箇所では部分ごとに 1 行になる',
      },
      controls: { type: 'array', items: { $ref: '#/$defs/controlBinding' } },
      attestation: { $ref: '#/$defs/attestation' },
    },
    required: ['parts'],
    additionalProperties: false,
  },
  controlBinding: {
    type: 'object',
    description: 'ライブ構成で自動確認するコントロール (カタログの ID とパラメータ)',
    properties: {
      id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
      system: { type: 'string', description: '対象システム名。省略時はブロックの system' },
      // anyOf rather than a union `type`: Ajv's strict mode (strictTypes) rejects union types.
      params: {
        type: 'object',
        additionalProperties: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
      },
    },
    required: ['id'],
    additionalProperties: false,
  },
  attestation: {
    type: 'object',
    description: '自動確認できない措置の確認記録 (誰が・いつ・根拠・有効期限)',
    properties: {
      by: { type: 'string' },
      date: { type: 'string', format: 'date' },
      evidence: { type: 'string' },
      expires: { type: 'string', format: 'date' },
    },
    required: ['by', 'date', 'evidence', 'expires'],
    additionalProperties: false,
  },

  period: {
    type: 'object',
    'x-kind': 'period',
    properties: {
      from: { type: 'string', format: 'date', description: '開始日' },
      to: { type: 'string', format: 'date', description: '終了日' },
    },
    required: ['from', 'to'],
    additionalProperties: false,
  },

  // ---- 変更箇所 (change log) -------------------------------------------------------------------------
  changeRow: {
    type: 'object',
    properties: {
      date: { title: '変更日', type: 'string', format: 'date', 'x-kind': 'date' },
      item: { title: '項目', type: 'string', 'x-kind': 'text' },
      before: { title: '変更前の記載', type: 'string', 'x-kind': 'text' },
      after: { title: '変更後の記載', type: 'string', 'x-kind': 'text' },
      timing: { title: '提出時期', type: 'string', enum: ['事前', '事後'], 'x-kind': 'choice' },
      explanation: { title: '提出時期に係る説明', type: 'string', 'x-kind': 'text' },
    },
    required: ['date', 'item', 'before', 'after', 'timing', 'explanation'],
    additionalProperties: false,
  },

  // ---- しきい値判断 bands ------------------------------------------------------------------------------
  // 対象人数 (全項目 Ⅰ1③ / 基礎 Ⅱ1) [S for bands; M for 全項目 5-choice list]
  persons5: choiceDef(['1,000人未満', '1,000人以上1万人未満', '1万人以上10万人未満', '10万人以上30万人未満', '30万人以上']),
  // 重点 Ⅰ1③: four choices, 30万人以上 absent [V-seed]
  persons4: choiceDef(['1,000人未満', '1,000人以上1万人未満', '1万人以上10万人未満', '10万人以上30万人未満']),
  // 基礎 Ⅱ1: [M for the 「(任意実施)」 suffix]
  personsKiso: choiceDef([
    '1,000人未満(任意実施)',
    '1,000人以上1万人未満',
    '1万人以上10万人未満',
    '10万人以上30万人未満',
    '30万人以上',
  ]),
  handlers: choiceDef(['500人以上', '500人未満']), // [M wording]
  incidentOccurred: choiceDef(['発生あり', '発生なし']),
  // 基礎 Ⅲ しきい値判断結果 [M order/wording]
  thresholdResultKiso: choiceDef([
    '基礎項目評価の実施が義務付けられる',
    '基礎項目評価及び重点項目評価の実施が義務付けられる',
    '基礎項目評価及び全項目評価の実施が義務付けられる',
    '特定個人情報保護評価の実施が義務付けられない',
  ]),
  // 重点 Ⅴ1② [V-seed]
  thresholdResultJuten: choiceDef([
    '基礎項目評価及び重点項目評価の実施が義務付けられる',
    '基礎項目評価の実施が義務付けられる(任意に重点項目評価を実施)',
    '特定個人情報保護評価の実施が義務付けられない(任意に重点項目評価を実施)',
  ]),
  // 全項目 Ⅵ1② [V-seed]
  thresholdResultZenkomoku: choiceDef([
    '基礎項目評価及び全項目評価の実施が義務付けられる',
    '基礎項目評価及び重点項目評価の実施が義務付けられる(任意に全項目評価を実施)',
    '基礎項目評価の実施が義務付けられる(任意に全項目評価を実施)',
    '特定個人情報保護評価の実施が義務付けられない(任意に全項目評価を実施)',
  ]),
  // 基礎 Ⅳ1 [M]
  submittedForms: choiceDef(['基礎項目評価書', '基礎項目評価書及び重点項目評価書', '基礎項目評価書及び全項目評価書']),

  // ---- Ⅰ 基本情報 ------------------------------------------------------------------------------------
  linkageImplementation: choiceDef(['実施する', '実施しない', '未定']),
  systemConnections: multiDef(
    [
      '情報提供ネットワークシステム',
      '庁内連携システム',
      '住民基本台帳ネットワークシステム',
      '既存住民基本台帳システム',
      '宛名システム等',
      '税務システム',
      'その他',
    ],
    ['その他'],
  ),
  applied: choiceDef(['適用した', '適用しない']), // 基礎 Ⅰ9 [M]

  // ---- Ⅱ ファイルの概要 -----------------------------------------------------------------------------
  fileType: choiceDef(['システム用ファイル', 'その他の電子ファイル(表計算ファイル等)']),
  filePersons: choiceDef(['1万人未満', '1万人以上10万人未満', '10万人以上100万人未満', '100万人以上1,000万人未満', '1,000万人以上']),
  itemCount: choiceDef(['10項目未満', '10項目以上50項目未満', '50項目以上100項目未満', '100項目以上']),
  // 主な記録項目 (§3.5) [V-seed]
  mainItems: multiDef(
    [
      '個人番号',
      '個人番号対応符号',
      'その他識別情報(内部番号)',
      '4情報(氏名、性別、生年月日、住所)',
      '連絡先(電話番号等)',
      'その他住民票関係情報',
      '国税関係情報',
      '地方税関係情報',
      '健康・医療関係情報',
      '医療保険関係情報',
      '児童福祉・子育て関係情報',
      '障害者福祉関係情報',
      '生活保護・社会福祉関係情報',
      '介護・高齢者福祉関係情報',
      '雇用・労働関係情報',
      '年金関係情報',
      '学校・教育関係情報',
      '災害関係情報',
      'その他',
    ],
    ['その他'],
  ),
  sources: multiDef(
    [
      '本人又は本人の代理人',
      '評価実施機関内の他部署',
      '行政機関・独立行政法人等',
      '地方公共団体・地方独立行政法人',
      '民間事業者',
      'その他',
    ],
    ['評価実施機関内の他部署', '行政機関・独立行政法人等', '地方公共団体・地方独立行政法人', '民間事業者', 'その他'],
  ),
  acquisitionMethods: multiDef(
    [
      '紙',
      '電子記録媒体(フラッシュメモリを除く。)',
      'フラッシュメモリ',
      '電子メール',
      '専用線',
      '庁内連携システム',
      '情報提供ネットワークシステム',
      'その他',
    ],
    ['その他'],
  ),
  staffCount: choiceDef(['10人未満', '10人以上50人未満', '50人以上100人未満', '100人以上500人未満', '500人以上1,000人未満', '1,000人以上']),
  entrust: choiceDef(['委託する', '委託しない']),
  subcontract: choiceDef(['再委託する', '再委託しない']),
  entrustScope: choiceDef(['特定個人情報ファイルの全体', '特定個人情報ファイルの一部']),
  entrustMethods: multiDef(
    ['専用線', '電子メール', '電子記録媒体(フラッシュメモリを除く。)', 'フラッシュメモリ', '紙', 'その他'],
    ['その他'],
  ),
  // 提供・移転の有無 [M]
  provisionPresence: multiDef(['提供を行っている', '移転を行っている', '行っていない'], []),
  provisionMethods: multiDef(
    [
      '情報提供ネットワークシステム',
      '専用線',
      '電子メール',
      '電子記録媒体(フラッシュメモリを除く。)',
      'フラッシュメモリ',
      '紙',
      'その他',
    ],
    ['その他'],
  ),
  retentionPeriod: choiceDef([
    '1年未満',
    '1年',
    '2年',
    '3年',
    '4年',
    '5年',
    '6年以上10年未満',
    '10年以上20年未満',
    '20年以上',
    '定められていない',
  ]),

  // ---- Ⅲ/Ⅳ リスク対策 --------------------------------------------------------------------------------
  sufficiency: choiceDef(['特に力を入れている', '十分である', '課題が残されている']),
  doing: choiceDef(['行っている', '行っていない']),
  recording: choiceDef(['記録を残している', '記録を残していない']),
  defining: choiceDef(['定めている', '定めていない']),
  restricting: choiceDef(['制限している', '制限していない']),
  effortDoing: choiceDef(['特に力を入れて行っている', '十分に行っている', '十分に行っていない']),
  subcontractAssurance: choiceDef(['特に力を入れて行っている', '十分に行っている', '十分に行っていない', '再委託していない']),
  nisc: choiceDef(['特に力を入れて遵守している', '十分に遵守している', '十分に遵守していない', '政府機関ではない']),
  maintaining: choiceDef(['特に力を入れて整備している', '十分に整備している', '十分に整備していない']),
  informing: choiceDef(['特に力を入れて周知している', '十分に周知している', '十分に周知していない']),
  deceased: choiceDef(['保管している', '保管していない']),
  audits: multiDef(['自己点検', '内部監査', '外部監査'], []),

  // 基礎 Ⅳ10 最も優先度が高いと考えられる対策 [M: list and wording unverified]
  priorityMeasure: choiceDef([
    '目的外の入手が行われるリスクへの対策',
    '目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスクへの対策',
    '権限のない者によって不正に使用されるリスクへの対策',
    '委託先における不正な使用等のリスクへの対策',
    '不正な提供・移転が行われるリスクへの対策',
    '情報提供ネットワークシステムを通じて目的外の入手が行われるリスクへの対策',
    '情報提供ネットワークシステムを通じて不正な提供が行われるリスクへの対策',
    '特定個人情報の漏えい・滅失・毀損リスクへの対策',
    '従業者に対する教育・啓発',
  ]),

  // ---- Ⅴ 開示請求 --------------------------------------------------------------------------------
  fee: choiceDef(['有料', '無料']),
};
