// Account fields and the column / attribute names that mean them (docs/collect.md lists them). Japanese and
// English names; comparison ignores case, spaces, 「・」, '-' and '_'.
export type AccountField =
  | 'id'
  | 'department'
  | 'role'
  | 'contractor'
  | 'canSeeIndividualNumber'
  | 'mfa'
  | 'lastLogin'
  | 'disabled'
  | 'status'
  | 'disabledDate'
  | 'transferDate';

export const FIELD_NAMES: Readonly<Record<AccountField, readonly string[]>> = {
  id: [
    'アカウントID',
    'アカウント',
    'ユーザーID',
    'ユーザID',
    'ログインID',
    '利用者ID',
    'id',
    'account',
    'accountid',
    'userid',
    'username',
    'uid',
    'login',
    'samaccountname',
    'userprincipalname',
    'primaryemail',
  ],
  department: [
    '所属',
    '部署',
    '所属部署',
    '課',
    'department',
    'dept',
    'ou',
    'departmentnumber',
    'orgunitpath',
  ],
  role: ['役割', 'ロール', '権限', '職務', 'role', 'title'],
  contractor: ['委託先', '委託先名', 'contractor'],
  canSeeIndividualNumber: [
    '個人番号参照',
    '個人番号の参照',
    '個人番号参照権限',
    'マイナンバー参照',
    'canseeindividualnumber',
    'individualnumber',
    'individualnumberaccess',
    'mynumberaccess',
    'mynumber',
  ],
  mfa: ['二要素認証', '多要素認証', 'MFA', '2FA', 'mfa', 'mfaenabled', 'twofactor', 'isenrolledin2sv'],
  lastLogin: [
    '最終ログイン',
    '最終ログイン日時',
    '最終ログイン日',
    '最終利用日',
    'lastlogin',
    'lastlogintime',
    'lastsignin',
    'lastsignindatetime',
    'lastlogontimestamp',
    'authtimestamp',
  ],
  disabled: ['無効', '無効化', '停止', 'ロック', 'disabled', 'locked', 'suspended', 'nsaccountlock'],
  status: ['状態', '状況', 'ステータス', 'status', 'state', 'accountenabled', 'enabled', 'active'],
  disabledDate: ['無効化日', '停止日', 'disableddate', 'disabledat'],
  transferDate: [
    '異動・退職日',
    '異動日',
    '退職日',
    '異動退職日',
    'transferdate',
    'leavedate',
    'leftdate',
    'employeeleavedatetime',
    'terminationdate',
  ],
};

export const normalizeHeader = (h: string): string =>
  h
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s・_\-()（）]/g, '');

const LOOKUP = new Map<string, AccountField>();
for (const [field, names] of Object.entries(FIELD_NAMES) as [AccountField, readonly string[]][]) {
  for (const n of names) LOOKUP.set(normalizeHeader(n), field);
}

export function fieldOf(header: string): AccountField | undefined {
  return LOOKUP.get(normalizeHeader(header));
}

const TRUE = new Set([
  'true',
  'yes',
  'y',
  '1',
  'はい',
  '有',
  'あり',
  '○',
  '〇',
  '可',
  'on',
  '有効',
  'enabled',
  'active',
  '済',
]);
const FALSE = new Set([
  'false',
  'no',
  'n',
  '0',
  'いいえ',
  '無',
  'なし',
  '×',
  '不可',
  'off',
  '無効',
  'disabled',
  'inactive',
  '未',
  '-',
]);

/** A yes/no cell; undefined when empty; null when not a yes/no word. */
export function parseBool(v: string | undefined): boolean | undefined | null {
  if (v === undefined) return undefined;
  const s = v.normalize('NFKC').trim().toLowerCase();
  if (s === '') return undefined;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return null;
}

const DISABLED_STATES = new Set([
  '無効',
  '停止',
  'ロック',
  '削除',
  '休止',
  'disabled',
  'inactive',
  'locked',
  'suspended',
  'deleted',
  'false',
  '0',
]);
const ENABLED_STATES = new Set(['有効', '利用中', '稼働', 'active', 'enabled', 'true', '1']);

/** 状態 column: disabled (true), enabled (false), unknown (null), empty (undefined). */
export function parseStatus(v: string | undefined): boolean | undefined | null {
  if (v === undefined) return undefined;
  const s = v.normalize('NFKC').trim().toLowerCase();
  if (s === '') return undefined;
  if (DISABLED_STATES.has(s)) return true;
  if (ENABLED_STATES.has(s)) return false;
  return null;
}

/** Dates as exports write them → YYYY-MM-DD or an ISO date-time with zone (JST when none). */
export function parseWhen(v: string | undefined, dateOnly: boolean): string | undefined | null {
  if (v === undefined) return undefined;
  const s = v.normalize('NFKC').trim();
  if (s === '' || s === '-') return undefined;
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (m) return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  m =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(
      s,
    );
  if (m) {
    const day = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
    if (dateOnly) return day;
    const zone = m[8] ? (m[8] === 'Z' ? 'Z' : m[8].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : '+09:00';
    return `${day}T${m[4].padStart(2, '0')}:${m[5]}:${m[6] ?? '00'}${zone}`;
  }
  // LDAP GeneralizedTime (20261029093000Z) and Windows FILETIME (lastLogonTimestamp).
  m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(s);
  if (m)
    return dateOnly ? `${m[1]}-${m[2]}-${m[3]}` : `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}Z`;
  if (/^\d{17,18}$/.test(s)) {
    const ms = Number(BigInt(s) / 10000n) - 11644473600000;
    if (ms <= 0) return undefined; // 0 = never logged on
    const iso = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return dateOnly ? iso.slice(0, 10) : iso;
  }
  return null;
}
