// 様式3 重点項目評価書. Structure verified in seed 001 (防府市, 公表日 令和4年7月7日) except where a
// comment says otherwise; see ../shared/docs/pia-domain.md §3.2. The seed carries no version stamp; we
// file it under 平成30年5月 [I] (the revision in force for a 2022 document).
import {
  changeLog,
  choice,
  count,
  date,
  documentHeader,
  flag,
  formSchema,
  list,
  markSignificant,
  measure,
  multi,
  obj,
  period,
  repeated,
  text,
  type Schema,
} from './dsl.ts';
import { cover, department, fileBasics, networkLinkage, numberUse, recordItems, system } from './common.ts';

const sufficiency = () => choice('リスクへの対策は十分か', 'sufficiency');
const otherRisks = (title: string) => measure(title, { optional: true });

const entrustItem = obj(undefined, {
  title: text('委託事項名', { optional: true }),
  content: text('①委託内容'),
  handlerCount: choice('②委託先における取扱者数', 'staffCount'),
  contractor: text('③委託先名'),
  subcontract: obj('再委託', {
    presence: choice('④再委託の有無', 'subcontract', { sig: true }),
    method: text('⑤再委託の許諾方法', { optional: true }),
    items: text('⑥再委託事項', { optional: true }),
  }),
});

// Ⅱ5 is missing from seed 001: structure from pia-domain.md §3.2 [M] (shorter than 全項目). Which of
// its items carry ※ is unverified; we mark none until the current 様式 is checked.
const provisionDest = obj(undefined, {
  destination: text('提供先・移転先'),
  legalBasis: text('①法令上の根拠'),
  purpose: text('②提供先における用途'),
  information: text('③提供する情報'),
  timing: text('④時期・頻度'),
});

const fileOverview = obj(undefined, {
  name: text('1. 特定個人情報ファイル名'),
  basics: fileBasics(),
  acquisition: obj('3. 特定個人情報の入手・使用', {
    sources: multi('①入手元', 'sources', { sig: true }),
    methods: multi('②入手方法', 'acquisitionMethods'),
    purpose: text('③使用目的', { sig: true }),
    users: obj('④使用の主体', {
      departments: text('使用部署'),
      userCount: choice('使用者数', 'staffCount'),
    }),
    usage: obj('⑤使用方法', {
      method: text(''),
      matching: text('情報の突合'),
    }),
    startDate: date('⑥使用開始日'),
  }),
  entrustment: obj('4. 特定個人情報ファイルの取扱いの委託', {
    presence: choice('委託の有無', 'entrust', { sig: true }),
    count: count('委託件数', { unit: '件', optional: true, printedWith: 'presence' }),
    items: repeated(undefined, '委託事項', entrustItem, { optional: true }),
  }),
  provision: obj('5. 特定個人情報の提供・移転(委託に伴うものを除く。)', {
    presence: multi('提供・移転の有無', 'provisionPresence'),
    provisionCount: count('提供件数', {
      unit: '件',
      optional: true,
      printedWith: 'presence',
      printedBeside: '提供を行っている',
    }),
    transferCount: count('移転件数', {
      unit: '件',
      optional: true,
      printedWith: 'presence',
      printedBeside: '移転を行っている',
    }),
    provisions: repeated(undefined, '提供先', provisionDest, { optional: true }),
    transfers: repeated(undefined, '移転先', provisionDest, { optional: true }),
  }),
  // Ⅱ6 is missing from seed 001; its 変更箇所 cites 「6. 特定個人情報の保管・消去 保管場所」 as a
  // 重要な変更, so 保管場所 is ※ [I]. 消去方法 [M].
  storage: obj('6. 特定個人情報の保管・消去', {
    location: text('保管場所', { sig: true }),
    erasure: text('消去方法', { optional: true }),
  }),
  recordItems: recordItems('(別添1) 特定個人情報ファイル記録項目'),
});

// Ⅲ リスク対策 ※(7. ②を除く。) — every item of Ⅲ is ※ except 7② and its sub-items [V-seed].
const riskMeasures = markSignificant(
  obj(undefined, {
    fileName: text('1. 特定個人情報ファイル名'),
    acquisition: obj('2. 特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)', {
      risk: obj('リスク: 目的外の入手が行われるリスク', {
        measures: measure('リスクに対する措置の内容'),
        sufficiency: sufficiency(),
      }),
      otherRisks: otherRisks('特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)におけるその他のリスク及びそのリスクに対する措置'),
    }),
    use: obj('3. 特定個人情報の使用', {
      risk1: obj('リスク1: 目的を超えた紐付け、事務に必要な情報との紐付けが行われるリスク', {
        // 「必要な」 as printed in both seeds [V-seed]; pia-domain.md [M] has 「必要のない」.
        measures: measure('リスクに対する措置の内容'),
        sufficiency: sufficiency(),
      }),
      risk2: obj('リスク2: 権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク', {
        userAuthentication: choice('ユーザ認証の管理', 'doing'),
        userAuthenticationMethod: measure('具体的な管理方法'),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }),
      otherRisks: otherRisks('特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置'),
    }),
    // Ⅲ4 is missing from seed 001; its 変更箇所 cites 「4. … その他措置の内容」. Structure [M]: a subset
    // of the 全項目 Ⅲ4.
    entrustment: obj('4. 特定個人情報ファイルの取扱いの委託', {
      notEntrusted: flag('委託しない', { optional: true }),
      risk: obj('リスク: 委託先における不正な使用等のリスク', {
        protectionCheck: measure('情報保護管理体制の確認', { optional: true }),
        contractProvisions: choice('委託契約書中の特定個人情報ファイルの取扱いに関する規定', 'defining', { optional: true }),
        contractProvisionsContent: measure('規定の内容', { optional: true }),
        subcontractAssurance: choice('再委託先による特定個人情報ファイルの適切な取扱いの確保', 'subcontractAssurance', { optional: true }),
        subcontractAssuranceMethod: measure('具体的な方法', { optional: true }),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }, { optional: true }),
      otherRisks: otherRisks('特定個人情報ファイルの取扱いの委託におけるその他のリスク及びそのリスクに対する措置'),
    }),
    provision: obj('5. 特定個人情報の提供・移転(委託や情報提供ネットワークシステムを通じた提供を除く。)', {
      notProvided: flag('提供・移転しない', { optional: true }),
      risk: obj('リスク: 不正な提供・移転が行われるリスク', {
        rules: choice('特定個人情報の提供・移転に関するルール', 'defining'),
        rulesContent: measure('ルールの内容及びルール遵守の確認方法'),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }, { optional: true }),
      otherRisks: otherRisks('特定個人情報の提供・移転(委託や情報提供ネットワークシステムを通じた提供を除く。)におけるその他のリスク及びそのリスクに対する措置'),
    }),
    network: obj('6. 情報提供ネットワークシステムとの接続', {
      notConnectedAcquisition: flag('接続しない(入手)', { optional: true }),
      notConnectedProvision: flag('接続しない(提供)', { optional: true }),
      risk1: obj('リスク1: 目的外の入手が行われるリスク', {
        measures: measure('リスクに対する措置の内容'),
        sufficiency: sufficiency(),
      }, { optional: true }),
      risk2: obj('リスク2: 不正な提供が行われるリスク', {
        measures: measure('リスクに対する措置の内容'),
        sufficiency: sufficiency(),
      }, { optional: true }),
      otherRisks: otherRisks('情報提供ネットワークシステムとの接続に伴うその他のリスク及びそのリスクに対する措置'),
    }),
    storage: obj('7. 特定個人情報の保管・消去', {
      risk: obj('リスク: 特定個人情報の漏えい・滅失・毀損リスク', {
        incidentProcedure: choice('①事故発生時手順の策定・周知', 'effortDoing'),
        seriousIncident: obj(undefined, {
          occurred: choice('②過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか', 'incidentOccurred'),
          content: text('その内容', { optional: true }),
          prevention: text('再発防止策の内容', { optional: true }),
        }),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }),
      otherRisks: otherRisks('特定個人情報の保管・消去におけるその他のリスク及びそのリスクに対する措置'),
    }),
    audit: obj('8. 監査', { implementation: multi('実施の有無', 'audits') }),
    education: obj('9. 従業者に対する教育・啓発', {
      level: choice('従業者に対する教育・啓発', 'effortDoing'),
      method: measure('具体的な方法'),
    }),
    other: obj('10. その他のリスク対策', { measures: measure('その他のリスク対策', { optional: true }) }),
  }),
  ['seriousIncident'],
);

export const juten: Schema = formSchema(
  {
    id: 'juten-h30.schema.json',
    title: '特定個人情報保護評価書(重点項目評価書)',
    description: '様式3 重点項目評価書 (平成30年5月版として扱う)。ラベル・選択肢は様式の文言どおり。',
    form: 'juten',
    stamp: '[平成30年5月 様式3]',
  },
  {
      ...documentHeader('重点項目評価書', '平成30年5月', '[平成30年5月 様式3]'),
      cover: cover(false),
      basic: obj('Ⅰ 基本情報', {
        jimu: obj('1. 特定個人情報ファイルを取り扱う事務', {
          name: text('①事務の名称'),
          content: text('②事務の内容'),
          persons: choice('③対象人数', 'persons4'),
        }),
        systems: repeated('2. 特定個人情報ファイルを取り扱う事務において使用するシステム', 'システム', system(), { min: 1 }),
        fileNames: list('3. 特定個人情報ファイル名'),
        numberUse: numberUse(4),
        networkLinkage: networkLinkage(5),
        department: { ...department(), title: '6. 評価実施機関における担当部署' },
        otherBodies: text('7. 他の評価実施機関', { optional: true }),
      }),
      files: repeated('Ⅱ 特定個人情報ファイルの概要', '特定個人情報ファイル', fileOverview, { min: 1 }),
      risks: {
        ...repeated('Ⅲ リスク対策', '特定個人情報ファイル', riskMeasures, { min: 1 }),
        'x-note': '※(7. ②を除く。)',
      },
      disclosure: obj('Ⅳ 開示請求、問合せ', {
        request: obj('1. 特定個人情報の開示・訂正・利用停止請求', {
          destination: text('①請求先'),
          method: text('②請求方法'),
          specialProcedure: text('③法令による特別の手続', { optional: true }),
          notListed: text('④個人情報ファイル簿への不記載等', { optional: true }),
        }),
        inquiry: obj('2. 特定個人情報ファイルの取扱いに関する問合せ', {
          contact: text('①連絡先'),
          response: text('②対応方法'),
        }),
      }),
      procedure: obj('Ⅴ 評価実施手続', {
        kiso: obj('1. 基礎項目評価', {
          date: date('①実施日'),
          thresholdResult: choice('②しきい値判断結果', 'thresholdResultJuten'),
        }),
        publicComment: obj('2. 国民・住民等からの意見の聴取【任意】', {
          method: text('①方法', { optional: true }),
          period: period('②実施日・期間', { optional: true }),
          mainOpinions: text('③主な意見の内容', { optional: true }),
        }, { optional: true }),
        thirdParty: obj('3. 第三者点検【任意】', {
          date: date('①実施日', { optional: true }),
          method: text('②方法', { optional: true }),
          result: text('③結果', { optional: true }),
        }, { optional: true }),
      }),
      changeLog: changeLog('(別添2) 変更箇所'),
  },
);
