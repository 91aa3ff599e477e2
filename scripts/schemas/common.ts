// Blocks the 重点 and 全項目 forms share word for word. Where the ※ mark differs between the forms the
// block takes a flag, so the mark is still stated once per form and item.
import { choice, date, list, multi, obj, text, type Schema } from './dsl.ts';

export const cover = (withApproval: boolean): Schema =>
  obj('表紙', {
    number: text('評価書番号', { optional: true }),
    name: text('評価書名'),
    declaration: text('個人のプライバシー等の権利利益の保護の宣言'),
    specialNotes: text('特記事項', { optional: true }),
    agency: text('評価実施機関名'),
    ...(withApproval ? { approvalDate: date('個人情報保護委員会 承認日【行政機関等のみ】', { optional: true }) } : {}),
    publishedDate: date('公表日', { optional: true }),
  });

export const system = (): Schema =>
  obj(undefined, {
    name: text('①システムの名称'),
    functions: text('②システムの機能'),
    connections: multi('③他のシステムとの接続', 'systemConnections', { optional: true }),
  });

export const department = (): Schema =>
  obj('評価実施機関における担当部署', {
    division: text('①部署'),
    head: text('②所属長の役職名'),
  });

export const numberUse = (n: number): Schema =>
  obj(`${n}. 個人番号の利用`, { legalBasis: text('法令上の根拠', { sig: true }) }, { note: '※' });

export const networkLinkage = (n: number): Schema =>
  obj(`${n}. 情報提供ネットワークシステムによる情報連携`, {
    implementation: choice('①実施の有無', 'linkageImplementation', { sig: true }),
    legalBasis: text('②法令上の根拠', { sig: true }),
  }, { note: '※' });

/** Ⅱ 2. 基本情報: identical in 重点 and 全項目 [V-seed]. */
export const fileBasics = (): Schema =>
  obj('2. 基本情報', {
    fileType: choice('①ファイルの種類', 'fileType', { sig: true }),
    persons: choice('②対象となる本人の数', 'filePersons'),
    personsScope: text('③対象となる本人の範囲', { sig: true }),
    personsScopeNecessity: text('その必要性'),
    itemCount: choice('④記録される項目', 'itemCount'),
    mainItems: multi('主な記録項目', 'mainItems', { sig: true }),
    mainItemsValidity: text('その妥当性', { optional: true }), // printed in 全項目; blank in the 重点 seed
    // The form prints 「別添Nを参照。」 here; kept as text so an encoded document says what the form says.
    allItems: text('全ての記録項目', { optional: true }),
    holdingStartDate: date('⑤保有開始日'),
    department: text('⑥事務担当部署'),
  });

/** (別添) 特定個人情報ファイル記録項目: free list per file, with an optional heading. */
export const recordItems = (title: string): Schema =>
  obj(title, {
    heading: text('見出し', { optional: true, unlabeled: true }),
    items: list('記録項目', { unlabeled: true }),
    notes: text('備考', { optional: true, unlabeled: true }),
  });

