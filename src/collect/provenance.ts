// Provenance of collected facts (schemas/live-snapshot.schema.json $defs.provenance) and the one place that
// turns a connection URL or a path into something safe to write into a snapshot, a log or an error: a
// snapshot is committed and shown in CI logs, so a password must never reach it.
export type SourceKind =
  | 'terraform-state'
  | 'terraform-plan'
  | 'postgres'
  | 'accounts-csv'
  | 'accounts-ldif'
  | 'accounts-json'
  | 'mapping'
  | 'manual';

export interface Provenance {
  pointer: string;
  kind: SourceKind;
  source: string;
  address?: string;
  action?: string;
  value?: unknown;
  collectedAt: string;
}

export interface Unattributed {
  kind?: 'terraform-state' | 'terraform-plan';
  source: string;
  address: string;
  type?: string;
  reason: string;
}

/**
 * A URL without user, password and query (sslpassword, password=… may hide there). Anything that does not
 * parse as a URL is returned as `<接続先>` rather than echoed: a malformed URL may still contain a secret.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString();
  } catch {
    return '<接続先>';
  }
}

/** Remove every known secret string from a text (an error message from a driver may quote the URL). */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 1) out = out.split(s).join('***');
  }
  return out;
}

/** ISO 8601 with a time zone, seconds precision: the snapshot's asOf and every collectedAt. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
