// The 「期限」 dashboard and the document's 「手続の日付と期限」 panel in a real headless Chromium (no page
// JavaScript): an overdue 見直し first and marked, a running 意見聴取 with its days and the date the next step
// opens, then 「見直しを実施した」 posted through the form, which moves the date. Screenshots at 1280 px go to
// /tmp/pia-calendar-*.png for a look by eye.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiEngine, loadSamples } from '../../src/api/index.ts';
import { createMemoryStore, type Assessment, type Store } from '../../src/store/index.ts';
import type { JsonObject } from '../../src/types.ts';
import {
  launchTestBrowser,
  loginPage,
  newJapanesePage,
  startTestApp,
  tearDown,
  type TestApp,
  type TestBrowser,
} from '../helpers/browser.ts';

let store: Store;
let app: TestApp;
let chromium: TestBrowser;
let url: string;
let juki: Assessment;
const tokens: Record<string, string> = {};
// One clock for the store (transition times) and the app ("today").
let now = new Date('2026-11-10T01:00:00Z');
const clock = () => now;

beforeAll(async () => {
  store = createMemoryStore({ now: clock });
  const engine = createApiEngine();
  const samples = await loadSamples(store, engine);
  juki = samples.assessments.find((a) => a.title === '住民基本台帳に関する事務') as Assessment;
  // A revision of the published 評価書 that went into 意見聴取 on 2026-11-10 (JST).
  const v1 = await store.latestVersion(juki.id);
  const draft = structuredClone(v1?.doc) as JsonObject;
  draft.status = '案';
  delete ((draft.procedure as JsonObject).publicComment as JsonObject).period;
  const v2 = await store.addVersion(juki.id, draft, {
    author: 'system',
    ifMatch: '*',
    message: '保管場所の追加 (案)',
  });
  await store.transitionStatus(v2.id, { to: '意見聴取', actor: 'system', note: '公示' });
  now = new Date('2026-12-01T03:00:00Z');
  const make = async (name: string, role: 'officer' | 'reviewer' | 'admin', orgId: string | null) =>
    (await store.createToken({ name, role, orgId }, { actor: 'test' })).token;
  tokens.officer = await make('担当 太郎', 'officer', juki.orgId);
  tokens.reviewer = await make('点検 花子', 'reviewer', juki.orgId);
  tokens.admin = await make('管理者', 'admin', null);
  app = await startTestApp({ store, engine, now: clock });
  url = app.url;
  chromium = await launchTestBrowser();
});

afterAll(async () => {
  await tearDown(
    () => chromium?.close(),
    () => app?.close(),
    () => store?.close(),
  );
  expect(app?.logged ?? []).toEqual([]);
});

async function open(token: string): Promise<Page> {
  const page = await newJapanesePage(chromium.browser);
  await page.setJavaScriptEnabled(false);
  await loginPage(page, url, token);
  return page;
}

const text = (page: Page, selector = 'body') => page.$eval(selector, (b) => (b as HTMLElement).innerText);

describe('期限 in Chromium', () => {
  it('dashboard: overdue first and marked; panel: dates, days elapsed, the next step with its date; 見直し form', async () => {
    const page = await open(tokens.officer);
    await Promise.all([page.waitForNavigation(), page.click('a[href="/due"]')]);
    const due = await text(page);
    expect(due).toContain('基準日 令和8年12月1日');
    const rows = await page.$$eval('#due-next tbody tr', (trs) =>
      trs.map((tr) => ({ cls: tr.className, text: (tr as HTMLElement).innerText })),
    );
    expect(rows[0].cls).toContain('state-overdue');
    expect(rows[0].text).toContain('期限超過');
    expect(rows[0].text).toContain('住民基本台帳に関する事務');
    expect(rows[0].text).toContain('令和8年10月1日');
    expect(rows[0].text).toContain('61日超過');
    // Sorted by due date after the overdue ones; another organisation's assessments are not shown.
    const dueDates = rows.slice(1).map((r) => /(\d{4}-\d{2}-\d{2})/.exec(r.text)?.[1] ?? '9999');
    expect([...dueDates].sort()).toEqual(dueDates);
    expect(due).not.toContain('新型コロナウイルス');
    const overdueColor = await page.$eval(
      '#due-next tbody tr.state-overdue .due-state',
      (e) => getComputedStyle(e).backgroundColor,
    );
    expect(overdueColor).toBe('rgb(176, 0, 32)');
    await page.screenshot({ path: '/tmp/pia-calendar-due.png', fullPage: true });

    // The document page: the panel with dates.
    await Promise.all([
      page.waitForNavigation(),
      page.click(`#due-next a[href="/assessments/${juki.id}#calendar"]`),
    ]);
    const panel = await text(page, '#calendar');
    expect(panel).toContain('手続の日付と期限');
    expect(panel).toMatch(/公表日\s+令和7年10月1日/);
    expect(panel).toContain('令和8年11月10日 から 21日経過');
    expect(panel).toContain('次の手続に進める日: 令和8年12月10日');
    expect(panel).toContain('「第三者点検」へ: 令和8年12月10日 から進められます (あと9日)');
    expect(panel).toContain('評価書の見直し (1年に1回以上)');
    const shot = await page.$('#calendar');
    await shot?.screenshot({ path: '/tmp/pia-calendar-panel.png' });

    // 「見直しを実施した」: date, result, note.
    await page.$eval('#review-date', (e) => ((e as HTMLInputElement).value = '2026-11-30'));
    await page.click('#review-form input[value="修正"]');
    await page.type('#review-note', '窓口の委託範囲を追記する<b>要</b>');
    await Promise.all([page.waitForNavigation(), page.click('#review-form button[type=submit]')]);
    expect(await text(page, '.flash')).toContain('見直しを記録しました');
    const after = await text(page, '#calendar');
    expect(after).toContain('令和8年11月30日 「修正」');
    expect(after).toContain('窓口の委託範囲を追記する<b>要</b>');
    expect(after).toContain('見直しの結果による評価書の修正');
    expect(after).toContain('令和9年11月30日');
    expect((await store.listReviewRecords(juki.id)).map((r) => [r.date, r.result])).toEqual([
      ['2026-11-30', '修正'],
    ]);
    await (await page.$('#calendar'))?.screenshot({ path: '/tmp/pia-calendar-panel-after.png' });

    await page.goto(`${url}/due`);
    const first = await page.$eval('#due-next tbody tr', (tr) => (tr as HTMLElement).innerText);
    expect(first).toContain('見直しの結果による評価書の修正');
    await page.close();
  });

  it('a reviewer reads the panel but gets no form; an admin sees every organisation', async () => {
    const page = await open(tokens.reviewer);
    await page.goto(`${url}/assessments/${juki.id}`);
    expect(await text(page, '#calendar')).toContain('21日経過');
    expect(await page.$('#review-form')).toBeNull();
    await page.close();

    const admin = await open(tokens.admin);
    await admin.goto(`${url}/due`);
    const body = await text(admin);
    expect(body).toContain('新型コロナウイルス');
    expect(body).toContain('組織');
    await admin.screenshot({ path: '/tmp/pia-calendar-due-admin.png', fullPage: true });
    await admin.close();
  });
});
