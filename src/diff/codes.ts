// The finding codes of the 変更箇所 judgement (classify.ts), with the titles the pages and SARIF show.
// Kept beside the rules that emit them so that a new code and its title change together.
import type { RuleDescription } from '../report/options.ts';

export const DIFF_CODES: Readonly<Record<string, RuleDescription>> = {
  'diff/significant-unjudged': {
    ja: '※の項目の変更に、重要な変更かどうかの判断 (例外・理由) が記録されていない',
    en: 'A ※ item changed and no judgement (exception or reason) is recorded',
  },
  'diff/significant-after': {
    ja: '重要な変更の提出時期が「事後」とされている (重要な変更は事前のみ)',
    en: 'A significant change is annotated 事後 (significant changes are 事前 only)',
  },
  'diff/exception-not-significant': {
    ja: '※でない項目に重要な変更の例外が記録されている',
    en: 'An exception is recorded for an item that is not ※',
  },
  'diff/annotation-unchanged': {
    ja: '注釈の項目が 2 つの版の間で変更されていない (項目名・ポインタの誤り)',
    en: 'An annotation names an item that did not change between the two versions',
  },
};
