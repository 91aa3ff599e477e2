// 様式2 基礎項目評価書. No seed covers this form: the cover and Ⅰ–Ⅲ follow pia-domain.md §3.1 ([S] where
// the 記載要領 excerpts and municipal examples confirm them, [M] elsewhere); Ⅳ リスク対策 is [M] and is
// encoded without 「人手を介在させる作業」, which is believed to arrive only with the 令和6年 revision.
// The 基礎 form has no ※ items [M]: every change to it is a 修正 (except a change of しきい値判断結果).
import { changeLog, choice, date, documentHeader, flag, formSchema, list, multi, obj, text, type Schema } from './dsl.ts';

const sufficient = (title: string) => choice(title, 'sufficiency');

export const kiso: Schema = formSchema(
  {
    id: 'kiso-h30.schema.json',
    title: '特定個人情報保護評価書(基礎項目評価書)',
    description: '様式2 基礎項目評価書 (平成30年5月版として扱う)。ラベル・選択肢は様式の文言どおり。',
    form: 'kiso',
    stamp: '[平成30年5月 様式2]',
  },
  {
      ...documentHeader('基礎項目評価書', '平成30年5月', '[平成30年5月 様式2]'),
      cover: obj('表紙', {
        number: text('評価書番号', { optional: true }),
        name: text('評価書名'),
        declaration: text('個人のプライバシー等の権利利益の保護の宣言'),
        specialNotes: text('特記事項', { optional: true }),
        agency: text('評価実施機関名'),
        publishedDate: date('公表日', { optional: true }),
      }),
      related: obj('Ⅰ 関連情報', {
        jimu: obj('1. 特定個人情報ファイルを取り扱う事務', {
          name: text('①事務の名称'),
          summary: text('②事務の概要'),
          systemNames: text('③システムの名称'),
        }),
        fileNames: list('2. 特定個人情報ファイル名'),
        numberUse: obj('3. 個人番号の利用', { legalBasis: text('法令上の根拠') }),
        networkLinkage: obj('4. 情報提供ネットワークシステムによる情報連携', {
          implementation: choice('①実施の有無', 'linkageImplementation'),
          legalBasis: text('②法令上の根拠', { optional: true }),
        }),
        department: obj('5. 評価実施機関における担当部署', {
          division: text('①部署'),
          head: text('②所属長の役職名'),
        }),
        otherBodies: text('6. 他の評価実施機関', { optional: true }),
        disclosure: obj('7. 特定個人情報の開示・訂正・利用停止請求', { destination: text('請求先') }),
        inquiry: obj('8. 特定個人情報ファイルの取扱いに関する問合せ', { contact: text('連絡先') }),
        rule9: obj('9. 規則第9条第2項の適用', {
          applied: choice('', 'applied'),
          reason: text('適用した理由', { optional: true }),
        }),
      }),
      thresholdItems: obj('Ⅱ しきい値判断項目', {
        persons: obj('1. 対象人数', {
          band: choice('評価対象の事務の対象人数は何人か', 'personsKiso'),
          asOf: date('いつ時点の計数か'),
        }),
        handlers: obj('2. 取扱者数', {
          band: choice('特定個人情報ファイル取扱者数は500人以上か', 'handlers'),
          asOf: date('いつ時点の計数か'),
        }),
        incident: obj('3. 重大事故', {
          occurred: choice('過去1年以内に、評価実施機関において特定個人情報に関する重大事故が発生したか', 'incidentOccurred'),
        }),
      }),
      thresholdResult: obj('Ⅲ しきい値判断結果', {
        result: choice('しきい値判断結果', 'thresholdResultKiso'),
      }),
      riskMeasures: obj('Ⅳ リスク対策', {
        forms: obj('1. 提出する特定個人情報保護評価書の種類', { kinds: choice('', 'submittedForms') }),
        acquisition: obj('2. 特定個人情報の入手(情報提供ネットワークシステムを通じた入手を除く。)', {
          sufficiency: sufficient('目的外の入手が行われるリスクへの対策は十分か'),
        }),
        use: obj('3. 特定個人情報の使用', {
          linking: sufficient('目的を超えた紐付け、事務に必要のない情報との紐付けが行われるリスクへの対策は十分か'),
          unauthorized: sufficient('権限のない者(元職員、アクセス権限のない職員等)によって不正に使用されるリスクへの対策は十分か'),
        }),
        entrustment: obj('4. 特定個人情報ファイルの取扱いの委託', {
          notEntrusted: flag('委託しない', { optional: true }),
          sufficiency: sufficient('委託先における不正な使用等のリスクへの対策は十分か'),
        }),
        provision: obj('5. 特定個人情報の提供・移転(委託や情報提供ネットワークシステムを通じた提供を除く。)', {
          notProvided: flag('提供・移転しない', { optional: true }),
          sufficiency: sufficient('不正な提供・移転が行われるリスクへの対策は十分か'),
        }),
        network: obj('6. 情報提供ネットワークシステムとの接続', {
          notConnectedAcquisition: flag('接続しない(入手)', { optional: true }),
          notConnectedProvision: flag('接続しない(提供)', { optional: true }),
          acquisition: sufficient('目的外の入手が行われるリスクへの対策は十分か'),
          provision: sufficient('不正な提供が行われるリスクへの対策は十分か'),
        }),
        storage: obj('7. 特定個人情報の保管・消去', {
          sufficiency: sufficient('特定個人情報の漏えい・滅失・毀損リスクへの対策は十分か'),
        }),
        audit: obj('8. 監査', { implementation: multi('実施の有無', 'audits') }),
        education: obj('9. 従業者に対する教育・啓発', { level: choice('従業者に対する教育・啓発', 'effortDoing') }),
        priority: obj('10. 最も優先度が高いと考えられる対策', {
          measure: choice('最も優先度が高いと考えられる対策', 'priorityMeasure'),
          sufficiency: sufficient('当該対策は十分か【再掲】'),
          grounds: text('判断の根拠'),
        }),
      }),
      changeLog: changeLog('(別添) 変更箇所'),
  },
);
