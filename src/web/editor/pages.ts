// The officer's workbench: create a 評価書 (blank, upload, import), edit it in a form generated from the
// schema, save new versions with the ETag they were loaded from (a concurrent save loses nothing), validate
// while editing, download YAML/JSON, and record the judgements of the 変更箇所 on the history page.
// Everything works without JavaScript; templates/web/editor.js only adds live validation.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Request, Response } from 'express';
import YAML from 'yaml';
import type { ApiEngine, LoadedDocument } from '../../api/engine-port.ts';
import { badRequest, forbidden, HttpError } from '../../api/http-error.ts';
import { authorize, can } from '../../api/permissions.ts';
import { DEFAULT_CSP } from '../../api/security-headers.ts';
import { LATEST, type PiaService } from '../../api/service.ts';
import { importAnnotations, judgementsToYaml } from '../../api/routes/judgements.ts';
import { evaluateApplicability, type Condition } from '../../engine.ts';
import { EXCEPTIONS, type ChangeLogResult } from '../../diff/index.ts';
import { InputError } from '../../errors.ts';
import { appendPointer, getAtPointer } from '../../pointer.ts';
import { TEMPLATES_DIR } from '../../paths.ts';
import { scaffoldDocument } from '../../scaffold/scaffold-document.ts';
import { getRegistry } from '../../schema/index.ts';
import type { Assessment, ChangeJudgement, Principal, Version, VersionInfo } from '../../store/index.ts';
import type { Diagnostic, FormId, Json, JsonObject } from '../../types.ts';
import { readFormBody, type FormBody } from './form-body.ts';
import {
  applyOp,
  buildEditorView,
  formKeyOf,
  parseOp,
  readEditorForm,
  schemaNodeAt,
  type EditorView,
} from './schema-form.ts';
import { sameSecret, type Session } from '../sessions.ts';
import { renderPage } from '../views.ts';

interface Locals {
  session: Session;
  principal: Principal;
}
type Handler = (req: Request, res: Response) => void | Promise<void>;

export interface EditorDeps {
  service: PiaService;
  engine: ApiEngine;
  get(path: string, summary: string, handler: Handler, session?: boolean): void;
  post(path: string, summary: string, handler: Handler, session?: boolean): void;
  requireSession(req: Request, res: Response): Promise<Locals>;
  checkOrigin(req: Request): void;
  base(l: Locals, title: string, extra?: Record<string, unknown>): Record<string, unknown>;
  actorNames(actors: Iterable<string>): Promise<Map<string, string>>;
  formatDateTime(iso: string): string;
}

const FORM_IDS: readonly FormId[] = ['kiso', 'juten', 'zenkomoku'];
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const EDITOR_CSP = `${DEFAULT_CSP}; script-src 'self'; connect-src 'self'`;

function sendHtml(res: Response, status: number, html: string): void {
  res.status(status).type('text/html; charset=utf-8').send(html);
}

function attachment(res: Response, filename: string, fallback: string): void {
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  );
}

const loadedOf = (doc: JsonObject, source: string): LoadedDocument => ({
  source,
  data: doc,
  diagnostics: [],
  locate: () => undefined,
});

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The importer of published 評価書 (src/import/), when this build has it. */
interface Importer {
  importPublished(input: {
    data: Uint8Array;
    name?: string;
    form?: 'auto' | FormId;
  }): Promise<{ doc: JsonObject; report?: unknown; diagnostics?: Diagnostic[]; form?: unknown }>;
  formatImportReport?(report: unknown): string;
}
function importerPath(): string | undefined {
  for (const ext of ['ts', 'js']) {
    const p = fileURLToPath(new URL(`../../import/index.${ext}`, import.meta.url));
    if (existsSync(p)) return p;
  }
  return undefined;
}
async function loadImporter(): Promise<Importer | undefined> {
  const p = importerPath();
  if (!p) return undefined;
  const mod = (await import(pathToFileURL(p).href)) as Partial<Importer>;
  return typeof mod.importPublished === 'function' ? (mod as Importer) : undefined;
}

let editorJs: string | undefined;

export function registerEditorPages(d: EditorDeps): void {
  const { service, engine } = d;
  let ruleTitles: Record<string, { ja: string; en: string }> | undefined;
  const titles = () => (ruleTitles ??= engine.describeRules());

  /** A post of the editor: session, same origin, CSRF — with the document-sized body limit. */
  const requireEditorPost = async (req: Request, res: Response): Promise<Locals & FormBody> => {
    d.checkOrigin(req);
    const l = await d.requireSession(req, res);
    const body = await readFormBody(req, engine.limits.maxBytes + 256 * 1024);
    if (!sameSecret(body.fields.get('_csrf') ?? undefined, l.session.csrf))
      throw forbidden('フォームの確認用の値が一致しません。ページを開き直してからやり直してください。');
    return { ...l, ...body };
  };

  d.get(
    '/static/editor.js',
    '編集画面のスクリプト (入力中の検証。なくても使える)',
    (_req, res) => {
      editorJs ??= readFileSync(join(TEMPLATES_DIR, 'web', 'editor.js'), 'utf8');
      res.type('text/javascript; charset=utf-8').send(editorJs);
    },
    false,
  );

  // ───────────── 新規作成 ─────────────

  const formChoices = (selected?: string) =>
    getRegistry()
      .forms()
      .filter((f) => f.formId && FORM_IDS.includes(f.formId))
      .sort((a, b) => FORM_IDS.indexOf(a.formId as FormId) - FORM_IDS.indexOf(b.formId as FormId))
      .map((f) => ({ formId: f.formId, form: f.form, stamp: f.stamp ?? '', checked: f.formId === selected }));

  const jimuTitle = (): string => {
    const key = formKeyOf('juten');
    const { title } = (key && schemaNodeAt(key, '/basic/jimu/name')) || {};
    return typeof title === 'string' ? title.replace(/^①/, '') : '事務の名称';
  };

  const showNew = async (
    req: Request,
    res: Response,
    l: Locals,
    status: number,
    extra: { error?: string; diagnostics?: Diagnostic[]; values?: Record<string, string> } = {},
  ) => {
    const p = l.principal;
    const orgs = await service.listOrganisations(p);
    const v = extra.values ?? {};
    const own = p.role === 'admin' ? undefined : orgs.find((o) => o.id === p.orgId);
    sendHtml(
      res,
      status,
      renderPage(
        'editor-new',
        d.base(l, '評価書の新規作成', {
          forms: formChoices(v.form ?? 'kiso'),
          orgFixed: own,
          orgs: orgs.map((o) => ({ ...o, selected: o.id === v.orgId })),
          values: v,
          jimuTitle: jimuTitle(),
          start: { [v.start ?? 'blank']: true },
          importAvailable: importerPath() !== undefined,
          maxSize: `${Math.round(engine.limits.maxBytes / 1024 / 1024)} MB`,
          ...(extra.error ? { error: extra.error } : {}),
          diagnostics: extra.diagnostics ?? [],
        }),
      ),
    );
  };

  d.get(
    '/assessments/new',
    '評価書の新規作成 (様式・組織・事務の名称; 空の様式・アップロード・取込み)',
    async (req, res) => {
      const l = await d.requireSession(req, res);
      authorize(l.principal, 'assessment.create');
      await showNew(req, res, l, 200);
    },
  );

  d.post('/assessments/new', '評価書の新規作成', async (req, res) => {
    const l = await requireEditorPost(req, res);
    const p = l.principal;
    authorize(p, 'assessment.create');
    const f = l.fields;
    const values = {
      form: f.get('form') ?? '',
      orgId: f.get('orgId') ?? '',
      slug: (f.get('slug') ?? '').trim(),
      title: (f.get('title') ?? '').trim(),
      start: f.get('start') ?? 'blank',
    };
    const fail = (error: string, diagnostics: Diagnostic[] = []) =>
      showNew(req, res, l, 400, { error, diagnostics, values });
    const formId = FORM_IDS.find((x) => x === values.form);
    if (!formId) return fail('様式を選んでください。');
    const formKey = formKeyOf(formId);
    if (!formKey) return fail('この様式のスキーマがありません。');
    const orgs = await service.listOrganisations(p);
    const org =
      p.role === 'admin' ? orgs.find((o) => o.id === values.orgId) : orgs.find((o) => o.id === p.orgId);
    if (!org) return fail('組織を選んでください。');
    if (!SLUG.test(values.slug))
      return fail(
        '識別子は英小文字・数字・ハイフン (先頭は英小文字か数字、63 文字まで) で入力してください。',
      );
    if (!values.title || values.title.length > 200 || values.title.includes('\u0000'))
      return fail('事務の名称を入力してください (200 文字まで。NUL 文字は使えません)。');

    let doc: JsonObject;
    let how: string;
    let report: string | undefined;
    const file = l.files.get('file');
    if (values.start === 'upload' || values.start === 'import') {
      if (!file || file.data.length === 0) return fail('ファイルを選んでください。');
      if (file.data.length > engine.limits.maxBytes)
        return fail(`ファイルが大きすぎます (上限 ${Math.round(engine.limits.maxBytes / 1024 / 1024)} MB)。`);
    }
    if (values.start === 'upload') {
      let text: string;
      try {
        text = engine.decodeText(file!.data, file!.name || 'upload');
      } catch (e) {
        if (e instanceof InputError) return fail(e.message);
        throw e;
      }
      const loaded = engine.loadText(text, { source: file!.name || 'upload' });
      const errors = loaded.diagnostics.filter((x) => x.severity === 'error');
      if (!loaded.data || errors.length)
        return fail('ファイルを評価書として読めません。', errors.length ? errors : loaded.diagnostics);
      const declared = engine.findForm(loaded.data);
      if (!declared || declared.formId !== formId) {
        const chosen = formChoices().find((x) => x.formId === formId)?.form;
        return fail(
          `アップロードした評価書の様式 (${String(loaded.data.form ?? '記載なし')} ${String(loaded.data.formVersion ?? '')}) が、選んだ様式 (${chosen}) と違います。`,
        );
      }
      doc = loaded.data;
      how = `アップロード (${file!.name || 'ファイル'})`;
    } else if (values.start === 'import') {
      const importer = await loadImporter();
      if (!importer) return fail('このサーバーでは既存の評価書の取り込みがまだ使えません。');
      try {
        const r = await importer.importPublished({ data: file!.data, name: file!.name, form: formId });
        doc = r.doc;
        report =
          r.report !== undefined && importer.formatImportReport
            ? importer.formatImportReport(r.report)
            : undefined;
      } catch (e) {
        if (e instanceof InputError || e instanceof HttpError) return fail(e.message);
        throw e;
      }
      how = `既存の評価書の取り込み (${file!.name || 'ファイル'})`;
    } else {
      doc = blankDocument(formId, formKey, {
        orgCode: org.code ?? values.slug,
        agency: org.name,
        title: values.title,
      });
      how = '空の様式から';
    }
    const declaredOrg = getAtPointer(doc, '/organization/id');
    if (org.code && typeof declaredOrg === 'string' && declaredOrg.trim() && declaredOrg !== org.code)
      return fail(`評価書の機関ID「${declaredOrg}」がこの組織 (${org.name}、${org.code}) と一致しません。`);

    let assessment: Assessment;
    try {
      assessment = await service.createAssessment(p, { orgId: org.id, title: values.title, form: formId });
    } catch (e) {
      const status = (e as { httpStatus?: number; status?: number }).httpStatus ?? (e as HttpError).status;
      if (status === 409 || status === 400) return fail((e as Error).message);
      throw e;
    }
    const version = await service.addVersion(p, assessment.id, loadedOf(doc, values.slug), {
      message: `新規作成: ${how} (識別子 ${values.slug})`,
    });
    if (report !== undefined) {
      // The import report is shown once, with the imported document in the editor to review it.
      const fresh = await service.getAssessment(p, assessment.id, 'version.create');
      await showEditor(req, res, l, {
        assessment: fresh,
        version,
        doc: version.doc,
        etag: version.etag,
        dirty: false,
        notice: NOTICES.imported,
        report,
      });
      return;
    }
    res.redirect(303, `/assessments/${encodeURIComponent(assessment.id)}/edit?done=created`);
  });

  // ───────────── 編集 ─────────────

  const NOTICES: Record<string, { kind: string; message: string }> = {
    created: {
      kind: 'ok',
      message: '評価書を作成しました。各項目を記入して「新しい版として保存」を押してください。',
    },
    saved: { kind: 'ok', message: '新しい版として保存しました。検証の結果を確認してください。' },
    imported: {
      kind: 'ok',
      message:
        '既存の評価書を取り込みました (第1版)。取り込みの報告と検証の結果を確認し、欠けている項目を記入してください。',
    },
  };

  const notApplicableOf = (doc: JsonObject, formKey: string, formId: FormId) => {
    const reasons = new Map<string, string>();
    let app;
    try {
      app = evaluateApplicability(doc, formId);
    } catch {
      return () => undefined;
    }
    for (const hit of app.notApplicable) {
      let label = hit.decidePointer;
      try {
        const path = engine.labelOf(formKey, hit.decidePointer).split(' › ');
        label = path[path.length - 1] || label;
      } catch {
        // keep the pointer
      }
      const value = describeCondition(hit.row.notApplicable, hit.value);
      for (const item of hit.items)
        reasons.set(item, `「${label}」が${value}ため、該当しません (記入不要)。`);
    }
    return (ptr: string) => reasons.get(ptr);
  };

  const viewOf = (formKey: string, formId: FormId, doc: JsonObject, diagnostics: Diagnostic[]): EditorView =>
    buildEditorView(formKey, doc, {
      diagnostics,
      notApplicable: notApplicableOf(doc, formKey, formId),
      ruleTitles: titles(),
    });

  interface EditorState {
    assessment: Assessment;
    version: Version;
    doc: JsonObject;
    etag: string;
    dirty: boolean;
    status?: number;
    notice?: { kind: string; message: string };
    nulItems?: string[];
    message?: string;
    /** The import report of a document just imported. */
    report?: string;
  }

  const showEditor = async (req: Request, res: Response, l: Locals, s: EditorState) => {
    const info = engine.findForm(s.doc) ?? engine.findForm(s.version.doc);
    const formKey = info?.key;
    const formId = info?.formId;
    if (!formKey || !formId) {
      throw new HttpError(
        409,
        'unknown-form',
        'この版の様式・様式の版が分からないため、編集画面を作れません。YAML をダウンロードして form と formVersion を確認してください。',
      );
    }
    const validation = s.dirty
      ? service.validateLoaded(l.principal, loadedOf(s.doc, '編集中'))
      : service.validateStored(s.assessment, s.version);
    const view = viewOf(formKey, formId, s.doc, validation.diagnostics);
    const names = await d.actorNames([s.version.author]);
    res.setHeader('Content-Security-Policy', EDITOR_CSP);
    sendHtml(
      res,
      s.status ?? 200,
      renderPage(
        'editor',
        d.base(l, `${s.assessment.title} の編集`, {
          assessment: s.assessment,
          version: {
            id: s.version.id,
            number: s.version.number,
            status: s.version.status,
            createdAt: d.formatDateTime(s.version.createdAt),
            author: names.get(s.version.author) ?? s.version.author,
          },
          formName: info.form,
          etag: s.etag,
          view,
          general: view.general,
          summary: {
            ...validation.summary,
            clean: validation.summary.error + validation.summary.warning === 0,
          },
          draft: s.doc.status === '素案' || s.doc.status === '案' || s.doc.status === undefined,
          dirty: s.dirty,
          notice: s.notice,
          nulItems: (s.nulItems ?? []).map((ptr) => labelOrPointer(formKey, ptr)),
          message: s.message ?? '',
          report: s.report,
          canRender: can(l.principal.role, 'render'),
        }),
      ),
    );
  };

  const labelOrPointer = (formKey: string, ptr: string): string => {
    try {
      return engine.labelOf(formKey, ptr) || ptr;
    } catch {
      return ptr;
    }
  };

  d.get(
    '/assessments/:assessmentId/edit',
    '評価書の編集 (様式から生成したフォーム。保存すると新しい版)',
    async (req, res) => {
      const l = await d.requireSession(req, res);
      const id = req.params.assessmentId as string;
      // The role is checked before the lookup: a reviewer gets 403, another organisation's id 404.
      const assessment = await service.getAssessment(l.principal, id, 'version.create');
      if (!assessment.latestVersionId)
        throw new HttpError(404, 'not-found', 'この評価書にはまだ版がありません。');
      const { version } = await service.getVersion(l.principal, id, LATEST, 'version.create', assessment);
      const done =
        typeof req.query.done === 'string' && Object.hasOwn(NOTICES, req.query.done)
          ? NOTICES[req.query.done]
          : undefined;
      await showEditor(req, res, l, {
        assessment,
        version,
        doc: version.doc,
        etag: version.etag,
        dirty: false,
        ...(done ? { notice: done } : {}),
      });
    },
  );

  /** The version the form was loaded from, and the document the posted fields describe. */
  const readPosted = async (l: Locals & FormBody, id: string, keepEmpty: boolean) => {
    const assessment = await service.getAssessment(l.principal, id, 'version.create');
    const baseId = l.fields.get('_base') ?? LATEST;
    const { version } = await service.getVersion(
      l.principal,
      id,
      baseId || LATEST,
      'version.create',
      assessment,
    );
    const info = engine.findForm(version.doc);
    if (!info?.key) throw new HttpError(409, 'unknown-form', 'この版の様式が分からないため保存できません。');
    const { doc, nul } = readEditorForm(info.key, l.fields, version.doc, { keepEmpty });
    return { assessment, version, doc, nul, formKey: info.key };
  };

  const save = async (
    req: Request,
    res: Response,
    l: Locals,
    assessment: Assessment,
    baseVersion: Version,
    doc: JsonObject,
    etag: string,
    message: string,
  ) => {
    try {
      const v = await service.addVersion(l.principal, assessment.id, loadedOf(doc, '編集画面'), {
        ifMatch: etag,
        ...(message ? { message } : {}),
      });
      res.redirect(303, `/assessments/${encodeURIComponent(assessment.id)}/edit?done=saved&v=${v.number}`);
    } catch (e) {
      const status =
        (e as { httpStatus?: number }).httpStatus ?? (e instanceof HttpError ? e.status : undefined);
      if (status === 412) {
        await showConflict(req, res, l, assessment, baseVersion, doc, message);
        return;
      }
      if (e instanceof HttpError && e.status === 400) {
        await showEditor(req, res, l, {
          assessment,
          version: baseVersion,
          doc,
          etag,
          dirty: true,
          status: 400,
          notice: { kind: 'error', message: `保存しませんでした: ${e.message}` },
          message,
        });
        return;
      }
      throw e;
    }
  };

  /** Both versions side by side: the one saved in between, and the user's (kept in the page, not lost). */
  const showConflict = async (
    req: Request,
    res: Response,
    l: Locals,
    assessment: Assessment,
    baseVersion: VersionInfo,
    mine: JsonObject,
    message: string,
  ) => {
    const { assessment: fresh, version: theirs } = await service.getVersion(
      l.principal,
      assessment.id,
      LATEST,
      'version.create',
    );
    let rows: { item: string; before: string; after: string }[] = [];
    try {
      const r = engine.changeLog?.(theirs.doc, mine, {});
      rows = (r?.rows ?? []).map((x) => ({ item: x.item, before: x.before, after: x.after }));
    } catch {
      rows = [];
    }
    const names = await d.actorNames([theirs.author]);
    sendHtml(
      res,
      409,
      renderPage(
        'editor-conflict',
        d.base(l, `${fresh.title} — 同時に編集されました`, {
          assessment: fresh,
          baseNumber: baseVersion.number,
          theirs: {
            id: theirs.id,
            etag: theirs.etag,
            number: theirs.number,
            author: names.get(theirs.author) ?? theirs.author,
            createdAt: d.formatDateTime(theirs.createdAt),
          },
          nextNumber: theirs.number + 1,
          rows,
          docJson: JSON.stringify(mine),
          message,
        }),
      ),
    );
  };

  d.post(
    '/assessments/:assessmentId/edit',
    '編集の保存 (If-Match: 読み込んだ版の ETag) と行の追加・削除・並べ替え',
    async (req, res) => {
      const l = await requireEditorPost(req, res);
      const id = req.params.assessmentId as string;
      const op = parseOp(l.fields.get('_op'));
      const { assessment, version, doc, nul, formKey } = await readPosted(l, id, op !== undefined);
      const etag = l.fields.get('_etag') ?? '';
      const message = (l.fields.get('_message') ?? '').replaceAll('\u0000', '').slice(0, 2000);
      if (nul.length) {
        // Refused, not stripped: the user sees where, and the rest of the input stays on the page.
        const clean = JSON.parse(JSON.stringify(doc).replace(/\\u0000/g, '')) as JsonObject;
        await showEditor(req, res, l, {
          assessment,
          version,
          doc: clean,
          etag,
          dirty: true,
          status: 400,
          nulItems: nul,
          message,
        });
        return;
      }
      if (op) {
        applyOp(formKey, doc, op);
        await showEditor(req, res, l, { assessment, version, doc, etag, dirty: true, message });
        return;
      }
      await save(req, res, l, assessment, version, doc, etag, message);
    },
  );

  d.post(
    '/assessments/:assessmentId/edit/resolve',
    '同時編集の解決 (自分の入力を新しい版として保存、または編集を続ける)',
    async (req, res) => {
      const l = await requireEditorPost(req, res);
      const id = req.params.assessmentId as string;
      const assessment = await service.getAssessment(l.principal, id, 'version.create');
      const { version } = await service.getVersion(
        l.principal,
        id,
        l.fields.get('_base') || LATEST,
        'version.create',
        assessment,
      );
      const loaded = engine.loadText(l.fields.get('_doc') ?? '', { source: 'あなたの入力' });
      if (!isObject(loaded.data) || loaded.diagnostics.some((x) => x.severity === 'error'))
        throw badRequest('ページが保持していた入力を読めません。編集画面を開き直してください。');
      const mine = loaded.data;
      const etag = l.fields.get('_etag') ?? '';
      const message = (l.fields.get('_message') ?? '').slice(0, 2000);
      if (l.fields.get('_action') === 'edit') {
        await showEditor(req, res, l, {
          assessment,
          version,
          doc: mine,
          etag,
          dirty: true,
          message,
          notice: {
            kind: 'ok',
            message: `あなたの入力を第${version.number}版の上で開きました (まだ保存していません)。`,
          },
        });
        return;
      }
      await save(req, res, l, assessment, version, mine, etag, message);
    },
  );

  d.post(
    '/assessments/:assessmentId/edit/validate',
    '入力中の検証 (編集画面のスクリプトが呼ぶ。保存しない)',
    async (req, res) => {
      const l = await requireEditorPost(req, res);
      const id = req.params.assessmentId as string;
      const { doc, nul, formKey } = await readPosted(l, id, false);
      const info = engine.findForm(doc);
      const validation = service.validateLoaded(l.principal, loadedOf(doc, '編集中'));
      const view = viewOf(formKey, info?.formId ?? 'juten', doc, validation.diagnostics);
      res
        .status(200)
        .type('application/json; charset=utf-8')
        .send(
          JSON.stringify({
            summary: validation.summary,
            nul: nul.map((p) => labelOrPointer(formKey, p)),
            placements: view.placements,
            general: view.general,
            notApplicable: view.notApplicable,
          }),
        );
    },
  );

  // ───────────── ダウンロード ─────────────

  const versionFor = async (req: Request, res: Response) => {
    const l = await d.requireSession(req, res);
    const { assessment, version } = await service.getVersion(
      l.principal,
      req.params.assessmentId as string,
      req.params.versionId as string,
    );
    return { l, assessment, version };
  };

  d.get(
    '/assessments/:assessmentId/versions/:versionId/document.yaml',
    '版の YAML ($schema の行つき)',
    async (req, res) => {
      const { assessment, version } = await versionFor(req, res);
      const info = engine.findForm(version.doc);
      const head = info ? `# yaml-language-server: $schema=../../schemas/${info.id}\n` : '';
      const yaml = head + YAML.stringify(version.doc, { lineWidth: 0 });
      attachment(res, `${assessment.title}-v${version.number}.yaml`, 'assessment.yaml');
      res.status(200).type('application/yaml; charset=utf-8').send(yaml);
    },
  );

  d.get('/assessments/:assessmentId/versions/:versionId/document.json', '版の JSON', async (req, res) => {
    const { assessment, version } = await versionFor(req, res);
    const info = engine.findForm(version.doc);
    const doc =
      info && version.doc.$schema === undefined
        ? { $schema: `../../schemas/${info.id}`, ...version.doc }
        : version.doc;
    attachment(res, `${assessment.title}-v${version.number}.json`, 'assessment.json');
    res
      .status(200)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(doc, null, 2) + '\n');
  });

  // ───────────── 変更箇所の判断 ─────────────

  const historyUrl = (assessmentId: string, fromId: string | null, toId: string, done: string, anchor = '') =>
    `/assessments/${encodeURIComponent(assessmentId)}/history?${fromId ? `from=${encodeURIComponent(fromId)}&` : ''}to=${encodeURIComponent(toId)}&done=${done}${anchor}`;

  d.post(
    '/assessments/:assessmentId/versions/:versionId/judgements',
    '変更箇所の 1 行への判断 (例外・提出時期・理由) の記録',
    async (req, res) => {
      const l = await requireEditorPost(req, res);
      const assessmentId = req.params.assessmentId as string;
      const versionId = req.params.versionId as string;
      const f = l.fields;
      const j = await service.setJudgement(l.principal, assessmentId, versionId, {
        key: f.get('key') ?? '',
        exception: f.get('exception') ?? null,
        timing: f.get('timing') ?? null,
        reason: f.get('reason') ?? null,
        date: f.get('date') ?? null,
      });
      res.redirect(
        303,
        historyUrl(assessmentId, f.get('from'), j.versionId, 'judged', `#j-${encodeURIComponent(j.key)}`),
      );
    },
  );

  d.get(
    '/assessments/:assessmentId/versions/:versionId/annotations.yaml',
    '変更箇所への判断を注釈ファイル (pia diff --annotations) としてダウンロード',
    async (req, res) => {
      const { l, assessment, version } = await versionFor(req, res);
      const list = await service.listJudgements(l.principal, assessment.id, version.id);
      attachment(res, `${assessment.title}-v${version.number}-annotations.yaml`, 'annotations.yaml');
      res
        .status(200)
        .type('application/yaml; charset=utf-8')
        .send(
          judgementsToYaml(
            list,
            `${assessment.title} 第${version.number}版の変更箇所への判断\npia diff <変更前> <変更後> --annotations <このファイル>`,
          ),
        );
    },
  );

  d.post(
    '/assessments/:assessmentId/versions/:versionId/annotations',
    '注釈ファイルのアップロード (判断をまとめて記録)',
    async (req, res) => {
      const l = await requireEditorPost(req, res);
      const assessmentId = req.params.assessmentId as string;
      const versionId = req.params.versionId as string;
      const file = l.files.get('file');
      if (!file || file.data.length === 0) throw badRequest('注釈ファイルを選んでください。');
      let text: string;
      try {
        text = engine.decodeText(file.data, file.name || 'annotations.yaml');
      } catch (e) {
        if (e instanceof InputError) throw badRequest(e.message);
        throw e;
      }
      await importAnnotations(
        service,
        l.principal,
        assessmentId,
        versionId,
        text,
        file.name || 'annotations.yaml',
      );
      res.redirect(303, historyUrl(assessmentId, l.fields.get('from'), versionId, 'annotations'));
    },
  );
}

function describeCondition(c: Condition, value: unknown): string {
  if ('checked' in c) return 'チェックされている';
  if ('lacks' in c) return `「${c.lacks}」を含まない`;
  return `「${String(value)}」である`;
}

/** A blank document of a form (src/scaffold's, without its placeholders), with what the new-document form says. */
export function blankDocument(
  formId: FormId,
  formKey: string,
  opts: { orgCode: string; agency: string; title: string },
): JsonObject {
  const text = scaffoldDocument(formId, { organizationId: opts.orgCode });
  const parsed = YAML.parse(text) as JsonObject;
  const prune = (v: Json, ptr: string): Json | undefined => {
    if (v === '' || v === false || v === null) return undefined;
    if (typeof v === 'number') return schemaNodeAt(formKey, ptr)?.['x-kind'] === 'count' ? undefined : v;
    if (Array.isArray(v)) {
      const out = v.map((x, i) => prune(x, appendPointer(ptr, i))).filter((x) => x !== undefined);
      return out.length ? out : undefined;
    }
    if (isObject(v)) {
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v)) {
        const y = prune(x, appendPointer(ptr, k));
        if (y !== undefined) out[k] = y;
      }
      return Object.keys(out).length ? out : undefined;
    }
    return v;
  };
  const doc = (prune(parsed, '') ?? {}) as JsonObject;
  const cover = isObject(doc.cover) ? doc.cover : (doc.cover = {});
  cover.agency = opts.agency;
  const section = formId === 'kiso' ? 'related' : 'basic';
  const sec = isObject(doc[section]) ? (doc[section] as JsonObject) : ((doc[section] = {}) as JsonObject);
  const jimu = isObject(sec.jimu) ? sec.jimu : (sec.jimu = {});
  jimu.name = opts.title;
  // Keys in the schema's order (the scaffold's), the settings first.
  return doc;
}

/** Judgement rows of the history page: each ※ row with the judgement recorded for it (by its pointer). */
export function judgementRows(
  result: ChangeLogResult,
  judgements: readonly ChangeJudgement[],
): {
  path: string;
  significant: boolean;
  judgement?: { exception: string; timing: string; reason: string; date: string };
  exceptions: { value: string; selected: boolean }[];
  timings: { value: string; selected: boolean }[];
}[] {
  const byKey = new Map(judgements.map((j) => [j.key, j]));
  return result.rows.map((r) => {
    const j = byKey.get(r.path) ?? byKey.get(r.item);
    return {
      path: r.path,
      significant: r.significant,
      ...(j
        ? {
            judgement: {
              exception: j.exception ?? '',
              timing: j.timing ?? '',
              reason: j.reason ?? '',
              date: j.date ?? '',
            },
          }
        : {}),
      exceptions: EXCEPTIONS.map((e) => ({ value: e, selected: j?.exception === e })),
      timings: ['事前', '事後'].map((t) => ({ value: t, selected: j?.timing === t })),
    };
  });
}
