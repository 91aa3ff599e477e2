// TypeScript view of a live snapshot that passed schemas/live-snapshot.schema.json (the schema is the
// truth; generated from scripts/schemas/live.ts). Everything optional in the schema is optional here.

export interface SnapshotLocation {
  country: string;
  region?: string;
  facility?: string;
  provider?: string;
}

export interface SnapshotConnection {
  to: string;
  category?: string;
  protocol?: string;
  encrypted: boolean;
  direction?: '送信' | '受信' | '双方向';
}

export interface SnapshotAccount {
  id: string;
  department?: string;
  role?: string;
  contractor?: string;
  canSeeIndividualNumber: boolean;
  mfa: boolean;
  lastLogin?: string;
  disabled?: boolean;
  disabledDate?: string;
  transferDate?: string;
}

export interface SnapshotAccountCounts {
  total: number;
  enabled: number;
  canSeeIndividualNumber?: number;
  enabledWithoutMfa?: number;
  enabledAfterTransfer?: number;
  staleEnabled?: { days: number; count: number };
}

export interface SnapshotSystem {
  name: string;
  aliases?: string[];
  connections?: SnapshotConnection[];
  internetReachable?: boolean;
  accounts?: SnapshotAccount[];
  accountCounts?: SnapshotAccountCounts;
  passwordPolicy?: {
    minLength?: number;
    maxAgeDays?: number;
    lockoutThreshold?: number;
    complexity?: boolean;
  };
  accessLog?: { enabled: boolean; retentionDays?: number };
  encryption?: { atRest?: boolean; inTransit?: boolean };
  backup?: { schedule?: string; lastSuccess?: string; location?: SnapshotLocation };
  removableMedia?: 'blocked' | 'registered-only' | 'allowed';
  location?: SnapshotLocation;
}

export interface SnapshotField {
  column: string;
  item?: string;
  category?: string;
}

export interface SnapshotDataStore {
  name: string;
  system?: string;
  file: string;
  fields?: SnapshotField[];
  records?: number;
  persons?: number;
  retentionDays?: number | 'indefinite';
  encryptedAtRest?: boolean;
  location?: SnapshotLocation;
}

export interface SnapshotSubcontractor {
  name: string;
  scope?: string;
  staff?: number;
  approval?: string;
}

export interface SnapshotContractor {
  name: string;
  scope?: string;
  file?: string;
  staff?: number;
  contract?: string;
  subcontractors?: SnapshotSubcontractor[];
}

export interface SnapshotProvision {
  to: string;
  kind: '提供' | '移転';
  file?: string;
  method?: string;
  legalBasis?: string;
}

export interface SnapshotIncident {
  date: string;
  summary?: string;
  specificPersonalInfo: boolean;
  serious: boolean;
  attributable?: boolean;
}

export interface Snapshot {
  organization: string;
  asOf: string;
  exporter?: string;
  counts?: { persons?: number; handlers?: number };
  systems?: SnapshotSystem[];
  dataStores?: SnapshotDataStore[];
  contractors?: SnapshotContractor[];
  provisions?: SnapshotProvision[];
  incidents?: SnapshotIncident[];
}

export interface Waiver {
  rule: string;
  pointer: string;
  snapshotPointer?: string;
  justification: string;
  approver: string;
  approvedDate?: string;
  expires: string;
}

export interface WaiverFile {
  organization?: string;
  waivers: Waiver[];
}
