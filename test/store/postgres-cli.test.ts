// The CLI with a database URL that cannot be reached: exit 2 with a Japanese message that never shows the
// password (audit verify used to check for a file of that name and print the URL as it was given).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/store/index.ts';
import { redactText } from '../../src/store/redact.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const URL_WITH_SECRET = 'postgres://pia:s3cr3t-pw@127.0.0.1:1/pia';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PIA_DB: '' },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('database URLs on the command line', () => {
  it.each([
    [['audit', 'verify', '--db', URL_WITH_SECRET]],
    [['audit', 'head', '--db', URL_WITH_SECRET]],
    [['token', 'list', '--db', URL_WITH_SECRET]],
    [['token', 'create', '--role', 'admin', '--db', URL_WITH_SECRET]],
    [['db', 'migrate', '--db', URL_WITH_SECRET]],
    [['db', 'status', '--db', URL_WITH_SECRET]],
  ])('%j: exit 2, a message in Japanese, no password, no stack trace', (args) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.out).toContain('接続できません');
    expect(r.out).toContain('postgres://pia:***@127.0.0.1:1/pia');
    expect(r.out).not.toContain('s3cr3t');
    expect(r.out).not.toMatch(/\n\s+at /);
  });

  it('pia db migrate refuses a file store', () => {
    const r = cli(['db', 'migrate', '--db', 'data/pia.json']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('PostgreSQL の URL');
  });

  it('redacts passwords in locations and in any text', () => {
    expect(redactUrl(URL_WITH_SECRET)).toBe('postgres://pia:***@127.0.0.1:1/pia');
    expect(redactUrl('postgres://pia@h/db')).toBe('postgres://pia@h/db');
    expect(redactUrl('/data/pia.json')).toBe('/data/pia.json');
    expect(redactText(`could not reach ${URL_WITH_SECRET} (x)`)).toBe(
      'could not reach postgres://pia:***@127.0.0.1:1/pia (x)',
    );
  });
});
