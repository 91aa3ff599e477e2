// The calendar over real HTTP: the JSON obligations, 「見直しを実施した」 (audited), and the iCalendar feed
// read as a calendar client reads it — fetched by URL with a token in the query (clients cannot send
// headers) and parsed with an independent parser (ical.js). After a 見直し the same UID comes back with
// the new date, a higher SEQUENCE and a later DTSTAMP/LAST-MODIFIED (RFC 5545 §3.8.7), never a duplicate.
import ICAL from 'ical.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signIn } from '../web/web-helpers.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiEngine, createApp, loadSamples } from '../../src/api/index.ts';
import { createMemoryStore, type Assessment, type Store } from '../../src/store/index.ts';

let store: Store;
let server: Server;
let url: string;
let juki: Assessment;
let hofu: Assessment;
const tokens: Record<string, string> = {};
const logged: string[] = [];
// 2026-12-01 12:00 JST: the feed and the JSON are judged on the server's day.
let now = new Date('2026-12-01T03:00:00Z');

beforeAll(async () => {
  store = createMemoryStore();
  const engine = createApiEngine();
  const samples = await loadSamples(store, engine);
  juki = samples.assessments.find((a) => a.title === '住民基本台帳に関する事務') as Assessment;
  hofu = samples.assessments.find((a) => a.versionCount === 2) as Assessment;
  const org = juki.orgId;
  const make = async (
    name: string,
    role: 'officer' | 'reviewer' | 'admin',
    orgId: string | null,
    label?: string,
  ) => (await store.createToken({ name, role, orgId, ...(label ? { label } : {}) }, { actor: 'test' })).token;
  tokens.officer = await make('担当 太郎', 'officer', org);
  tokens.reviewer = await make('点検 花子', 'reviewer', org);
  tokens.feed = await make('カレンダー', 'reviewer', org, 'calendar-feed');
  tokens.otherFeed = await make('防府カレンダー', 'reviewer', hofu.orgId, 'calendar-feed');
  tokens.admin = await make('管理者', 'admin', null);
  const app = createApp({
    store,
    engine,
    now: () => now,
    logger: { error: (m, e) => logged.push(`${m} ${(e as Error)?.stack}`) },
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => {
    server?.close(() => r());
    server?.closeAllConnections();
  });
  await store?.close();
  expect(logged).toEqual([]);
});

const api = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });

interface Ev {
  uid: string;
  summary: string;
  start: string;
  end: string;
  sequence: number;
  stamp: string;
  modified: string;
  description: string;
}

/** The feed as a subscribing client sees it. */
async function subscribe(orgId: string, token: string): Promise<{ events: Ev[]; name: string; raw: string }> {
  const res = await fetch(
    `${url}/api/organisations/${orgId}/calendar.ics?token=${encodeURIComponent(token)}`,
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/calendar; charset=utf-8/);
  const raw = await res.text();
  // RFC 5545 §3.1: CRLF line ends, lines folded at 75 octets.
  expect(raw).toMatch(/^BEGIN:VCALENDAR\r\n/);
  for (const line of raw.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  const cal = new ICAL.Component(ICAL.parse(raw));
  const events = cal.getAllSubcomponents('vevent').map((v) => {
    const time = (n: string) => (v.getFirstPropertyValue(n) as ICAL.Time).toString();
    return {
      uid: String(v.getFirstPropertyValue('uid')),
      summary: String(v.getFirstPropertyValue('summary')),
      start: time('dtstart'),
      end: time('dtend'),
      sequence: Number(v.getFirstPropertyValue('sequence')),
      stamp: (v.getFirstPropertyValue('dtstamp') as ICAL.Time).toJSDate().toISOString(),
      modified: (v.getFirstPropertyValue('last-modified') as ICAL.Time).toJSDate().toISOString(),
      description: String(v.getFirstPropertyValue('description')),
    };
  });
  return {
    events,
    name: String(cal.getFirstPropertyValue('name') ?? cal.getFirstPropertyValue('x-wr-calname')),
    raw,
  };
}

describe('the calendar API and feed', () => {
  it('lists the organisation’s obligations as JSON, overdue first, judged on an explicit day', async () => {
    const res = await api('/api/calendar?asOf=2026-12-01', tokens.reviewer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      obligations: { state: string; assessmentTitle: string; type: string; dueDate: string }[];
    };
    expect(body.obligations[0]).toMatchObject({
      state: '期限超過',
      assessmentTitle: '住民基本台帳に関する事務',
      type: 'annual-review',
      dueDate: '2026-10-01',
    });
    // Own organisation only.
    expect(body.obligations.map((o) => o.assessmentTitle)).not.toContain(hofu.title);
    const admin = (await (await api('/api/calendar?asOf=2026-12-01', tokens.admin)).json()) as {
      obligations: { assessmentTitle: string }[];
    };
    expect(admin.obligations.map((o) => o.assessmentTitle)).toContain(hofu.title);
    expect((await api('/api/calendar?asOf=2026-02-30', tokens.reviewer)).status).toBe(400);
    const one = (await (
      await api(`/api/assessments/${juki.id}/calendar?asOf=2025-07-15`, tokens.reviewer)
    ).json()) as {
      publicComment: { start: string; earliestNext: string };
    };
    expect(one.publicComment).toMatchObject({ start: '2025-07-01', earliestNext: '2025-07-31' });
  });

  it('serves the feed to a dedicated calendar token in the URL, and refuses everything else', async () => {
    const feed = await subscribe(juki.orgId, tokens.feed);
    expect(feed.name).toContain('特定個人情報保護評価の期限');
    const annual = feed.events.find((e) => e.uid === `${juki.id}/annual-review@pia.calendar`) as Ev;
    expect(annual).toMatchObject({ start: '2026-10-01', end: '2026-10-02' });
    expect(annual.summary).toBe('[努力義務] 評価書の見直し (1年に1回以上) — 住民基本台帳に関する事務');
    expect(annual.description).toContain('令和8年10月1日');
    expect(feed.events.find((e) => e.uid === `${juki.id}/five-year@pia.calendar`)?.start).toBe('2030-10-01');
    // UIDs are unique.
    expect(new Set(feed.events.map((e) => e.uid)).size).toBe(feed.events.length);
    // The same data, the same bytes (no clock in the feed).
    expect((await subscribe(juki.orgId, tokens.feed)).raw).toBe(feed.raw);

    const get = (q: string, org = juki.orgId) => fetch(`${url}/api/organisations/${org}/calendar.ics${q}`);
    expect((await get('')).status).toBe(401);
    expect((await get('?token=nonsense')).status).toBe(401);
    // An ordinary token in a URL would leak all of its power: refused.
    expect((await get(`?token=${tokens.reviewer}`)).status).toBe(403);
    // Another organisation's feed: 404, as for one that does not exist.
    expect((await get(`?token=${tokens.otherFeed}`)).status).toBe(404);
    // A feed token opens the feed and nothing else: whoever finds the subscription URL gets no API.
    const me = await api('/api/me', tokens.feed);
    expect(me.status).toBe(403);
    expect(((await me.json()) as { error: { message: string } }).error.message).toContain('カレンダー専用');
    expect((await api(`/api/assessments/${juki.id}/calendar`, tokens.feed)).status).toBe(403);
    // …nor the pages: signing in with it is refused, while the same role's ordinary token signs in.
    await expect(signIn(url, tokens.feed)).rejects.toThrow(/login failed: 401/);
    expect((await signIn(url, tokens.reviewer)).cookie).toMatch(/^pia_session=/);
    // The header works too (scripts).
    expect((await api(`/api/organisations/${juki.orgId}/calendar.ics`, tokens.reviewer)).status).toBe(200);
  });

  it('records a 見直し (officer; audited) and the next fetch moves the same event', async () => {
    const before = (await subscribe(juki.orgId, tokens.feed)).events;
    const old = before.find((e) => e.uid === `${juki.id}/annual-review@pia.calendar`) as Ev;

    const post = (token: string, body: unknown) =>
      api(`/api/assessments/${juki.id}/reviews`, token, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(tokens.reviewer, { date: '2026-11-30', result: '変更なし' })).status).toBe(403);
    expect((await post(tokens.officer, { date: '2026-12-02', result: '変更なし' })).status).toBe(400);
    expect((await post(tokens.officer, { date: '2026-11-30', result: '大丈夫' })).status).toBe(400);
    now = new Date('2026-12-01T04:00:00Z');
    // iCalendar times have whole seconds and the records are stamped by the store's clock: step into the
    // next second so the 見直し is visibly later than the facts of the first fetch (fast machines did it in one).
    await new Promise((r) => setTimeout(r, 1100));
    const res = await post(tokens.officer, {
      date: '2026-11-30',
      result: '変更なし',
      note: '委託先の変更なしを確認',
    });
    expect(res.status).toBe(201);
    const record = (await res.json()) as { id: string; at: string; actor: string };
    const audit = (await store.listAudit({ orgId: juki.orgId })).filter((e) => e.action === 'review.record');
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0].after)).toContain('委託先の変更なしを確認');
    const listed = (await (await api(`/api/assessments/${juki.id}/reviews`, tokens.reviewer)).json()) as {
      reviews: { id: string }[];
    };
    expect(listed.reviews.map((r) => r.id)).toContain(record.id);

    const after = (await subscribe(juki.orgId, tokens.feed)).events;
    expect(after.map((e) => e.uid).sort()).toEqual(before.map((e) => e.uid).sort());
    const moved = after.find((e) => e.uid === old.uid) as Ev;
    expect(moved.start).toBe('2027-11-30');
    expect(moved.sequence).toBeGreaterThan(old.sequence);
    expect(moved.stamp > old.stamp).toBe(true);
    // iCalendar times have whole seconds.
    expect(moved.modified).toBe(new Date(Math.floor(Date.parse(record.at) / 1000) * 1000).toISOString());
    expect(moved.stamp).toBe(moved.modified);
    // Events whose facts did not change are byte-for-byte the same revision.
    const five = (l: Ev[]) => l.find((e) => e.uid === `${juki.id}/five-year@pia.calendar`);
    expect(five(after)).toEqual(five(before));
  });
});
