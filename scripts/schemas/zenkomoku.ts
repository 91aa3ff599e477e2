// 様式4 全項目評価書 [平成30年5月 様式4]. Structure verified in seed 000 (鹿児島市 素案) except where a
// comment says otherwise; see ../shared/docs/pia-domain.md §3.3. Parts missing from the seed (Ⅰ1, the
// Ⅱ4 header, Ⅱ5) follow the 相模原市/宮崎市/杉並区 examples [S] or general knowledge [M].
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
const simpleRisk = (title: string, o: { optional?: boolean } = {}) =>
  obj(title, { measures: measure('リスクに対する措置の内容'), sufficiency: sufficiency() }, o);

const entrustItem = obj(undefined, {
  title: text('委託事項名', { optional: true }),
  content: text('①委託内容'),
  scope: obj('②取扱いを委託する特定個人情報ファイルの範囲', {
    range: choice('', 'entrustScope'),
    persons: choice('対象となる本人の数', 'filePersons'),
    personsScope: text('対象となる本人の範囲', { sig: true }),
    validity: text('その妥当性'),
  }),
  handlerCount: choice('③委託先における取扱者数', 'staffCount'),
  methods: multi('④委託先への特定個人情報ファイルの提供方法', 'entrustMethods'),
  contractorCheck: text('⑤委託先名の確認方法'),
  contractor: text('⑥委託先名'),
  subcontract: obj('再委託', {
    presence: choice('⑦再委託の有無', 'subcontract', { sig: true }),
    method: text('⑧再委託の許諾方法', { optional: true }),
    items: text('⑨再委託事項', { optional: true }),
  }),
});

// Ⅱ5 is missing from seed 000 [M]. Which items carry ※ is unverified; none is marked until the current
// 様式 is checked (pia-domain.md §10 item 1).
const provisionDest = (verb: '提供' | '移転') =>
  obj(undefined, {
    destination: text(`${verb}先`),
    legalBasis: text('①法令上の根拠'),
    purpose: text(`②${verb}先における用途`),
    information: text(`③${verb}する情報`),
    persons: choice(`④${verb}する情報の対象となる本人の数`, 'filePersons'),
    personsScope: text(`⑤${verb}する情報の対象となる本人の範囲`),
    methods: multi(`⑥${verb}方法`, 'provisionMethods'),
    timing: text('⑦時期・頻度'),
  });

const fileOverview = obj(undefined, {
  name: text('1. 特定個人情報ファイル名'),
  basics: fileBasics(),
  acquisition: obj('3. 特定個人情報の入手・使用', {
    sources: multi('①入手元', 'sources', { sig: true }),
    methods: multi('②入手方法', 'acquisitionMethods'),
    timing: text('③入手の時期・頻度'),
    validity: text('④入手に係る妥当性'),
    notice: text('⑤本人への明示'),
    purpose: obj('⑥使用目的', {
      purpose: text('', { sig: true }),
      changeValidity: text('変更の妥当性', { optional: true }),
    }),
    users: obj('⑦使用の主体', {
      departments: text('使用部署', { sig: true }),
      userCount: choice('使用者数', 'staffCount'),
    }),
    usage: obj('⑧使用方法', {
      method: text('', { sig: true }),
      matching: text('情報の突合', { sig: true }),
      statistics: text('情報の統計分析', { sig: true }),
      decisions: text('権利利益に影響を与え得る決定', { sig: true }),
    }),
    startDate: date('⑨使用開始日'),
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
    provisions: repeated(undefined, '提供先', provisionDest('提供'), { optional: true }),
    transfers: repeated(undefined, '移転先', provisionDest('移転'), { optional: true }),
  }),
  storage: obj('6. 特定個人情報の保管・消去', {
    location: text('①保管場所', { sig: true }),
    retention: obj('②保管期間', {
      period: choice('期間', 'retentionPeriod'),
      validity: text('その妥当性'),
    }),
    erasure: text('③消去方法'),
  }),
  notes: text('7. 備考', { optional: true }),
  recordItems: recordItems('(別添2) 特定個人情報ファイル記録項目'),
});

// Ⅲ ※(7. リスク1⑨を除く。) [V-seed]
const riskMeasures = markSignificant(
  obj(undefined, {
    fileName: text('1. 特定個人情報ファイル名'),
    acquisition: obj('2. 特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)', {
      risk1: obj('リスク1: 目的外の入手が行われるリスク', {
        nonSubjectPrevention: measure('対象者以外の情報の入手を防止するための措置の内容'),
        unnecessaryPrevention: measure('必要な情報以外を入手することを防止するための措置の内容'),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }),
      risk2: simpleRisk('リスク2: 不適切な方法で入手が行われるリスク'),
      risk3: obj('リスク3: 入手した特定個人情報が不正確であるリスク', {
        identityCheck: measure('入手の際の本人確認の措置の内容'),
        numberAuthenticity: measure('個人番号の真正性確認の措置の内容'),
        accuracy: measure('特定個人情報の正確性確保の措置の内容'),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }),
      risk4: simpleRisk('リスク4: 入手の際に特定個人情報が漏えい・紛失するリスク'),
      otherRisks: otherRisks('特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)におけるその他のリスク及びそのリスクに対する措置'),
    }),
    use: obj('3. 特定個人情報の使用', {
      risk1: obj('リスク1: 目的を超えた紐付け、事務に必要な情報との紐付けが行われるリスク', {
        // 「必要な」 as printed in both seeds [V-seed]; pia-domain.md [M] has 「必要のない」.
        addressSystem: measure('宛名システム等における措置の内容'),
        otherSystems: measure('事務で使用するその他のシステムにおける措置の内容'),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }),
      risk2: obj('リスク2: 権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスク', {
        userAuthentication: choice('ユーザ認証の管理', 'doing'),
        userAuthenticationMethod: measure('具体的な管理方法'),
        accessGrantRevoke: choice('アクセス権限の発効・失効の管理', 'doing'),
        accessGrantRevokeMethod: measure('具体的な管理方法'),
        accessControl: choice('アクセス権限の管理', 'doing'),
        accessControlMethod: measure('具体的な管理方法'),
        usageRecord: choice('特定個人情報の使用の記録', 'recording'),
        usageRecordMethod: measure('具体的な方法'),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }),
      risk3: simpleRisk('リスク3: 従業者が事務外で使用するリスク'),
      risk4: simpleRisk('リスク4: 特定個人情報ファイルが不正に複製されるリスク'),
      otherRisks: otherRisks('特定個人情報の使用におけるその他のリスク及びそのリスクに対する措置'),
    }),
    entrustment: obj('4. 特定個人情報ファイルの取扱いの委託', {
      notEntrusted: flag('委託しない', { optional: true }),
      risk: obj(
        '委託先による特定個人情報の不正入手・不正な使用に関するリスク 委託先による特定個人情報の不正な提供に関するリスク 委託先による特定個人情報の保管・消去に関するリスク 委託契約終了後の不正な使用等のリスク 再委託に関するリスク',
        {
          protectionCheck: measure('情報保護管理体制の確認'),
          accessRestriction: choice('特定個人情報ファイルの閲覧者・更新者の制限', 'restricting'),
          accessRestrictionMethod: measure('具体的な制限方法'),
          handlingRecord: choice('特定個人情報ファイルの取扱いの記録', 'recording'),
          handlingRecordMethod: measure('具体的な方法'),
          provisionRules: choice('特定個人情報の提供ルール', 'defining'),
          provisionRulesToOthers: measure('委託先から他者への提供に関するルールの内容及びルール遵守の確認方法'),
          provisionRulesBetween: measure('委託元と委託先間の提供に関するルールの内容及びルール遵守の確認方法'),
          erasureRules: choice('特定個人情報の消去ルール', 'defining'),
          erasureRulesContent: measure('ルールの内容及びルール遵守の確認方法'),
          contractProvisions: choice('委託契約書中の特定個人情報ファイルの取扱いに関する規定', 'defining'),
          contractProvisionsContent: measure('規定の内容'),
          subcontractAssurance: choice('再委託先による特定個人情報ファイルの適切な取扱いの確保', 'subcontractAssurance'),
          subcontractAssuranceMethod: measure('具体的な方法', { optional: true }),
          otherMeasures: measure('その他の措置の内容', { optional: true }),
          sufficiency: sufficiency(),
        },
        { optional: true },
      ),
      otherRisks: otherRisks('特定個人情報ファイルの取扱いの委託におけるその他のリスク及びそのリスクに対する措置'),
    }),
    provision: obj('5. 特定個人情報の提供・移転(委託や情報提供ネットワークシステムを通じた提供を除く。)', {
      notProvided: flag('提供・移転しない', { optional: true }),
      risk1: obj('リスク1: 不正な提供・移転が行われるリスク', {
        record: choice('特定個人情報の提供・移転の記録', 'recording'),
        recordMethod: measure('具体的な方法'),
        rules: choice('特定個人情報の提供・移転に関するルール', 'defining'),
        rulesContent: measure('ルールの内容及びルール遵守の確認方法'),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }, { optional: true }),
      risk2: simpleRisk('リスク2: 不適切な方法で提供・移転が行われるリスク', { optional: true }),
      risk3: simpleRisk('リスク3: 誤った情報を提供・移転してしまうリスク、誤った相手に提供・移転してしまうリスク', { optional: true }),
      otherRisks: otherRisks('特定個人情報の提供・移転(委託や情報提供ネットワークシステムを通じた提供を除く。)におけるその他のリスク及びそのリスクに対する措置'),
    }),
    network: obj('6. 情報提供ネットワークシステムとの接続', {
      notConnectedAcquisition: flag('接続しない(入手)', { optional: true }),
      notConnectedProvision: flag('接続しない(提供)', { optional: true }),
      risk1: simpleRisk('リスク1: 目的外の入手が行われるリスク', { optional: true }),
      risk2: simpleRisk('リスク2: 安全が保たれない方法によって入手が行われるリスク', { optional: true }),
      risk3: simpleRisk('リスク3: 入手した特定個人情報が不正確であるリスク', { optional: true }),
      risk4: simpleRisk('リスク4: 入手の際に特定個人情報が漏えい・紛失するリスク', { optional: true }),
      risk5: simpleRisk('リスク5: 不正な提供が行われるリスク', { optional: true }),
      risk6: simpleRisk('リスク6: 不適切な方法で提供されるリスク', { optional: true }),
      risk7: simpleRisk('リスク7: 誤った情報を提供してしまうリスク、誤った相手に提供してしまうリスク', { optional: true }),
      otherRisks: otherRisks('情報提供ネットワークシステムとの接続に伴うその他のリスク及びそのリスクに対する措置'),
    }),
    storage: obj('7. 特定個人情報の保管・消去', {
      risk1: obj('リスク1: 特定個人情報の漏えい・滅失・毀損リスク', {
        nisc: choice('①NISC政府機関統一基準群', 'nisc'),
        securityOrganization: choice('②安全管理体制', 'maintaining'),
        securityRules: choice('③安全管理規程', 'maintaining'),
        securityInforming: choice('④安全管理体制・規程の職員への周知', 'informing'),
        physical: obj('⑤物理的対策', {
          level: choice('', 'effortDoing'),
          measures: measure('具体的な対策の内容'),
        }),
        technical: obj('⑥技術的対策', {
          level: choice('', 'effortDoing'),
          measures: measure('具体的な対策の内容'),
        }),
        backup: choice('⑦バックアップ', 'effortDoing'),
        incidentProcedure: choice('⑧事故発生時手順の策定・周知', 'effortDoing'),
        seriousIncident: obj(undefined, {
          occurred: choice('⑨過去3年以内に、評価実施機関において、個人情報に関する重大事故が発生したか', 'incidentOccurred'),
          content: text('その内容', { optional: true }),
          prevention: text('再発防止策の内容', { optional: true }),
        }),
        deceased: obj(undefined, {
          stored: choice('⑩死者の個人番号', 'deceased'),
          method: measure('具体的な保管方法', { optional: true }),
        }),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }),
      risk2: simpleRisk('リスク2: 特定個人情報が古い情報のまま保管され続けるリスク'),
      risk3: obj('リスク3: 特定個人情報が消去されずいつまでも存在するリスク', {
        erasureProcedure: choice('消去手順', 'defining'),
        erasureProcedureContent: measure('手順の内容'),
        otherMeasures: measure('その他の措置の内容', { optional: true }),
        sufficiency: sufficiency(),
      }),
      otherRisks: otherRisks('特定個人情報の保管・消去におけるその他のリスク及びそのリスクに対する措置'),
    }),
  }),
  ['seriousIncident'],
);

// Ⅳ その他のリスク対策 ※ — all of it [V-seed].
const otherRiskMeasures = markSignificant(
  obj('Ⅳ その他のリスク対策', {
    audit: obj('1. 監査', {
      selfCheck: obj('①自己点検', {
        level: choice('', 'effortDoing'),
        method: measure('具体的なチェック方法'),
      }),
      audit: obj('②監査', {
        level: choice('', 'effortDoing'),
        content: measure('具体的な内容'),
      }),
    }),
    education: obj('2. 従業者に対する教育・啓発', {
      level: choice('従業者に対する教育・啓発', 'effortDoing'),
      method: measure('具体的な方法'),
    }),
    other: obj('3. その他のリスク対策', { measures: measure('その他のリスク対策', { optional: true }) }),
  }, { note: '※' }),
);

export const zenkomoku: Schema = formSchema(
  {
    id: 'zenkomoku-h30.schema.json',
    title: '特定個人情報保護評価書(全項目評価書)',
    description: '様式4 全項目評価書 [平成30年5月 様式4]。ラベル・選択肢は様式の文言どおり。',
    form: 'zenkomoku',
    stamp: '[平成30年5月 様式4]',
  },
  {
      ...documentHeader('全項目評価書', '平成30年5月', '[平成30年5月 様式4]'),
      cover: cover(true),
      basic: obj('Ⅰ 基本情報', {
        jimu: obj('1. 特定個人情報ファイルを取り扱う事務', {
          name: text('①事務の名称'),
          content: text('②事務の内容', { sig: true }),
          persons: choice('③対象人数', 'persons5'),
        }),
        systems: repeated('2. 特定個人情報ファイルを取り扱う事務において使用するシステム', 'システム', system(), { min: 1 }),
        fileNames: list('3. 特定個人情報ファイル名'),
        reason: obj('4. 特定個人情報ファイルを取り扱う理由', {
          necessity: text('①事務実施上の必要性'),
          benefits: text('②実現が期待されるメリット'),
        }),
        numberUse: numberUse(5),
        networkLinkage: networkLinkage(6),
        department: { ...department(), title: '7. 評価実施機関における担当部署' },
        otherBodies: text('8. 他の評価実施機関', { optional: true }),
      }),
      businessFlow: obj('(別添1) 事務の内容', {
        diagram: text('図', { optional: true, unlabeled: true, description: '事務の流れ図の説明 (画像は扱わない)' }),
        legend: list('凡例', { optional: true }),
        steps: list('(備考)'),
      }),
      files: repeated('Ⅱ 特定個人情報ファイルの概要', '特定個人情報ファイル', fileOverview, { min: 1 }),
      risks: {
        ...repeated('Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策', '特定個人情報ファイル', riskMeasures, { min: 1 }),
        'x-note': '※(7. リスク1⑨を除く。)',
      },
      otherRisks: otherRiskMeasures,
      disclosure: obj('Ⅴ 開示請求、問合せ', {
        request: obj('1. 特定個人情報の開示・訂正・利用停止請求', {
          destination: text('①請求先'),
          method: obj('②請求方法', {
            method: text(''),
            notes: text('特記事項', { optional: true }),
          }),
          fee: obj('③手数料等', {
            fee: choice('', 'fee'),
            detail: text('手数料額、納付方法', { optional: true }),
          }),
          fileRegister: obj('④個人情報ファイル簿の公表', {
            published: choice('', 'doing'),
            fileName: text('個人情報ファイル名', { optional: true }),
            place: text('公表場所', { optional: true }),
          }),
          specialProcedure: text('⑤法令による特別の手続', { optional: true }),
          notListed: text('⑥個人情報ファイル簿への不記載等', { optional: true }),
        }),
        inquiry: obj('2. 特定個人情報ファイルの取扱いに関する問合せ', {
          contact: text('①連絡先'),
          response: text('②対応方法'),
        }),
      }),
      procedure: obj('Ⅵ 評価実施手続', {
        kiso: obj('1. 基礎項目評価', {
          date: date('①実施日'),
          thresholdResult: choice('②しきい値判断結果', 'thresholdResultZenkomoku'),
        }),
        publicComment: obj('2. 国民・住民等からの意見の聴取', {
          method: text('①方法'),
          period: period('②実施日・期間'),
          shorteningReason: text('③期間を短縮する特段の理由', { optional: true }),
          mainOpinions: text('④主な意見の内容'),
          reflection: text('⑤評価書への反映'),
        }),
        thirdParty: obj('3. 第三者点検', {
          date: date('①実施日'),
          method: text('②方法'),
          result: text('③結果'),
        }),
        ppcApproval: obj('4. 個人情報保護委員会の承認【行政機関等のみ】', {
          submittedDate: date('①提出日', { optional: true }),
          review: text('②個人情報保護委員会による審査', { optional: true }),
        }, { optional: true }),
      }),
      changeLog: changeLog('(別添3) 変更箇所'),
  },
);
