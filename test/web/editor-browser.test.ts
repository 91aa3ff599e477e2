// The officer's workbench in a real headless Chromium (the system browser through puppeteer-core):
// create a 基礎項目評価書 from blank and fill every item through the form, save with zero errors, find the
// typed values in the downloaded PDF; create a 重点 by upload, change a ※ item, record the judgement (例外 +
// 理由) on the history page and see it in the 変更箇所 table and the PDF; two sessions saving from the same
// ETag lose nothing; hostile text is stored literally and shown escaped; reviewers get 403, other
// organisations 404. Screenshots at 1280 and 1024 px are written to /tmp (pia-editor-*.png).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiEngine, loadSamples } from '../../src/api/index.ts';
import { ASSESSMENTS_DIR } from '../../src/paths.ts';
import { createPdfRenderer, type PdfRenderer } from '../../src/pdf/index.ts';
import { createMemoryStore, type Assessment, type Store } from '../../src/store/index.ts';
import { getAtPointer } from '../../src/pointer.ts';
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
let pdf: PdfRenderer;
let app: TestApp;
let chromium: TestBrowser;
let browser: Browser;
let url: string;
let dir: string;
const tokens: Record<string, string> = {};
let hofu: Assessment;
let kakuu: Assessment;
/** The 基礎 document created from blank by the first test (used by the later ones). */
let kisoId = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pia-editor-'));
  store = createMemoryStore();
  const engine = createApiEngine();
  const samples = await loadSamples(store, engine);
  hofu = samples.assessments.find((a) => a.versionCount === 2) as Assessment;
  kakuu = samples.assessments.find((a) => a.orgId !== hofu.orgId) as Assessment;
  const org = hofu.orgId;
  const make = async (name: string, role: 'officer' | 'reviewer' | 'ci') =>
    (await store.createToken({ name, role, orgId: org }, { actor: 'test' })).token;
  tokens.officer = await make('担当 太郎', 'officer');
  tokens.officer2 = await make('担当 次郎', 'officer');
  tokens.reviewer = await make('点検 花子', 'reviewer');
  tokens.ci = await make('CI', 'ci');
  pdf = createPdfRenderer({ maxPages: 2 });
  app = await startTestApp({ store, engine, pdf });
  url = app.url;
  chromium = await launchTestBrowser();
  browser = chromium.browser;
}, 60_000);

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

const login = (page: Page, token: string) => loginPage(page, url, token);

const bodyText = (page: Page) => page.$eval('body', (b) => (b as HTMLElement).innerText);
const squash = (s: string) => s.replace(/\s+/g, '');

async function submit(page: Page, selector: string) {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}

/** The PDF behind a link of the page, fetched with the page's session, as text (pdftotext). */
async function pdfText(page: Page, href: string): Promise<string> {
  const cookie = (await page.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const r = await fetch(new URL(href, url), { headers: { cookie } });
  expect(r.status).toBe(200);
  const bytes = Buffer.from(await r.arrayBuffer());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const file = join(dir, `${Date.now()}-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

async function shoot(page: Page, name: string) {
  for (const width of [1280, 1024]) {
    await page.setViewport({ width, height: 900 });
    // Nothing may push the page sideways at either width.
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scroll, `${name} at ${width} px`).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `/tmp/pia-editor-${name}-${width}.png` });
  }
  await page.setViewport({ width: 1280, height: 900 });
}

/** Radio choices for a 基礎 document whose しきい値判断 is consistent (everything else: the first 選択肢). */
const KISO_CHOICES: Record<string, string> = {
  'v:/related/networkLinkage/implementation': '実施する',
  'v:/related/rule9/applied': '適用しない',
  'v:/thresholdItems/persons/band': '1,000人以上1万人未満',
  'v:/thresholdItems/handlers/band': '500人未満',
  'v:/thresholdItems/incident/occurred': '発生なし',
  'v:/thresholdResult/result': '基礎項目評価の実施が義務付けられる',
  'v:/riskMeasures/forms/kinds': '基礎項目評価書',
};

describe('the editor in Chromium', () => {
  it('creates a 基礎項目評価書 from blank, fills every item, saves with zero errors, and prints the typed values', async () => {
    const context = await browser.createBrowserContext();
    const page = await newJapanesePage(context);
    await login(page, tokens.officer);
    await submit(page, 'a[href="/assessments/new"]');
    expect(await bodyText(page)).toContain('評価書の新規作成');
    await page.click('input[name=form][value=kiso]');
    await page.type('#new-slug', 'jidou-teate');
    await page.type('#new-title', '児童手当に関する事務');
    await page.click('input[name=start][value=blank]');
    await shoot(page, 'new');
    await submit(page, 'form.new-form button[type=submit]');
    expect(new URL(page.url()).pathname).toMatch(/^\/assessments\/[^/]+\/edit$/);
    kisoId = new URL(page.url()).pathname.split('/')[2];
    expect(await bodyText(page)).toContain('評価書を作成しました');

    // Every text item, date and 選択肢 through the form (typed where it matters, set for the rest).
    await page.type('textarea[name="v:/related/jimu/summary"]', '児童手当の認定・支給に関する事務ＡＢＣ');
    await page.$$eval('#editor-form textarea[name^="v:"]', (els) => {
      for (const el of els as HTMLTextAreaElement[]) {
        if (el.value === '' && el.name !== 'v:/related/rule9/reason')
          el.value = `記載-${el.name.slice(3).replace(/\//g, '_')}`;
      }
    });
    await page.$$eval('#editor-form input[type=date]', (els) => {
      for (const el of els as HTMLInputElement[]) el.value = '2024-04-01';
    });
    await page.$$eval(
      '#editor-form input[type=radio]',
      (els, choices) => {
        const groups = new Map<string, HTMLInputElement[]>();
        for (const el of els as HTMLInputElement[]) groups.set(el.name, [...(groups.get(el.name) ?? []), el]);
        for (const [name, radios] of groups) {
          if (name === 'v:/status') continue;
          const want = (choices as Record<string, string>)[name];
          const pick = radios.find((r) => (want ? r.value === want : r.value !== ''));
          if (pick) pick.checked = true;
        }
      },
      KISO_CHOICES,
    );
    await shoot(page, 'edit-kiso');
    await submit(page, '#editor-form .ed-savebar button[value=save]');
    expect(await bodyText(page)).toContain('新しい版として保存しました');
    const summary = await page.$eval('#ed-summary-line', (e) => (e as HTMLElement).innerText);
    const findings = await page.$$eval('.ed-findings .finding.sev-error', (ps) =>
      ps.map((p) => (p as HTMLElement).innerText),
    );
    expect(findings).toEqual([]);
    expect(summary).toMatch(/問題なし|エラー 0 件/);
    const versions = await store.listVersions(kisoId);
    expect(versions).toHaveLength(2);
    const saved = (await store.getVersion(versions[1].id))!.doc;
    expect(getAtPointer(saved, '/related/jimu/summary')).toBe('児童手当の認定・支給に関する事務ＡＢＣ');
    expect(getAtPointer(saved, '/thresholdResult/result')).toBe('基礎項目評価の実施が義務付けられる');

    // Live validation (JavaScript on): clearing a required item shows its 未記載 finding beside it.
    await page.$eval('textarea[name="v:/related/department/division"]', (el) => {
      (el as HTMLTextAreaElement).value = '';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.waitForFunction(
      () => document.getElementById('ed-live-state')?.textContent?.includes('検証しました'),
      { timeout: 20_000 },
    );
    const beside = await page.$eval(
      '[data-ptr="/related/department/division"] .ed-findings',
      (e) => (e as HTMLElement).innerText,
    );
    expect(beside).toContain('警告');
    expect(beside).toContain('未記載');

    // Downloads: YAML (with the $schema line), JSON, PDF with the typed values.
    const cookie = (await page.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const yamlHref = await page.$eval('a[href$="document.yaml"]', (a) => a.getAttribute('href') as string);
    const yaml = await (await fetch(new URL(yamlHref, url), { headers: { cookie } })).text();
    expect(yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/kiso-h30.schema.json');
    expect(yaml).toContain('児童手当の認定・支給に関する事務ＡＢＣ');
    const jsonHref = await page.$eval('a[href$="document.json"]', (a) => a.getAttribute('href') as string);
    const json = JSON.parse(await (await fetch(new URL(jsonHref, url), { headers: { cookie } })).text());
    expect(json.$schema).toBe('../../schemas/kiso-h30.schema.json');
    const pdfHref = await page.$eval('a[href$="document.pdf"]', (a) => a.getAttribute('href') as string);
    const text = squash(await pdfText(page, pdfHref));
    expect(text).toContain('児童手当の認定・支給に関する事務ＡＢＣ');
    expect(text).toContain('記載-related_department_head');
    expect(text).toContain('基礎項目評価の実施が義務付けられる');
    // No source gaps recorded: no 「元資料の欠落」 annex in the PDF or on the page.
    expect(text).not.toContain('元資料の欠落');
    await page.goto(`${url}/assessments/${kisoId}`);
    expect(await bodyText(page)).not.toContain('元資料の欠落');
    await context.close();
  }, 180_000);

  it('creates a 重点 by upload, changes a ※ item, records the judgement, and shows it in the table and the PDF', async () => {
    const context = await browser.createBrowserContext();
    const page = await newJapanesePage(context);
    await login(page, tokens.officer);
    await page.goto(`${url}/assessments/new`);
    await page.click('input[name=form][value=juten]');
    await page.type('#new-slug', 'covid-upload');
    await page.type('#new-title', '取込みテストの予防接種事務');
    await page.click('input[name=start][value=upload]');
    const input = await page.$('#new-file');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(
      join(ASSESSMENTS_DIR, 'hofu-covid-vaccination', 'assessment.yaml'),
    );
    await submit(page, 'form.new-form button[type=submit]');
    expect(new URL(page.url()).pathname).toMatch(/\/edit$/);
    const id = new URL(page.url()).pathname.split('/')[2];
    await shoot(page, 'edit-juten');

    // A ※ item: ③使用目的 (marked ※ in the form, with the note).
    const box = '[data-ptr="/files/0/acquisition/purpose"]';
    expect(await page.$eval(box, (e) => (e as HTMLElement).innerText)).toContain('※');
    expect(await page.$eval(box, (e) => (e as HTMLElement).innerText)).toContain('公表後の変更は重要な変更');
    await page.$eval(
      `${box} textarea`,
      (el) => ((el as HTMLTextAreaElement).value += '\n接種記録の照会に使用する。'),
    );
    await page.type('#ed-message', '使用目的の追記');
    await submit(page, '#editor-form .ed-savebar button[value=save]');
    expect(await bodyText(page)).toContain('新しい版として保存しました');
    const [v1, v2] = await store.listVersions(id);

    // History: the ※ row, its judgement form, 和暦 dates.
    await page.goto(`${url}/assessments/${id}/history`);
    const rowSel = 'tr[id="j-/files/0/acquisition/purpose"]';
    expect(await page.$eval(rowSel, (e) => (e as HTMLElement).innerText)).toContain('重要な変更');
    expect(await bodyText(page)).toMatch(/令和\d+年\d+月\d+日/);
    await page.select(`${rowSel} + tr.judge-row select[name=exception]`, 'リスクを明らかに軽減させる変更');
    await page.type(`${rowSel} + tr.judge-row input[name=reason]`, '照会範囲の明確化');
    await submit(page, `${rowSel} + tr.judge-row button[type=submit]`);
    expect(await bodyText(page)).toContain('判断を記録しました');
    const row = await page.$eval(rowSel, (e) => (e as HTMLElement).innerText);
    expect(row).toContain('例外');
    expect(squash(row)).toContain(
      '重要な変更にあたらない（リスクを明らかに軽減させる変更：照会範囲の明確化）',
    );
    await shoot(page, 'history');
    const judged = await store.listChangeJudgements(v2.id);
    expect(judged.map((j) => [j.key, j.exception, j.reason])).toEqual([
      ['/files/0/acquisition/purpose', 'リスクを明らかに軽減させる変更', '照会範囲の明確化'],
    ]);
    const audit = (await store.listAudit({})).filter((a) => a.action === 'judgement.set');
    expect(JSON.stringify(audit.map((a) => a.after))).toContain('照会範囲の明確化');

    // The annotations file round trip: download, and the API answers the same judgement.
    const cookie = (await page.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const ann = await (
      await fetch(`${url}/assessments/${id}/versions/${v2.id}/annotations.yaml`, { headers: { cookie } })
    ).text();
    expect(ann).toContain('/files/0/acquisition/purpose:');
    expect(ann).toContain('exception: リスクを明らかに軽減させる変更');

    // The PDF's (別添) 変更箇所 carries the row with that classification.
    const text = squash(await pdfText(page, `/assessments/${id}/versions/${v2.id}/document.pdf`));
    expect(text).toContain('重要な変更にあたらない（リスクを明らかに軽減させる変更：照会範囲の明確化）');
    expect(text).toContain('接種記録の照会に使用する。');
    expect(v1.number).toBe(1);
    await context.close();
  }, 180_000);

  it('keeps both versions when two sessions save from the same ETag', async () => {
    expect(kisoId).not.toBe('');
    const a = await newJapanesePage(await browser.createBrowserContext());
    const b = await newJapanesePage(await browser.createBrowserContext());
    await login(a, tokens.officer);
    await login(b, tokens.officer2);
    await a.goto(`${url}/assessments/${kisoId}/edit`);
    await b.goto(`${url}/assessments/${kisoId}/edit`);
    const etagA = await a.$eval('input[name=_etag]', (e) => (e as HTMLInputElement).value);
    expect(await b.$eval('input[name=_etag]', (e) => (e as HTMLInputElement).value)).toBe(etagA);
    const field = 'textarea[name="v:/related/jimu/systemNames"]';
    await a.$eval(field, (el) => ((el as HTMLTextAreaElement).value = 'Aさんのシステム名'));
    await b.$eval(field, (el) => ((el as HTMLTextAreaElement).value = 'Bさんのシステム名'));
    const before = (await store.listVersions(kisoId)).length;
    await submit(a, '#editor-form .ed-savebar button[value=save]');
    expect(await bodyText(a)).toContain('新しい版として保存しました');
    const conflict = await submit(b, '#editor-form .ed-savebar button[value=save]');
    expect(conflict?.status()).toBe(409);
    const shown = await bodyText(b);
    expect(shown).toContain('同時に編集されました');
    expect(shown).toContain('Aさんのシステム名');
    expect(shown).toContain('Bさんのシステム名');
    await shoot(b, 'conflict');
    await submit(b, 'form.conflict-actions button[value=save]');
    expect(await bodyText(b)).toContain('新しい版として保存しました');
    const versions = await store.listVersions(kisoId);
    expect(versions).toHaveLength(before + 2);
    const docs = await Promise.all(versions.slice(-2).map(async (v) => (await store.getVersion(v.id))!.doc));
    expect(docs.map((d) => getAtPointer(d, '/related/jimu/systemNames'))).toEqual([
      'Aさんのシステム名',
      'Bさんのシステム名',
    ]);
    await a.browserContext().close();
    await b.browserContext().close();
  }, 120_000);

  it('stores hostile text literally, shows it escaped, prints it literally, and refuses NUL', async () => {
    const page = await newJapanesePage(await browser.createBrowserContext());
    await login(page, tokens.officer);
    await page.goto(`${url}/assessments/${kisoId}/edit`);
    const hostile = `<b class="injected">太字</b> {{constructor}} {{{x}}} </textarea><script>alert(1)</script> &amp; ${'長'.repeat(10_000)}`;
    const field = 'textarea[name="v:/related/jimu/systemNames"]';
    await page.$eval(field, (el, v) => ((el as HTMLTextAreaElement).value = v as string), hostile);
    await submit(page, '#editor-form .ed-savebar button[value=save]');
    expect(await bodyText(page)).toContain('新しい版として保存しました');
    const latest = (await store.listVersions(kisoId)).pop()!;
    expect(getAtPointer((await store.getVersion(latest.id))!.doc, '/related/jimu/systemNames')).toBe(hostile);
    // Shown escaped: the text area holds the literal text, nothing was injected.
    expect(await page.$eval(field, (el) => (el as HTMLTextAreaElement).value)).toBe(hostile);
    expect(await page.$$('b.injected')).toHaveLength(0);
    await page.goto(`${url}/assessments/${kisoId}`);
    expect(await page.$$('b.injected')).toHaveLength(0);
    expect(await bodyText(page)).toContain('<b class="injected">太字</b> {{constructor}}');
    // Printed literally.
    const text = squash(await pdfText(page, `/assessments/${kisoId}/versions/${latest.id}/document.pdf`));
    expect(text).toContain(
      '<bclass="injected">太字</b>{{constructor}}{{{x}}}</textarea><script>alert(1)</script>&amp;長長',
    );
    expect(text.split('長').length - 1).toBeGreaterThanOrEqual(10_000);

    // NUL: a clear refusal, nothing stored, the rest of the input kept on the page.
    await page.goto(`${url}/assessments/${kisoId}/edit`);
    await page.$eval(field, (el) => ((el as HTMLTextAreaElement).value = 'NUL\u0000を含む'));
    const refused = await submit(page, '#editor-form .ed-savebar button[value=save]');
    expect(refused?.status()).toBe(400);
    const msg = await bodyText(page);
    expect(msg).toContain('NUL 文字');
    expect(msg).toContain('③システムの名称');
    expect((await store.listVersions(kisoId)).length).toBe(latest.number);
    await page.browserContext().close();
  }, 180_000);

  it('answers 403 to reviewers and CI tokens, 404 for another organisation', async () => {
    const page = await newJapanesePage(await browser.createBrowserContext());
    await login(page, tokens.reviewer);
    expect((await page.goto(`${url}/assessments/${kisoId}/edit`))?.status()).toBe(403);
    expect((await page.goto(`${url}/assessments/new`))?.status()).toBe(403);
    // The history page shows judgements but offers no form to a reviewer.
    await page.goto(`${url}/assessments/${hofu.id}/history`);
    expect(await page.$$('form.judge')).toHaveLength(0);
    await login(page, tokens.ci);
    expect(await bodyText(page)).toContain('CI 用');
    await login(page, tokens.officer);
    const other = await page.goto(`${url}/assessments/${kakuu.id}/edit`);
    expect(other?.status()).toBe(404);
    expect(await bodyText(page)).not.toContain(kakuu.title);
    // Fixed on the existing pages: no sideways scrolling, Japanese role names and rule titles.
    await page.goto(`${url}/assessments/${hofu.id}`);
    await shoot(page, 'document');
    const doc = await bodyText(page);
    expect(doc).not.toMatch(/\((officer|reviewer|admin)\)/);
    expect(doc).not.toContain('completeness/');
    await page.browserContext().close();
  }, 120_000);
});
