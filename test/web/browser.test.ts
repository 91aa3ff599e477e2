// The pages in a real headless Chromium: log in with a token, list → document → history, post a comment
// with the reviewer's form, download the PDF. No JavaScript is needed by the pages (none is served).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiEngine, loadSamples } from '../../src/api/index.ts';
import { createPdfRenderer, type PdfRenderer } from '../../src/pdf/index.ts';
import { createMemoryStore, type Assessment, type Store } from '../../src/store/index.ts';
import {
  launchTestBrowser,
  newJapanesePage,
  startTestApp,
  tearDown,
  type TestApp,
  type TestBrowser,
} from '../helpers/browser.ts';

let store: Store;
let pdf: PdfRenderer;
let app: TestApp;
let chromium: TestBrowser;
let browser: Browser;
let url: string;
let dir: string;
const tokens: Record<string, string> = {};
let hofu: Assessment;
let kakuu: Assessment;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pia-web-'));
  store = createMemoryStore();
  const engine = createApiEngine();
  const samples = await loadSamples(store, engine);
  hofu = samples.assessments.find((a) => a.versionCount === 2) as Assessment;
  kakuu = samples.assessments.find((a) => a.orgId !== hofu.orgId) as Assessment;
  const hofuOrg = hofu.orgId;
  tokens.reviewer = (
    await store.createToken({ name: '点検 花子', role: 'reviewer', orgId: hofuOrg }, { actor: 'test' })
  ).token;
  tokens.officer = (
    await store.createToken({ name: '担当 太郎', role: 'officer', orgId: hofuOrg }, { actor: 'test' })
  ).token;
  tokens.ci = (await store.createToken({ name: 'CI', role: 'ci', orgId: hofuOrg }, { actor: 'test' })).token;
  pdf = createPdfRenderer({ maxPages: 1 });
  app = await startTestApp({ store, engine, pdf });
  url = app.url;
  chromium = await launchTestBrowser();
  browser = chromium.browser;
});

afterAll(async () => {
  await tearDown(
    () => chromium?.close(),
    () => app?.close(),
    () => pdf?.close(),
    () => store?.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  expect(app?.logged ?? []).toEqual([]);
});

async function login(page: Page, token: string): Promise<void> {
  await page.goto(`${url}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  await page.type('#token', token);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

const bodyText = (page: Page) => page.$eval('body', (b) => (b as HTMLElement).innerText);

describe('the pages in Chromium', () => {
  it('logs in, lists, shows a document with findings beside items, history, a comment, and the PDF', async () => {
    const context = await browser.createBrowserContext({
      downloadBehavior: { policy: 'allow', downloadPath: dir },
    });
    const page = await newJapanesePage(context);
    await page.setJavaScriptEnabled(false);
    await login(page, tokens.reviewer);
    expect(new URL(page.url()).pathname).toBe('/assessments');

    // The session cookie is HttpOnly and SameSite=Strict; the token itself is not in any cookie.
    const cookies = await page.cookies();
    const session = cookies.find((c) => c.name === 'pia_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(cookies.map((c) => c.value).join(' ')).not.toContain(tokens.reviewer);

    // The list: own organisation only, with status, validation and the last drift result.
    const list = await bodyText(page);
    expect(list).toContain('評価書の一覧');
    expect(list).toContain(hofu.title);
    expect(list).not.toContain(kakuu.title);
    expect(list).toMatch(/公表/);
    expect(list).toMatch(/エラー \d+ 件|問題なし/);
    expect(list).toMatch(/相違なし|エラー \d+ 件|未実施/);
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);

    // The document as it prints, with findings and comments beside the items.
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/assessments/${hofu.id}"]`)]);
    const doc = await bodyText(page);
    expect(doc).toContain('所見・コメント');
    expect(doc).toContain('Ⅱ 特定個人情報ファイルの概要');
    expect(doc).toContain('[○]');
    expect(await page.$$('tr.has-notes')).not.toHaveLength(0);

    // Version history with the 変更箇所 between the two versions.
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/assessments/${hofu.id}/history"]`)]);
    const history = await bodyText(page);
    expect(history).toContain('第1版');
    expect(history).toContain('第2版');
    expect(history).toMatch(/第1版 → 第2版 の変更箇所 \(\d+ 件\)/);
    expect(await page.$$('section.diff table.changelog tbody tr')).not.toHaveLength(0);
    // Choose the versions the other way round with the form (GET, no JavaScript).
    await page.select(
      '#from',
      (await page.$eval('#to option:checked', (o) => (o as HTMLOptionElement).value)) as string,
    );
    await Promise.all([page.waitForNavigation(), page.click('form.compare button[type=submit]')]);
    expect(await bodyText(page)).toMatch(/第2版 → 第2版 の変更箇所 \(0 件\)/);

    // The reviewer's comment form: pick an item, write, post.
    await page.goto(`${url}/assessments/${hofu.id}`);
    const pointer = await page.$eval(
      '#comment-pointer option:nth-child(3)',
      (o) => (o as HTMLOptionElement).value,
    );
    expect(pointer).toMatch(/^\//);
    await page.select('#comment-pointer', pointer);
    await page.type('#comment-body', '入手方法の記載を確認してください。<script>alert(1)</script>');
    await Promise.all([page.waitForNavigation(), page.click('#comment-form button[type=submit]')]);
    expect(await bodyText(page)).toContain('コメントを投稿しました');
    const row = await page.$eval(`tr[id="i${pointer}"] td.notes`, (td) => ({
      text: (td as HTMLElement).innerText,
      html: td.innerHTML,
    }));
    expect(row.text).toContain('入手方法の記載を確認してください。<script>alert(1)</script>');
    expect(row.html).toContain('&lt;script&gt;');
    expect(row.text).toContain('点検 花子');
    const stored = await store.listComments(hofu.latestVersionId as string);
    expect(stored.map((c) => c.body)).toContain(
      '入手方法の記載を確認してください。<script>alert(1)</script>',
    );

    // Reply and resolve through the forms beside the comment.
    const thread = `tr[id="i${pointer}"] .thread`;
    await page.$eval(`${thread} details.reply-form`, (d) => ((d as HTMLDetailsElement).open = true));
    await page.type(`${thread} textarea[name=body]`, '了解しました');
    await Promise.all([
      page.waitForNavigation(),
      page.click(`${thread} details.reply-form button[type=submit]`),
    ]);
    expect(await bodyText(page)).toContain('了解しました');
    await Promise.all([page.waitForNavigation(), page.click(`${thread} form.inline button[type=submit]`)]);
    expect(
      await page.$eval(`tr[id="i${pointer}"] td.notes`, (td) => (td as HTMLElement).innerText),
    ).toContain('解決済み');

    // PDF download (a real download through the browser).
    await page
      .click(`a[href="/assessments/${hofu.id}/versions/${hofu.latestVersionId}/document.pdf"]`)
      .catch(() => undefined);
    const file = await waitForDownload(dir);
    const bytes = readFileSync(join(dir, file));
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (existsSync('/usr/bin/pdftotext')) {
      const text = execFileSync('pdftotext', ['-l', '2', join(dir, file), '-'], { encoding: 'utf8' });
      expect(text).toContain('重点項目評価書');
    }

    // Log out: the session is gone.
    await Promise.all([page.waitForNavigation(), page.click('header form.inline button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.goto(`${url}/assessments`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('refuses a CI token, a wrong token, another organisation and a post without the CSRF value', async () => {
    const context = await browser.createBrowserContext();
    const page = await newJapanesePage(context);
    await page.setJavaScriptEnabled(false);
    await login(page, tokens.ci);
    expect(await bodyText(page)).toContain('CI 用');
    await login(page, 'pia_0000000000000000_wrong');
    expect(await bodyText(page)).toContain('トークンが正しくないか');

    await login(page, tokens.officer);
    // The officer moves a new draft into 意見聴取 with the procedure form (重点: optional, allowed).
    const draft = await store.addVersion(
      hofu.id,
      (await store.getVersion(hofu.latestVersionId as string))!.doc,
      { author: 'test', ifMatch: '*' },
    );
    await page.goto(`${url}/assessments/${hofu.id}`);
    expect(await page.$eval('.status', (e) => (e as HTMLElement).innerText)).toBe('下書き');
    await Promise.all([
      page.waitForNavigation(),
      page.click('form.transition input[value="意見聴取"] ~ button[type=submit]'),
    ]);
    expect(await bodyText(page)).toContain('手続の状態を変更しました');
    expect((await store.getVersion(draft.id))?.status).toBe('意見聴取');

    const other = await page.goto(`${url}/assessments/${kakuu.id}`);
    expect(other?.status()).toBe(404);
    expect(await bodyText(page)).not.toContain(kakuu.title);

    // A forged form post (right cookie, no CSRF value) is refused and changes nothing.
    const cookie = (await page.cookies()).find((c) => c.name === 'pia_session')?.value as string;
    const before = (await store.listComments(hofu.latestVersionId as string)).length;
    const forged = await fetch(`${url}/assessments/${hofu.id}/versions/${hofu.latestVersionId}/comments`, {
      method: 'POST',
      headers: { cookie: `pia_session=${cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'pointer=&body=forged',
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    const crossSite = await fetch(`${url}/assessments/${hofu.id}/versions/${hofu.latestVersionId}/comments`, {
      method: 'POST',
      headers: {
        cookie: `pia_session=${cookie}`,
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
      },
      body: 'pointer=&body=forged&_csrf=x',
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    expect((await store.listComments(hofu.latestVersionId as string)).length).toBe(before);
    // The API never accepts the session cookie (bearer tokens only), so it has no CSRF surface.
    const api = await fetch(`${url}/api/me`, { headers: { cookie: `pia_session=${cookie}` } });
    expect(api.status).toBe(401);
    await context.close();
  });
});

async function waitForDownload(directory: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const done = readdirSync(directory).find((f) => f.endsWith('.pdf'));
    if (done) return done;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no PDF was downloaded within 60 s');
}
