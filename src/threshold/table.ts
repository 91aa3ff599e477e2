// しきい値判断 (指針 第5の2, 規則第4条〜第7条): the bands and the decision table, in ONE place.
// Provenance per ../shared/docs/pia-domain.md §2: P1, P3, P4 rows [S]; the P2 row is [M] (unverified:
// the 1万〜10万 band with 取扱者数 ≥ 500 or 重大事故 requiring 重点項目評価). Fix it here if the current
// 指針 says otherwise (pia-domain.md §10 item 2).

export type Assessment = '基礎項目評価' | '重点項目評価' | '全項目評価';
export const ASSESSMENTS: readonly Assessment[] = ['基礎項目評価', '重点項目評価', '全項目評価'];

/** 対象人数 bands P0..P4, lower bounds inclusive (「以上」) and upper bounds exclusive (「未満」). */
export const PERSONS_BANDS: readonly { id: string; min: number; max: number }[] = [
  { id: 'P0', min: 0, max: 1_000 },
  { id: 'P1', min: 1_000, max: 10_000 },
  { id: 'P2', min: 10_000, max: 100_000 },
  { id: 'P3', min: 100_000, max: 300_000 },
  { id: 'P4', min: 300_000, max: Infinity },
];

/** 取扱者数 ≥ 500 is the "high" column (「500人以上」). */
export const HANDLERS_THRESHOLD = 500;

const KISO: Assessment[] = ['基礎項目評価'];
const KISO_JUTEN: Assessment[] = ['基礎項目評価', '重点項目評価'];
const KISO_ZENKOMOKU: Assessment[] = ['基礎項目評価', '全項目評価'];

/** [band] → [high (取扱者数 ≥ 500 or 重大事故あり), low]. */
export const DECISION_TABLE: readonly [high: readonly Assessment[], low: readonly Assessment[]][] = [
  /* P0 */ [[], []], // 規則第4条第3号: not required [S]
  /* P1 */ [KISO, KISO], // [S] 日吉津村
  /* P2 */ [KISO_JUTEN, KISO], // [M] unverified
  /* P3 */ [KISO_ZENKOMOKU, KISO_JUTEN], // [S] 島本町, 成田市
  /* P4 */ [KISO_ZENKOMOKU, KISO_ZENKOMOKU], // [S] 島本町, 成田市
];

/**
 * What each しきい値判断結果 選択肢 (by its index in the schema's enum) says is required (§3.4, [I]).
 * The 「(任意に…を実施)」 variants record a voluntary higher assessment; their index says what was required.
 */
export const RESULT_CHOICE_MEANING: Record<
  'kiso' | 'juten' | 'zenkomoku',
  readonly (readonly Assessment[])[]
> = {
  // 基礎 Ⅲ [M order]: 基礎 / 基礎+重点 / 基礎+全項目 / none
  kiso: [KISO, KISO_JUTEN, KISO_ZENKOMOKU, []],
  // 重点 Ⅴ1② [V-seed]: 基礎+重点 / 基礎 (任意に重点) / none (任意に重点)
  juten: [KISO_JUTEN, KISO, []],
  // 全項目 Ⅵ1② [V-seed]: 基礎+全項目 / 基礎+重点 (任意に全項目) / 基礎 (任意に全項目) / none (任意に全項目)
  zenkomoku: [KISO_ZENKOMOKU, KISO_JUTEN, KISO, []],
};

/** 基礎 Ⅳ1 提出する特定個人情報保護評価書の種類 (by enum index) → the highest assessment submitted [M]. */
export const SUBMITTED_FORMS_MEANING: readonly Assessment[] = ['基礎項目評価', '重点項目評価', '全項目評価'];

/** Where each form records the inputs and the result (document model, docs/document-model.md). */
export const FORM_PATHS = {
  kiso: {
    persons: '/thresholdItems/persons/band',
    handlers: '/thresholdItems/handlers/band',
    incident: '/thresholdItems/incident/occurred',
    result: '/thresholdResult/result',
    submittedForms: '/riskMeasures/forms/kinds',
  },
  juten: { persons: '/basic/jimu/persons', result: '/procedure/kiso/thresholdResult' },
  zenkomoku: { persons: '/basic/jimu/persons', result: '/procedure/kiso/thresholdResult' },
} as const;

/**
 * The band index of a 対象人数 選択肢 by its position in the enum. Every persons list in the schemas
 * (persons4, persons5, personsKiso) is in band order starting at P0, so the enum index is the band.
 */
export const PERSONS_ENUM_IS_BAND_ORDER = true;

/** 取扱者数 選択肢 `handlers` enum: index 0 is 「500人以上」 (high), index 1 「500人未満」. */
export const HANDLERS_HIGH_INDEX = 0;

/** 重大事故 選択肢 `incidentOccurred` enum: index 0 is 「発生あり」. */
export const INCIDENT_OCCURRED_INDEX = 0;
