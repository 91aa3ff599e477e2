// What the 評価書 declares, gathered once per check with the JSON Pointer of every item, so that rules
// compare values and never walk the document themselves. Keys are the document model's
// (docs/document-model.md); labels and ※ come from the schema when a finding is built.
//
// Seeds have gaps (missing pages are absent keys or `{}` entries that keep the numbering), so every value
// here is optional and a rule skips what the document does not state.
import { appendPointer, getAtPointer } from '../pointer.ts';
import { listItems } from '../schema/navigate.ts';
import { nameVariants } from './names.ts';
import type { FormId, Json, JsonObject } from '../types.ts';

export interface Declared<T> {
  value: T;
  pointer: string;
}

export interface DeclaredConnection {
  choice: string;
  detail?: string;
  pointer: string;
}

export interface DeclaredSystem {
  index: number;
  pointer: string;
  name: string;
  /** The name for messages: without a 「(以下「…」という。)」 definition. */
  shortName: string;
  connections: DeclaredConnection[];
  connectionsPointer: string;
  /** The 評価書 states this system's connections (the item is present, even if nothing is checked). */
  connectionsStated: boolean;
}

export interface DeclaredEntrustment {
  index: number;
  pointer: string;
  contractor?: Declared<string>;
  /** 委託事項名 and ①委託内容, to tell two 委託事項 of one contractor apart. */
  title?: string;
  content?: string;
  handlerCount?: Declared<string>;
  subcontract?: Declared<string>;
  subcontractMethod?: Declared<string>;
  subcontractPointer: string;
}

export interface DeclaredFile {
  index: number;
  pointer: string;
  name?: string;
  persons?: Declared<string>;
  mainItems?: Declared<{ choice: string; detail?: string }[]>;
  recordItems?: Declared<string[]>;
  userCount?: Declared<string>;
  departments?: Declared<string>;
  entrustPresence?: Declared<string>;
  entrustItemsPointer: string;
  entrustments: DeclaredEntrustment[];
  provisionPresence?: Declared<{ choice: string }[]>;
  provisionDestinations: { kind: 'provisions' | 'transfers'; name: string; pointer: string }[];
  retention?: Declared<string>;
  /** Ⅲ 4. 「☐委託しない」 of this file's risk block. */
  notEntrusted?: Declared<boolean>;
  /** Ⅲ 5. 「☐提供・移転しない」. */
  notProvided?: Declared<boolean>;
  /** Ⅲ 7. 過去3年以内の個人情報に関する重大事故 (not a しきい値 input; not ※). */
  seriousIncident3y?: Declared<string>;
}

export interface DeclaredControl {
  pointer: string;
  id: string;
  system?: string;
  params: Record<string, Json>;
}

export interface DeclaredAttestation {
  pointer: string;
  by?: string;
  date?: string;
  evidence?: string;
  expires?: string;
}

export interface DeclaredMeasureBlock {
  pointer: string;
  /** Index of the file whose Ⅲ block holds it (risks[i] ↔ files[i]); undefined for Ⅳ その他のリスク対策. */
  fileIndex?: number;
  system?: string;
  heading?: string;
  controls: DeclaredControl[];
  attestation?: DeclaredAttestation;
}

export interface DeclaredModel {
  formId: FormId;
  formKey: string;
  organizationId?: string;
  systems: DeclaredSystem[];
  /** Where a new システム would be added (undefined for 基礎, which only names systems in text). */
  systemsPointer?: string;
  /** 基礎 Ⅰ1 ③システムの名称: one text naming every system. */
  systemNamesText?: Declared<string>;
  files: DeclaredFile[];
  /** 対象人数 (重点/全項目 Ⅰ1③, 基礎 Ⅱ1). */
  jimuPersons?: Declared<string>;
  /** 基礎 Ⅱ2 取扱者数 band, Ⅱ3 重大事故. */
  handlersBand?: Declared<string>;
  incident1y?: Declared<string>;
  thresholdResult?: Declared<string>;
  submittedForms?: Declared<string>;
  /** 基礎 Ⅳ4/Ⅳ5 flags (the 基礎 form has no Ⅱ4/Ⅱ5). */
  kisoNotEntrusted?: Declared<boolean>;
  kisoNotProvided?: Declared<boolean>;
  measureBlocks: DeclaredMeasureBlock[];
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function str(doc: unknown, pointer: string): Declared<string> | undefined {
  const v = getAtPointer(doc, pointer);
  return nonEmptyString(v) ? { value: v, pointer } : undefined;
}

function bool(doc: unknown, pointer: string): Declared<boolean> | undefined {
  const v = getAtPointer(doc, pointer);
  return typeof v === 'boolean' ? { value: v, pointer } : undefined;
}

function multi(doc: unknown, pointer: string): Declared<{ choice: string; detail?: string }[]> | undefined {
  const v = getAtPointer(doc, pointer);
  if (!Array.isArray(v)) return undefined;
  const out: { choice: string; detail?: string }[] = [];
  for (const e of v) {
    if (isObject(e) && nonEmptyString(e.choice))
      out.push({ choice: e.choice, ...(nonEmptyString(e.detail) ? { detail: e.detail } : {}) });
  }
  return { value: out, pointer };
}

function arrayAt(doc: unknown, pointer: string): Json[] {
  const v = getAtPointer(doc, pointer);
  return Array.isArray(v) ? v : [];
}

/** Concrete pointers matching a pattern whose `*` tokens stand for array indices. */
function expandPattern(doc: unknown, pattern: string): string[] {
  const tokens = pattern.split('/').slice(1);
  let current: { pointer: string; value: unknown }[] = [{ pointer: '', value: doc }];
  for (const raw of tokens) {
    const next: { pointer: string; value: unknown }[] = [];
    for (const c of current) {
      if (raw === '*') {
        if (Array.isArray(c.value))
          c.value.forEach((v, i) => next.push({ pointer: appendPointer(c.pointer, i), value: v }));
      } else {
        const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
        if (isObject(c.value) && Object.prototype.hasOwnProperty.call(c.value, key)) {
          next.push({ pointer: appendPointer(c.pointer, key), value: c.value[key] });
        }
      }
    }
    current = next;
  }
  return current.map((c) => c.pointer);
}

function collectMeasureBlocks(doc: JsonObject, formKey: string): DeclaredMeasureBlock[] {
  const out: DeclaredMeasureBlock[] = [];
  const patterns = listItems(formKey)
    .filter((it) => it.kind === 'measure')
    .map((it) => it.pointer);
  for (const pattern of patterns) {
    for (const measurePointer of expandPattern(doc, pattern)) {
      const blocks = getAtPointer(doc, measurePointer);
      if (!Array.isArray(blocks)) continue;
      const risksIndex = /^\/risks\/(\d+)\//.exec(measurePointer);
      blocks.forEach((block, b) => {
        if (!isObject(block)) return;
        const pointer = appendPointer(measurePointer, b);
        const controls: DeclaredControl[] = [];
        if (Array.isArray(block.controls)) {
          block.controls.forEach((c, j) => {
            if (!isObject(c) || !nonEmptyString(c.id)) return;
            controls.push({
              pointer: appendPointer(pointer, 'controls', j),
              id: c.id,
              ...(nonEmptyString(c.system) ? { system: c.system } : {}),
              // A copy: the model is frozen (prepare.ts), the document belongs to the caller.
              params: isObject(c.params) && Object.keys(c.params).length ? structuredClone(c.params) : {},
            });
          });
        }
        let attestation: DeclaredAttestation | undefined;
        if (isObject(block.attestation)) {
          const a = block.attestation;
          attestation = {
            pointer: appendPointer(pointer, 'attestation'),
            ...(nonEmptyString(a.by) ? { by: a.by } : {}),
            ...(nonEmptyString(a.date) ? { date: a.date } : {}),
            ...(nonEmptyString(a.evidence) ? { evidence: a.evidence } : {}),
            ...(nonEmptyString(a.expires) ? { expires: a.expires } : {}),
          };
        }
        if (controls.length === 0 && !attestation) return;
        out.push({
          pointer,
          ...(risksIndex ? { fileIndex: Number(risksIndex[1]) } : {}),
          ...(nonEmptyString(block.system) ? { system: block.system } : {}),
          ...(nonEmptyString(block.heading) ? { heading: block.heading } : {}),
          controls,
          ...(attestation ? { attestation } : {}),
        });
      });
    }
  }
  return out;
}

function collectFiles(doc: JsonObject): DeclaredFile[] {
  return arrayAt(doc, '/files').map((file, i) => {
    const p = `/files/${i}`;
    const entrustItemsPointer = `${p}/entrustment/items`;
    const entrustments: DeclaredEntrustment[] = arrayAt(doc, entrustItemsPointer).map((_, j) => {
      const ep = `${entrustItemsPointer}/${j}`;
      const content = getAtPointer(doc, `${ep}/content`);
      const title = getAtPointer(doc, `${ep}/title`);
      return {
        index: j,
        pointer: ep,
        contractor: str(doc, `${ep}/contractor`),
        ...(nonEmptyString(title) ? { title } : {}),
        ...(nonEmptyString(content) ? { content } : {}),
        handlerCount: str(doc, `${ep}/handlerCount`),
        subcontract: str(doc, `${ep}/subcontract/presence`),
        subcontractMethod: str(doc, `${ep}/subcontract/method`),
        subcontractPointer: `${ep}/subcontract/presence`,
      };
    });
    const provisionDestinations: DeclaredFile['provisionDestinations'] = [];
    for (const kind of ['provisions', 'transfers'] as const) {
      arrayAt(doc, `${p}/provision/${kind}`).forEach((d, j) => {
        if (isObject(d) && nonEmptyString(d.destination)) {
          provisionDestinations.push({ kind, name: d.destination, pointer: `${p}/provision/${kind}/${j}` });
        }
      });
    }
    const records = getAtPointer(doc, `${p}/recordItems/items`);
    const name = isObject(file) && nonEmptyString(file.name) ? file.name : undefined;
    // risks[i] is the Ⅲ block of files[i]; 重点 and 全項目 name the 重大事故 risk differently.
    const r = `/risks/${i}`;
    const incident3y =
      str(doc, `${r}/storage/risk/seriousIncident/occurred`) ??
      str(doc, `${r}/storage/risk1/seriousIncident/occurred`);
    return {
      index: i,
      pointer: p,
      ...(name ? { name } : {}),
      persons: str(doc, `${p}/basics/persons`),
      mainItems: multi(doc, `${p}/basics/mainItems`),
      recordItems: Array.isArray(records)
        ? { value: records.filter(nonEmptyString), pointer: `${p}/recordItems/items` }
        : undefined,
      userCount: str(doc, `${p}/acquisition/users/userCount`),
      departments: str(doc, `${p}/acquisition/users/departments`),
      entrustPresence: str(doc, `${p}/entrustment/presence`),
      entrustItemsPointer,
      entrustments,
      provisionPresence: multi(doc, `${p}/provision/presence`),
      provisionDestinations,
      retention: str(doc, `${p}/storage/retention/period`),
      notEntrusted: bool(doc, `${r}/entrustment/notEntrusted`),
      notProvided: bool(doc, `${r}/provision/notProvided`),
      seriousIncident3y: incident3y,
    };
  });
}

function collectSystems(doc: JsonObject): DeclaredSystem[] {
  const out: DeclaredSystem[] = [];
  arrayAt(doc, '/basic/systems').forEach((s, i) => {
    // `{}` keeps the numbering of a system whose page is missing (seed 000 システム1, 2, 4): nothing declared.
    if (!isObject(s) || !nonEmptyString(s.name)) return;
    const pointer = `/basic/systems/${i}`;
    const connectionsPointer = `${pointer}/connections`;
    const conns = multi(doc, connectionsPointer);
    out.push({
      index: i,
      pointer,
      name: s.name,
      shortName: nameVariants(s.name)[0],
      connectionsPointer,
      connectionsStated: conns !== undefined,
      connections: (conns?.value ?? []).map((c, j) =>
        Object.assign({}, c, { pointer: `${connectionsPointer}/${j}` }),
      ),
    });
  });
  return out;
}

export function collectDeclared(doc: JsonObject, formId: FormId, formKey: string): DeclaredModel {
  const org =
    isObject(doc.organization) && nonEmptyString(doc.organization.id) ? doc.organization.id : undefined;
  const base: DeclaredModel = {
    formId,
    formKey,
    ...(org ? { organizationId: org } : {}),
    systems: [],
    files: [],
    measureBlocks: collectMeasureBlocks(doc, formKey),
  };
  if (formId === 'kiso') {
    return Object.assign({}, base, {
      systemNamesText: str(doc, '/related/jimu/systemNames'),
      jimuPersons: str(doc, '/thresholdItems/persons/band'),
      handlersBand: str(doc, '/thresholdItems/handlers/band'),
      incident1y: str(doc, '/thresholdItems/incident/occurred'),
      thresholdResult: str(doc, '/thresholdResult/result'),
      submittedForms: str(doc, '/riskMeasures/forms/kinds'),
      kisoNotEntrusted: bool(doc, '/riskMeasures/entrustment/notEntrusted'),
      kisoNotProvided: bool(doc, '/riskMeasures/provision/notProvided'),
    });
  }
  return Object.assign({}, base, {
    systems: collectSystems(doc),
    systemsPointer: '/basic/systems',
    files: collectFiles(doc),
    jimuPersons: str(doc, '/basic/jimu/persons'),
    thresholdResult: str(doc, '/procedure/kiso/thresholdResult'),
  });
}
