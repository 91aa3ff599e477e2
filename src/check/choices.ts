// The few 選択肢 whose meaning a check depends on (「委託しない」, 「再委託しない」, 「行っていない」, 「発生あり」…),
// read from the schema by their position in the official order. The labels themselves are written only in
// the schema ($defs in scripts/schemas/defs.ts); positions are stated next to each list there.
import { getRegistry } from '../schema/registry.ts';
import { INCIDENT_OCCURRED_INDEX } from '../threshold/table.ts';

function enumOf(def: string): string[] {
  const node = getRegistry().def(def);
  return Array.isArray(node?.enum) ? (node.enum as string[]) : [];
}

function multiChoicesOf(def: string): string[] {
  const node = getRegistry().def(def) as
    { items?: { properties?: { choice?: { enum?: string[] } } } } | undefined;
  return node?.items?.properties?.choice?.enum ?? [];
}

/** Choices of a multi-select list that carry a 「( … )」 text (x-detail), e.g. その他. */
function detailChoicesOf(def: string): string[] {
  const node = getRegistry().def(def);
  return Array.isArray(node?.['x-detail']) ? (node['x-detail'] as string[]) : [];
}

export interface Choices {
  /** 委託の有無: 「委託しない」 (entrust[1]). */
  entrustNo: string;
  /** 再委託の有無: 「再委託する」 (subcontract[0]) / 「再委託しない」 (subcontract[1]). */
  subcontractYes: string;
  subcontractNo: string;
  /** 提供・移転の有無: 提供を行っている / 移転を行っている / 行っていない (provisionPresence[0..2]). */
  provisionYes: string;
  transferYes: string;
  provisionNone: string;
  /** 重大事故: 「発生あり」. */
  incidentOccurred: string;
  /** 他のシステムとの接続: every choice, and those written with a 「( … )」 text (その他). */
  connectionChoices: string[];
  connectionDetailChoices: string[];
  /** 主な記録項目: choices written with a 「( … )」 text (その他). */
  mainItemDetailChoices: string[];
  staffCount: string[];
  filePersons: string[];
}

let cached: Choices | undefined;

export function getChoices(): Choices {
  if (cached) return cached;
  const entrust = enumOf('entrust');
  const subcontract = enumOf('subcontract');
  const provision = multiChoicesOf('provisionPresence');
  cached = {
    entrustNo: entrust[1],
    subcontractYes: subcontract[0],
    subcontractNo: subcontract[1],
    provisionYes: provision[0],
    transferYes: provision[1],
    provisionNone: provision[2],
    incidentOccurred: enumOf('incidentOccurred')[INCIDENT_OCCURRED_INDEX],
    connectionChoices: multiChoicesOf('systemConnections'),
    connectionDetailChoices: detailChoicesOf('systemConnections'),
    mainItemDetailChoices: detailChoicesOf('mainItems'),
    staffCount: enumOf('staffCount'),
    filePersons: enumOf('filePersons'),
  };
  return cached;
}
