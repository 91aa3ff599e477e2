// Every rule of the calendar that is not verified against a primary source, in one table, so that a
// reader with the current 規則/指針/指針の解説 can correct it in one place. Tags as in
// ../shared/docs/pia-domain.md §0: [V-law] statute, [S] secondary source, [M] unverified general
// knowledge, [I] inferred. Section numbers (§4.4, §5, §2.4) are that document's.
//
// What is NOT here (because it is settled elsewhere): the 30-day minimum of the 意見聴取 and how its days
// are counted (src/api/procedure.ts uses the same numbers: PUBLIC_COMMENT_MIN_DAYS), and the date
// arithmetic (dates.ts, 民法第140条・第143条).

export type ObligationKind = '義務' | '努力義務';

/** How a published version came about; decides what it resets (see VERSION_KIND_RULES). */
export type PublicationKind = '初回' | '再実施' | '重要な変更' | '修正';

export interface ObligationRule {
  title: string;
  kind: ObligationKind;
  /** 条文・指針, as precise as the domain document is (with its tag). */
  basis: string;
  /** Days before the due date from which the obligation shows as 期限間近 (a product setting, not law). */
  leadDays: number;
}

export const RULES = {
  /**
   * §4.4: 「少なくとも1年に1回」 review the 評価書 — 努力義務 [S: Wikipedia/weblio]. Linked to 規則第14条
   * [S: nihombashi ?p=805]; the paragraph mapping is [M]. Counted from the later of the last 見直し and the
   * last publication of any kind (a publication is a review of the whole text) [M].
   */
  annualReview: {
    title: '評価書の見直し (1年に1回以上)',
    kind: '努力義務',
    basis: '規則第14条 (見直し) ・指針「少なくとも1年に1回」 [S/M]',
    leadDays: 30,
  },
  /**
   * §4.4: 規則第15条 — re-do the assessment before 5 years pass since the latest 評価書 publication,
   * 努力義務 (「努めるものとする」) [S: PPC assessment page]. What resets the clock: PUBLICATION_RESETS below.
   * Lead time: a 全項目 再実施 needs 意見聴取 (30 日) and 第三者点検, so it is flagged half a year ahead [I].
   */
  fiveYear: {
    title: '5年経過前の評価の再実施',
    kind: '努力義務',
    basis: '規則第15条 (5年経過前の再実施) [S]',
    leadDays: 180,
  },
  /**
   * §5: 全項目 (地方公共団体等: 規則第7条, 指針第5の3 [S]; 行政機関等: 番号法第28条第1項 [V-law]) —
   * 意見聴取 原則30日以上, shorter only with 「特段の理由」 recorded in the 評価書 [S: 大田区]. For 重点 it
   * is 任意 [V-seed] and not listed as an obligation.
   */
  publicComment: {
    title: '意見聴取 (原則30日以上)',
    kind: '義務',
    basis: '番号法第28条第1項・規則第7条・指針第5の3 (原則30日以上) [V-law/S]',
    leadDays: 0,
  },
  /**
   * §4 and §2.4: a 重要な変更 needs the re-assessment **before** the change (番号法第28条第1項後段
   * 「加えようとするとき」 [V-law]; 指針 「再実施するものとする」 [S: nihombashi-40]). A drift check that finds a ※
   * item already differing in the live system means the change is (at the latest) as old as that check:
   * due on the day the check observed it.
   */
  significantChange: {
    title: '重要な変更による評価の再実施 (変更の前)',
    kind: '義務',
    basis: '番号法第28条第1項後段・規則第11条・指針 (重要な変更) [V-law/S/M]',
    leadDays: 0,
  },
  /**
   * §2.4: しきい値判断の結果の変更 → 再実施するものとする [S: nihombashi-40]; timing 「速やかに」 when found
   * after the fact, before the change when planned [M]. Due on the day the check found it.
   */
  thresholdEscalation: {
    title: 'しきい値判断の結果の変更による上位の評価の実施 (速やかに)',
    kind: '義務',
    basis: '規則第7条・第14条第3項・指針 (しきい値判断の結果の変更) [S/M]',
    leadDays: 0,
  },
  /**
   * A 見直し recorded with result 再実施が必要: the officer found one of the mandatory triggers (重要な変更,
   * しきい値判断の結果の変更); the 5-year one has its own entry. Due on the day of the 見直し [I].
   */
  reviewReassessment: {
    title: '見直しの結果による評価の再実施',
    kind: '義務',
    basis: '指針 (重要な変更・しきい値判断の結果の変更による再実施) [S/I]',
    leadDays: 0,
  },
  /**
   * A 見直し recorded with result 修正: any other change is a 修正, filed 「速やかに」 (§4: [S] weblio; [M]
   * for 速やかに and 規則第14条). Due on the day of the 見直し [I].
   */
  reviewCorrection: {
    title: '見直しの結果による評価書の修正 (速やかに)',
    kind: '義務',
    basis: '規則第14条 (修正) [S/M]',
    leadDays: 0,
  },
  /**
   * §4.4: 規則第16条 — after the 事務 ends, notify the PPC 遅滞なく and keep the 評価書 published for at least
   * 3 years with 「【○年○月○日 終了】」 after its name [S: nihombashi-38; 全項目 記載要領]. Whether keeping it
   * published is 義務 or 努力義務 is [M]; 義務 is the cautious reading. The due date is the first day it may be
   * withdrawn.
   */
  publicationAfterEnd: {
    title: '事務終了後の評価書の公表 (3年以上)',
    kind: '義務',
    basis: '規則第16条 (事務の終了) [S/M]',
    leadDays: 0,
  },
} as const satisfies Record<string, ObligationRule>;

/** Years after the latest resetting publication by which the 評価 should be re-done (規則第15条 [S]). */
export const FIVE_YEARS = 5;
/** Years between 見直し (「少なくとも1年に1回」 [S]). */
export const REVIEW_INTERVAL_YEARS = 1;
/** Years the 評価書 stays published after the 事務 ends (規則第16条 [S]). */
export const PUBLISHED_AFTER_END_YEARS = 3;

/**
 * Which publications restart the 5-year clock of 規則第15条. §4.4: "[M] Whether a 重要な変更 re-assessment
 * or a mere 修正 resets the clock is unverified. The most conservative reading: only a full 再実施 resets
 * it." We take that reading: the first assessment and a full 再実施 restart it; a 重要な変更 re-assessment
 * and a 修正 do not (the due date can only come out earlier than the truth, never later).
 */
export const PUBLICATION_RESETS: Readonly<Record<PublicationKind, boolean>> = {
  初回: true,
  再実施: true,
  重要な変更: false,
  修正: false,
};

/**
 * How a published version is classified (first match wins) [I]:
 * 1. the first published version known → 初回 (the clock can start no later than the earliest publication
 *    we know of);
 * 2. its 変更箇所 has a row whose 提出時期に係る説明 starts with SIGNIFICANT_EXPLANATION → 重要な変更
 *    (the wording the forms use, §4.3 [V-seed]);
 * 3. its 基礎項目評価 ①実施日 (しきい値判断) or its 意見聴取 period is newer than the previous published
 *    version's → 再実施 (a 修正 does not redo the しきい値判断 or the 意見聴取; §6.2 observes the 実施日 moving
 *    with a re-assessment [I]);
 * 4. otherwise → 修正.
 */
export const SIGNIFICANT_EXPLANATION = '重要な変更による評価の再実施';

/**
 * Whether a 見直し or a publication restarts the yearly 見直し count [M]: a recorded 見直し of any result,
 * and any publication (the body re-read the whole 評価書 to publish it).
 */
export const ANNUAL_REVIEW_RESET_BY_PUBLICATION = true;

/**
 * Once the 事務 has ended, the yearly 見直し and the 5-year 再実施 no longer apply (there is nothing left to
 * assess) [I]; only the publication period of 規則第16条 remains.
 */
export const ENDED_DROPS_PERIODIC = true;
