// Which items do not apply (and so must be blank), or become required, depending on another item.
// THE one table of these form rules: completeness reads it (未記載 is not reported for items that do not
// apply; items that become required are checked), and the *-blank consistency rules read it (an item that
// does not apply must not be filled). Provenance per ../shared/docs/pia-domain.md: [V-seed] seen in a
// seed, [S] secondary source, [I] inferred, [M] unverified general knowledge — re-check [M] rows against the
// current 記載要領.
//
// Paths are JSON Pointer patterns relative to `scope`; `*` in a scope stands for every array index.
// 選択肢 values are written verbatim here so the table reads like the form; test/consistency checks that
// every value is a 選択肢 of the item in the schema, so a wording change there fails loudly here.
import type { FormId } from '../types.ts';

export type Condition =
  /** A choice item equals this 選択肢. */
  | { equals: string }
  /** A choice item is one of these 選択肢. */
  | { oneOf: string[] }
  /** A flag (checkbox) is checked. */
  | { checked: true }
  /** A flag is not checked (absent or false). */
  | { unchecked: true }
  /** A multi-select list (non-empty) does not include this 選択肢. */
  | { lacks: string }
  /** A multi-select list includes this 選択肢. */
  | { includes: string };

export interface ApplicabilityRow {
  id: string;
  forms: FormId[];
  /** Pointer pattern of the block the rule is about ('' = document root). */
  scope: string;
  /** The deciding item, relative to scope. */
  decide: string;
  /** When the items do not apply. */
  notApplicable: Condition;
  /** Items (relative to scope) that then do not apply. */
  items: string[];
  /** When the items (or `requiredItems`) become required although the schema has them optional. */
  required?: Condition;
  requiredItems?: string[];
  /**
   * The consistency rule that reports a filled item that does not apply; omitted = not reported (the item
   * is merely exempt from 未記載, e.g. 【任意】 procedures that may still be filled in).
   */
  blankRule?: string;
  provenance: '[V-seed]' | '[S]' | '[I]' | '[M]';
  note?: string;
}

export const APPLICABILITY: readonly ApplicabilityRow[] = [
  // ---- Ⅱ4 委託 ------------------------------------------------------------------------------------
  {
    id: 'entrust-none',
    forms: ['juten', 'zenkomoku'],
    scope: '/files/*/entrustment',
    decide: 'presence',
    notApplicable: { equals: '委託しない' },
    items: ['items', 'count'],
    // ≥1 委託事項 when 委託する is consistency/entrust-items (a clearer message than 未記載 of a list).
    required: { equals: '委託する' },
    requiredItems: ['count'],
    blankRule: 'entrust-items',
    provenance: '[V-seed]',
  },
  {
    id: 'subcontract-none',
    forms: ['juten', 'zenkomoku'],
    scope: '/files/*/entrustment/items/*/subcontract',
    decide: 'presence',
    notApplicable: { equals: '再委託しない' },
    items: ['method', 'items'],
    required: { equals: '再委託する' },
    blankRule: 'subcontract-blank',
    provenance: '[V-seed]',
    note: '重点 ⑤⑥ / 全項目 ⑧⑨',
  },
  // ---- Ⅱ5 提供・移転 ----------------------------------------------------------------------------------
  {
    id: 'provision-none',
    forms: ['juten', 'zenkomoku'],
    scope: '/files/*/provision',
    decide: 'presence',
    notApplicable: { lacks: '提供を行っている' },
    items: ['provisions', 'provisionCount'],
    required: { includes: '提供を行っている' },
    blankRule: 'provision-blank',
    provenance: '[M]',
    note: 'Ⅱ5 is missing from both seeds',
  },
  {
    id: 'transfer-none',
    forms: ['juten', 'zenkomoku'],
    scope: '/files/*/provision',
    decide: 'presence',
    notApplicable: { lacks: '移転を行っている' },
    items: ['transfers', 'transferCount'],
    required: { includes: '移転を行っている' },
    blankRule: 'provision-blank',
    provenance: '[M]',
  },
  // ---- Ⅰ 情報連携 ---------------------------------------------------------------------------------------
  {
    id: 'linkage-none',
    forms: ['juten', 'zenkomoku'],
    scope: '/basic/networkLinkage',
    decide: 'implementation',
    notApplicable: { equals: '実施しない' },
    items: ['legalBasis'],
    blankRule: 'linkage-basis',
    provenance: '[I]',
    note: '未定 keeps the schema default (法令上の根拠 required)',
  },
  {
    id: 'linkage-none-kiso',
    forms: ['kiso'],
    scope: '/related/networkLinkage',
    decide: 'implementation',
    notApplicable: { equals: '実施しない' },
    items: ['legalBasis'],
    required: { equals: '実施する' },
    blankRule: 'linkage-basis',
    provenance: '[M]',
  },
  // ---- Ⅲ4 委託しない ------------------------------------------------------------------------------------
  {
    id: 'risk-entrust-none',
    forms: ['juten', 'zenkomoku'],
    scope: '/risks/*/entrustment',
    decide: 'notEntrusted',
    notApplicable: { checked: true },
    items: ['risk', 'otherRisks'],
    required: { unchecked: true },
    requiredItems: ['risk'],
    blankRule: 'entrust-flag',
    provenance: '[I]',
    note: '重点 Ⅲ4 is missing from seed 001 [M]',
  },
  {
    id: 'subcontract-assurance-none',
    forms: ['zenkomoku'],
    scope: '/risks/*/entrustment/risk',
    decide: 'subcontractAssurance',
    notApplicable: { equals: '再委託していない' },
    items: ['subcontractAssuranceMethod'],
    required: { oneOf: ['特に力を入れて行っている', '十分に行っている', '十分に行っていない'] },
    blankRule: 'subcontract-assurance',
    provenance: '[I]',
  },
  {
    id: 'subcontract-assurance-none-juten',
    forms: ['juten'],
    scope: '/risks/*/entrustment/risk',
    decide: 'subcontractAssurance',
    notApplicable: { equals: '再委託していない' },
    items: ['subcontractAssuranceMethod'],
    blankRule: 'subcontract-assurance',
    provenance: '[M]',
    note: '重点 Ⅲ4 is missing from seed 001; its items are optional in the schema',
  },
  // ---- Ⅲ5 提供・移転しない ------------------------------------------------------------------------------
  {
    id: 'risk-provision-none-juten',
    forms: ['juten'],
    scope: '/risks/*/provision',
    decide: 'notProvided',
    notApplicable: { checked: true },
    items: ['risk', 'otherRisks'],
    required: { unchecked: true },
    requiredItems: ['risk'],
    blankRule: 'provision-blank',
    provenance: '[V-seed]',
  },
  {
    id: 'risk-provision-none-zenkomoku',
    forms: ['zenkomoku'],
    scope: '/risks/*/provision',
    decide: 'notProvided',
    notApplicable: { checked: true },
    items: ['risk1', 'risk2', 'risk3', 'otherRisks'],
    required: { unchecked: true },
    requiredItems: ['risk1', 'risk2', 'risk3'],
    blankRule: 'provision-blank',
    provenance: '[V-seed]',
  },
  // ---- Ⅲ6 接続しない(入手)/(提供) ------------------------------------------------------------------------
  {
    id: 'network-acquisition-none-juten',
    forms: ['juten'],
    scope: '/risks/*/network',
    decide: 'notConnectedAcquisition',
    notApplicable: { checked: true },
    items: ['risk1'],
    required: { unchecked: true },
    blankRule: 'network-blank',
    provenance: '[V-seed]',
  },
  {
    id: 'network-provision-none-juten',
    forms: ['juten'],
    scope: '/risks/*/network',
    decide: 'notConnectedProvision',
    notApplicable: { checked: true },
    items: ['risk2'],
    required: { unchecked: true },
    blankRule: 'network-blank',
    provenance: '[V-seed]',
  },
  {
    id: 'network-acquisition-none-zenkomoku',
    forms: ['zenkomoku'],
    scope: '/risks/*/network',
    decide: 'notConnectedAcquisition',
    notApplicable: { checked: true },
    items: ['risk1', 'risk2', 'risk3', 'risk4'],
    required: { unchecked: true },
    blankRule: 'network-blank',
    provenance: '[V-seed]',
  },
  {
    id: 'network-provision-none-zenkomoku',
    forms: ['zenkomoku'],
    scope: '/risks/*/network',
    decide: 'notConnectedProvision',
    notApplicable: { checked: true },
    items: ['risk5', 'risk6', 'risk7'],
    required: { unchecked: true },
    blankRule: 'network-blank',
    provenance: '[V-seed]',
  },
  // ---- Ⅲ7 重大事故 / 死者の個人番号 --------------------------------------------------------------------------
  {
    id: 'incident-none-juten',
    forms: ['juten'],
    scope: '/risks/*/storage/risk/seriousIncident',
    decide: 'occurred',
    notApplicable: { equals: '発生なし' },
    items: ['content', 'prevention'],
    required: { equals: '発生あり' },
    blankRule: 'incident-blank',
    provenance: '[V-seed]',
  },
  {
    id: 'incident-none-zenkomoku',
    forms: ['zenkomoku'],
    scope: '/risks/*/storage/risk1/seriousIncident',
    decide: 'occurred',
    notApplicable: { equals: '発生なし' },
    items: ['content', 'prevention'],
    required: { equals: '発生あり' },
    blankRule: 'incident-blank',
    provenance: '[V-seed]',
  },
  {
    id: 'deceased-none',
    forms: ['zenkomoku'],
    scope: '/risks/*/storage/risk1/deceased',
    decide: 'stored',
    notApplicable: { equals: '保管していない' },
    items: ['method'],
    required: { equals: '保管している' },
    blankRule: 'deceased-blank',
    provenance: '[V-seed]',
  },
  // ---- Ⅴ 開示請求 (全項目) ----------------------------------------------------------------------------------
  {
    id: 'fee-free',
    forms: ['zenkomoku'],
    scope: '/disclosure/request/fee',
    decide: 'fee',
    notApplicable: { equals: '無料' },
    items: ['detail'],
    required: { equals: '有料' },
    // No blankRule: seed 000 (無料) explains copy charges in this cell, a legitimate use.
    provenance: '[I]',
  },
  {
    id: 'file-register-none',
    forms: ['zenkomoku'],
    scope: '/disclosure/request/fileRegister',
    decide: 'published',
    notApplicable: { equals: '行っていない' },
    items: ['fileName', 'place'],
    required: { equals: '行っている' },
    blankRule: 'not-applicable-filled',
    provenance: '[I]',
  },
  // ---- 手続: 行政機関等 vs 地方公共団体等 (全項目) ------------------------------------------------------------
  {
    id: 'third-party-check-government',
    forms: ['zenkomoku'],
    scope: '',
    decide: 'organization/type',
    notApplicable: { equals: '行政機関等' },
    items: ['procedure/thirdParty'],
    provenance: '[S]',
    note: '行政機関等: PPC 承認 replaces 第三者点検 (pia-domain.md §5); may still be filled',
  },
  // ---- 基礎 Ⅰ9, Ⅳ -----------------------------------------------------------------------------------------
  {
    id: 'rule9-not-applied',
    forms: ['kiso'],
    scope: '/related/rule9',
    decide: 'applied',
    notApplicable: { equals: '適用しない' },
    items: ['reason'],
    required: { equals: '適用した' },
    blankRule: 'not-applicable-filled',
    provenance: '[M]',
  },
  {
    id: 'kiso-entrust-none',
    forms: ['kiso'],
    scope: '/riskMeasures/entrustment',
    decide: 'notEntrusted',
    notApplicable: { checked: true },
    items: ['sufficiency'],
    blankRule: 'entrust-flag',
    provenance: '[M]',
  },
  {
    id: 'kiso-provision-none',
    forms: ['kiso'],
    scope: '/riskMeasures/provision',
    decide: 'notProvided',
    notApplicable: { checked: true },
    items: ['sufficiency'],
    blankRule: 'provision-blank',
    provenance: '[M]',
  },
  {
    id: 'kiso-network-acquisition-none',
    forms: ['kiso'],
    scope: '/riskMeasures/network',
    decide: 'notConnectedAcquisition',
    notApplicable: { checked: true },
    items: ['acquisition'],
    blankRule: 'network-blank',
    provenance: '[M]',
  },
  {
    id: 'kiso-network-provision-none',
    forms: ['kiso'],
    scope: '/riskMeasures/network',
    decide: 'notConnectedProvision',
    notApplicable: { checked: true },
    items: ['provision'],
    blankRule: 'network-blank',
    provenance: '[M]',
  },
  // 【任意】 procedure items of the 重点 form (意見聴取, 第三者点検) are optional in the schema itself, so they
  // need no row: completeness never asks for them, and filling them in is allowed.
];
