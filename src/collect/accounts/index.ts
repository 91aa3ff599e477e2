// pia collect accounts: account exports → systems[].accounts of one system, with provenance.
// Formats: CSV with a header row (Japanese or English column names, fields.ts), LDIF from a directory, and
// the JSON user list of a cloud directory (Microsoft Graph `value`, Google Workspace `users`, or a plain
// array of objects with the CSV column names).
//
// Shift_JIS: Excel on Japanese Windows writes CSV in Shift_JIS (CP932) by default, so refusing it would fail
// most real exports. A file that is not valid UTF-8 but decodes as CP932 is converted, and the command says
// so (a message on stderr), so nobody mistakes a converted file for the original.
import { appendPointer } from '../../pointer.ts';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { InputError } from '../../errors.ts';
import type { SourceKind } from '../provenance.ts';
import { SnapshotBuilder, type PartialSnapshot, type Rec } from '../snapshot-builder.ts';
import { fieldOf, FIELD_NAMES, parseBool, parseStatus, parseWhen, type AccountField } from './fields.ts';

export type AccountFormat = 'csv' | 'ldif' | 'json';

export interface AccountsCollectOptions {
  source: string;
  system: string;
  organization: string;
  asOf: string;
  format?: AccountFormat;
  /** LDIF/JSON: a group (cn or DN substring) whose members can see 個人番号 / have MFA. */
  numberGroup?: string;
  mfaGroup?: string;
}

export interface AccountsCollectResult {
  snapshot: PartialSnapshot;
  format: AccountFormat;
  count: number;
  /** Messages for stderr (encoding conversion). */
  notes: string[];
}

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'shift_jis';
}

/** UTF-8 (BOM removed) or, failing that, Shift_JIS/CP932 when it decodes cleanly. */
export function decodeAccountFile(bytes: Uint8Array, source: string): DecodedText {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  } catch {
    const text = iconv.decode(Buffer.from(bytes), 'cp932');
    if (text.includes('\uFFFD') || text.includes('\u30FB\u30FB\u30FB'))
      throw new InputError(
        `${source}: 文字コードを判別できません (UTF-8 でも Shift_JIS でもありません)。UTF-8 で保存し直してください`,
        source,
      );
    return { text, encoding: 'shift_jis' };
  }
}

function detectFormat(source: string, text: string): AccountFormat {
  const lower = source.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.ldif') || lower.endsWith('.ldf')) return 'ldif';
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.txt')) return 'csv';
  const head = text.trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  if (/^(version:\s*1\s*\n)?dn:/i.test(head)) return 'ldif';
  return 'csv';
}

interface RawAccount {
  /** Where it came from, for messages: 「3 行目」, 「dn: uid=…」. */
  where: string;
  values: Partial<Record<AccountField, string>>;
  groups?: string[];
}

function label(field: AccountField): string {
  return `${FIELD_NAMES[field][0]} (${field})`;
}

function toAccount(raw: RawAccount, source: string, opts: AccountsCollectOptions): Rec {
  const v = raw.values;
  const fail = (msg: string): never => {
    throw new InputError(`${source}: ${raw.where}: ${msg}`, source);
  };
  const id = v.id?.trim();
  if (!id) fail(`${label('id')} が空です`);
  const bool = (field: 'canSeeIndividualNumber' | 'mfa', group: string | undefined): boolean | undefined => {
    const b = parseBool(v[field]);
    if (b === null)
      fail(`${label(field)} の値「${v[field]}」を はい/いいえ (true/false、有/無、○/×) として読めません`);
    if (b !== undefined && b !== null) return b;
    if (group && raw.groups) return raw.groups.some((g) => g.toLowerCase().includes(group.toLowerCase()));
    return undefined;
  };
  const canSee = bool('canSeeIndividualNumber', opts.numberGroup);
  const mfa = bool('mfa', opts.mfaGroup);
  if (canSee === undefined)
    fail(
      `アカウント ${id} の ${label('canSeeIndividualNumber')} がありません (列を追加するか、LDIF/JSON では --number-group を指定してください)`,
    );
  if (mfa === undefined)
    fail(
      `アカウント ${id} の ${label('mfa')} がありません (列を追加するか、LDIF/JSON では --mfa-group を指定してください)`,
    );
  const out: Rec = { id, canSeeIndividualNumber: canSee, mfa };
  for (const f of ['department', 'role', 'contractor'] as const) {
    const s = v[f]?.trim();
    if (s) out[f] = s;
  }
  const when = (f: 'lastLogin' | 'disabledDate' | 'transferDate', dateOnly: boolean) => {
    const w = parseWhen(v[f], dateOnly);
    if (w === null) fail(`${label(f)} の値「${v[f]}」を日付 (YYYY-MM-DD など) として読めません`);
    if (w) out[f] = w;
  };
  when('lastLogin', false);
  when('disabledDate', true);
  when('transferDate', true);
  const disabled = parseBool(v.disabled);
  const status = parseStatus(v.status);
  if (disabled === null) fail(`${label('disabled')} の値「${v.disabled}」を はい/いいえ として読めません`);
  if (status === null) fail(`${label('status')} の値「${v.status}」を 有効/無効 として読めません`);
  // 「状態: 有効」 columns say enabled, 「accountEnabled: true」 too: both mean disabled = false.
  const d = disabled ?? status;
  if (d !== undefined) out.disabled = d;
  else if (out.disabledDate) out.disabled = true;
  return out;
}

function readCsv(text: string, source: string): RawAccount[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parseCsv(text, {
      delimiter,
      relax_column_count: false,
      skip_empty_lines: true,
      bom: true,
    }) as string[][];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    throw new InputError(
      `${source}: CSV として読めません${err.lines ? ` (${err.lines} 行目付近)` : ''}: ${err.message.replace(/^Invalid Record Length: /, '列の数が見出し行と違います: ')}`,
      source,
    );
  }
  if (rows.length === 0) throw new InputError(`${source}: CSV が空です`, source);
  const header = rows[0];
  const fields = header.map((h) => fieldOf(h));
  if (!fields.includes('id')) {
    const looksLikeData = !fields.some((f) => f !== undefined);
    throw new InputError(
      looksLikeData
        ? `${source}: 1 行目が見出し行ではありません (「${header.slice(0, 3).join(',')}」)。1 行目に列名 (アカウントID,所属,個人番号参照,二要素認証,最終ログイン,状態… または id,department,canSeeIndividualNumber,mfa,lastLogin,status…) を書いてください`
        : `${source}: アカウントIDの列がありません。見出し行に ${FIELD_NAMES.id.slice(0, 4).join('・')} などの列名を書いてください`,
      source,
    );
  }
  const seen = new Set<AccountField>();
  fields.forEach((f, i) => {
    if (!f) return;
    if (seen.has(f))
      throw new InputError(
        `${source}: 見出し行に ${label(f)} を表す列が 2 つあります (「${header[i]}」)`,
        source,
      );
    seen.add(f);
  });
  const out: RawAccount[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const values: Partial<Record<AccountField, string>> = {};
    for (let c = 0; c < fields.length; c++) {
      const f = fields[c];
      if (f) values[f] = row[c];
    }
    out.push({ where: `${r + 1} 行目`, values });
  }
  return out;
}

function readLdif(text: string, source: string): RawAccount[] {
  // RFC 2849: a line starting with one space continues the previous one; base64 values use '::'.
  const lines = text.replace(/\r\n/g, '\n').replace(/\n /g, '').split('\n');
  const out: RawAccount[] = [];
  let cur: RawAccount | undefined;
  const flush = () => {
    if (cur && cur.values.id === undefined) {
      const m = /^(?:uid|cn)=([^,]+)/i.exec(cur.where.replace(/^dn: /, ''));
      if (m) cur.values.id = m[1];
    }
    if (cur) out.push(cur);
    cur = undefined;
  };
  lines.forEach((line, i) => {
    if (line.trim() === '') return flush();
    if (line.startsWith('#') || /^version:/i.test(line)) return;
    const m = /^([A-Za-z0-9;-]+)(::?)\s?(.*)$/.exec(line);
    if (!m)
      throw new InputError(`${source}: ${i + 1} 行目を LDIF として読めません: ${line.slice(0, 40)}`, source);
    const attr = m[1].split(';')[0];
    const value = m[2] === '::' ? Buffer.from(m[3], 'base64').toString('utf8') : m[3];
    if (attr.toLowerCase() === 'dn') {
      flush();
      cur = { where: `dn: ${value}`, values: {}, groups: [] };
      return;
    }
    if (!cur) throw new InputError(`${source}: ${i + 1} 行目: dn: の前に属性があります`, source);
    if (attr.toLowerCase() === 'memberof') {
      cur.groups?.push(value);
      return;
    }
    if (attr.toLowerCase() === 'useraccountcontrol') {
      // Active Directory: bit 2 (0x2) = ACCOUNTDISABLE.
      cur.values.disabled = (Number(value) & 2) !== 0 ? 'true' : 'false';
      return;
    }
    if (attr.toLowerCase() === 'pwdaccountlockedtime') {
      cur.values.disabled = 'true';
      return;
    }
    const f = fieldOf(attr);
    if (f && cur.values[f] === undefined) cur.values[f] = value;
  });
  flush();
  return out.filter((a) => a.values.id !== undefined || Object.keys(a.values).length > 0);
}

const isObject = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

function readJson(text: string, source: string): RawAccount[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${source}: JSON として読めません (${(e as Error).message})`, source);
  }
  const list = Array.isArray(data)
    ? data
    : isObject(data)
      ? (data.value ?? data.users ?? data.Users ?? data.accounts)
      : undefined;
  if (!Array.isArray(list))
    throw new InputError(
      `${source}: ユーザーの一覧がありません (配列、または value / users / accounts の配列を想定しています)`,
      source,
    );
  return list.map((u, i) => {
    if (!isObject(u)) throw new InputError(`${source}: ${i + 1} 件目がオブジェクトではありません`, source);
    const values: Partial<Record<AccountField, string>> = {};
    const groups: string[] = [];
    const flat = (o: Rec, prefix = '') => {
      for (const [k, v] of Object.entries(o)) {
        if (k === 'memberOf' || k === 'groups') {
          if (Array.isArray(v))
            for (const g of v)
              groups.push(
                typeof g === 'string' ? g : isObject(g) ? String(g.displayName ?? g.name ?? g.id ?? '') : '',
              );
          continue;
        }
        if (isObject(v) && !prefix) {
          flat(v, k); // signInActivity.lastSignInDateTime, …
          continue;
        }
        const f = fieldOf(k);
        if (!f || values[f] !== undefined) continue;
        if (v === null || v === undefined) continue;
        values[f] =
          typeof v === 'string' ? v : typeof v === 'boolean' || typeof v === 'number' ? String(v) : undefined;
      }
    };
    flat(u);
    // Graph's accountEnabled / Google's suspended read as status / disabled through fields.ts names.
    return { where: `${i + 1} 件目${values.id ? ` (${values.id})` : ''}`, values, groups };
  });
}

export function parseAccounts(text: string, source: string, format: AccountFormat): RawAccount[] {
  return format === 'json'
    ? readJson(text, source)
    : format === 'ldif'
      ? readLdif(text, source)
      : readCsv(text, source);
}

export function collectAccounts(bytes: Uint8Array, opts: AccountsCollectOptions): AccountsCollectResult {
  const { text, encoding } = decodeAccountFile(bytes, opts.source);
  const notes: string[] = [];
  if (encoding === 'shift_jis')
    notes.push(`${opts.source}: UTF-8 ではないため Shift_JIS (CP932) として読み込み、UTF-8 に変換しました`);
  const format = opts.format ?? detectFormat(opts.source, text);
  const raws = parseAccounts(text, opts.source, format);
  const accounts: Rec[] = [];
  const firstSeen = new Map<string, string>();
  for (const raw of raws) {
    const a = toAccount(raw, opts.source, opts);
    const id = a.id as string;
    const prev = firstSeen.get(id);
    if (prev !== undefined)
      throw new InputError(
        `${opts.source}: アカウントID「${id}」が重複しています (${prev} と ${raw.where})`,
        opts.source,
      );
    firstSeen.set(id, raw.where);
    accounts.push(a);
  }
  const kind: SourceKind =
    format === 'csv' ? 'accounts-csv' : format === 'ldif' ? 'accounts-ldif' : 'accounts-json';
  const b = new SnapshotBuilder(opts.organization, opts.asOf, `pia collect accounts (${format})`);
  const { value, pointer } = b.system(opts.system);
  value.accounts = accounts;
  b.note(
    appendPointer(pointer, 'accounts'),
    { kind, source: opts.source, collectedAt: opts.asOf },
    { value: `${accounts.length} 件` },
  );
  return { snapshot: b.build(), format, count: accounts.length, notes };
}
